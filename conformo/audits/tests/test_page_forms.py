"""Every action of the CB pages is a form with its own URL: a valid post does the thing; bad input (a date
that does not exist, a word for a number, an unknown id, a missing field) comes back on the same page as a
field error, with the user's input kept and nothing changed; never a 500, never a silent default."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.models import Audit, Complaint, FindingResponse, Qualification
from conformo.audits.tests.conftest import audit_of, team
from conformo.audits.tests.factories import sites_for
from conformo.conftest import login

BAD_DATES = ["2026-02-31", "abc"]


def refused(page: Any, form: str, field: str, kept: str | None = None) -> None:
    """The page came back (not a 500, not a redirect) with `field` in error and the input `kept`."""
    assert page.status_code in (409, 422), page.status_code
    assert page.context[form].errors.get(field), page.context[form].errors
    if kept is not None:
        assert kept in page.content.decode()


# --- audit page -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_plan_with_an_impossible_or_unreadable_date_is_a_form_error_not_today(programme, programme_manager, bad):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    url = reverse("audits:audit-plan", args=[stage1.public_id])
    page = login(programme_manager).post(url, {"planned_start": bad, "planned_end": "2026-02-02", "notes": "Mine"})
    refused(page, "plan_form", "planned_start", kept=f'value="{bad}"')
    assert "Mine</textarea>" in page.content.decode()
    stage1.refresh_from_db()
    assert stage1.planned_start is None


def test_a_plan_without_dates_is_refused_rather_than_planned_for_today(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    page = login(programme_manager).post(reverse("audits:audit-plan", args=[stage1.public_id]), {})
    refused(page, "plan_form", "planned_start")
    assert page.context["plan_form"].errors["planned_end"]
    stage1.refresh_from_db()
    assert stage1.planned_start is None


def test_a_plan_with_a_word_for_days_is_a_form_error(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    data = {"planned_start": "2026-02-02", "planned_end": "2026-02-03", "onsite_days": "two"}
    page = login(programme_manager).post(reverse("audits:audit-plan", args=[stage1.public_id]), data)
    refused(page, "plan_form", "onsite_days", kept='value="two"')


def test_a_valid_plan_is_saved(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    data = {"planned_start": "2026-02-02", "planned_end": "2026-02-03", "remote_days": "", "notes": "Two days"}
    page = login(programme_manager).post(reverse("audits:audit-plan", args=[stage1.public_id]), data, follow=True)
    assert b"Plan saved." in page.content
    stage1.refresh_from_db()
    assert (stage1.planned_start, stage1.planned_end, stage1.remote_days, stage1.plan_notes) == (
        date(2026, 2, 2),
        date(2026, 2, 3),
        Decimal(0),
        "Two days",
    )


def test_the_team_form_shows_todays_team(stage1_done, ready, programme_manager):
    stage1 = audit_of(stage1_done, AuditKind.STAGE_1)
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    form = login(programme_manager).get(reverse("audits:audit-detail", args=[stage2.public_id])).context["team_form"]
    assert form[f"role-{ready.lead.public_id}"].value() == ""
    services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
    form = login(programme_manager).get(reverse("audits:audit-detail", args=[stage2.public_id])).context["team_form"]
    assert form[f"role-{ready.lead.public_id}"].value() == "lead_auditor"
    assert form[f"role-{ready.auditor.public_id}"].value() == "auditor"
    assert stage1.team.count() == 2


def test_an_unknown_role_on_the_team_form_is_a_form_error(programme, ready, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    page = login(programme_manager).post(
        reverse("audits:team-assign", args=[stage1.public_id]), {f"role-{ready.lead.public_id}": "boss"}
    )
    refused(page, "team_form", f"role-{ready.lead.public_id}")
    assert not stage1.team.exists()


def test_a_finding_with_an_unknown_grade_clause_or_site_is_a_form_error(stage1_done, ready, programme_manager):
    stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
    services.programme_record_combined_audit(
        actor=programme_manager, programme=stage1_done, justification="Combined on purpose here"
    )
    services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
    services.audit_start(actor=programme_manager, audit=stage2)
    url = reverse("audits:finding-raise", args=[stage2.public_id])
    lead = login(ready.lead.user)
    page = lead.post(url, {"grade": "catastrophic", "statement": "Kept statement", "clauses": ["not-an-id"]})
    refused(page, "finding_form", "grade", kept="Kept statement")
    assert page.context["finding_form"].errors["clauses"]
    page = lead.post(url, {"grade": "minor", "statement": "x", "site": "00000000-0000-0000-0000-000000000000"})
    refused(page, "finding_form", "site")
    assert not stage2.findings.exists()
    page = lead.post(url, {"grade": "minor", "statement": "No sign-off on work orders"})
    refused(page, "finding_form", "clauses", kept="No sign-off on work orders")  # a nonconformity cites a clause
    clause = ready.qms.clauses.get(ref="8.5.1")
    page = lead.post(
        url, {"grade": "minor", "statement": "No sign-off on work orders", "clauses": [clause.public_id]}, follow=True
    )
    assert b"Finding raised." in page.content
    assert stage2.findings.get().statement == "No sign-off on work orders"


def test_starting_an_audit_without_a_team_shows_the_reason_on_the_page(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    page = login(programme_manager).post(reverse("audits:audit-start", args=[stage1.public_id]), {"confirm": "on"})
    assert page.status_code in (409, 422)
    assert page.context["start_form"].non_field_errors()
    stage1.refresh_from_db()
    assert stage1.status == "planned"


def test_an_action_url_opened_in_the_browser_shows_its_page(programme, programme_manager):
    stage1 = audit_of(programme, AuditKind.STAGE_1)
    page = login(programme_manager).get(reverse("audits:audit-plan", args=[stage1.public_id]))
    assert page.status_code == 200
    assert b"Save plan" in page.content


# --- programme page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_special_audit_with_a_bad_due_date_is_a_form_error(programme, programme_manager, bad):
    url = reverse("audits:special-audit-create", args=[programme.public_id])
    page = login(programme_manager).post(url, {"purpose": "short_notice", "due_by": bad, "days": "1"})
    refused(page, "special_form", "due_by", kept=f'value="{bad}"')
    assert not programme.audits.filter(kind=AuditKind.SPECIAL).exists()


def test_a_special_audit_with_a_word_for_days_or_an_unknown_purpose_is_a_form_error(programme, programme_manager):
    url = reverse("audits:special-audit-create", args=[programme.public_id])
    page = login(programme_manager).post(url, {"purpose": "holiday", "due_by": "2026-06-30", "days": "one"})
    refused(page, "special_form", "days", kept='value="one"')
    assert page.context["special_form"].errors["purpose"]
    assert not programme.audits.filter(kind=AuditKind.SPECIAL).exists()


def test_a_valid_special_audit_is_added(programme, programme_manager):
    url = reverse("audits:special-audit-create", args=[programme.public_id])
    data = {"purpose": "short_notice", "due_by": "2026-06-30", "days": "1.5"}
    page = login(programme_manager).post(url, data, follow=True)
    assert b"Special audit added." in page.content
    special = Audit.objects.get(programme=programme, kind=AuditKind.SPECIAL)
    assert (special.due_by, special.days) == (date(2026, 6, 30), Decimal("1.5"))


def test_declining_needs_a_reason(programme_manager, ready, acme, acme_sites):
    application = services.application_submit(
        actor=programme_manager,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms],
        scope="Parts",
        sites=acme_sites,
        sector_codes=[17],
    )
    page = login(programme_manager).post(reverse("audits:application-decline", args=[application.public_id]), {})
    refused(page, "decline_form", "reason")
    application.refresh_from_db()
    assert application.status == "submitted"


# --- application ----------------------------------------------------------------------------------------


def test_an_application_with_words_for_sector_codes_is_a_form_error_not_dropped(ready, acme, acme_sites, client_admin):
    data = {
        "organization": str(acme.public_id),
        "certification_body": str(ready.cb.public_id),
        "standards": ["iso-9001-2015"],
        "scope": "Kept scope",
        "sites": [str(s.public_id) for s in acme_sites],
        "sector_codes": "17, metals",
        "complexity": "medium",
    }
    page = login(client_admin).post(reverse("audits:application-create"), data)
    refused(page, "form", "sector_codes", kept='value="17, metals"')
    assert "Kept scope" in page.content.decode()
    page = login(client_admin).post(reverse("audits:application-create"), {**data, "organization": "nope"})
    refused(page, "form", "organization")
    assert not acme.applications.exists()


def test_the_application_form_offers_the_sites_of_the_chosen_organization(
    ready, acme, acme_sites, bluewater, programme_manager
):
    """A CB's clients have hundreds of sites between them: the form lists (and ticks) only the chosen
    organization's — the first one, which the select shows, until the organization's select asks for another."""
    blue_sites = sites_for(bluewater)
    client = login(programme_manager)
    url = reverse("audits:application-create")
    first = client.get(url).content.decode()  # Acme before Bluewater by name
    assert all(str(s.public_id) in first for s in acme_sites)
    assert not any(str(s.public_id) in first for s in blue_sites)
    assert f'hx-get="{url}"' in first
    asked = client.get(f"{url}?organization={bluewater.public_id}").content.decode()
    assert all(f'value="{s.public_id}"' in asked for s in blue_sites)
    assert not any(str(s.public_id) in asked for s in acme_sites)
    assert client.get(f"{url}?organization=nope").status_code == 200
    data = {
        "organization": str(bluewater.public_id),
        "certification_body": str(ready.cb.public_id),
        "standards": ["iso-9001-2015"],
        "scope": "Warehousing",
        "sites": [str(s.public_id) for s in blue_sites],
        "sector_codes": "31",
        "complexity": "medium",
    }
    assert client.post(url, data).status_code == 302
    application = bluewater.applications.get()
    assert set(application.sites.all()) == set(blue_sites)
    # Another organization's site is not among the choices of the posted organization.
    page = client.post(url, {**data, "sites": [str(acme_sites[0].public_id)]})
    refused(page, "form", "sites")


# --- finding page ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", BAD_DATES)
def test_a_response_with_a_bad_completion_date_is_a_form_error(open_minor, client_admin, bad):
    url = reverse("audits:finding-respond", args=[open_minor.public_id])
    data = {"correction": "Kept", "root_cause": "No check", "corrective_action": "Checklist", "planned_completion": bad}
    page = login(client_admin).post(url, data)
    refused(page, "respond_form", "planned_completion", kept=f'value="{bad}"')
    assert "Kept</textarea>" in page.content.decode()
    assert not FindingResponse.objects.exists()


def test_a_response_missing_its_root_cause_is_a_form_error(open_minor, client_admin):
    url = reverse("audits:finding-respond", args=[open_minor.public_id])
    page = login(client_admin).post(url, {"correction": "Signed", "corrective_action": "Checklist"})
    refused(page, "respond_form", "root_cause")
    assert not FindingResponse.objects.exists()


def _answered(open_minor: Any, client_admin: Any) -> FindingResponse:
    return services.finding_respond(
        actor=client_admin, finding=open_minor, correction="Signed", root_cause="No check", corrective_action="List"
    )


def test_rejecting_a_response_without_a_comment_shows_the_reason_on_its_form(open_minor, client_admin, ready):
    response = _answered(open_minor, client_admin)
    url = reverse("audits:response-reject", args=[open_minor.public_id, response.public_id])
    page = login(ready.lead.user).post(url, {"comment": ""})
    assert page.status_code == 422
    [(_, form)] = page.context["responses"]
    assert form.errors
    response.refresh_from_db()
    assert response.status == "submitted"
    page = login(ready.lead.user).post(url, {"comment": "Root cause is a symptom"}, follow=True)
    assert b"Response rejected." in page.content


def test_a_response_of_another_finding_is_not_found(open_minor, client_admin, ready):
    _answered(open_minor, client_admin)
    url = reverse("audits:response-accept", args=[open_minor.public_id, "00000000-0000-0000-0000-000000000000"])
    assert login(ready.lead.user).post(url).status_code == 404


def test_a_verification_with_an_unknown_method_or_answer_is_a_form_error(open_minor, client_admin, ready):
    response = _answered(open_minor, client_admin)
    services.finding_response_review(actor=ready.lead.user, response=response, accept=True)
    url = reverse("audits:finding-verify", args=[open_minor.public_id])
    lead = login(ready.lead.user)
    page = lead.post(url, {"method": "telepathy", "effective": "maybe", "notes": "Kept note"})
    refused(page, "verify_form", "method", kept='value="Kept note"')
    assert page.context["verify_form"].errors["effective"]
    open_minor.refresh_from_db()
    assert open_minor.status == "response_accepted"
    page = lead.post(url, {"method": "documents", "effective": "yes", "notes": ""}, follow=True)
    assert b"Verification recorded." in page.content


def test_an_upload_without_a_file_is_a_form_error(open_minor, ready):
    page = login(ready.lead.user).post(reverse("audits:finding-attach", args=[open_minor.public_id]), {})
    refused(page, "attach_form", "file")
    assert not open_minor.attachments.exists()


# --- registers ------------------------------------------------------------------------------------------


def test_the_old_qualify_action_records_nothing_and_sends_to_the_evaluation_form(ready, cb_admin):
    data = {"auditor": str(ready.auditor.public_id), "standard": ready.ems.code, "sector_codes": "29"}
    before = Qualification.objects.count()
    page = login(cb_admin).post(reverse("audits:qualification-add"), data)
    assert page.status_code == 302
    assert page["Location"] == reverse("competence:evaluation-create")
    assert Qualification.objects.count() == before


def test_registering_an_address_outside_the_cb_is_a_form_error(ready, cb_admin, other_client_admin):
    page = login(cb_admin).post(reverse("audits:auditor-register"), {"email": other_client_admin.email})
    refused(page, "register_form", "email", kept=other_client_admin.email)


def test_moving_a_complaint_to_an_unknown_status_is_a_form_error(programme_manager, decision_maker, ready, acme):
    complaint = services.complaint_receive(
        actor=programme_manager, certification_body=ready.cb, complainant="A", subject="S", description="D"
    )
    services.complaint_assign(actor=programme_manager, complaint=complaint, handler=decision_maker)
    url = reverse("audits:complaint-advance", args=[complaint.public_id])
    page = login(decision_maker).post(url, {"status": "forgotten", "outcome": "Kept outcome"})
    assert page.status_code == 422
    [(_, _, form)] = page.context["rows"]
    assert form.errors["status"]
    assert 'value="Kept outcome"' in page.content.decode()
    page = login(decision_maker).post(url, {"status": "investigating"}, follow=True)
    assert b"Complaint updated." in page.content
    assert Complaint.objects.get().status == "investigating"


def test_a_complaint_without_a_subject_is_a_form_error(programme_manager):
    page = login(programme_manager).post(reverse("audits:complaint-receive"), {"description": "Kept words"})
    refused(page, "form", "subject", kept="Kept words")
    assert not Complaint.objects.exists()


def test_an_appeal_against_an_unknown_decision_is_a_form_error(client_admin):
    page = login(client_admin).post(
        reverse("certification:appeal-lodge"), {"decision": "abc", "grounds": "Kept grounds"}
    )
    refused(page, "form", "decision", kept="Kept grounds")


@pytest.mark.parametrize("query", ["start=2026-02-31", "start=abc", "days=many"])
def test_the_schedule_answers_a_bad_period_with_a_form_error(programme_manager, db, query):
    with time_machine.travel(date(2026, 1, 5), tick=False):
        page = login(programme_manager).get(reverse("audits:schedule") + "?" + query)
    assert page.status_code == 422
    assert page.context["form"].errors


def test_an_action_the_state_no_longer_allows_shows_its_reason_even_where_the_form_is_hidden(open_minor, ready):
    """A stale page: the lead auditor verifies a finding the client has not answered yet. The verification
    form is not offered in this state, so the page shows it again with the service's reason."""
    url = reverse("audits:finding-verify", args=[open_minor.public_id])
    page = login(ready.lead.user).post(url, {"method": "documents", "effective": "yes", "notes": "Seen"})
    assert page.status_code == 409
    assert "Accept the client&#x27;s response before verifying" in page.content.decode()
    assert 'value="Seen"' in page.content.decode()
    open_minor.refresh_from_db()
    assert open_minor.status == "open"


