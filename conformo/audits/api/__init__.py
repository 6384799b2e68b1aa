"""REST resources of the CB workflow under /api/v1/. A state change is a POST to its action
(`/findings/{id}/verify`); refusals come out as `{"detail": ..., "code": ...}` with a 4xx status.

One router, assembled from a module per aggregate: `setup`, `applications`, `agreements`, `determinations`,
`programmes`, `findings`, `plans`, `reports`, `registers` (look-ups they share are in `lookups`).
"""

from ninja import Router

from conformo.audits.api import (
    agreements,
    applications,
    determinations,
    findings,
    plans,
    programmes,
    registers,
    reports,
    setup,
)

router = Router(tags=["audits"])
for part in (setup, applications, agreements, determinations, programmes, plans, reports, findings, registers):
    router.add_router("", part.router)

__all__ = ["router"]
