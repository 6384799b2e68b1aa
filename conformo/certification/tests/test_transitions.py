"""Edition transitions on the CB's side: the policy, the transition audit and its time, the decision that
re-issues on the new edition, the expiry cap, and validity read at the moment of reading around the end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.factories import StandardFactory
from conformo.certificates.models import Certificate
from conformo.certification.services import decision_take
from conformo.certification.tests.conftest import audit_of, issue_report, team
from conformo.certification.transitions import transition_policy_save
from conformo.conftest import login
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry
from conformo.standards.models import Standard, Transition

pytestmark = pytest.mark.django_db

PUBLISHED = date(2026, 9, 15)
AB_END = date(2028, 12, 31)
"""The accreditation body's end in these tests (earlier than the default publication + 36 months)."""


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> None:
    cache.clear()
    settings.REGISTRY_RATE_LIMIT = "1000/60"


@pytest.fixture
def new_qms(db: Any) -> Standard:
    return StandardFactory.create(code="iso-9001-2026", designation="ISO 9001:2026")


@pytest.fixture
def transition(ready: Any, new_qms: Standard) -> Transition:
    return Transition.objects.create(
        old_standard=ready.qms, new_standard=new_qms, published_on=PUBLISHED, ends_on=date(2029, 9, 15)
    )


@pytest.fixture
def ab_end(transition: Transition, ready: Any, cb_admin: Any) -> Transition:
    """The CB applies its accreditation body's earlier end."""
    transition_policy_save(
        actor=cb_admin, certification_body=ready.cb, transition=transition, ends_on=AB_END, ends_on_basis="AB notice 7"
    )
    return transition


def certificate_of(certification: Any) -> Certificate:
    return Certificate.objects.get(certification=certification, is_current=True)


def test_the_cb_end_is_carried_by_its_old_edition_certificates(granted: Any, ab_end: Transition) -> None:
    certificate = certificate_of(granted)
    assert (certificate.transition_ends_on, certificate.transition_edition) == (AB_END, "ISO 9001:2015")
    assert certificate.expires_on == date(2029, 4, 9)  # issued before publication: its expiry is not capped
    entry = AuditLogEntry.objects.filter(action="transition_policy.set").get()
    assert entry.after is not None
    assert entry.after["ends_on"] == AB_END.isoformat()


@pytest.mark.parametrize(
    ("day", "status", "reason"),
    [
        (date(2028, 12, 31), "active", None),
        (date(2029, 1, 1), "expired", "ISO 9001:2015 transition ended on 2028-12-31"),
    ],
)
def test_the_registry_reads_validity_around_the_transition_end(
    granted: Any, ab_end: Transition, client: Any, day: date, status: str, reason: str | None
) -> None:
    number = certificate_of(granted).number
    with time_machine.travel(day, tick=False):
        record = client.get(f"/api/v1/registry/certificates/{number}").json()
        assert (record["status"], record["status_reason"]) == (status, reason)
        assert record["transition_ends_on"] == "2028-12-31"
        assert record["editions"] == [{"id": "iso-9001-2015", "designation": "ISO 9001:2015", "year": 2015}]
        found = client.get(f"/api/v1/registry/certificates?status={status}").json()
        assert [item["number"] for item in found["items"]] == [number]
        other = "expired" if status == "active" else "active"
        assert client.get(f"/api/v1/registry/certificates?status={other}").json()["count"] == 0
        page = client.get(f"/verify/{number}").content.decode()
        assert "ISO 9001:2015 (2015 edition)" in page
        if reason:
            assert "EXPIRED — NOT VALID" in page
            assert reason in page
        else:
            assert "VALID — ACTIVE" in page


