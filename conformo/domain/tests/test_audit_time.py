from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.audit_time import (
    EMS,
    ISMS,
    OHS,
    QMS,
    SUPPORTED_STANDARDS,
    AuditTimeRequest,
    compute_audit_time,
)
from conformo.domain.errors import CaseByCase, DomainError, InvalidInput
from conformo.domain.settings import Extrapolation, RuleSettings

D = Decimal


def qms(personnel: str | int, **kwargs: object) -> AuditTimeRequest:
    return AuditTimeRequest(standards=(QMS,), personnel=D(personnel), **kwargs)  # type: ignore[arg-type]


def test_it_rounds_fractional_personnel_up_to_whole_persons_before_the_band_look_up() -> None:
    result = compute_audit_time(qms("5.2"))
    assert result.persons == 6
    assert result.standards[0].table_days == D(2)
    assert result.trace[0].value == "6 persons"


def test_it_gives_the_cli_json_shape_exactly() -> None:
    result = compute_audit_time(
        AuditTimeRequest((QMS, EMS), D(55), "medium", {QMS: D(-10)}, integration_percent=D(10))
    ).as_dict()
    assert list(result) == [
        "standards",
        "initial_days",
        "surveillance_days",
        "recertification_days",
        "minimum_onsite_days",
        "warnings",
        "trace",
    ]
    assert result["standards"] == [
        {"id": QMS, "table_days": 5, "adjustment_percent": -10, "days": 4.5},
        {"id": EMS, "table_days": 6, "adjustment_percent": 0, "days": 6},
    ]
    # (4.5 + 6) x 0.9 = 9.45 -> 9.5; 9.5 / 3 = 3.17 -> 3; 9.5 x 2/3 = 6.33 -> 6.5; 0.8 x 9.5 = 7.6
    assert result["initial_days"] == 9.5
    assert result["surveillance_days"] == 3
    assert result["recertification_days"] == 6.5
    assert result["minimum_onsite_days"] == 7.6
    assert all(set(step) == {"step", "rule", "source", "value"} for step in result["trace"])
    json.dumps(result)  # serialisable as is


def test_every_trace_step_names_its_source() -> None:
    result = compute_audit_time(AuditTimeRequest((QMS, OHS), D(30), "high", integration_percent=D(5)))
    sources = [step.source for step in result.trace]
    assert all(sources)
    assert any("Table QMS 1" in s for s in sources)
    assert any("Table OH&SMS 1" in s for s in sources)
    assert any("IAF MD 11" in s for s in sources)
    assert any("cl. 2.2.3" in s for s in sources)


def test_it_cuts_a_reduction_beyond_30_percent_with_a_warning() -> None:
    result = compute_audit_time(qms(50, adjustments={QMS: D(-45)}))
    assert result.standards[0].adjustment_percent == D(-30)
    assert result.standards[0].days == D("3.5")  # 5 x 0.7
    assert any("cut to 30 %" in warning for warning in result.warnings)


def test_a_reduction_of_exactly_30_percent_needs_no_warning() -> None:
    result = compute_audit_time(qms(50, adjustments={QMS: D(-30)}))
    assert result.standards[0].days == D("3.5")
    assert result.warnings == ()


def test_it_does_not_cap_increases() -> None:
    result = compute_audit_time(qms(50, adjustments={QMS: D(150)}))
    assert result.standards[0].days == D("12.5")
    assert result.warnings == ()


def test_it_caps_the_sum_of_reductions_not_the_net_of_increases_and_reductions() -> None:
    result = compute_audit_time(qms(50, adjustments={QMS: (D(20), D(-25), D(-15))}))
    # reductions 40 % cut to 30 %, increase 20 % kept: net -10 %
    assert result.standards[0].adjustment_percent == D(-10)
    assert result.standards[0].days == D("4.5")
    assert len(result.warnings) == 1


