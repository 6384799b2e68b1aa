"""The audit-time determination: inputs with their justifications -> per-site and per-audit time, with trace."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.audit_time import EMS, ISMS, OHS, QMS, AuditTimeRequest, compute_audit_time
from conformo.domain.determination import (
    Adjustment,
    Choices,
    DeterminationInput,
    DeterminationRefused,
    Integration,
    IsmsAssessment,
    Policy,
    SiteFacts,
    SitePlan,
    complete,
    default_site_plans,
    determine,
    minimum_samples,
    site_changes,
)
from conformo.domain.determination.inputs import Method, Purpose
from conformo.domain.isms_complexity import category, isms_complexity
from conformo.domain.sampling import sample_sizes

D = Decimal


def one_site(persons: int = 75, **facts: Any) -> tuple[SiteFacts, ...]:
    return (SiteFacts("hq", "Head office", True, permanent=persons, **facts),)


def retailer(stores: int = 11) -> tuple[SiteFacts, ...]:
    """A head office of 40 and `stores` stores of 10, 11, 12, ... persons."""
    return (
        SiteFacts("hq", "Head office", True, permanent=40),
        *tuple(SiteFacts(f"s{i:02d}", f"Store {i:02d}", permanent=10 + i) for i in range(stores)),
    )


def inp(
    standards: tuple[str, ...] = (QMS,),
    sites: tuple[SiteFacts, ...] | None = None,
    purpose: str = "initial",
    **choices: Any,
) -> DeterminationInput:
    complexity = {s: "medium" for s in standards if s != ISMS}
    choices.setdefault("complexity", complexity)
    return DeterminationInput(purpose, standards, sites or one_site(), Choices(**choices))


def refused(value: DeterminationInput) -> dict[str, str]:
    with pytest.raises(DeterminationRefused) as caught:
        determine(value)
    return {problem.field: problem.code for problem in caught.value.problems}


# --- one organization: the calculator's figures -------------------------------------------------------------


def test_a_single_site_gets_the_calculators_figures_for_the_same_inputs() -> None:
    result = determine(inp((QMS,), one_site(75)))
    engine = compute_audit_time(AuditTimeRequest((QMS,), D(75)))
    assert (result.initial_days, result.surveillance_days, result.recertification_days) == (
        engine.initial_days,
        engine.surveillance_days,
        engine.recertification_days,
    )
    assert [(row.audit, row.days) for row in result.audits] == [
        ("stage1", D(2)),
        ("stage2", D(4)),
        ("surveillance1", D(2)),
        ("surveillance2", D(2)),
        ("recertification", D(4)),
    ]
    assert result.total_days == D(14)


def test_an_integrated_audit_sums_the_standards_then_reduces_for_integration_like_the_calculator() -> None:
    value = inp(
        (QMS, EMS, OHS),
        one_site(120),
        complexity={QMS: "medium", EMS: "high", OHS: "medium"},
        adjustments=(Adjustment(EMS, "automation", D(-10), "Fully automated bottling line"),),
        integration=Integration("high", D(20), "One manual, one internal audit programme, one review"),
    )
    result = determine(value)
    engine = compute_audit_time(
        AuditTimeRequest(
            (QMS, EMS, OHS),
            D(120),
            adjustments={EMS: (D(-10),)},
            integration_percent=D(20),
            complexity_by_standard={EMS: "high", OHS: "medium"},
        )
    )
    assert result.initial_days == engine.initial_days
    assert result.standards == engine.standards
    assert any(step.step == "integration level" for step in result.trace)


def test_an_isms_takes_the_27006_complexity_percent_as_an_adjustment_of_table_c1() -> None:
    value = inp(
        (ISMS,),
        one_site(85, contractors=10),
        isms=IsmsAssessment((1, 1, 2), (1, 2, 1), D(-20), "Single office, standard SaaS tools, mature ISMS"),
        adjustments=(Adjustment(ISMS, "single_activity", D(-5), "One service line: managed hosting only"),),
    )
    result = determine(value)
    engine = compute_audit_time(AuditTimeRequest((ISMS,), D(95), adjustments={ISMS: (D(-5), D(-20))}))
    assert result.initial_days == engine.initial_days == D(9)  # 12 days x 0.75
    assert result.isms is not None
    assert (result.isms.business_level, result.isms.it_level) == ("low", "low")
    assert [s.step for s in result.trace if s.step.startswith("ISMS")] == [
        "ISMS business complexity",
        "ISMS IT complexity",
        "ISMS complexity range",
        "ISMS complexity adjustment",
    ]


def test_an_isms_percent_outside_the_matrix_range_is_refused_with_the_range() -> None:
    value = inp((ISMS,), isms=IsmsAssessment((3, 3, 3), (3, 3, 2), D(5), "Complex regulated bank"))
    with pytest.raises(DeterminationRefused) as caught:
        determine(value)
    assert caught.value.code == "isms_percent_out_of_range"
    assert "+20 %" not in caught.value.message
    assert "20 % to 100 %" in caught.value.message


def test_an_isms_without_its_assessment_is_computed_with_a_warning() -> None:
    result = determine(inp((ISMS,)))
    assert [w.code for w in result.warnings] == ["isms_complexity_not_assessed"]


@given(st.lists(st.sampled_from((1, 2, 3)), min_size=3, max_size=3))
def test_isms_categories_follow_the_sum_of_three_scores(scores: list[int]) -> None:
    total = sum(scores)
    assert category(total) == ("low" if total <= 4 else "medium" if total <= 6 else "high")
    assessed = isms_complexity(tuple(scores), (2, 2, 2))
    assert assessed.lowest <= assessed.highest


# --- adjustments need a justification -------------------------------------------------------------------


def test_an_adjustment_without_a_justification_is_refused_with_a_code_on_its_field() -> None:
    value = inp(adjustments=(Adjustment(QMS, "maturity", D(-10), "  "),))
    assert refused(value) == {"adjustments.0.justification": "justification_required"}


def test_an_increase_factor_cannot_reduce_and_a_factor_is_applied_once_per_standard() -> None:
    value = inp(
        adjustments=(
            Adjustment(QMS, "languages", D(-10), "Interpreters needed for two shifts"),
            Adjustment(QMS, "automation", D(-10), "Robot cells do the machining"),
            Adjustment(QMS, "automation", D(-5), "Robot cells do the packing too"),
            Adjustment(EMS, "other", D(5), "Not an audited standard at all"),
        )
    )
    assert refused(value) == {
        "adjustments.0.percent": "adjustment_direction",
        "adjustments.2.factor": "factor_repeated",
        "adjustments.3.standard": "standard_not_audited",
    }


def test_reductions_beyond_30_percent_are_cut_with_a_warning_not_refused() -> None:
    value = inp(
        complexity={QMS: "low"},
        adjustments=(
            Adjustment(QMS, "low_risk", D(-20), "Simple fasteners, no special processes"),
            Adjustment(QMS, "maturity", D(-20), "Certified for 12 years without majors"),
        ),
    )
    result = determine(value)
    assert "reduction_capped" in [w.code for w in result.warnings]
    assert result.initial_days == D("4")  # 6 days x 0.7 = 4.2


def test_a_high_qms_risk_without_an_increase_is_flagged() -> None:
    result = determine(inp(complexity={QMS: "high"}))
    assert [w.code for w in result.warnings] == ["qms_risk_not_applied"]


def test_an_integration_reduction_needs_evidence_a_level_and_two_standards() -> None:
    assert refused(inp(integration=Integration("high", D(10), "Integrated manual"))) == {
        "integration.percent": "integration_single_standard"
    }
    assert refused(inp((QMS, EMS), integration=Integration("none", D(10), ""))) == {
        "integration.level": "integration_level_required",
        "integration.evidence": "justification_required",
    }


def test_ems_special_complexity_is_left_to_the_cb_case_by_case() -> None:
    assert refused(inp((EMS,), complexity={EMS: "special"})) == {f"complexity.{EMS}": "case_by_case"}


def test_a_repetitive_function_reduction_needs_a_justification() -> None:
    sites = one_site(60, repetitive=40)
    assert refused(inp(sites=sites, repetitive="square_root")) == {"repetitive_justification": "justification_required"}
    result = determine(
        inp(sites=sites, repetitive="square_root", repetitive_justification="Pickers follow one scanned routine")
    )
    assert result.personnel == D(27)  # 20 + ceil(sqrt(40))


def test_part_time_staff_without_hours_are_refused_on_their_site() -> None:
    assert refused(inp(sites=one_site(10, part_time=4))) == {"sites.hq": "part_time_hours_missing"}


# --- multi-site (IAF MD 1) --------------------------------------------------------------------------------


def test_a_multi_site_organization_is_timed_per_site_with_the_md1_sample() -> None:
    result = determine(inp(sites=retailer(11)))
    assert result.method == "sampling"
    sizes = sample_sizes(11)
    assert result.minimum_samples == {
        "stage2": sizes.initial,
        "surveillance1": sizes.surveillance,
        "surveillance2": sizes.surveillance,
        "recertification": sizes.recertification,
    }
    for site in result.sites:
        engine = compute_audit_time(AuditTimeRequest((QMS,), site.personnel))
        assert site.days == engine.total_days, site.name
    head, *stores = result.sites
    stage2 = result.days_of("stage2")
    assert stage2 is not None
    assert stage2.sites[0] == "hq"
    assert len(stage2.sites) == 1 + sizes.initial
    visited = sum((s.days for s in stores if "stage2" in s.audits), D(0))
    assert result.initial_days == D(13.5) == head.days + visited
    assert all("hq" in row.sites for row in result.audits)


def test_a_multi_site_organization_is_never_timed_as_one_site() -> None:
    assert refused(inp(sites=retailer(3), method="single")) == {"method": "multi_site_requires_md1"}


def test_one_site_besides_the_central_function_is_not_multi_site() -> None:
    assert refused(inp(sites=retailer(1), method="sampling")) == {"method": "not_multi_site"}


def test_a_sample_smaller_than_md1_asks_is_refused_per_audit() -> None:
    plans = tuple(SitePlan(f"s{i:02d}", audits=("stage2", "recertification")) for i in range(2))
    found = refused(inp(sites=retailer(11), site_plans=plans))
    assert found == {
        "sample.stage2": "sample_too_small",
        "sample.surveillance1": "sample_too_small",
        "sample.surveillance2": "sample_too_small",
        "sample.recertification": "sample_too_small",
    }


def test_without_sampling_every_site_is_visited_at_initial_and_recertification() -> None:
    result = determine(inp(sites=retailer(11), method="all_sites"))
    least = minimum_samples(Method.ALL_SITES, 11)
    assert least["stage2"] == least["recertification"] == 11
    assert least["surveillance1"] == 4
    stage2 = result.days_of("stage2")
    assert stage2 is not None
    assert len(stage2.sites) == 12


def test_a_sites_reductions_are_limited_to_20_percent_for_central_processes_and_50_percent_in_all() -> None:
    defaults = default_site_plans(Purpose.INITIAL, Method.SAMPLING, retailer(4))
    plans = [SitePlan("s00", D(30), "Purchasing and training run at head office", defaults[0].audits), *defaults[1:]]
    value = inp(
        (QMS, EMS),
        sites=retailer(4),
        site_plans=tuple(plans),
        complexity={QMS: "low", EMS: "low"},
        adjustments=(
            Adjustment(QMS, "low_risk", D(-30), "Shelf stacking and tills only, low risk"),
            Adjustment(EMS, "small_site", D(-30), "Shop floor of 80 square metres"),
        ),
        integration=Integration("high", D(20), "One manual, one audit programme, one review"),
    )
    result = determine(value)
    store = next(s for s in result.sites if s.key == "s00")
    assert store.table_days == D(5)  # 10 persons: QMS 2 + EMS low 3
    # (1.4 + 2.1) x 0.8 (MD 11) x 0.8 (central processes, cut from 30 %) = 2.24, below half of 5: cut to 2.5
    assert store.days == D("2.5")
    assert {"central_process_reduction_capped", "site_reduction_capped"} <= {w.code for w in result.warnings}


def test_a_sites_reduction_needs_a_justification() -> None:
    plans = default_site_plans(Purpose.INITIAL, Method.SAMPLING, retailer(4))
    first = SitePlan(plans[0].key, D(10), "", plans[0].audits)
    assert refused(inp(sites=retailer(4), site_plans=(first, *plans[1:]))) == {
        "sites.s00.reduction_justification": "justification_required"
    }


def test_the_default_samples_rotate_so_the_surveillances_visit_other_stores() -> None:
    plans = default_site_plans(Purpose.INITIAL, Method.SAMPLING, retailer(11))
    sampled = {audit: {p.key for p in plans if audit in p.audits} for audit in ("surveillance1", "surveillance2")}
    assert sampled["surveillance1"].isdisjoint(sampled["surveillance2"])


def test_the_same_stores_at_both_surveillances_get_a_warning() -> None:
    plans = tuple(
        SitePlan(f"s{i:02d}", audits=("stage2", "surveillance1", "surveillance2", "recertification")) for i in range(4)
    )
    result = determine(inp(sites=retailer(11), site_plans=plans))
    assert "surveillance_sites_repeated" in [w.code for w in result.warnings]


# --- remote share, purposes, storage ------------------------------------------------------------------------


def test_the_remote_share_is_rounded_down_and_refused_above_the_cbs_policy() -> None:
    value = DeterminationInput(
        "initial", (QMS,), one_site(75), Choices({QMS: "medium"}, remote_percent={"stage1": D(40)}), Policy(30, D(50))
    )
    stage1 = determine(value).days_of("stage1")
    assert stage1 is not None
    assert (stage1.remote_days, stage1.onsite_days) == (D("0.5"), D("1.5"))
    too_much = DeterminationInput(
        "initial", (QMS,), one_site(75), Choices({QMS: "medium"}, remote_percent={"stage2": D(60)}), Policy(30, D(50))
    )
    assert refused(too_much) == {"remote.stage2": "remote_share_too_high"}


def test_a_recertification_is_two_thirds_of_what_an_initial_audit_would_need_now() -> None:
    result = determine(inp(sites=one_site(130), purpose="recertification"))
    assert [row.audit for row in result.audits] == ["recertification", "surveillance1", "surveillance2"]
    assert result.recertification_days == compute_audit_time(AuditTimeRequest((QMS,), D(130))).recertification_days
    assert result.days_of("stage1") is None


def test_the_stored_inputs_give_the_stored_figures_again() -> None:
    value = complete(
        inp(
            (QMS, ISMS),
            retailer(6),
            isms=IsmsAssessment((2, 2, 3), (2, 2, 2), D(10), "Payment data in scope at every store"),
            adjustments=(Adjustment(QMS, "logistics", D(10), "Stores spread over three regions"),),
            integration=Integration("medium", D(10), "Shared document control and internal audits"),
            remote_percent={"surveillance1": D(20)},
        )
    )
    stored = determine(value).as_dict()
    again = DeterminationInput.from_dict(value.as_dict())
    assert again == value
    assert determine(again).as_dict() == stored


def test_changes_of_personnel_and_sites_since_the_determination_are_named() -> None:
    before = retailer(2)
    now = (
        SiteFacts("hq", "Head office", True, permanent=46),
        SiteFacts("s00", "Store 00", permanent=10),
        SiteFacts("s09", "Store 09", permanent=12, temporary=3),
    )
    assert site_changes(before, now) == (
        "Head office: permanent staff 40 → 46",
        "Store 01 is no longer among the client's sites",
        "new site Store 09 (15 persons)",
    )
    assert site_changes(before, before) == ()