def test_the_fast_path_answers_the_same_after_the_end(
    granted: Any, ab_end: Transition, client: Any, settings: Any
) -> None:
    number = certificate_of(granted).number
    settings.MIDDLEWARE = ["conformo.registry.fastpath.RegistryFastPathMiddleware", *settings.MIDDLEWARE]
    with time_machine.travel(date(2029, 1, 1), tick=False):
        fast = client.get(f"/api/v1/registry/certificates/{number}")
    settings.MIDDLEWARE = settings.MIDDLEWARE[1:]
    with time_machine.travel(date(2029, 1, 1), tick=False):
        normal = client.get(f"/api/v1/registry/certificates/{number}")
    assert fast.content == normal.content
    assert fast.json()["status"] == "expired"


def test_a_certificate_on_the_old_edition_issued_in_the_window_expires_at_the_end(
    stage1_done: Any, ready: Any, programme_manager: Any, decision_maker: Any, new_qms: Standard, cb_admin: Any
) -> None:
    transition = Transition.objects.create(
        old_standard=ready.qms, new_standard=new_qms, published_on=date(2025, 10, 1), ends_on=date(2028, 6, 30)
    )
    assert transition.pk
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    with time_machine.travel(date(2026, 3, 2), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=stage2, planned_start=date(2026, 3, 2), planned_end=date(2026, 3, 3)
        )
        services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
        services.audit_start(actor=programme_manager, audit=stage2)
        services.audit_complete(actor=programme_manager, audit=stage2, on=date(2026, 3, 3))
        issue_report(stage2, ready.lead.user)
    with time_machine.travel(date(2026, 4, 10), tick=False):
        decision_take(actor=decision_maker, certification=stage1_done.certification, kind="grant")
    certificate = certificate_of(stage1_done.certification)
    assert certificate.expires_on == date(2028, 6, 30)
    change = certificate.status_changes.get()
    assert "no later than the transition end" in change.reason
    entry = AuditLogEntry.objects.get(action="certificate.issue")
    assert entry.after is not None
    assert entry.after["expiry_capped"].startswith("Expiry set to 2028-06-30 instead of 2029-04-09")


def test_the_transition_audit_takes_a_surveillances_time_plus_the_extra(
    granted: Any, ab_end: Transition, programme_manager: Any, ready: Any
) -> None:
    programme = granted.programmes.get()
    surveillance = audit_of(programme, AuditKind.SURVEILLANCE_1)
    audit = services.transition_audit_add(actor=programme_manager, programme=programme, transition=ab_end)
    assert audit.kind == AuditKind.TRANSITION
    assert audit.days == surveillance.days + Decimal("0.5")
    assert audit.due_by == AB_END
    with pytest.raises(Conflict, match="already in the programme"):
        services.transition_audit_add(actor=programme_manager, programme=programme, transition=ab_end)
    with pytest.raises(Conflict, match="ends on 2028-12-31"):
        services.audit_plan(
            actor=programme_manager, audit=audit, planned_start=date(2029, 1, 2), planned_end=date(2029, 1, 3)
        )


def test_combining_follows_the_policy(
    granted: Any, transition: Transition, programme_manager: Any, cb_admin: Any, ready: Any
) -> None:
    programme = granted.programmes.get()
    surveillance = audit_of(programme, AuditKind.SURVEILLANCE_1)
    transition_policy_save(
        actor=cb_admin,
        certification_body=ready.cb,
        transition=transition,
        extra_percent=Decimal(10),
        extra_days=Decimal(0),
        combine_with_surveillance=False,
    )
    with pytest.raises(ValidationFailed) as refused:
        services.transition_audit_add(
            actor=programme_manager, programme=programme, transition=transition, combine_with=surveillance
        )
    assert "combine_with" in refused.value.fields
    transition_policy_save(
        actor=cb_admin, certification_body=ready.cb, transition=transition, combine_with_surveillance=True
    )
    base = surveillance.days
    combined = services.transition_audit_add(
        actor=programme_manager, programme=programme, transition=transition, combine_with=surveillance
    )
    assert combined.pk == surveillance.pk
    assert combined.transition == transition
    assert combined.days >= base + base / 10 - Decimal("0.25")