@pytest.mark.parametrize("value", [None, "", "2", "a<b", "3"])
def test_a_long_select_writes_the_html_of_djangos_select(value):
    """`LongSelect` (the complaint form's 600 clients) writes its options in Python: the same HTML as `Select`."""
    from django import forms

    from conformo.core.widgets import LongSelect

    choices = [("", "The CB itself"), ("a<b", 'A & B "q"'), ("2", "Two"), ("Group", [("3", "Three"), ("4", "4")])]
    attrs = {"required": True, "data-x": 'y"', "hidden": False}
    expected = forms.Select(choices=choices, attrs=attrs).render("organization", value, attrs={"id": "id_o"})
    assert LongSelect(choices=choices, attrs=attrs).render("organization", value, attrs={"id": "id_o"}) == expected


@pytest.mark.parametrize("until", [None, date(2027, 1, 1)])
def test_a_qualifications_line_reads_as_the_register_wrote_it_in_its_template(until):
    from django.template import Context, Template

    from conformo.standards.models import Standard

    standard = Standard(code="iso-9001-2015", designation="ISO 9001:2015 & co")
    q = Qualification(standard=standard, role="lead_auditor", sector_codes=[17, 18], valid_from=date(2024, 1, 2))
    q.valid_until = until
    template = Template(
        "{{ q.standard }} · {{ q.get_role_display }} · IAF {{ q.iaf_codes }} · from {{ q.valid_from.isoformat }}"
        "{% if q.valid_until %} to {{ q.valid_until.isoformat }}{% endif %}"
    )
    assert Template("{{ q.line }}").render(Context({"q": q})) == template.render(Context({"q": q}))


