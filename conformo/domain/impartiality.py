"""Impartiality floors that a certification body cannot set lower (ISO/IEC 17021-1:2015 5.2).

Personnel who gave management-system consultancy to a client — managerial roles included — take no part in
that client's audits or other certification activities within two years after the consultancy ended [N]
(17021-1 5.2; sub-clause 5.2.10/5.2.11 not confirmed [?], reference/cb-rules.md 8b). A CB may choose a longer
cooling-off period (``CBSettings.cooling_off_months``), never a shorter one.
"""

from __future__ import annotations

COOLING_OFF_SOURCE = "ISO/IEC 17021-1:2015 5.2"
MIN_COOLING_OFF_MONTHS = 24
"""[N] The least cooling-off period, in months, after consultancy for a client (two years)."""


COOLING_OFF_RULE = (
    "Personnel who gave consultancy to a client take no part in its certification for at least two years after it "
    f"ended ({COOLING_OFF_SOURCE}): the cooling-off period is at least {MIN_COOLING_OFF_MONTHS} months"
)


def cooling_off_refusal(months: int) -> str | None:
    """Why ``months`` cannot be a cooling-off period (None when it can)."""
    if months < MIN_COOLING_OFF_MONTHS:
        return f"{COOLING_OFF_RULE}, not {months}."
    return None
