from __future__ import annotations

from typing import Any

import pytest

from conformo.figures.tests.world import World, build


@pytest.fixture
def world(cb: Any) -> World:
    return build(cb)
