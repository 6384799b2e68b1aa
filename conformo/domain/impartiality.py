"""Impartiality floors that a certification body cannot set lower (ISO/IEC 17021-1:2015 5.2).

Personnel who gave management-system consultancy to a client — managerial roles included — take no part in
that client's audits or other certification activities within two years after the consultancy ended [N]
(17021-1 5.2; sub-clause 5.2.10/5.2.11 not confirmed [?], reference/cb-rules.md 8b). A CB may choose a longer
cooling-off period (``CBSettings.cooling_off_months``), never a shorter one.
"""

from __future__ import annotations

from conformo.domain.errors import InvalidInput

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


# --- The register of threats to impartiality (17021-1 5.2) -----------------------------------------------

THREAT_KINDS = ("self_interest", "self_review", "familiarity", "intimidation", "advocacy", "other")
"""The kinds of threat a CB's register names. 17021-1 5.2 asks the CB to identify, analyse, evaluate, treat,
monitor and document risks to impartiality "incl. those from relationships" (reference/cb-rules.md 8b); the
kinds are the usual names of the sources of such threats in 17021-1 (3 Terms / 5.2 notes: self-interest,
self-review, familiarity or trust, intimidation) [N-note]; advocacy and other are the register's own [P]."""

LEVELS = ("low", "medium", "high")
"""An assessed or residual level of a threat: a three-step scale [P] (the standard prescribes none)."""

DEFAULT_REVIEW_MONTHS = 12
"""[P] The register is reviewed at least every 12 months: 17021-1 5.2 asks for monitoring "on an ongoing basis"
(5.2.3/5.2.4 intent, sub-clauses [?]) and the committee/mechanism usually meets once a year; a CB may set a
shorter or longer interval (1 to 36 months)."""

MAX_REVIEW_MONTHS = 36
"""A review interval longer than one certification cycle (3 years) is refused: 'ongoing' monitoring [P]."""


def threat_level(likelihood: int, severity: int) -> str:
    """The level of a threat from its likelihood and severity, each 1 (low) to 3 (high): their product 1–2 is
    low, 3–4 medium, 6–9 high [P] (a plain 3 × 3 risk matrix; the standard prescribes no method)."""
    for name, value in (("likelihood", likelihood), ("severity", severity)):
        if not isinstance(value, int) or not 1 <= value <= 3:
            raise InvalidInput(f"The {name} is 1 (low), 2 (medium) or 3 (high), not {value!r}.", code="invalid_level")
    product = likelihood * severity
    return "low" if product <= 2 else "medium" if product <= 4 else "high"


def review_months_refusal(months: int) -> str | None:
    """Why ``months`` cannot be the register's review interval (None when it can)."""
    if not 1 <= months <= MAX_REVIEW_MONTHS:
        return f"The register is reviewed every 1 to {MAX_REVIEW_MONTHS} months, not {months}."
    return None


RELATED_BODY_RULE = (
    "A client that received management-system consultancy from a body related to the certification body is not "
    "certified by it until the cooling-off period after that consultancy has passed (17021-1 5.2, related bodies)"
)
"""The reading of 17021-1 5.2 (5.2.5/5.2.8 [?]) recorded in docs/rules.md: consultancy by a related body is a
threat to the CB as a whole, not to one auditor — every auditor of the CB is barred from that client's audits
while the CB's cooling-off period (≥ 24 months, the same floor as personnel) runs."""