def test_only_the_cb_administrator_sets_the_policy_and_an_end_before_publication_is_refused(
    transition: Transition, ready: Any, cb_admin: Any, programme_manager: Any
) -> None:
    with pytest.raises(PermissionDenied):
        transition_policy_save(
            actor=programme_manager, certification_body=ready.cb, transition=transition, ends_on=AB_END
        )
    with pytest.raises(ValidationFailed) as refused:
        transition_policy_save(
            actor=cb_admin, certification_body=ready.cb, transition=transition, ends_on=date(2026, 1, 1)
        )
    assert "ends_on" in refused.value.fields
    assert not AuditLogEntry.objects.filter(action="transition_policy.set").exists()


def _run_transition(
    granted: Any, transition: Transition, ready: Any, programme_manager: Any, decision_maker: Any
) -> Any:
    programme = granted.programmes.get()
    audit = services.transition_audit_add(actor=programme_manager, programme=programme, transition=transition)
    with time_machine.travel(date(2027, 3, 1), tick=False):
        services.audit_plan(
            actor=programme_manager, audit=audit, planned_start=date(2027, 3, 1), planned_end=date(2027, 3, 2)
        )
        services.audit_team_assign(actor=programme_manager, audit=audit, members=team(ready))
        services.audit_start(actor=programme_manager, audit=audit)
        services.audit_complete(actor=programme_manager, audit=audit, on=date(2027, 3, 2))
        issue_report(audit, ready.lead.user, recommendation="transition")
    with time_machine.travel(date(2027, 3, 20), tick=False):
        return decision_take(actor=decision_maker, certification=granted, kind="transition")


def test_a_transition_decision_reissues_on_the_new_edition_keeping_the_expiry(
    granted: Any, ab_end: Transition, ready: Any, programme_manager: Any, decision_maker: Any, client: Any
) -> None:
    before = certificate_of(granted)
    decision = _run_transition(granted, ab_end, ready, programme_manager, decision_maker)
    assert decision.kind == "transition"
    after = certificate_of(granted)
    assert after.number == f"{before.base_number}-R1"
    assert after.standards == [{"id": "iso-9001-2026", "designation": "ISO 9001:2026"}]
    assert after.expires_on == before.expires_on == date(2029, 4, 9)
    assert after.transition_ends_on is None
    assert list(granted.standards.values_list("code", flat=True)) == ["iso-9001-2026"]
    assert list(granted.programmes.get().standards.values_list("code", flat=True)) == ["iso-9001-2026"]
    assert AuditLogEntry.objects.filter(action="certificate.reissue").exists()
    with time_machine.travel(date(2029, 1, 1), tick=False):
        record = client.get(f"/api/v1/registry/certificates/{before.number}").json()
    assert (record["number"], record["status"], record["status_reason"]) == (after.number, "active", None)


def test_a_transition_decision_needs_the_completed_transition_audit(
    granted: Any, ab_end: Transition, programme_manager: Any, decision_maker: Any
) -> None:
    services.transition_audit_add(actor=programme_manager, programme=granted.programmes.get(), transition=ab_end)
    with time_machine.travel(date(2027, 3, 20), tick=False), pytest.raises(Conflict, match="not completed"):
        decision_take(actor=decision_maker, certification=granted, kind="transition")


@pytest.mark.parametrize(
    ("day", "risk"),
    [
        (date(2027, 1, 1), "no transition audit planned"),
        (date(2028, 6, 1), "no transition audit planned"),
    ],
)
def test_the_programme_lists_the_client_with_its_days_left(
    granted: Any, ab_end: Transition, ready: Any, day: date, risk: str
) -> None:
    with time_machine.travel(day, tick=False):
        rows = services.clients_in_transition([ready.cb.pk], day)
    assert [(r.programme.certification_id, r.days_left, r.risk) for r in rows] == [
        (granted.pk, (AB_END - day).days, risk)
    ]


