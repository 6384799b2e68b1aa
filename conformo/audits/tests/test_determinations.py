"""The audit-time determination of the review and the programme: the same figures as the calculators
(`conformo audit-time`, `conformo sampling`) for the same inputs, stored with its inputs and trace, frozen at
acceptance, followed by the programme's audits, and determined again from current data."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.db import connections

from conformo.audits import services
from conformo.audits.choices import AuditKind, AuditStatus
from conformo.audits.models import AuditTimeDetermination
from conformo.audits.tests.conftest import audit_of
from conformo.audits.tests.factories import StandardFactory
from conformo.certification.services import application_accept
from conformo.conftest import token_client
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.core.tests.cli import run_in_process
from conformo.core.tests.factories import SiteFactory
from conformo.domain.determination import Adjustment, Choices, Integration, IsmsAssessment, SitePlan, determine
from conformo.organizations.services import site_create, site_update

QMS, EMS, ISMS = "iso-9001-2015", "iso-14001-2015", "iso-iec-27001-2022"
D = Decimal


def calculator(name: str, *args: str) -> Any:
    """`conformo NAME ARGS --json` (the calculator's command line, run in this process), keeping the test's
    database connection (a command run from the command line closes every connection when it ends)."""
    with mock.patch.object(connections, "close_all"):
        done = run_in_process(name, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def made(review: Any) -> AuditTimeDetermination:
    """The determination a review was made with."""
    assert review.determination is not None
    return review.determination


def row(record: AuditTimeDetermination, audit: str) -> dict[str, Any]:
    found = record.audit_row(audit)
    assert found is not None, audit
    return found


def apply(ready: Any, org: Any, pm: Any, sites: list[Any], standards: list[Any] | None = None) -> Any:
    return services.application_submit(
        actor=pm,
        certification_body=ready.cb,
        organization=org,
        standards=standards or [ready.qms],
        scope="Retail of household goods",
        sites=sites,
        sector_codes=[17],
    )


def retailer(org: Any, stores: int = 11) -> list[Any]:
    head = SiteFactory(organization=org, name="Head office", is_headquarters=True, permanent_staff=60)
    return [head] + [
        SiteFactory(organization=org, name=f"Store {i:02d}", permanent_staff=20 + 3 * i) for i in range(stores)
    ]


# --- the calculator's figures for the same inputs ----------------------------------------------------------


def test_a_single_site_review_gives_the_figures_of_conformo_audit_time(ready, acme, programme_manager):
    site = SiteFactory(
        organization=acme, is_headquarters=True, permanent_staff=70, part_time_staff=10, part_time_hours_per_week=20
    )
    application = apply(ready, acme, programme_manager, [site])
    review = services.application_review(actor=programme_manager, application=application)
    cli = calculator("audit-time", "--standard", QMS, "--personnel", "75")
    result = made(review).result
    assert result["personnel"] == 75
    assert (result["initial_days"], result["surveillance_days"], result["recertification_days"]) == (
        cli["initial_days"],
        cli["surveillance_days"],
        cli["recertification_days"],
    )
    assert result["standards"] == cli["standards"]


def test_an_integrated_review_gives_the_figures_of_conformo_audit_time(ready, acme, programme_manager):
    site = SiteFactory(organization=acme, is_headquarters=True, permanent_staff=130)
    application = apply(ready, acme, programme_manager, [site], [ready.qms, ready.ems])
    choices = Choices(
        complexity={QMS: "medium", EMS: "high"},
        adjustments=(
            Adjustment(QMS, "complex_processes", D(10), "Aerospace parts with special processes"),
            Adjustment(EMS, "automation", D(-10), "Closed-loop coolant system, no discharges"),
        ),
        integration=Integration("high", D(15), "One manual, one internal audit programme, one review"),
    )
    review = services.application_determine(actor=programme_manager, application=application, choices=choices)
    cli = calculator(
        "audit-time",
        *("--standard", QMS, "--standard", EMS, "--personnel", "130", "--complexity", "high"),
        *("--adjust", f"{QMS}=10", "--adjust", f"{EMS}=-10", "--integration", "15"),
    )
    result = made(review).result

    def by_id(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda row: row["id"])

    assert by_id(result["standards"]) == by_id(cli["standards"])
    assert result["initial_days"] == cli["initial_days"]
    assert result["recertification_days"] == cli["recertification_days"]


def test_an_isms_review_takes_the_27006_complexity_like_an_adjustment_of_the_calculator(ready, acme, programme_manager):
    isms = StandardFactory(code=ISMS, designation="ISO/IEC 27001:2022", title="Information security")
    site = SiteFactory(organization=acme, is_headquarters=True, permanent_staff=85, contractors=10)
    application = apply(ready, acme, programme_manager, [site], [isms])
    choices = Choices(
        isms=IsmsAssessment((2, 2, 3), (3, 2, 2), D(25), "Payment data and in-house development of the platform"),
        adjustments=(Adjustment(ISMS, "single_activity", D(-5), "One service line: managed hosting only"),),
    )
    review = services.application_determine(actor=programme_manager, application=application, choices=choices)
    cli = calculator(
        "audit-time", "--standard", ISMS, "--personnel", "95", "--adjust", f"{ISMS}=-5", "--adjust", f"{ISMS}=25"
    )
    result = made(review).result
    assert result["isms"]["business_level"] == "high"
    assert result["isms"]["it_level"] == "high"
    assert result["initial_days"] == cli["initial_days"] == 14.5  # 12 days x 1.20


def test_a_multi_site_review_takes_each_sites_time_and_the_sample_of_the_calculators(ready, acme, programme_manager):
    sites = retailer(acme, 11)
    application = apply(ready, acme, programme_manager, sites)
    review = services.application_review(actor=programme_manager, application=application)
    result = made(review).result
    sampling = calculator("sampling", "--sites", "11")
    assert result["minimum_samples"] == {
        "stage2": sampling["initial"],
        "surveillance1": sampling["surveillance"],
        "surveillance2": sampling["surveillance"],
        "recertification": sampling["recertification"],
    }
    for site in result["sites"]:
        per_site = calculator("audit-time", "--standard", QMS, "--personnel", str(site["personnel"]))
        assert site["days"] == per_site["standards"][0]["days"], site["name"]
    as_one_site = calculator("audit-time", "--standard", QMS, "--personnel", str(result["personnel"]))
    assert result["initial_days"] != as_one_site["initial_days"]  # never timed as one site (EA FAQ 42.6)
    stage2 = next(row for row in result["audits"] if row["audit"] == "stage2")
    assert len(stage2["sites"]) == 1 + sampling["initial"]


# --- stored, recomputed, revised, frozen --------------------------------------------------------------------


def test_recomputing_the_stored_inputs_gives_the_stored_figures_and_trace(ready, acme, programme_manager):
    application = apply(ready, acme, programme_manager, retailer(acme, 5), [ready.qms, ready.ems])
    choices = Choices(
        complexity={QMS: "high", EMS: "low"},
        adjustments=(Adjustment(QMS, "high_risk", D(10), "Food-contact products sold under own brand"),),
        integration=Integration("medium", D(10), "Shared document control and internal audits"),
        remote_percent={"stage1": D(50)},
    )
    record = services.application_determine(actor=programme_manager, application=application, choices=choices)
    stored = made(record)
    stored.refresh_from_db()
    again = determine(stored.domain_input())
    assert again.as_dict() == stored.result
    assert again.trace_as_list() == stored.trace


def test_each_revision_is_a_record_and_an_audit_log_entry_until_acceptance(ready, acme, acme_sites, programme_manager):
    application = apply(ready, acme, programme_manager, acme_sites)
    first = made(services.application_review(actor=programme_manager, application=application))
    revised = made(
        services.application_determine(
            actor=programme_manager,
            application=application,
            choices=Choices(
                complexity={QMS: "low"},
                adjustments=(Adjustment(QMS, "low_risk", D(-10), "Standard fasteners only"),),
            ),
        )
    )
    assert first.pk != revised.pk
    assert services.determination_of(application) == revised
    entries = AuditLogEntry.objects.filter(
        action="determination.record", object_id__in=[str(first.pk), str(revised.pk)]
    )
    assert entries.count() == 2
    application_accept(actor=programme_manager, application=application)
    with pytest.raises(Conflict) as refused:
        services.application_determine(actor=programme_manager, application=application, choices=Choices())
    assert refused.value.code == "determination_frozen"


def test_an_unjustified_adjustment_is_refused_with_its_field_and_nothing_is_recorded(
    ready, acme, acme_sites, programme_manager
):
    application = apply(ready, acme, programme_manager, acme_sites)
    with pytest.raises(ValidationFailed) as refused:
        services.application_determine(
            actor=programme_manager,
            application=application,
            choices=Choices(complexity={QMS: "medium"}, adjustments=(Adjustment(QMS, "maturity", D(-10), ""),)),
        )
    assert refused.value.code == "justification_required"
    assert list(refused.value.fields) == ["adjustments.0.justification"]
    assert services.determination_of(application) is None


# --- the programme follows the determination ----------------------------------------------------------------


def test_the_programmes_audits_take_days_split_and_sites_from_the_determination(ready, acme, programme_manager):
    sites = retailer(acme, 11)
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = apply(ready, acme, programme_manager, sites)
        review = services.application_determine(
            actor=programme_manager,
            application=application,
            choices=Choices(complexity={QMS: "medium"}, remote_percent={"surveillance1": D(40)}),
        )
        programme = application_accept(actor=programme_manager, application=application)
    determination = made(review)
    assert programme.determination == determination
    for kind in ("stage1", "stage2", "surveillance1", "surveillance2", "recertification"):
        audit, expected = audit_of(programme, kind), row(determination, kind)
        assert (audit.days, audit.onsite_days, audit.remote_days) == (
            D(str(expected["days"])),
            D(str(expected["onsite_days"])),
            D(str(expected["remote_days"])),
        ), kind
        assert sorted(str(s.public_id) for s in audit.sites.all()) == sorted(expected["sites"]), kind
    assert audit_of(programme, "surveillance1").remote_days > 0


def test_a_change_of_personnel_flags_the_programme_and_a_redetermination_follows_it(
    ready, acme, acme_sites, programme_manager, client_admin
):
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = apply(ready, acme, programme_manager, acme_sites)
        review = services.application_review(actor=programme_manager, application=application)
        programme = application_accept(actor=programme_manager, application=application)
    from conformo.audits.selectors import redetermination_reasons

    assert redetermination_reasons(programme) == []
    site_update(actor=client_admin, site=acme_sites[2], permanent_staff=90)
    site_create(actor=client_admin, organization=acme, name="Plant East", country="DE", permanent_staff=30)
    reasons = redetermination_reasons(programme)
    assert reasons == ["Plant South: permanent staff 15 → 90", "new site Plant East (30 persons)"]
    from conformo.audits import redetermination, selectors

    every = selectors.programmes_to_redetermine(user=programme_manager)
    assert every == [(programme, reasons)]
    # The workspace's first rows, read a batch at a time (one programme per batch here): the same rows.
    with mock.patch.object(redetermination, "REDETERMINE_BATCH", 1):
        assert selectors.programmes_to_redetermine(user=programme_manager, limit=1) == every
        assert selectors.programmes_to_redetermine(user=programme_manager, limit=5) == every
    assert selectors.programmes_to_redetermine(user=programme_manager, limit=50) == every
    before = audit_of(programme, AuditKind.SURVEILLANCE_1).days
    record = services.programme_redetermine(actor=programme_manager, programme=programme, purpose="change")
    programme.refresh_from_db()
    assert programme.determination == record
    assert redetermination_reasons(programme) == []
    after = audit_of(programme, AuditKind.SURVEILLANCE_1)
    assert after.days == D(str(row(record, "surveillance1")["days"])) != before
    assert "Plant East" in [site["name"] for site in record.result["sites"]]
    assert audit_of(programme, AuditKind.STAGE_1).days == D(str(row(made(review), "stage1")["days"]))


def _second_surveillance_held(ready: Any, acme: Any, sites: list[Any], pm: Any) -> Any:
    """Acme's programme, accepted on 2026-01-05, its second surveillance held: its recertification is next."""
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = apply(ready, acme, pm, sites)
        services.application_review(actor=pm, application=application)
        programme = application_accept(actor=pm, application=application)
    second = audit_of(programme, AuditKind.SURVEILLANCE_2)
    second.status = AuditStatus.COMPLETED
    second.save()
    return programme


def test_the_recertification_is_determined_from_current_data_not_copied(
    ready, acme, acme_sites, programme_manager, client_admin
):
    programme = _second_surveillance_held(ready, acme, acme_sites, programme_manager)
    from conformo.audits.selectors import RECERTIFICATION_DUE, redetermination_reasons

    assert redetermination_reasons(programme) == [RECERTIFICATION_DUE]
    for site in acme_sites:
        site_update(actor=client_admin, site=site, permanent_staff=site.permanent_staff * 3)
    record = services.programme_redetermine(actor=programme_manager, programme=programme, purpose="recertification")
    recertification = audit_of(programme, AuditKind.RECERTIFICATION)
    assert recertification.days == D(str(row(record, "recertification")["days"]))
    head_now = calculator("audit-time", "--standard", QMS, "--personnel", "120")["standards"][0]["days"]
    assert record.result["sites"][0]["days"] == head_now  # 2/3 of what an initial audit would need now
    assert redetermination_reasons(programme) == []
    new = services.programme_next_cycle(actor=programme_manager, programme=programme, decision_date=date(2029, 1, 5))
    assert audit_of(new, AuditKind.SURVEILLANCE_1).days == D(str(row(record, "surveillance1")["days"]))
    assert new.determination == record


@pytest.mark.parametrize(
    ("state", "expires_on"), [("withdrawn", None), ("refused", None), ("active", date(2026, 6, 30))]
)
def test_an_ended_certifications_programme_is_not_listed_to_determine_again(
    state, expires_on, ready, acme, acme_sites, programme_manager
):
    """Withdrawn, refused, or past its expiry (expired at read time): no audit of it is due any more, so the
    workspace does not ask for its recertification's time (the scale demo listed 213 expired certifications)."""
    programme = _second_surveillance_held(ready, acme, acme_sites, programme_manager)
    from conformo.audits import selectors

    today = date(2026, 7, 1)
    assert selectors.programmes_to_redetermine(user=programme_manager, today=today) == [
        (programme, [selectors.RECERTIFICATION_DUE])
    ]
    type(programme.certification).objects.filter(pk=programme.certification_id).update(
        state=state, expires_on=expires_on
    )
    assert selectors.programmes_to_redetermine(user=programme_manager, today=today) == []
    assert selectors.programmes_to_redetermine(user=programme_manager, today=today, limit=50) == []


def test_only_the_cbs_managers_determine(ready, acme, acme_sites, programme_manager, client_admin, lead_auditor):
    application = apply(ready, acme, programme_manager, acme_sites)
    for user in (client_admin, lead_auditor):
        with pytest.raises(PermissionDenied):
            services.application_determine(actor=user, application=application, choices=Choices())


# --- API ----------------------------------------------------------------------------------------------------


def _post(client: Any, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def test_the_api_sets_revises_and_reads_the_determination(ready, acme, acme_sites, programme_manager, client_admin):
    application = apply(ready, acme, programme_manager, acme_sites)
    pm, _ = token_client(programme_manager)
    path = f"/applications/{application.public_id}/determination"
    assert pm.get(f"/api/v1{path}").status_code == 404
    refused = _post(pm, path, {"adjustments": [{"standard": QMS, "factor": "maturity", "percent": -10}]})
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "justification_required"
    assert list(body["fields"]) == ["adjustments.0.justification"]
    capped = _post(
        pm,
        path,
        {
            "qms_risk": "low",
            "adjustments": [
                {"standard": QMS, "factor": "low_risk", "percent": -25, "justification": "Simple machined parts"},
                {"standard": QMS, "factor": "maturity", "percent": -15, "justification": "Certified since 2009"},
            ],
        },
    )
    assert capped.status_code == 201, capped.content
    out = capped.json()
    assert "reduction_capped" in [w["code"] for w in out["warnings"]]
    assert out["trace"]
    assert out["sites"]
    assert out["audits"][0]["audit"] == "stage1"
    assert out["choices"]["adjustments"][1]["justification"] == "Certified since 2009"
    reviews = pm.get(f"/api/v1/applications/{application.public_id}/reviews").json()
    assert out["id"] in [review["determination_id"] for review in reviews]
    client, _ = token_client(client_admin)
    read = client.get(f"/api/v1{path}")
    assert read.status_code == 200
    assert read.json()["id"] == out["id"]
    assert _post(client, path, {}).status_code == 403
    bad = _post(pm, path, {"sites": [{"site_id": str(acme_sites[1].public_id), "audits": ["stage1"]}]})
    assert bad.status_code == 422
    assert "sites.0.audits.0" in bad.json()["fields"]


def test_the_api_tells_the_programme_to_determine_again_and_does_it(
    ready, acme, acme_sites, programme_manager, client_admin
):
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = apply(ready, acme, programme_manager, acme_sites)
        services.application_review(actor=programme_manager, application=application)
        programme = application_accept(actor=programme_manager, application=application)
    pm, _ = token_client(programme_manager)
    path = f"/programmes/{programme.public_id}/determination"
    first = pm.get(f"/api/v1{path}").json()
    assert first["redetermination_due"] is False
    assert first["determination"]["purpose"] == "initial"
    site_update(actor=client_admin, site=acme_sites[0], temporary_staff=12)
    flagged = pm.get(f"/api/v1{path}").json()
    assert flagged["reasons"] == ["Head office: temporary staff 0 → 12"]
    made = _post(pm, path, {"purpose": "change", **first["determination"]["choices"], "sites": None})
    assert made.status_code == 201, made.content
    assert made.json()["purpose"] == "change"
    assert pm.get(f"/api/v1{path}").json()["redetermination_due"] is False
    client, _ = token_client(client_admin)
    seen = client.get(f"/api/v1{path}").json()
    assert seen["determination"]["purpose"] == "change"
    assert seen["reasons"] == []  # the flag is the CB's


def test_the_factors_are_offered_as_a_list_and_the_openapi_names_the_shapes(programme_manager):
    pm, _ = token_client(programme_manager)
    factors = pm.get("/api/v1/audit-time-factors").json()
    assert {f["code"] for f in factors["md5"]} >= {"logistics", "automation", "other"}
    assert [f["code"] for f in factors["isms_it"]] == ["it_infrastructure", "outsourcing", "development"]
    schema = pm.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["DeterminationAdjustmentIn"]["required"] == ["standard", "factor", "percent"]
    assert "other" in schema["Md5Factor"]["enum"]
    post = pm.get("/api/v1/openapi.json").json()["paths"]["/api/v1/applications/{application_id}/determination"]["post"]
    assert {"201", "403", "404", "409", "422"} <= set(post["responses"])


def test_a_redetermination_starts_from_the_current_choices_on_todays_sites(ready, acme, programme_manager):
    sites = retailer(acme, 6)
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = apply(ready, acme, programme_manager, sites)
        first = made(services.application_review(actor=programme_manager, application=application))
        plans = tuple(
            SitePlan(p["key"], D(10), "Purchasing is run by the head office", tuple(p["audits"]))
            for p in first.inputs["choices"]["site_plans"]
        )
        services.application_determine(
            actor=programme_manager,
            application=application,
            choices=Choices(
                complexity={QMS: "medium"}, method="sampling", site_plans=plans, remote_percent={"stage1": D(50)}
            ),
        )
        programme = application_accept(actor=programme_manager, application=application)
    record = services.programme_redetermine(actor=programme_manager, programme=programme, purpose="change")
    choices = record.inputs["choices"]
    assert choices["remote_percent"] == {}  # stage 1 is behind: its remote share is not carried over
    assert {p["reduction_justification"] for p in choices["site_plans"]} == {"Purchasing is run by the head office"}
    assert {site["reduction_percent"] for site in record.result["sites"] if not site["central"]} == {10}
