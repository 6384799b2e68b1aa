"""The certification body's choices: every rule that is not a normative "shall" is a setting here.

Each field documents its default and its tag from ``reference/cb-rules.md``:
[N] normative (changing it departs from the cited document), [N-note] a note or "should" in a normative
document, [P] common CB practice, [?] unconfirmed in a primary text. See ``docs/rules.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from conformo.domain.errors import InvalidInput
from conformo.domain.rounding import TieBreak


class Extrapolation(StrEnum):
    """How audit time is found above the last table band (10,700 persons), where MD 5 says only
    "follow progression" and gives no formula [N]; the method is the CB's choice [P]."""

    REPEAT_LAST_STEP = "repeat_last_step"
    """Each further block of persons as wide as the last band (8,501-10,700: 2,200 persons), or part of
    one, adds the increment of the last band (e.g. +1 day for QMS, +2 days for EMS high)."""
    HOLD_LAST_BAND = "hold_last_band"
    """Keep the value of the last band (gives the least time; flagged by a warning)."""
    REFUSE = "refuse"
    """Raise ``CaseByCase``: the CB determines the time by hand."""


class MonthArithmetic(StrEnum):
    """How "n months after a date" is counted when the day does not exist in the target month."""

    CLAMP_TO_MONTH_END = "clamp_to_month_end"
    """A calendar month; a missing day becomes the target month's last day (01-31 + 1 month -> 02-28)."""
    ROLL_TO_NEXT_MONTH = "roll_to_next_month"
    """A calendar month; a missing day becomes the first day of the following month (01-31 -> 03-01)."""


class RepetitiveReduction(StrEnum):
    """How personnel doing similar, repetitive, simple functions are counted (IAF MD 5 cl. 2.3.4 allows a
    justified reduction but gives no formula [?])."""

    NONE = "none"
    """Count them fully (no reduction)."""
    WEIGHT = "weight"
    """Count each at ``RuleSettings.repetitive_function_weight`` of a person [P]."""
    SQUARE_ROOT = "square_root"
    """Count ⌈√n⌉ of them: the maximum reduction of ISO/IEC 27006-1 C.3.4 for ISMS [N for ISMS, P else]."""


