"""`|day`, the template engine's builtin for dates (conformo/core/templatetags/dates.py)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

AUCKLAND = zoneinfo.ZoneInfo("Pacific/Auckland")


@pytest.mark.parametrize(
    "value",
    [
        datetime.date(2026, 12, 5),
        datetime.date(999, 1, 2),
        datetime.datetime(2026, 12, 5, 23, 30, tzinfo=datetime.UTC),  # the next day in Auckland
        datetime.datetime(2026, 12, 5, 8, 0, tzinfo=AUCKLAND),
        None,
        "",
        "2026-12-05",
        0,
    ],
)
def test_day_writes_what_the_date_filter_writes_for_y_m_d(value):
    with timezone.override(AUCKLAND):
        context = Context({"value": value})
        expected = Template('{{ value|date:"Y-m-d" }}|{{ value|date:"Y-m-d"|default:"—" }}').render(context)
        assert Template('{{ value|day }}|{{ value|day|default:"—" }}').render(context) == expected