def test_it_applies_an_adjustment_only_to_the_named_standard() -> None:
    result = compute_audit_time(AuditTimeRequest((QMS, ISMS), D(20), adjustments={ISMS: D(10)}))
    assert [s.adjustment_percent for s in result.standards] == [D(0), D(10)]
    assert [s.days for s in result.standards] == [D(3), D("7.7")]


def test_it_cuts_an_integration_reduction_beyond_20_percent_with_a_warning() -> None:
    result = compute_audit_time(AuditTimeRequest((QMS, EMS), D(50), "low", integration_percent=D(35)))
    # (5 + 4.5) x 0.8 = 7.6 -> 7.5
    assert result.integration_percent == D(20)
    assert result.total_days == D("7.6")
    assert result.initial_days == D("7.5")
    assert any("20 % cap of IAF MD 11" in warning for warning in result.warnings)


def test_md5_and_md11_reductions_stack_to_44_percent_at_most() -> None:
    result = compute_audit_time(
        AuditTimeRequest((QMS, ISMS), D(100), adjustments={QMS: D(-50), ISMS: D(-50)}, integration_percent=D(50))
    )
    table_sum = sum(s.table_days for s in result.standards)
    assert result.total_days == table_sum * D("0.56")


def test_it_refuses_an_integration_reduction_for_a_single_standard() -> None:
    with pytest.raises(InvalidInput, match="at least two standards"):
        compute_audit_time(qms(10, integration_percent=D(10)))


def test_it_refuses_a_negative_integration_reduction() -> None:
    with pytest.raises(InvalidInput, match="from 0 to 20"):
        compute_audit_time(AuditTimeRequest((QMS, ISMS), D(10), integration_percent=D(-5)))


@pytest.mark.parametrize(
    ("initial", "surveillance", "recertification"),
    [
        # initial / 3 and x 2/3, each to the nearest half day
        (D("1.5"), D("0.5"), D(1)),
        (D(2), D("0.5"), D("1.5")),  # 0.667 -> 0.5; 1.333 -> 1.5
        (D("2.5"), D(1), D("1.5")),  # 0.833 -> 1; 1.667 -> 1.5
        (D(22), D("7.5"), D("14.5")),  # 7.333 -> 7.5; 14.667 -> 14.5
    ],
)
def test_surveillance_is_a_third_and_recertification_two_thirds_of_initial_rounded(
    initial: Decimal, surveillance: Decimal, recertification: Decimal
) -> None:
    persons = {D("1.5"): 1, D(2): 6, D("2.5"): 11, D(22): 9000}[initial]
    result = compute_audit_time(qms(persons))
    assert result.initial_days == initial
    assert result.surveillance_days == surveillance
    assert result.recertification_days == recertification
    assert result.minimum_onsite_days == initial * D("0.8")


def test_initial_time_rounds_a_quarter_day_tie_up() -> None:
    # exact ties: 2.5 x 0.9 = 2.25 -> 2.5; 2.5 x 1.1 = 2.75 -> 3
    assert compute_audit_time(qms(11, adjustments={QMS: D(-10)})).initial_days == D("2.5")
    assert compute_audit_time(qms(11, adjustments={QMS: D(10)})).initial_days == D(3)


def test_minimum_onsite_time_is_not_rounded() -> None:
    result = compute_audit_time(qms(16, adjustments={QMS: D(-15)}))  # 3 x 0.85 = 2.55 -> 2.5
    assert result.initial_days == D("2.5")
    assert result.minimum_onsite_days == D(2)
    result = compute_audit_time(qms(11))  # 2.5 -> 2.0 on site
    assert result.as_dict()["minimum_onsite_days"] == 2


def test_it_requires_a_complexity_for_ems_naming_the_choices() -> None:
    with pytest.raises(InvalidInput, match="high, medium, low, limited"):
        compute_audit_time(AuditTimeRequest((EMS,), D(10)))


