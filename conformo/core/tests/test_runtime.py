"""The web worker's process tuning (conformo/core/runtime.py)."""

from __future__ import annotations

import gc

from conformo.core import runtime


def test_tuning_freezes_the_loaded_application_and_collects_the_young_generation_less_often() -> None:
    before = gc.get_threshold()
    try:
        runtime.tune_gc()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (runtime.YOUNG_THRESHOLD, before[1], before[2])
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
