"""The demo's history gives every figure something to show (issue #17 item 6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conformo.figures.filters import figure_filter
from conformo.figures.selectors import FIGURES, figure_for
from conformo.home.demo import demo_load
from conformo.organizations.models import CertificationBody

pytestmark = pytest.mark.django_db


def test_the_demo_history_fills_every_figure() -> None:
    demo_load()
    cb = CertificationBody.objects.get(name__startswith="Northbridge")
    today = timezone.localdate()
    chosen = figure_filter(cb=cb, today=today, start=today - timedelta(days=3 * 366), end=today)
    empty = [f"{slug}/{table.key}" for slug in FIGURES for table in figure_for(slug, chosen).tables if not table.rows]
    assert not empty, f"empty over the demo's history: {empty}"
