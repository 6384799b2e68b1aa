"""The public calculators API at /api/v1/tools: the CLI's JSON shapes, and 422 with the domain's message."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

QMS = "iso-9001-2015"
EMS = "iso-14001-2015"
ISMS = "iso-iec-27001-2022"


@pytest.fixture
def api() -> Client:
    return Client()


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_audit_time_get_is_public_and_gives_the_cli_shape(api: Client) -> None:
    response = api.get("/api/v1/tools/audit-time", {"standards": QMS, "personnel": "5"})
    assert response.status_code == 200
    result = response.json()
    assert list(result) == [
        "standards",
        "initial_days",
        "surveillance_days",
        "recertification_days",
        "minimum_onsite_days",
        "warnings",
        "trace",
    ]
    assert result["standards"] == [{"id": QMS, "table_days": 1.5, "adjustment_percent": 0, "days": 1.5}]
    assert result["initial_days"] == 1.5
    assert result["trace"][0] == {
        "step": "whole persons",
        "rule": "effective personnel 5 rounded up to whole persons",
        "source": "IAF MD 5:2019 cl. 2.3 (effective personnel) and Table notes (personnel bands)",
        "value": "5 persons",
    }


def test_audit_time_get_with_repeated_or_comma_standards_and_adjustments(api: Client) -> None:
    repeated = api.get(
        "/api/v1/tools/audit-time",
        {
            "standards": [QMS, EMS],
            "personnel": "55",
            "complexity": "medium",
            "adjust": f"{QMS}=-10",
            "integration_percent": "10",
        },
    )
    comma = api.get(
        "/api/v1/tools/audit-time",
        {
            "standards": f"{QMS},{EMS}",
            "personnel": "55",
            "complexity": "medium",
            "adjust": f"{QMS}=-10",
            "integration_percent": "10",
        },
    )
    assert repeated.status_code == comma.status_code == 200
    assert repeated.json() == comma.json()
    assert repeated.json()["initial_days"] == 9.5
    assert repeated.json()["minimum_onsite_days"] == 7.6


def test_audit_time_post_equals_the_cli_figures(api: Client) -> None:
    response = post(
        api,
        "/api/v1/tools/audit-time",
        {
            "standards": [QMS, EMS],
            "personnel": 55,
            "complexity": "medium",
            "adjustments": {QMS: -10},
            "integration_percent": 10,
        },
    )
    assert response.status_code == 200
    result = response.json()
    assert result["standards"] == [
        {"id": QMS, "table_days": 5, "adjustment_percent": -10, "days": 4.5},
        {"id": EMS, "table_days": 6, "adjustment_percent": 0, "days": 6},
    ]
    assert (result["initial_days"], result["surveillance_days"], result["recertification_days"]) == (9.5, 3, 6.5)


def test_audit_time_post_fractional_personnel_and_capped_reductions(api: Client) -> None:
    response = post(
        api,
        "/api/v1/tools/audit-time",
        {"standards": [QMS], "personnel": 5.2, "adjustments": {QMS: [20, -40]}},
    )
    assert response.status_code == 200
    result = response.json()
    assert result["standards"] == [{"id": QMS, "table_days": 2, "adjustment_percent": -10, "days": 1.8}]
    assert result["warnings"] == [
        "the reductions for iso-9001-2015 (40 %) exceed the 30 % cap of IAF MD 5 and were cut to 30 %"
    ]


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        (
            {"standards": "iso-9999", "personnel": "5"},
            f"unknown standard 'iso-9999'; supported for audit time: {QMS}, {EMS}, iso-45001-2018, {ISMS}",
        ),
        ({"standards": QMS, "personnel": "0"}, "personnel must be a number greater than 0, got '0'"),
        (
            {"standards": EMS, "personnel": "5", "complexity": "extreme"},
            "unknown complexity 'extreme'; choose one of: high, medium, low, limited",
        ),
        ({"personnel": "5"}, f"give at least one standard; supported: {QMS}, {EMS}, iso-45001-2018, {ISMS}"),
        ({"standards": QMS}, "give the effective personnel, a number greater than 0 (e.g. 5 or 5.2)"),
        (
            {"standards": QMS, "personnel": "5", "integration_percent": "10"},
            "an integration reduction (IAF MD 11) needs at least two standards audited together",
        ),
    ],
)
def test_audit_time_refusals_are_422_with_the_domain_message(api: Client, params: dict[str, str], detail: str) -> None:
    response = api.get("/api/v1/tools/audit-time", params)
    assert response.status_code == 422
    assert response.json() == {"detail": detail, "code": "invalid_input"}


def test_audit_time_post_refusal(api: Client) -> None:
    response = post(api, "/api/v1/tools/audit-time", {"standards": [QMS], "personnel": 5, "adjustments": {"x": 1}})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("unknown standard 'x'")
    assert response.json()["code"] == "invalid_input"


def test_sampling(api: Client) -> None:
    response = api.get("/api/v1/tools/sampling", {"sites": "10"})
    assert response.status_code == 200
    result = response.json()
    assert (result["initial"], result["surveillance"], result["recertification"]) == (4, 2, 3)
    assert result["random_minimum"] == {"initial": 1, "surveillance": 1, "recertification": 1}
    assert result["no_sampling_surveillance_per_year"] == 3


@pytest.mark.parametrize("sites", ["0", "-4", "ten", ""])
def test_sampling_refuses_fewer_than_one_site(api: Client, sites: str) -> None:
    response = api.get("/api/v1/tools/sampling", {"sites": sites})
    assert response.status_code == 422
    assert response.json() == {
        "detail": f"the number of sites must be a whole number of at least 1, got {sites!r}",
        "code": "invalid_input",
    }


def test_cycle_without_and_with_stage2_end(api: Client) -> None:
    plain = api.get("/api/v1/tools/cycle", {"decision_date": "2024-02-29"})
    assert plain.status_code == 200
    assert plain.json() == {
        "decision_date": "2024-02-29",
        "surveillance_1_due": "2025-02-28",
        "surveillance_2_due": "2026-02-28",
        "recertification_due": "2027-02-27",
        "expires_on": "2027-02-27",
        "restoration_deadline": "2027-08-27",
    }
    with_stage2 = api.get("/api/v1/tools/cycle", {"decision_date": "2024-02-29", "stage2_end": "2024-01-15"})
    assert with_stage2.json()["major_nc_verification_deadline"] == "2024-07-15"


@pytest.mark.parametrize(
    ("params", "detail"),
    [
        (
            {"decision_date": "2024-02-30"},
            "the decision date '2024-02-30' is not a real calendar date; give it as YYYY-MM-DD (e.g. 2025-03-31)",
        ),
        ({}, "give the certification decision date as YYYY-MM-DD (e.g. 2025-03-31)"),
        (
            {"decision_date": "2024-02-29", "stage2_end": "2024-03-01"},
            "stage 2 cannot end (2024-03-01) after the certification decision (2024-02-29); "
            "give the last day of stage 2 on or before the decision date",
        ),
    ],
)
def test_cycle_refusals(api: Client, params: dict[str, str], detail: str) -> None:
    response = api.get("/api/v1/tools/cycle", params)
    assert response.status_code == 422
    assert response.json() == {"detail": detail, "code": "invalid_input"}


def test_effective_personnel_from_a_breakdown(api: Client) -> None:
    response = post(
        api,
        "/api/v1/tools/effective-personnel",
        {
            "permanent": 40,
            "temporary": 2,
            "contractors": 3,
            "shift_workers": 10,
            "part_time": [{"persons": 4, "hours_per_week": 20}, {"persons": 2, "hours_per_week": "10"}],
        },
    )
    assert response.status_code == 200
    result = response.json()
    # 40 + 2 + 3 + 10 + 4 x 20/40 + 2 x 10/40 = 57.5 -> 58 whole persons
    assert result["effective_personnel"] == 57.5
    assert result["whole_persons"] == 58
    assert result["trace"][-1]["value"] == "57.5 persons"


def test_effective_personnel_repetitive_reduction_needs_a_justification(api: Client) -> None:
    body: dict[str, Any] = {"permanent": 100, "repetitive": 64, "reduction": "square_root"}
    refused = post(api, "/api/v1/tools/effective-personnel", body)
    assert refused.status_code == 422
    assert "needs a written justification" in refused.json()["detail"]
    body["repetitive_justification"] = "Packing line, identical tasks, documented in the application review."
    accepted = post(api, "/api/v1/tools/effective-personnel", body)
    assert accepted.status_code == 200
    assert accepted.json()["effective_personnel"] == 44  # 36 + ceil(sqrt(64)) = 36 + 8


def test_effective_personnel_refuses_an_unknown_reduction_naming_the_choices(api: Client) -> None:
    response = post(api, "/api/v1/tools/effective-personnel", {"permanent": 10, "reduction": "half"})
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "unknown repetitive-function reduction 'half'; choose one of: none, weight, square_root"
    )


def test_the_tools_operations_document_their_parameters() -> None:
    """Every tools operation has resolvable parameter and response schemas (so /api/v1/docs can show them)."""
    from conformo.tools.api import router

    paths = set()
    for path, view in router.path_operations.items():
        paths.add(path)
        for operation in view.operations:
            assert operation.auth_callbacks == []  # public
            for model in operation.models:
                assert model.model_json_schema()
            for schema in operation.response_models.values():
                if schema is not None:
                    assert schema.model_json_schema()
    assert paths == {"/audit-time", "/sampling", "/cycle", "/effective-personnel"}


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        (
            "/api/v1/tools/audit-time",
            {"standards": QMS, "personnel": "1e999999999"},
            "personnel must be at most 10,000,000 in size, got '1e999999999'",
        ),
        (
            "/api/v1/tools/audit-time",
            {"standards": QMS, "personnel": "1e-999999999"},
            "personnel must have at most 10 decimal places, got '1e-999999999'",
        ),
        (
            "/api/v1/tools/audit-time",
            {"standards": QMS, "personnel": "5", "adjust": f"{QMS}=1e999999999"},
            f"the adjustment for {QMS} must be at most 1,000 in size, got '1e999999999'",
        ),
        (
            "/api/v1/tools/audit-time",
            {"standards": [QMS, EMS], "complexity": "low", "personnel": "5", "integration_percent": "1e999999999"},
            "the integration reduction must be at most 1,000 in size, got '1e999999999'",
        ),
        (
            "/api/v1/tools/sampling",
            {"sites": "9" * 5000},
            "the number of sites must be a number of at most 30 characters",
        ),
        (
            "/api/v1/tools/sampling",
            {"sites": "2000000"},
            "the number of sites must be at most 1,000,000, got '2000000'",
        ),
    ],
)
def test_absurd_numbers_are_refused_before_any_arithmetic(
    api: Client, path: str, params: dict[str, Any], detail: str
) -> None:
    """The calculators are public: 1e999999999 would otherwise build a billion-digit integer."""
    response = api.get(path, params)
    assert response.status_code == 422
    assert response.json() == {"detail": detail, "code": "invalid_input"}


def test_absurd_part_time_hours_are_refused(api: Client) -> None:
    response = post(
        api, "/api/v1/tools/effective-personnel", {"part_time": [{"persons": 2, "hours_per_week": "1e-999999999"}]}
    )
    assert response.status_code == 422
    assert (
        response.json()["detail"] == "part-time hours per week must have at most 10 decimal places, got '1e-999999999'"
    )
