"""The demo's plans and reports: Acme's decision stands on issued plans and reports, Bluewater's stage 2 report
is issued with its findings open, Cobalt's stage 1 plan is accepted; and Acme's certification file holds them.
Every client has accepted the CB's certification agreement."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import pytest

from conformo.audits.models import Application, AuditPlan, AuditReport, Finding
from conformo.audits.selectors import accepted_agreement
from conformo.certification.export import certification_file_build
from conformo.certification.models import Certification
from conformo.core.actors import SYSTEM
from conformo.home.demo import demo_load


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the signed copies of the clients without a client administrator
    demo_load()


def test_every_demo_client_has_accepted_a_version_of_the_cbs_agreement(demo):
    applications = list(Application.objects.select_related("organization"))
    assert len(applications) == 7
    accepted = {a.organization.legal_name: accepted_agreement(a) for a in applications}
    assert all(accepted.values()), [name for name, agreement in accepted.items() if agreement is None]
    by_method = {name: agreement.method for name, agreement in accepted.items() if agreement}
    assert by_method["Acme Precision Parts GmbH"] == "in_app"
    assert by_method["Foxtrot Metals Oy"] == "signed_paper"
    foxtrot = accepted["Foxtrot Metals Oy"]
    assert foxtrot is not None
    assert foxtrot.signed_copy.read().startswith(b"%PDF")


def test_acmes_grant_stands_on_issued_plans_and_an_issued_report_recommending_it(demo):
    acme = Certification.objects.get(organization__country="DE")
    decision = acme.decisions.get(kind="grant")
    for kind in ("stage1", "stage2"):
        plan = AuditPlan.objects.get(audit__programme__certification=acme, audit__kind=kind)
        assert plan.status == "issued"
        assert plan.accepted_by is not None
        assert plan.accepted_by.email == "quality@acme.example"
        report = AuditReport.objects.get(audit__programme__certification=acme, audit__kind=kind)
        assert report.status == "issued"
    stage2 = AuditReport.objects.get(audit__programme__certification=acme, audit__kind="stage2")
    assert stage2.recommendation == "grant"
    assert stage2.audit.completed_on is not None
    assert stage2.audit.completed_on <= decision.decided_on


def test_bluewaters_stage_2_report_is_issued_with_its_findings_open(demo):
    report = AuditReport.objects.get(audit__programme__organization__country="NL", audit__kind="stage2")
    assert report.status == "issued"
    open_findings = Finding.objects.filter(audit=report.audit, status="open")
    assert sorted(open_findings.values_list("grade", flat=True)) == ["major", "minor"]
    assert sorted(f["grade"] for f in report.facts["findings"]) == ["Major nonconformity", "Minor nonconformity"]


def test_cobalts_stage_1_plan_is_issued_and_accepted_by_the_client(demo):
    plan = AuditPlan.objects.get(audit__programme__organization__country="GB", audit__kind="stage1")
    assert plan.status == "issued"
    assert plan.accepted_by is not None
    assert plan.accepted_by.email == "ciso@cobalt.example"
    assert plan.audit.status == "planned"


def test_a_second_load_adds_no_plan_or_report(demo):
    counts = (AuditPlan.objects.count(), AuditReport.objects.count())
    demo_load()
    assert (AuditPlan.objects.count(), AuditReport.objects.count()) == counts


def test_acmes_certification_file_holds_its_agreement_plans_reports_and_certificate(demo):
    acme = Certification.objects.get(organization__country="DE")
    archive = zipfile.ZipFile(io.BytesIO(certification_file_build(user=SYSTEM, certification=acme)[1]))
    kinds = sorted(f["kind"] for f in json.loads(archive.read("manifest.json"))["files"])
    assert kinds == ["agreement", "audit_log"] + ["audit_plan"] * 3 + ["audit_report"] * 2 + [
        "audit_time_determination",
        "certificate",
    ]
    agreement = json.loads(archive.read("agreement/01-v1.json"))
    assert (agreement["version"], agreement["method"]) == (1, "in_app")
    assert agreement["accepted_by"] == "quality@acme.example"


def test_cobalts_review_records_its_27006_complexity_and_one_justified_adjustment(demo):
    from conformo.audits.models import AuditTimeDetermination

    cobalt = AuditTimeDetermination.objects.get(organization__country="GB", purpose="initial")
    choices = cobalt.inputs["choices"]
    assert choices["isms"]["business"] == [2, 2, 2]
    assert choices["isms"]["justification"]
    assert [(a["factor"], a["percent"]) for a in choices["adjustments"]] == [("single_activity", "-5")]
    assert cobalt.result["isms"]["it_level"] == "high"
    assert cobalt.result["initial_days"] == 12.5  # Table C.1 12 days (95 persons) x (100 + 10 - 5) %


def test_the_retailer_shows_the_sample_of_stores_and_the_time_of_each_site(demo):
    from conformo.audits.models import Application, AuditTimeDetermination

    application = Application.objects.get(organization__legal_name="Linden Home & Garden GmbH")
    assert application.status == "accepted"
    record = application.programme.get().determination
    assert isinstance(record, AuditTimeDetermination)
    result = record.result
    assert result["method"] == "sampling"
    assert len(result["sites"]) == 12
    assert result["minimum_samples"] == {"stage2": 4, "surveillance1": 2, "surveillance2": 2, "recertification": 3}
    stores = [site for site in result["sites"] if not site["central"]]
    assert {site["reduction_percent"] for site in stores} == {10}
    stage2 = next(row for row in result["audits"] if row["audit"] == "stage2")
    assert len(stage2["sites"]) == 5


def test_the_retailer_was_quoted_in_pounds_with_vat_before_its_application_was_accepted(demo):
    from conformo.fees.models import Quotation

    quotation = Quotation.objects.get(application__organization__legal_name="Linden Home & Garden GmbH")
    assert quotation.currency == "GBP"
    assert quotation.tax == (quotation.subtotal * Decimal("0.20")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert quotation.total == quotation.subtotal + quotation.tax
    assert quotation.determination == quotation.application.programme.get().determination
    assert quotation.facts["agreement"]["version"] == 1


def test_the_demo_certificates_carry_structured_scopes(demo):
    from conformo.certificates.models import Certificate

    acme = Certificate.objects.get(organization__country="DE", is_current=True)
    assert [(line["site"], line["iaf_codes"]) for line in acme.scope_lines] == [
        (None, [17]),
        ("Stuttgart plant (HQ)", [17, 18]),
        ("Leipzig warehouse", [17]),
    ]
    delta = Certificate.objects.get(holder_name="Delta Logística S.A.")
    assert [line["site"] for line in delta.scope_lines] == [None, "Zaragoza hub"]
    retailer = Certification.objects.get(organization__country="AT")
    assert [line.site.name if line.site else None for line in retailer.scope_lines.all()] == [None, "Head office, Wien"]
