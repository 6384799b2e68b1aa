"""The improvement log's page actions: each has its own URL and form; bad input is a form error on the
same page, with the input kept, and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from conformo.conftest import login
from conformo.improvement.models import CorrectiveAction, EffectivenessCheck, Nonconformity
from conformo.improvement.services import corrective_action_complete, corrective_action_set, nonconformity_raise

pytestmark = pytest.mark.django_db


@pytest.fixture
def nc(client_admin, acme):
    return nonconformity_raise(actor=client_admin, organization=acme, source="complaint", grade="minor", title="Late")


def _raise(user, acme, **fields):
    data = {"title": "Leaking valve", "source": "incident", "grade": "major", "raised_on": "2026-02-03", **fields}
    return login(user).post(reverse("improvement:nonconformity-raise", args=[acme.public_id]), data)


def test_logging_a_nonconformity_from_the_page_creates_it_on_the_date_given(client_admin, acme):
    response = _raise(client_admin, acme)
    nc = Nonconformity.objects.get(organization=acme)
    assert response.status_code == 302
    assert response["Location"] == reverse("improvement:detail", args=[nc.public_id])
    assert (nc.title, nc.grade, nc.raised_on) == ("Leaking valve", "major", date(2026, 2, 3))


@pytest.mark.parametrize("raised_on", ["2026-02-31", "abc"])
def test_a_date_that_does_not_exist_is_a_form_error_and_logs_nothing(client_admin, acme, raised_on):
    response = _raise(client_admin, acme, raised_on=raised_on)
    body = response.content.decode()
    assert response.status_code == 422
    assert "Enter a valid date." in body
    assert f'value="{raised_on}"' in body
    assert 'value="Leaking valve"' in body
    assert not Nonconformity.objects.filter(organization=acme).exists()


def test_a_missing_title_or_unknown_grade_is_a_form_error(client_admin, acme):
    response = _raise(client_admin, acme, title="", grade="catastrophic")
    body = response.content.decode()
    assert response.status_code == 422
    assert "This field is required." in body
    assert "Select a valid choice." in body
    assert not Nonconformity.objects.exists()


def test_the_cb_finding_source_is_not_offered_on_the_page(client_admin, acme):
    response = _raise(client_admin, acme, source="cb_finding")
    assert response.status_code == 422
    assert not Nonconformity.objects.exists()
    assert (
        'value="cb_finding"'
        not in login(client_admin).get(reverse("improvement:log", args=[acme.public_id])).content.decode()
    )


def test_the_raise_form_offers_today_and_opens_on_its_own_url(client_admin, acme):
    response = login(client_admin).get(reverse("improvement:nonconformity-raise", args=[acme.public_id]))
    assert response.status_code == 200
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in response.content.decode()


def test_a_member_who_may_not_write_is_refused(client_member, acme):
    assert _raise(client_member, acme).status_code == 403
    assert not Nonconformity.objects.exists()


def test_the_log_answers_only_get(client_admin, acme):
    response = login(client_admin).post(reverse("improvement:log", args=[acme.public_id]), {"title": "x"})
    assert response.status_code == 405


def _plan(user, nc, **fields):
    data = {"root_cause": "No SLA", "corrective_action": "Sign an SLA", "due_date": "2026-03-01", **fields}
    return login(user).post(reverse("improvement:action-plan", args=[nc.public_id]), data)


def test_planning_the_corrective_action_saves_it_with_its_owner(client_admin, client_member, nc):
    response = _plan(client_admin, nc, owner=client_member.pk, correction="Courier")
    ca = CorrectiveAction.objects.get(nonconformity=nc)
    assert response.status_code == 302
    assert (ca.root_cause, ca.action, ca.owner, ca.due_date) == (
        "No SLA",
        "Sign an SLA",
        client_member,
        date(2026, 3, 1),
    )


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"due_date": "2026-02-31"}, "Enter a valid date."),
        ({"due_date": ""}, "This field is required."),
        ({"owner": "999999"}, "Select a valid choice."),
        ({"owner": "abc"}, "Select a valid choice."),
        ({"root_cause": ""}, "This field is required."),
    ],
)
def test_bad_corrective_action_input_is_a_form_error_and_saves_nothing(client_admin, nc, fields, error):
    response = _plan(client_admin, nc, **fields)
    body = response.content.decode()
    assert response.status_code == 422
    assert error in body
    assert "Sign an SLA" in body
    assert not CorrectiveAction.objects.filter(nonconformity=nc).exists()


def test_the_owner_of_someone_outside_the_organization_is_refused(client_admin, other_client_admin, nc):
    response = _plan(client_admin, nc, owner=other_client_admin.pk)
    assert response.status_code == 422
    assert not CorrectiveAction.objects.filter(nonconformity=nc).exists()


def test_the_plan_form_shows_the_action_as_it_stands(client_admin, client_member, nc):
    corrective_action_set(
        actor=client_admin,
        nonconformity=nc,
        root_cause="Old cause",
        action="Old fix",
        owner=client_member,
        due_date=date(2026, 4, 1),
    )
    body = login(client_admin).get(reverse("improvement:detail", args=[nc.public_id])).content.decode()
    assert f'<option value="{client_member.pk}" selected>' in body
    assert 'value="2026-04-01"' in body
    assert "Old cause</textarea>" in body


def _planned(client_admin, nc):
    corrective_action_set(actor=client_admin, nonconformity=nc, root_cause="x", action="y", due_date=date(2026, 4, 1))


def test_completing_the_action_records_the_date_given(client_admin, nc):
    _planned(client_admin, nc)
    url = reverse("improvement:action-complete", args=[nc.public_id])
    response = login(client_admin).post(url, {"completed_on": "2026-03-30"})
    assert response.status_code == 302
    assert CorrectiveAction.objects.get(nonconformity=nc).completed_on == date(2026, 3, 30)


@pytest.mark.parametrize("completed_on", ["2026-02-31", "abc", ""])
def test_a_bad_completion_date_is_a_form_error_not_today(client_admin, nc, completed_on):
    _planned(client_admin, nc)
    url = reverse("improvement:action-complete", args=[nc.public_id])
    response = login(client_admin).post(url, {"completed_on": completed_on})
    assert response.status_code == 422
    assert f'value="{completed_on}"' in response.content.decode() or not completed_on
    assert CorrectiveAction.objects.get(nonconformity=nc).completed_on is None


def test_completing_an_unplanned_action_is_a_conflict_shown_on_the_page(client_admin, nc):
    url = reverse("improvement:action-complete", args=[nc.public_id])
    response = login(client_admin).post(url, {"completed_on": "2026-03-30"})
    assert response.status_code == 409
    assert "Plan a corrective action before completing it." in response.content.decode()


def test_an_effectiveness_check_closes_the_nonconformity(client_admin, nc):
    _planned(client_admin, nc)
    corrective_action_complete(actor=client_admin, nonconformity=nc, completed_on=date(2026, 3, 1))
    url = reverse("improvement:effectiveness-check", args=[nc.public_id])
    assert login(client_admin).post(url, {"effective": "yes"}).status_code == 302
    nc.refresh_from_db()
    assert nc.status == "closed"
    assert EffectivenessCheck.objects.get(nonconformity=nc).effective is True


@pytest.mark.parametrize(
    ("data", "error"),
    [({}, "This field is required."), ({"effective": "maybe"}, "Select a valid choice.")],
)
def test_a_missing_or_unknown_verdict_is_a_form_error(client_admin, nc, data, error):
    _planned(client_admin, nc)
    corrective_action_complete(actor=client_admin, nonconformity=nc, completed_on=date(2026, 3, 1))
    url = reverse("improvement:effectiveness-check", args=[nc.public_id])
    response = login(client_admin).post(url, {"notes": "kept", **data})
    assert response.status_code == 422
    assert error in response.content.decode()
    assert "kept</textarea>" in response.content.decode()
    assert not EffectivenessCheck.objects.exists()


def test_not_effective_without_notes_shows_the_services_reason_on_the_notes(client_admin, nc):
    _planned(client_admin, nc)
    corrective_action_complete(actor=client_admin, nonconformity=nc, completed_on=date(2026, 3, 1))
    url = reverse("improvement:effectiveness-check", args=[nc.public_id])
    response = login(client_admin).post(url, {"effective": "no"})
    assert response.status_code == 422
    assert "Required when not effective." in response.content.decode()
    assert not EffectivenessCheck.objects.exists()


def test_an_empty_post_is_a_form_error_on_every_field_it_needs(client_admin, acme):
    response = login(client_admin).post(reverse("improvement:nonconformity-raise", args=[acme.public_id]))
    assert response.status_code == 422
    assert response.content.decode().count("This field is required.") == 4
    assert not Nonconformity.objects.exists()
