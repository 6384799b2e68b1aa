"""Remote (ICT) auditing as a share of audit time.

IAF MD 4 (cb-rules.md 8b): remote auditing with ICT is allowed after a risk assessment, and the time spent
auditing remotely *counts as audit time*; the plan and the report show where ICT was used. IAF MD 5 cl. 4.1
("at the client's physical or virtual site") asks that the audit duration — opening to closing meeting, on
site or remote — be normally >= 80 % of audit time, against off-site planning and reporting; it is not a
limit on remote auditing. How much of an audit may be remote is the CB's own policy (its risk assessment),
a setting: ``max_remote_percent`` for every scheme and ``max_remote_percent_isms`` where ISO/IEC 27006-1
applies (reference/cb-rules.md gives no number for ISMS [?]).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from conformo.domain.errors import InvalidInput
from conformo.domain.trace import fmt


@dataclass(frozen=True, slots=True)
class RemoteCheck:
    """The remote share of an audit against the CB's limit: ``ok`` is False when the share is above it."""

    onsite_days: Decimal
    remote_days: Decimal
    share_percent: Decimal
    limit_percent: Decimal
    ok: bool
    source: str

    def message(self) -> str:
        return (
            f"{fmt(self.remote_days)} of {fmt(self.onsite_days + self.remote_days)} audit days are remote "
            f"({fmt(self.share_percent)} %); the certification body's remote-auditing policy allows at most "
            f"{fmt(self.limit_percent)} % ({self.source})."
        )


def remote_share_check(
    *, onsite_days: Decimal, remote_days: Decimal, limit_percent: Decimal, isms: bool
) -> RemoteCheck:
    """Compare the remote share of an audit's days with the CB's limit (a percent from 0 to 100). Remote days
    count as audit time (IAF MD 4), so the total is on-site plus remote days."""
    for name, value in (("onsite_days", onsite_days), ("remote_days", remote_days)):
        if not value.is_finite() or value < 0:
            raise InvalidInput(f"{name} must be a number of days, 0 or more, got {value}")
    if not limit_percent.is_finite() or not 0 <= limit_percent <= 100:
        raise InvalidInput(f"the remote limit must be a percent from 0 to 100, got {limit_percent}")
    total = onsite_days + remote_days
    share = Decimal(0) if total == 0 else (remote_days * 100 / total).quantize(Decimal("0.1"))
    source = (
        "IAF MD 4; ISO/IEC 27006-1 for ISMS, the CB's setting [?]" if isms else "IAF MD 4; the CB's risk-based policy"
    )
    ok = total == 0 or remote_days * 100 <= limit_percent * total
    return RemoteCheck(onsite_days, remote_days, share, limit_percent, ok, source)
