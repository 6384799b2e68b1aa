from __future__ import annotations

from typing import Any

import pytest

from conformo.readiness.tests.factories import make_catalog
from conformo.standards.models import Standard


@pytest.fixture
def catalog(db: Any) -> dict[str, Standard]:
    return make_catalog()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "files"
