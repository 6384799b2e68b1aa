"""The set-up pages: CB settings, accreditations, an auditor's conflicts of interest and unavailability.
Each refuses those without the role, records through the service, and shows bad input next to its field."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from conformo.audits.models import CBSettings, ConflictOfInterest, Unavailability
from conformo.conftest import login

SETTINGS = {
    "major_response_days": "60",
    "minor_response_days": "90",
    "major_verification_days": "90",
    "minor_verification_days": "",
    "cooling_off_months": "24",
    "stage1_percent": "30",
    "stage1_due_days": "90",
    "stage2_due_days": "90",
    "surveillance_1_months": "12",
    "surveillance_2_months": "24",
    "at_risk_days": "30",
    "transition_risk_days": "180",
    "report_due_days": "30",
    "max_remote_percent": "100",
    "max_remote_percent_isms": "100",
    "certificate_number_pattern": "NB-{year}-{seq:05d}",
    "qualification_validity_months": "36",
    "qualification_lapse_months": "36",
    "witness_interval_months": "36",
    "monitoring_notice_days": "60",
}


def test_the_workspace_links_the_set_up_pages(ready, cb_admin, lead_auditor):
    page = login(cb_admin).get(reverse("audits:home")).content.decode()
    for name in ("audits:cb-settings", "audits:accreditations", "audits:auditors"):
        assert f'href="{reverse(name)}"' in page
    mine = reverse("audits:auditor-detail", args=[ready.lead.public_id])
    assert f'href="{mine}"' in login(lead_auditor).get(reverse("audits:home")).content.decode()


# --- CB settings --------------------------------------------------------------------------------------


def test_the_cb_admin_changes_the_settings(cb, cb_admin):
    url = reverse("audits:cb-settings")
    assert b"Save settings" in login(cb_admin).get(url).content
    page = login(cb_admin).post(url, SETTINGS, follow=True)
    assert b"Settings saved." in page.content
    saved = CBSettings.objects.get(certification_body=cb)
    assert (saved.major_response_days, saved.certificate_number_pattern) == (60, "NB-{year}-{seq:05d}")


def test_other_staff_read_the_settings_but_cannot_change_them(cb, programme_manager):
    client = login(programme_manager)
    page = client.get(reverse("audits:cb-settings"))
    assert page.status_code == 200
    assert b"Save settings" not in page.content
    assert b"Only a CB administrator can change these settings" in page.content
    refused = client.post(reverse("audits:cb-settings"), SETTINGS)
    assert refused.status_code == 403
    assert b"change the CB settings" in refused.content
    assert CBSettings.objects.get(certification_body=cb).major_response_days == 90


def test_clients_are_told_the_cb_settings_are_not_for_them(client_admin):
    refused = login(client_admin).get(reverse("audits:cb-settings"))
    assert refused.status_code == 403
    assert b"You don't have access to this" in refused.content


def test_a_first_surveillance_past_12_months_is_shown_on_its_field(cb, cb_admin):
    page = login(cb_admin).post(
        reverse("audits:cb-settings"), {**SETTINGS, "surveillance_1_months": "18", "at_risk_days": "soon"}
    )
    assert page.status_code == 422  # bad input comes back with 422, as on every other page
    form = page.context["form"]
    assert form.errors["at_risk_days"]
    assert b"Save settings" in page.content
    page = login(cb_admin).post(reverse("audits:cb-settings"), {**SETTINGS, "surveillance_1_months": "18"})
    assert page.context["form"].errors["surveillance_1_months"] == ["At most 12."]
    assert CBSettings.objects.get(certification_body=cb).surveillance_1_months == 12


# --- accreditations ------------------------------------------------------------------------------------


def _accreditation(standard_id: int, **extra: str) -> dict[str, object]:
    return {
        "accreditation_body": "DAkkS",
        "reference": "D-ZM-1",
        "standards": [str(standard_id)],
        "sector_codes": "17, 19",
        "valid_from": "2026-01-01",
        "valid_until": "2030-12-31",
        **extra,
    }


def test_the_cb_admin_records_an_accreditation_and_staff_see_it(ready, cb_admin, programme_manager):
    url = reverse("audits:accreditations")
    page = login(cb_admin).post(url, _accreditation(ready.qms.pk), follow=True)
    assert b"Accreditation recorded." in page.content
    accreditation = ready.cb.accreditations.get(accreditation_body="DAkkS")
    assert accreditation.sector_codes == [17, 19]
    assert list(accreditation.standards.all()) == [ready.qms]
    listing = login(programme_manager).get(url)
    assert b"DAkkS" in listing.content
    assert b"Add accreditation" not in listing.content


def test_only_the_cb_admin_records_accreditations(ready, programme_manager, client_admin):
    refused = login(programme_manager).post(reverse("audits:accreditations"), _accreditation(ready.qms.pk))
    assert refused.status_code == 403
    assert b"record accreditations" in refused.content
    assert not ready.cb.accreditations.filter(accreditation_body="DAkkS").exists()
    assert login(client_admin).get(reverse("audits:accreditations")).status_code == 403


def test_bad_accreditation_input_shows_on_its_fields(ready, cb_admin):
    url = reverse("audits:accreditations")
    page = login(cb_admin).post(url, _accreditation(ready.qms.pk, sector_codes="17, forty"))
    assert page.context["form"].errors["sector_codes"]
    page = login(cb_admin).post(url, _accreditation(ready.qms.pk, sector_codes="17, 40"))
    assert page.context["form"].errors["sector_codes"] == [
        "IAF sector codes are whole numbers from 1 to 39; not valid: 40."
    ]
    page = login(cb_admin).post(url, _accreditation(ready.qms.pk, valid_until="2025-01-01"))
    assert page.context["form"].errors["valid_until"] == ["After valid_from."]
    assert b'role="alert"' in page.content
    assert not ready.cb.accreditations.filter(accreditation_body="DAkkS").exists()


# --- conflicts of interest and unavailability ---------------------------------------------------------


def _conflict(org_id: int, **extra: str) -> dict[str, object]:
    return {
        "conflict-organization": str(org_id),
        "conflict-kind": "consultancy",
        "conflict-description": "Built their QMS",
        "conflict-started_on": "2025-01-01",
        "conflict-ended_on": "2025-06-30",
        **extra,
    }


def _urls(auditor: object) -> tuple[str, str]:
    """The auditor's page actions: declare a conflict, add a period of unavailability."""
    args = [auditor.public_id]  # type: ignore[attr-defined]
    return reverse("audits:conflict-declare", args=args), reverse("audits:unavailability-add", args=args)