@pytest.mark.parametrize(
    ("day", "risk"),
    [
        (date(2028, 7, 3), ""),  # the day before the risk margin (180 days) begins
        (date(2028, 7, 4), "180 days left and the transition is not decided"),
        (date(2028, 12, 31), "0 days left and the transition is not decided"),
        (date(2029, 1, 1), "the transition ended on 2028-12-31"),
    ],
)
def test_a_planned_transition_audit_is_at_risk_only_close_to_the_end(
    granted: Any, ab_end: Transition, ready: Any, programme_manager: Any, day: date, risk: str
) -> None:
    programme = granted.programmes.get()
    audit = services.transition_audit_add(actor=programme_manager, programme=programme, transition=ab_end)
    services.audit_plan(
        actor=programme_manager, audit=audit, planned_start=date(2027, 3, 1), planned_end=date(2027, 3, 2)
    )
    rows = services.clients_in_transition([ready.cb.pk], day)
    assert [r.risk for r in rows] == [risk]


def test_the_programme_manager_sees_the_client_at_risk_in_my_work_and_on_the_programme(
    granted: Any, ab_end: Transition, programme_manager: Any
) -> None:
    with time_machine.travel(date(2027, 1, 1), tick=False):
        client = login(programme_manager)
        inbox = client.get("/inbox/").content.decode()
        programme_page = client.get(
            reverse("audits:programme-detail", args=[granted.programmes.get().public_id])
        ).content.decode()
    assert "ISO 9001:2015 → ISO 9001:2026: no transition audit planned" in inbox
    assert "Edition transition at risk" in inbox
    assert "Edition transition" in programme_page
    assert "No transition audit planned" in programme_page
    assert "Plan the transition" in programme_page


