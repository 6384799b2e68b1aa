"""The certification agreement and the use of marks (ISO/IEC 17021-1:2015 5.1.2, 8.3, 9.6.5).

Readings (reference/cb-rules.md 8b, rows "Certification agreement" and "Marks and references"; our words):

- 5.1.2 [N]: the CB has a legally enforceable agreement with each client for its certification activities. It
  binds the client to the CB's rules on references to certification and on marks (8.3) and to what the client
  must do when its certification is suspended or withdrawn (9.6.5). Conformo reads "before the certification
  activities" as: stage 1 does not start until the client has accepted the agreement;
- a CB may choose [P] to let stage 1 start while the agreement is still to be signed (it is then signed at stage
  1, the CB recording why): `CBSettings.allow_agreement_at_stage1`, default off;
- 8.3 [N]: the CB's mark never goes on a product, its packaging or a test or inspection report;
- 9.6.5.3 and 9.6.5.6 [N]: under suspension the client stops promoting its certification; on withdrawal it
  stops all advertising that refers to being certified. The notices of a suspension or withdrawal repeat the
  duty: the accepted agreement's own text, or `MARK_USE_DUTY_FALLBACK` when there is none.
"""

from __future__ import annotations

AGREEMENT_SOURCE = "ISO/IEC 17021-1:2015 5.1.2"
MARK_USE_SOURCE = "ISO/IEC 17021-1:2015 8.3, 9.6.5"

MARK_USE_DUTY_FALLBACK = (
    "While the certification is suspended the organization must not promote it, and once it is withdrawn the "
    "organization must stop all advertising, documents and uses of the certification mark that refer to it "
    f"({MARK_USE_SOURCE}; 9.6.5.3 and 9.6.5.6)."
)
"""[N] The duty in our words, told when no accepted agreement states the CB's own text."""


def stage1_agreement_refusal(*, accepted: bool, deferral_allowed: bool, deferral_reason: str) -> str | None:
    """Why stage 1 cannot start for want of an agreement (None when it can).

    It can when the client has accepted an agreement, or when the CB allows the agreement to be signed at stage 1
    (a CB setting) and has recorded why it is not signed yet."""
    if accepted:
        return None
    if deferral_allowed and deferral_reason.strip():
        return None
    if deferral_allowed:
        return (
            "Stage 1 cannot start before the client accepts the certification agreement "
            f"({AGREEMENT_SOURCE}); record the agreement, or why it will be signed at stage 1."
        )
    return f"Stage 1 cannot start before the client accepts the certification agreement ({AGREEMENT_SOURCE})."
