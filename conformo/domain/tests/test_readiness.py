from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformo.domain.readiness import (
    ReadinessInputError,
    RiskLevel,
    RiskMatrix,
    ScoredItem,
    Stage1Key,
    Status,
    age_buckets,
    clause_group,
    is_covered,
    management_review_inputs,
    readiness_summary,
    score,
    stage1_check,
    standard_number,
    uncovered,
)


def test_it_scores_points_over_applicable_items_only() -> None:
    result = score(["implemented", "partial", "planned", "not_started", "not_applicable"])
    assert result.applicable == 4
    assert result.total == 5
    assert result.points == Decimal("1.75")
    assert result.percent == Decimal("43.8")


def test_it_gives_no_score_when_nothing_is_applicable() -> None:
    assert score(["not_applicable"]).percent is None
    assert score([]).percent is None


def test_it_rejects_an_unknown_status_naming_the_valid_ones() -> None:
    with pytest.raises(ReadinessInputError, match="implemented"):
        score(["done"])


@given(st.lists(st.sampled_from(list(Status)), min_size=1))
def test_a_score_is_always_between_0_and_100(statuses: list[Status]) -> None:
    percent = score(statuses).percent
    assert percent is None or Decimal(0) <= percent <= Decimal(100)


def test_it_summarises_per_group_per_standard_and_overall() -> None:
    items = [
        ScoredItem("9001", "4", Status.IMPLEMENTED),
        ScoredItem("9001", "5", Status.NOT_STARTED),
        ScoredItem("27001", "organizational", Status.IMPLEMENTED),
        ScoredItem("27001", "organizational", Status.NOT_APPLICABLE),
    ]
    summary = readiness_summary(items)
    assert summary.overall.percent == Decimal("66.7")
    assert summary.by_standard["9001"].percent == Decimal("50.0")
    assert summary.by_standard["27001"].percent == Decimal("100.0")
    assert summary.by_group[("9001", "5")].percent == Decimal("0.0")
    assert list(summary.by_standard) == ["9001", "27001"]


def test_clause_groups_are_first_numbers_or_control_themes() -> None:
    assert clause_group("7.5.3.2") == "7"
    assert clause_group("10") == "10"
    assert clause_group("5.1", theme="organizational") == "organizational"


def test_an_audit_of_a_parent_clause_covers_its_children() -> None:
    assert is_covered("7.5.3.2", ["7"])
    assert is_covered("7.5", ["7.5"])
    assert not is_covered("7.5", ["7.5.1"])
    assert not is_covered("10.1", ["1"])
    assert uncovered(["10.1", "4.1", "4.10", "4.2", "7.1"], ["7"]) == ["4.1", "4.2", "4.10", "10.1"]


def test_management_review_inputs_add_each_standards_own_inputs_to_the_common_ones() -> None:
    inputs = management_review_inputs(["iso-9001-2015", "iso-iec-27001-2022"])
    keys = [i.key for i in inputs]
    assert keys[0] == "previous_actions"
    assert "customer_satisfaction" in keys
    assert "risk_assessment" in keys
    assert "compliance_obligations" not in keys
    assert len(keys) == len(set(keys))


def test_standard_numbers_come_from_catalog_codes() -> None:
    assert standard_number("iso-iec-27001-2022") == "27001"
    assert standard_number("iso-9001-2015") == "9001"
    assert standard_number("iso14001_2015") == "14001"


def test_the_stage1_check_is_green_only_when_nothing_is_missing() -> None:
    items = stage1_check(
        documents_missing=[], clauses_not_audited=[], review_held=True, review_inputs_missing=[], open_major_ncs=[]
    )
    assert all(item.ok for item in items)
    items = stage1_check(
        documents_missing=["Quality policy"],
        clauses_not_audited=["8.4"],
        review_held=False,
        review_inputs_missing=[],
        open_major_ncs=["NC-1"],
    )
    by_key = {item.key: item for item in items}
    assert by_key[Stage1Key.DOCUMENTS].missing == ("Quality policy",)
    assert by_key[Stage1Key.INTERNAL_AUDIT].missing == ("8.4",)
    assert by_key[Stage1Key.MANAGEMENT_REVIEW].missing == ("No management review has been held",)
    assert not by_key[Stage1Key.MAJOR_NCS].ok


def test_the_risk_matrix_rates_by_its_configured_thresholds() -> None:
    matrix = RiskMatrix(likelihood_levels=5, impact_levels=5, low_max=6, medium_max=14)
    assert matrix.level(2, 3) is RiskLevel.LOW
    assert matrix.level(3, 4) is RiskLevel.MEDIUM
    assert matrix.level(5, 3) is RiskLevel.HIGH
    with pytest.raises(ReadinessInputError, match="Likelihood"):
        matrix.level(6, 1)


def test_a_risk_matrix_with_inconsistent_thresholds_is_refused() -> None:
    with pytest.raises(ReadinessInputError):
        RiskMatrix(likelihood_levels=3, impact_levels=3, low_max=5, medium_max=4)


def test_age_buckets_count_each_item_once() -> None:
    assert age_buckets([0, 29, 30, 100, 400]) == [
        ("< 30 days", 2),
        ("30–89 days", 1),
        ("90–179 days", 1),
        ("≥ 180 days", 1),
    ]