def _period(**extra: str) -> dict[str, object]:
    return {
        "unavailable-starts_on": "2026-07-01",
        "unavailable-ends_on": "2026-07-14",
        "unavailable-note": "Leave",
        **extra,
    }


def test_an_auditor_declares_a_conflict_and_unavailability_on_their_page(ready, acme, lead_auditor):
    url = reverse("audits:auditor-detail", args=[ready.lead.public_id])
    conflict_url, period_url = _urls(ready.lead)
    client = login(lead_auditor)
    assert b"Declare a conflict of interest" in client.get(url).content
    page = client.post(conflict_url, _conflict(acme.pk), follow=True)
    assert b"Conflict of interest declared." in page.content
    conflict = ConflictOfInterest.objects.get(auditor=ready.lead)
    assert (conflict.organization, conflict.ended_on) == (acme, date(2025, 6, 30))
    page = client.post(period_url, _period(), follow=True)
    assert b"Unavailability recorded." in page.content
    assert Unavailability.objects.get(auditor=ready.lead).ends_on == date(2026, 7, 14)


def test_a_programme_manager_records_for_an_auditor(ready, acme, programme_manager):
    conflict_url, period_url = _urls(ready.auditor)
    page = login(programme_manager).post(period_url, _period(), follow=True)
    assert b"Unavailability recorded." in page.content
    assert login(programme_manager).post(conflict_url, _conflict(acme.pk)).status_code == 302


def test_others_cannot_declare_for_an_auditor(ready, acme, auditor, decision_maker, client_admin):
    url = reverse("audits:auditor-detail", args=[ready.lead.public_id])
    # Another auditor of the CB does not see the lead auditor's page: a refusal, not "Not found".
    assert login(auditor).get(url).status_code == 403
    assert login(client_admin).get(url).status_code == 404
    # The decision maker sees it, without the forms, and the service refuses a post.
    page = login(decision_maker).get(url)
    assert page.status_code == 200
    assert b"Declare a conflict of interest" not in page.content
    conflict_url, period_url = _urls(ready.lead)
    refused = login(decision_maker).post(conflict_url, _conflict(acme.pk))
    assert refused.status_code == 403
    assert login(decision_maker).post(period_url, _period()).status_code == 403
    assert not ConflictOfInterest.objects.exists()
    assert not Unavailability.objects.exists()


def test_bad_conflict_and_period_input_shows_on_its_fields(ready, acme, lead_auditor):
    conflict_url, period_url = _urls(ready.lead)
    client = login(lead_auditor)
    page = client.post(conflict_url, _conflict(acme.pk, **{"conflict-ended_on": "2024-01-01"}))
    assert page.status_code == 422
    assert page.context["conflict_form"].errors["ended_on"] == ["On or after the start."]
    page = client.post(conflict_url, _conflict(acme.pk, **{"conflict-started_on": "soon"}))
    assert page.status_code == 422
    assert page.context["conflict_form"].errors["started_on"]
    assert b'value="soon"' in page.content
    page = client.post(period_url, _period(**{"unavailable-ends_on": "2026-06-01"}))
    assert page.context["period_form"].errors["ends_on"] == ["On or after the first day."]
    assert not page.context["conflict_form"].is_bound
    assert not ConflictOfInterest.objects.exists()
    assert not Unavailability.objects.exists()
