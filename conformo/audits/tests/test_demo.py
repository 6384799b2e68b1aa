"""The demo puts the three clients at different points of the lifecycle, through the services, once."""

from __future__ import annotations

from conformo.audits.models import Application, AuditPlan, Finding
from conformo.certification.models import Certification
from conformo.home.demo import demo_load


def test_the_demo_shows_three_clients_at_three_points_of_the_lifecycle(db):
    demo_load()
    first_three = Application.objects.filter(organization__country__in=["DE", "NL", "GB"])
    states = {a.organization.country: a.status for a in first_three.select_related("organization")}
    assert states == {"DE": "accepted", "NL": "accepted", "GB": "accepted"}
    acme = Certification.objects.get(organization__country="DE")
    assert acme.state == "active"
    surveillance = acme.programmes.get().audits.get(kind="surveillance1")
    assert surveillance.planned_start is not None
    assert surveillance.eligibility_ok is True
    open_findings = Finding.objects.filter(audit__programme__organization__country="NL", status="open")
    assert sorted(open_findings.values_list("grade", flat=True)) == ["major", "minor"]
    assert Certification.objects.get(organization__country="NL").state == "pending"


def test_loading_the_demo_twice_changes_nothing(db):
    demo_load()
    counts = (Application.objects.count(), Finding.objects.count(), Certification.objects.count())
    demo_load()
    assert (Application.objects.count(), Finding.objects.count(), Certification.objects.count()) == counts


def test_the_demo_issues_acmes_surveillance_plan_awaiting_its_acceptance(db):
    demo_load()
    plan = AuditPlan.objects.get(
        audit__programme__organization__country="DE", audit__kind="surveillance1", status="issued"
    )
    assert plan.accepted_at is None
    assert plan.remote_use
