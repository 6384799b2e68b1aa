"""The decision form of the certification page: its own URL; a decision the state does not allow, or one
missing its reason, comes back on the page as a form error with the input kept; a valid one is recorded."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from conformo.certification.models import Decision
from conformo.conftest import login


def _url(certification: object) -> str:
    return reverse("certification:decision-take", args=[certification.public_id])  # type: ignore[attr-defined]


def test_the_page_offers_only_the_decisions_the_state_allows(granted, decision_maker):
    page = login(decision_maker).get(reverse("certification:detail", args=[granted.public_id]))
    kinds = [value for value, _ in page.context["form"].fields["kind"].choices]
    assert "suspend" in kinds
    assert "grant" not in kinds


def test_a_decision_the_state_does_not_allow_is_a_form_error(granted, decision_maker):
    page = login(decision_maker).post(_url(granted), {"kind": "grant", "reason": "Kept reason", "confirm": "on"})
    assert page.status_code == 422
    assert page.context["form"].errors["kind"]
    assert "Kept reason</textarea>" in page.content.decode()
    assert Decision.objects.filter(certification=granted).count() == 1


def test_a_suspension_without_a_reason_is_shown_on_the_reason_field(granted, decision_maker):
    page = login(decision_maker).post(_url(granted), {"kind": "suspend", "confirm": "on"})
    assert page.status_code == 422
    assert page.context["form"].errors["reason"] == ["Required."]
    granted.refresh_from_db()
    assert granted.state == "active"


def test_a_valid_suspension_is_recorded(granted, decision_maker):
    with time_machine.travel(date(2026, 9, 1), tick=False):
        page = login(decision_maker).post(
            _url(granted), {"kind": "suspend", "reason": "Surveillance not held", "confirm": "on"}, follow=True
        )
    assert b"Decision recorded." in page.content
    granted.refresh_from_db()
    assert granted.state == "suspended"


def test_no_decision_is_pre_selected(granted, decision_maker):
    page = login(decision_maker).get(reverse("certification:detail", args=[granted.public_id]))
    html = page.content.decode()
    assert 'name="kind"' in html
    assert "checked" not in html
    assert page.context["form"].fields["kind"].initial is None


def test_a_grant_without_the_issued_report_is_shown_as_not_possible_with_the_domain_s_reason(
    stage1_done, decision_maker
):
    page = login(decision_maker).get(reverse("certification:detail", args=[stage1_done.certification.public_id]))
    html = page.content.decode()
    unavailable = {o.decision.value: o.blocked_by for o in page.context["unavailable"]}
    assert "completed stage 2" in unavailable["grant"]
    assert 'value="grant"' not in html
    assert "Not possible today" in html
    assert 'value="refuse"' in html


def test_a_blocked_decision_posted_anyway_gets_the_domain_s_refusal(stage1_done, decision_maker):
    page = login(decision_maker).post(_url(stage1_done.certification), {"kind": "grant", "confirm": "on"})
    assert page.status_code == 409
    assert "needs a completed stage 2 audit" in page.content.decode()
    assert not Decision.objects.filter(certification=stage1_done.certification).exists()


def test_the_certification_page_links_to_its_certificate(granted, decision_maker):
    certificate = granted.certificates.get(is_current=True)
    page = login(decision_maker).get(reverse("certification:detail", args=[granted.public_id]))
    assert reverse("certificates:detail", args=[certificate.number]) in page.content.decode()


def test_a_pending_certification_has_no_certificate_link(stage1_done, decision_maker):
    page = login(decision_maker).get(reverse("certification:detail", args=[stage1_done.certification.public_id]))
    assert page.context["certificate"] is None
    assert "/certificates/" not in page.content.decode().split("<main", 1)[-1].split("</main>")[0]


def test_a_decision_without_the_confirmation_is_a_form_error_and_records_nothing(granted, decision_maker):
    page = login(decision_maker).post(_url(granted), {"kind": "suspend", "reason": "Surveillance not held"})
    assert page.status_code == 422
    assert page.context["form"].errors["confirm"]
    assert Decision.objects.filter(certification=granted).count() == 1
    granted.refresh_from_db()
    assert granted.state == "active"