def test_it_refuses_special_ems_complexity_as_case_by_case() -> None:
    with pytest.raises(CaseByCase, match="case by case"):
        compute_audit_time(AuditTimeRequest((EMS,), D(10), "special"))


def test_it_refuses_limited_complexity_for_ohs_naming_its_three_categories() -> None:
    with pytest.raises(InvalidInput, match=r"high, medium, low$"):
        compute_audit_time(AuditTimeRequest((OHS,), D(10), "limited"))


def test_it_refuses_an_unknown_complexity_naming_the_choices() -> None:
    with pytest.raises(InvalidInput, match="unknown complexity 'extreme'; choose one of: high, medium, low, limited"):
        compute_audit_time(AuditTimeRequest((QMS,), D(10), "extreme"))


def test_complexity_is_case_insensitive() -> None:
    result = compute_audit_time(AuditTimeRequest((OHS,), D(10), " High "))
    assert result.standards[0].table_days == D("3.5")


def test_complexity_applies_only_to_tables_with_complexity_columns() -> None:
    result = compute_audit_time(AuditTimeRequest((QMS, EMS), D(10), "high"))
    assert [s.complexity for s in result.standards] == [None, "high"]
    assert result.warnings == ()


def test_it_warns_when_a_complexity_applies_to_none_of_the_standards() -> None:
    result = compute_audit_time(AuditTimeRequest((QMS,), D(10), "high"))
    assert result.standards[0].table_days == D(2)
    assert len(result.warnings) == 1


def test_a_complexity_may_differ_per_standard() -> None:
    result = compute_audit_time(AuditTimeRequest((EMS, OHS), D(100), "low", complexity_by_standard={OHS: "high"}))
    assert [s.table_days for s in result.standards] == [D("5.5"), D(11)]


@pytest.mark.parametrize("standard", ["iso-22301-2019", "iso-22000-2018", "iso-13485-2016"])
def test_it_refuses_catalog_standards_md5_does_not_cover_naming_the_supported_ids(standard: str) -> None:
    expected = (
        f"audit time for {standard} is not covered by IAF MD 5 / ISO/IEC 27006-1; supported: "
        "iso-9001-2015, iso-14001-2015, iso-45001-2018, iso-iec-27001-2022"
    )
    with pytest.raises(InvalidInput) as raised:
        compute_audit_time(AuditTimeRequest((standard,), D(10)))
    assert str(raised.value) == expected


@pytest.mark.parametrize("standard", ["9001", "ISO-9001-2015", "iso-9001-2008"])
def test_it_refuses_unknown_ids_and_aliases_naming_the_supported_ids(standard: str) -> None:
    with pytest.raises(InvalidInput, match="supported for audit time: iso-9001-2015"):
        compute_audit_time(AuditTimeRequest((standard,), D(10)))


@pytest.mark.parametrize("personnel", ["0", "-1", "NaN", "Infinity"])
def test_it_refuses_personnel_that_is_not_a_positive_number(personnel: str) -> None:
    with pytest.raises(InvalidInput, match="personnel"):
        compute_audit_time(qms(personnel))


def test_it_refuses_no_standard_a_repeated_standard_and_an_adjustment_for_another_standard() -> None:
    with pytest.raises(InvalidInput, match="at least one standard"):
        compute_audit_time(AuditTimeRequest((), D(10)))
    with pytest.raises(InvalidInput, match="given twice"):
        compute_audit_time(AuditTimeRequest((QMS, QMS), D(10)))
    with pytest.raises(InvalidInput, match="not among the standards audited"):
        compute_audit_time(qms(10, adjustments={ISMS: D(5)}))


def test_above_10700_persons_it_follows_the_progression_of_the_last_band_with_a_warning() -> None:
    assert compute_audit_time(qms(10700)).initial_days == D(22)
    assert compute_audit_time(qms(10701)).initial_days == D(23)
    assert compute_audit_time(qms(12900)).initial_days == D(23)  # 10,700 + 2,200
    assert compute_audit_time(qms(12901)).initial_days == D(24)
    ems = compute_audit_time(AuditTimeRequest((EMS,), D(10701), "high"))
    assert ems.standards[0].table_days == D(36)  # 34 + the last step of 2
    assert any("follow progression" in warning for warning in ems.warnings)
    assert compute_audit_time(qms(10700)).warnings == ()