def test_a_qualifications_iaf_codes_read_as_the_join_filter_wrote_them():
    from django.template.defaultfilters import join

    for codes in ([17, 18], ["28"], []):
        assert Qualification(sector_codes=codes).iaf_codes == join(codes, ", ")


@pytest.mark.parametrize("value", [None, "", True, False, "true", "false", "unknown", "2", "maybe"])
def test_a_long_null_boolean_select_writes_the_html_of_djangos(value):
    """`LongNullBooleanSelect` (a list's `open` filter) writes the same HTML as `NullBooleanSelect`, and reads the
    same value back."""
    from django import forms
    from django.utils.datastructures import MultiValueDict

    from conformo.core.widgets import LongNullBooleanSelect

    attrs = {"id": "id_open", "aria-describedby": "id_open_helptext"}
    expected = forms.NullBooleanSelect().render("open", value, attrs=attrs)
    assert LongNullBooleanSelect().render("open", value, attrs=attrs) == expected
    data: dict[str, Any] = {"open": value}
    files: MultiValueDict[str, Any] = MultiValueDict()
    ours = LongNullBooleanSelect().value_from_datadict(data, files, "open")
    assert ours == forms.NullBooleanSelect().value_from_datadict(data, files, "open")


@pytest.mark.parametrize("query", ["", "sort=-due", "sort=organization", "sort=-due,starts", "sort=bogus", "sort=a<b"])
def test_a_lists_sort_select_writes_the_html_of_django_filters(query):
    """The sort of a list's filter bar, a `LongSelect` wrapped to read a comma-separated value, writes the HTML that
    django-filter's own select writes."""
    from django import forms
    from django.http import QueryDict
    from django_filters.widgets import BaseCSVWidget

    import conformo.api  # noqa: F401 - the API reads the filters at import, as a server does before any page
    from conformo.audits.filters import AuditFilter
    from conformo.audits.models import Audit
    from conformo.core.widgets import LongSelect

    bound = AuditFilter(QueryDict(query), queryset=Audit.objects.none()).form["sort"]
    ours = bound.field.widget
    theirs = type("CSVSelect", (BaseCSVWidget, forms.Select), {})(choices=ours.choices)
    assert isinstance(ours, LongSelect)
    attrs = {"id": "id_sort"}
    assert ours.render("sort", bound.value(), attrs=attrs) == theirs.render("sort", bound.value(), attrs=attrs)