def test_the_policy_api_reads_and_sets_the_policy(
    transition: Transition, ready: Any, cb_admin: Any, programme_manager: Any, granted: Any
) -> None:
    admin = login(cb_admin)
    path = f"/api/v1/certification-bodies/{ready.cb.public_id}/transitions"
    listed = admin.get(path).json()
    assert listed[0]["set"] is False
    assert listed[0]["ends_on"] == "2029-09-15"
    assert listed[0]["extra_days"] == "0.5"
    answer = admin.put(
        f"{path}/{transition.public_id}",
        {"ends_on": "2028-12-31", "extra_percent": "10"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert (answer.json()["ends_on"], answer.json()["set"]) == ("2028-12-31", True)
    assert certificate_of(granted).transition_ends_on == AB_END
    bad = admin.put(f"{path}/{transition.public_id}", {"ends_on": "2020-01-01"}, content_type="application/json")
    assert bad.status_code == 422
    assert "ends_on" in bad.json()["fields"]
    assert (
        admin.put(f"{path}/{transition.public_id}", {"extra_days": "99"}, content_type="application/json").status_code
        == 422
    )
    manager = login(programme_manager)
    refused = manager.put(f"{path}/{transition.public_id}", {}, content_type="application/json")
    assert refused.status_code == 403
    clients = manager.get(f"/api/v1/certification-bodies/{ready.cb.public_id}/transition-clients").json()
    assert [c["old_standard"] for c in clients] == ["iso-9001-2015"]


def test_the_transition_audit_api_and_page(granted: Any, ab_end: Transition, programme_manager: Any) -> None:
    client = login(programme_manager)
    programme = granted.programmes.get()
    unknown = client.post(
        f"/api/v1/programmes/{programme.public_id}/transition-audits",
        {"transition_id": str(programme.public_id)},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert "transition_id" in unknown.json()["fields"]
    made = client.post(
        f"/api/v1/programmes/{programme.public_id}/transition-audits",
        {"transition_id": str(ab_end.public_id)},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert (made.json()["kind"], made.json()["covers_transition"]) == ("transition", True)
    again = client.post(
        reverse("audits:transition-audit-create", args=[programme.public_id]), {"transition": ab_end.pk}
    )
    assert again.status_code == 409


def test_the_transitions_page_shows_the_policy_and_saves_it(
    transition: Transition, ready: Any, cb_admin: Any, auditor: Any, granted: Any
) -> None:
    admin = login(cb_admin)
    page = admin.get(f"/certification/transitions/?cb={ready.cb.public_id}")
    assert page.status_code == 200
    assert "ISO 9001:2015" in page.content.decode()
    assert "Save the policy" in page.content.decode()
    url = f"/certification/transitions/{transition.public_id}/policy?cb={ready.cb.public_id}"
    bad = admin.post(url, {"ends_on": "2020-01-01", "extra_percent": "0", "extra_days": "0.5"})
    assert bad.status_code == 422
    good = admin.post(url, {"ends_on": "2028-12-31", "extra_percent": "0", "extra_days": "1"})
    assert good.status_code == 302
    assert certificate_of(granted).transition_ends_on == AB_END
    assert login(auditor).get(f"/certification/transitions/?cb={ready.cb.public_id}").status_code == 403


def test_the_cli_sets_and_lists_the_policy(transition: Transition, ready: Any, granted: Any) -> None:
    from conformo.core.tests.cli import run_in_process

    result = run_in_process(
        "transition",
        "set",
        "--cb",
        ready.cb.name,
        "iso-9001-2015",
        "iso-9001-2026",
        "--ends-on",
        "2028-12-31",
        "--extra-days",
        "1",
        "--combine-recertification",
        "no",
    )
    assert result.returncode == 0, result.stderr
    assert (
        "ISO 9001:2015 → ISO 9001:2026: ends 2028-12-31, extra 0.0 % + 1.0 d, combined with surveillance"
        in result.stdout
    )
    assert "Acme Precision Parts: ISO 9001:2015" in result.stdout
    assert certificate_of(granted).transition_ends_on == AB_END
    bad = run_in_process(
        "transition", "set", "--cb", ready.cb.name, "iso-9001-2015", "iso-9001-2026", "--ends-on", "2001-01-01"
    )
    assert bad.returncode != 0
    assert "published" in bad.stderr


def test_the_certificate_page_and_the_decision_page_speak_of_the_transition(
    granted: Any, ab_end: Transition, ready: Any, programme_manager: Any, decision_maker: Any, cb_admin: Any
) -> None:
    number = certificate_of(granted).number
    with time_machine.travel(date(2027, 1, 1), tick=False):
        page = login(cb_admin).get(reverse("certificates:detail", args=[number])).content.decode()
        assert "ISO 9001:2015 is being replaced: valid at most until 2028-12-31" in page
        decision_page = login(decision_maker).get(reverse("certification:decision-take", args=[granted.public_id]))
        assert "Move to the new edition" not in decision_page.content.decode()  # no transition audit yet
    services.transition_audit_add(actor=programme_manager, programme=granted.programmes.get(), transition=ab_end)
    with time_machine.travel(date(2027, 1, 1), tick=False):
        decision_page = login(decision_maker).get(reverse("certification:decision-take", args=[granted.public_id]))
        assert "Move to the new edition" in decision_page.content.decode()
    with time_machine.travel(date(2029, 1, 1), tick=False):
        page = login(cb_admin).get(reverse("certificates:detail", args=[number])).content.decode()
    assert "Expired — ISO 9001:2015 transition ended on 2028-12-31" in page


def test_the_certificates_api_gives_the_end_and_the_reason(granted: Any, ab_end: Transition, cb_admin: Any) -> None:
    number = certificate_of(granted).number
    with time_machine.travel(date(2029, 1, 1), tick=False):
        listed = login(cb_admin).get("/api/v1/certificates").json()["items"]
    body = next(item for item in listed if item["number"] == number)
    assert (body["status"], body["transition_ends_on"]) == ("expired", "2028-12-31")
    assert body["status_reason"] == "ISO 9001:2015 transition ended on 2028-12-31"