def test_a_cb_may_hold_the_last_band_or_refuse_above_10700_persons() -> None:
    hold = RuleSettings(above_table=Extrapolation.HOLD_LAST_BAND)
    result = compute_audit_time(qms(50000), hold)
    assert result.initial_days == D(22)
    assert result.warnings
    with pytest.raises(CaseByCase, match="follow progression"):
        compute_audit_time(qms(10701), RuleSettings(above_table=Extrapolation.REFUSE))


def test_every_domain_error_message_is_one_line() -> None:
    bad = [
        AuditTimeRequest(("x",), D(1)),
        AuditTimeRequest((QMS,), D(0)),
        AuditTimeRequest((EMS,), D(1), "special"),
        AuditTimeRequest((EMS,), D(1), "nope"),
    ]
    for request in bad:
        with pytest.raises(DomainError) as raised:
            compute_audit_time(request)
        assert "\n" not in str(raised.value)


standards = st.lists(st.sampled_from(SUPPORTED_STANDARDS), min_size=1, max_size=4, unique=True).map(tuple)
complexities = st.sampled_from(["high", "medium", "low"])
percent = st.decimals(min_value=-100, max_value=200, places=1)


@given(
    standards,
    complexities,
    st.integers(min_value=1, max_value=40_000),
    st.integers(min_value=0, max_value=5_000),
    st.dictionaries(st.sampled_from(SUPPORTED_STANDARDS), percent),
    st.decimals(min_value=0, max_value=40, places=1),
    st.sampled_from([Extrapolation.REPEAT_LAST_STEP, Extrapolation.HOLD_LAST_BAND]),
)
def test_more_personnel_never_means_less_time(
    chosen: tuple[str, ...],
    complexity: str,
    persons: int,
    more: int,
    adjustments: dict[str, Decimal],
    integration: Decimal,
    above_table: Extrapolation,
) -> None:
    settings = RuleSettings(above_table=above_table)
    adjustments = {k: v for k, v in adjustments.items() if k in chosen}
    integration = integration if len(chosen) > 1 else D(0)

    def run(n: int) -> tuple[Decimal, ...]:
        result = compute_audit_time(AuditTimeRequest(chosen, D(n), complexity, adjustments, integration), settings)
        return (
            result.total_days,
            result.initial_days,
            result.surveillance_days,
            result.recertification_days,
            result.minimum_onsite_days,
        )

    assert all(a <= b for a, b in zip(run(persons), run(persons + more), strict=True))


@given(
    standards,
    complexities,
    st.integers(min_value=1, max_value=20_000),
    st.dictionaries(st.sampled_from(SUPPORTED_STANDARDS), st.lists(percent, min_size=1, max_size=4)),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_capped_reductions_never_exceed_their_caps(
    chosen: tuple[str, ...],
    complexity: str,
    persons: int,
    adjustments: dict[str, list[Decimal]],
    integration: Decimal,
) -> None:
    adjustments = {k: v for k, v in adjustments.items() if k in chosen}
    integration = integration if len(chosen) > 1 else D(0)
    result = compute_audit_time(AuditTimeRequest(chosen, D(persons), complexity, adjustments, integration))
    for time in result.standards:
        increases = sum((p for p in adjustments.get(time.id, []) if p > 0), D(0))
        assert time.adjustment_percent >= increases - 30
        assert time.days >= time.table_days * D("0.7")
    assert D(0) <= result.integration_percent <= 20
    assert result.total_days >= sum(t.days for t in result.standards) * D("0.8")
    assert result.total_days >= sum(t.table_days for t in result.standards) * D("0.56")
