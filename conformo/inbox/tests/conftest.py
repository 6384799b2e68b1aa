"""My work's tests reuse the CB workflow's fixtures: Acme's programme accepted on 2026-01-05 (stage 1 due
2026-04-05, stage 2 due 2026-07-04), its stage 1 planned or done, an open minor at stage 2."""

from __future__ import annotations

from conformo.audits.tests.conftest import (  # noqa: F401 - fixtures
    acme_sites,
    issued,
    open_minor,
    programme,
    ready,
    stage1,
    stage1_done,
)
from conformo.certification.tests.conftest import granted  # noqa: F401 - fixture