@dataclass(frozen=True, slots=True)
class RuleSettings:
    """One CB's choices. ``DEFAULT_SETTINGS`` holds Conformo's documented defaults."""

    # --- audit time (IAF MD 5, ISO/IEC 27006-1, IAF MD 11) ---------------------------------------------
    max_reduction_percent: Decimal = Decimal(30)
    """[N] IAF MD 5 (via IAF MD 1 cl. 7.3.1 / EA FAQ 37.5): all reductions from the table value together
    never exceed 30 %. Applied to ISMS too, where ISO/IEC 27006-1 states the same cap [?]."""
    max_integration_reduction_percent: Decimal = Decimal(20)
    """[N] IAF MD 11 (EA FAQ 37.5, 37.23, 43070): integration reduction of a combined audit <= 20 %."""
    surveillance_fraction: Fraction = Fraction(1, 3)
    """[N] IAF MD 5 cl. 5: surveillance time "about" 1/3 of the initial audit time, per year."""
    recertification_fraction: Fraction = Fraction(2, 3)
    """[N] IAF MD 5 cl. 6: recertification time "about" 2/3 of the initial audit time."""
    min_onsite_share: Decimal = Decimal("0.8")
    """[N] IAF MD 5 cl. 4.1: on-site audit duration "normally" >= 80 % of audit time."""
    half_day_ties: TieBreak = TieBreak.UP
    """[?] IAF MD 5 cl. 2.2.3 rounds to the nearest half day but says nothing of x.25 / x.75 ties; up."""
    above_table: Extrapolation = Extrapolation.REPEAT_LAST_STEP
    """[P] above 10,700 persons MD 5 says "follow progression"; the method is the CB's, with a warning."""

    # --- effective personnel (IAF MD 5 cl. 2.3) -----------------------------------------------------
    full_time_hours_per_week: Decimal = Decimal(40)
    """[P] the full-time week that part-time hours are converted against (MD 5 cl. 2.3 converts by hours)."""
    repetitive_reduction: RepetitiveReduction = RepetitiveReduction.NONE
    """[?] MD 5 cl. 2.3.4 allows a justified reduction for repetitive functions but gives no formula."""
    repetitive_function_weight: Decimal = Decimal("0.2")
    """[P] weight per repetitive-function person when ``repetitive_reduction`` is ``weight`` (one Turkish
    CB uses 0.2 / 0.15 / 0.1 / 0.05 for high / medium / low / limited complexity, cb-rules.md 2.3)."""

    # --- multi-site (IAF MD 1) ---------------------------------------------------------------------
    random_sample_share: Fraction = Fraction(1, 4)
    """[N] IAF MD 1 (EA FAQ 46.5): at least 25 % of the sample is selected at random."""
    no_sampling_surveillance_share: Fraction = Fraction(3, 10)
    """[N] IAF MD 1 cl. 6.2.1: without sampling, 30 % of sites (rounded up) per surveillance year."""
    max_site_reduction_percent: Decimal = Decimal(50)
    """[N] IAF MD 1 cl. 7.3.1: audit time of a sampled site is reduced by at most 50 % for all reasons."""
    max_central_process_reduction_percent: Decimal = Decimal(20)
    """[N] IAF MD 1 cl. 7.3.1 (EA FAQ 37.5): of those, at most 20 % for the management-system processes the
    central function performs for the sites and other centralised processes (e.g. purchasing)."""

    # --- cycle dates (ISO/IEC 17021-1) -------------------------------------------------------------
    month_arithmetic: MonthArithmetic = MonthArithmetic.CLAMP_TO_MONTH_END
    """[P] how months are added; default: calendar month, missing day -> that month's last day."""
    surveillance_1_months: int = 12
    """[N] 17021-1 9.1.3.3: first surveillance not more than 12 months after the certification decision."""
    surveillance_2_months: int = 24
    """[P] second surveillance due 24 months after the decision (17021-1 9.1.3.3 requires one audit per
    calendar year; the exact due date is the CB's)."""
    validity_years: int = 3
    """[N] 17021-1 9.1.3.1/9.1.3.2: a 3-year certification cycle."""
    expiry_day_before_anniversary: bool = True
    """[?] expiry = decision + 3 years - 1 day (True) or the anniversary itself (False): a CB convention."""
    recertification_margin_days: int = 0
    """[P] the recertification decision (and NC deadlines at recertification) due this many days before
    expiry; 17021-1 9.6.3.2.3/9.6.3.2.4 require only "before expiry"."""
    restoration_months: int = 6
    """[N] 17021-1 9.6.3.2.5: certification may be restored within 6 months after expiry."""
    major_nc_verification_months: int = 6
    """[N] 17021-1 9.5.3.2: majors verified within 6 months after the last day of stage 2, else a new
    stage 2."""
    suspension_max_months: int = 6
    """[N-note] 17021-1 9.6.5.4 NOTE: "in most cases the suspension would not exceed 6 months"."""
    planning_window_days: int = 90
    """[P] an audit's planning window opens this many days before its due date: from then on it is among the
    programme manager's audits to plan (17021-1 9.1.3 asks for a programme, not for when to plan each audit)."""

    # --- nonconformity deadlines (17021-1 9.4.9, 9.4.10) -------------------------------------------
    major_response_days: int = 90
    """[P] days to submit correction, root cause and corrective action for a major NC."""
    major_verification_days: int = 90
    """[P] days by which the CB verifies a major NC's correction and corrective action."""
    minor_response_days: int = 90
    """[P] days to submit the action plan for a minor NC."""
    minor_verification_days: int | None = None
    """[P] days by which a minor NC is verified; ``None``: at the next audit."""

    def __post_init__(self) -> None:
        for name in (
            "max_reduction_percent",
            "max_integration_reduction_percent",
            "max_site_reduction_percent",
            "max_central_process_reduction_percent",
        ):
            value: Decimal = getattr(self, name)
            if not value.is_finite() or not 0 <= value <= 100:
                raise InvalidInput(f"setting {name} must be a percent from 0 to 100, got {value}")
        for name in (
            "surveillance_fraction",
            "recertification_fraction",
            "random_sample_share",
            "no_sampling_surveillance_share",
        ):
            fraction: Fraction = getattr(self, name)
            if not 0 < fraction <= 1:
                raise InvalidInput(f"setting {name} must be a fraction above 0 and at most 1, got {fraction}")
        if not self.min_onsite_share.is_finite() or not 0 < self.min_onsite_share <= 1:
            raise InvalidInput(f"setting min_onsite_share must be above 0 and at most 1, got {self.min_onsite_share}")
        if not self.full_time_hours_per_week.is_finite() or self.full_time_hours_per_week <= 0:
            raise InvalidInput("setting full_time_hours_per_week must be a number of hours above 0")
        if not self.repetitive_function_weight.is_finite() or not 0 <= self.repetitive_function_weight <= 1:
            raise InvalidInput("setting repetitive_function_weight must be from 0 to 1")
        for name in (
            "surveillance_1_months",
            "surveillance_2_months",
            "validity_years",
            "restoration_months",
            "major_nc_verification_months",
            "suspension_max_months",
        ):
            if getattr(self, name) < 1:
                raise InvalidInput(f"setting {name} must be a whole number of at least 1")
        for name in (
            "recertification_margin_days",
            "planning_window_days",
            "major_response_days",
            "major_verification_days",
            "minor_response_days",
        ):
            if getattr(self, name) < 0:
                raise InvalidInput(f"setting {name} must be a whole number of days, 0 or more")
        if self.minor_verification_days is not None and self.minor_verification_days < 0:
            raise InvalidInput("setting minor_verification_days must be 0 or more, or None for the next audit")


DEFAULT_SETTINGS = RuleSettings()
