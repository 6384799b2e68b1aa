"""Notifications through the API (preferences, notices, resend) and the CB administrator's deliveries page:
each person reads and changes only what is theirs; a CB administrator sees and resends the CB's failed notices,
never another CB's."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from conformo.conftest import login, token_client
from conformo.notifications.kinds import Delivery, Kind
from conformo.notifications.models import Notice, NoticeStatus
from conformo.notifications.services import deliveries_for, notify

pytestmark = pytest.mark.django_db


def notice(user: Any, key: str, *, cb: Any = None, status: str = NoticeStatus.SENT, error: str = "") -> Notice:
    """A notice of a finding to `user` (on behalf of `cb`), moved to `status`."""
    with transaction.atomic():
        made = notify(
            recipient=user,
            kind=Kind.FINDING_RAISED,
            key=key,
            subject=f"Finding {key}",
            lines=["Answer it."],
            link="/cb/",
            certification_body_id=cb.pk if cb else None,
        )
    assert made is not None
    Notice.objects.filter(pk=made.pk).update(status=status, attempts=6 if error else 1, last_error=error)
    made.refresh_from_db()
    return made


def post_json(client: Client, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


# --- preferences -----------------------------------------------------------------------------------------------


def test_the_api_lists_every_kind_with_its_delivery_and_the_mandatory_ones(client_admin: Any) -> None:
    client, _ = token_client(client_admin)
    body = client.get("/api/v1/notifications/preferences").json()
    by_kind = {p["kind"]: p for p in body["preferences"]}
    assert set(by_kind) == set(Kind.values)
    assert by_kind["invitation"] == {
        "kind": "invitation",
        "label": "Invitation to join",
        "delivery": "immediate",
        "mandatory": True,
    }
    assert by_kind["finding_raised"]["mandatory"] is False


def test_the_api_changes_the_chosen_kinds_and_keeps_the_others(client_admin: Any) -> None:
    client, _ = token_client(client_admin)
    response = post_json(
        client, "/api/v1/notifications/preferences", {"finding_raised": "digest", "report_issued": "off"}
    )
    assert response.status_code == 200
    by_kind = {p["kind"]: p["delivery"] for p in response.json()["preferences"]}
    assert (by_kind["finding_raised"], by_kind["report_issued"], by_kind["plan_issued"]) == (
        "digest",
        "off",
        "immediate",
    )
    assert deliveries_for(client_admin)[Kind.FINDING_RAISED] == Delivery.DIGEST


def test_bad_choices_are_field_errors_per_kind_and_change_nothing(client_admin: Any) -> None:
    client, _ = token_client(client_admin)
    response = post_json(
        client,
        "/api/v1/notifications/preferences",
        {"finding_raised": "digest", "weather": "off", "plan_issued": "hourly", "password_reset": "off"},
    )
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"weather", "plan_issued", "password_reset"}
    assert deliveries_for(client_admin)[Kind.FINDING_RAISED] == Delivery.IMMEDIATE


@pytest.mark.parametrize("body", [{"finding_raised": 3}, ["finding_raised"], "digest"])
def test_a_malformed_body_is_a_422_not_a_server_error(client_admin: Any, body: Any) -> None:
    client, _ = token_client(client_admin)
    response = post_json(client, "/api/v1/notifications/preferences", body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_the_notification_api_asks_to_sign_in(db: Any) -> None:
    assert Client().get("/api/v1/notifications/preferences").status_code == 401
    assert Client().get("/api/v1/notifications/notices").status_code == 401


# --- notices ---------------------------------------------------------------------------------------------------


def test_a_user_lists_their_own_notices_and_nobody_elses(cb: Any, client_admin: Any, auditor: Any) -> None:
    mine = notice(client_admin, "a", cb=cb)
    notice(auditor, "b", cb=cb)
    client, _ = token_client(client_admin)
    body = client.get("/api/v1/notifications/notices").json()
    assert [n["id"] for n in body["items"]] == [str(mine.public_id)]
    item = body["items"][0]
    assert (item["recipient"], item["kind"], item["link"]) == (client_admin.email, "finding_raised", "/cb/")
    assert item["url"] == "http://127.0.0.1:8000/cb/"


def test_a_cb_administrator_lists_the_cbs_failed_notices_and_another_cbs_administrator_does_not(
    cb: Any, cb_admin: Any, other_cb_admin: Any, auditor: Any, client_admin: Any
) -> None:
    failed = notice(auditor, "a", cb=cb, status=NoticeStatus.FAILED, error="SMTPRecipientsRefused")
    notice(client_admin, "b", cb=cb)
    notice(client_admin, "c")  # told on nobody's behalf: not the CB's
    client, _ = token_client(cb_admin)
    body = client.get("/api/v1/notifications/notices?status=failed").json()
    assert [(n["id"], n["last_error"], n["attempts"]) for n in body["items"]] == [
        (str(failed.public_id), "SMTPRecipientsRefused", 6)
    ]
    assert client.get("/api/v1/notifications/notices").json()["count"] == 2
    other, _ = token_client(other_cb_admin)
    assert other.get("/api/v1/notifications/notices?status=failed").json()["count"] == 0


def test_unknown_filters_are_field_errors(client_admin: Any) -> None:
    client, _ = token_client(client_admin)
    response = client.get("/api/v1/notifications/notices?status=lost&kind=weather")
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"status", "kind"}


def test_the_notice_list_costs_the_same_queries_for_3_or_30_notices(
    cb: Any, cb_admin: Any, auditor: Any, django_assert_max_num_queries: Any
) -> None:
    client, _ = token_client(cb_admin)
    for n in range(3):
        notice(auditor, f"few-{n}", cb=cb)
    with django_assert_max_num_queries(8) as few:
        assert client.get("/api/v1/notifications/notices").json()["count"] == 3
    for n in range(27):
        notice(auditor, f"many-{n}", cb=cb)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/notifications/notices").json()["count"] == 30


def test_the_cb_administrator_resends_a_failed_notice_through_the_api(
    cb: Any, cb_admin: Any, auditor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    failed = notice(auditor, "a", cb=cb, status=NoticeStatus.FAILED, error="timeout")
    client, _ = token_client(cb_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/notifications/notices/{failed.public_id}/resend")
    assert response.status_code == 200
    assert response.json()["status"] == NoticeStatus.PENDING
    failed.refresh_from_db()
    assert failed.status == NoticeStatus.SENT
    again = client.post(f"/api/v1/notifications/notices/{failed.public_id}/resend")
    assert (again.status_code, again.json()["code"]) == (409, "notice_not_failed")


def test_another_cbs_administrator_and_an_outsider_cannot_even_see_a_notice_to_resend(
    cb: Any, auditor: Any, other_cb_admin: Any, outsider: Any
) -> None:
    failed = notice(auditor, "a", cb=cb, status=NoticeStatus.FAILED, error="timeout")
    for someone in (other_cb_admin, outsider):
        client, _ = token_client(someone)
        response = client.post(f"/api/v1/notifications/notices/{failed.public_id}/resend")
        assert response.status_code == 404
    failed.refresh_from_db()
    assert failed.status == NoticeStatus.FAILED


def test_a_recipient_resends_their_own_failed_notice(client_admin: Any) -> None:
    failed = notice(client_admin, "a", status=NoticeStatus.FAILED, error="timeout")
    client, _ = token_client(client_admin)
    assert client.post(f"/api/v1/notifications/notices/{failed.public_id}/resend").status_code == 200


# --- the deliveries page ---------------------------------------------------------------------------------------


def test_the_deliveries_page_lists_the_cbs_failed_and_retrying_notices_with_a_resend_for_the_failed(
    cb: Any, cb_admin: Any, auditor: Any, client_admin: Any, other_cb: Any, other_client_admin: Any
) -> None:
    failed = notice(auditor, "a", cb=cb, status=NoticeStatus.FAILED, error="SMTPRecipientsRefused: auditor")
    retrying = notice(client_admin, "b", cb=cb, status=NoticeStatus.RETRYING, error="Connection refused")
    notice(client_admin, "c", cb=cb)  # sent
    notice(other_client_admin, "d", cb=other_cb, status=NoticeStatus.FAILED, error="Southgate's server")
    page = login(cb_admin).get("/notifications/deliveries/")
    assert page.status_code == 200
    assert "SMTPRecipientsRefused: auditor" in page.text
    assert "Connection refused" in page.text
    assert "Finding c" not in page.text
    assert "Southgate" not in page.text  # the other CB's failure (its last error)
    assert other_client_admin.email not in page.text
    assert f"/notifications/notices/{failed.public_id}/resend/" in page.text
    assert f"/notifications/notices/{retrying.public_id}/resend/" not in page.text


def test_resending_from_the_page_sends_the_notice_and_comes_back_to_the_list(
    cb: Any, cb_admin: Any, auditor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    failed = notice(auditor, "a", cb=cb, status=NoticeStatus.FAILED, error="timeout")
    client = login(cb_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notifications/notices/{failed.public_id}/resend/")
    assert response.status_code == 302
    assert response["Location"] == "/notifications/deliveries/"
    failed.refresh_from_db()
    assert failed.status == NoticeStatus.SENT
    assert "queued to be sent again" in client.get("/notifications/deliveries/").text


def test_resending_a_notice_that_did_not_fail_says_why_on_the_page(cb: Any, cb_admin: Any, auditor: Any) -> None:
    failed = notice(auditor, "a", cb=cb, status=NoticeStatus.FAILED, error="timeout")
    Notice.objects.filter(pk=failed.pk).update(status=NoticeStatus.SENT)
    response = login(cb_admin).post(f"/notifications/notices/{failed.public_id}/resend/")
    assert response.status_code == 409
    assert "Only a notice whose sending failed can be sent again." in response.text


def test_the_deliveries_are_the_cb_administrators_only(
    cb: Any, auditor: Any, client_admin: Any, programme_manager: Any, outsider: Any, other_cb_admin: Any
) -> None:
    failed = notice(auditor, "a", cb=cb, status=NoticeStatus.FAILED, error="timeout")
    for someone in (client_admin, programme_manager, outsider):
        assert login(someone).get("/notifications/deliveries/").status_code == 403
        assert login(someone).post(f"/notifications/notices/{failed.public_id}/resend/").status_code == 403
    assert login(other_cb_admin).post(f"/notifications/notices/{failed.public_id}/resend/").status_code == 404
    assert Client().get("/notifications/deliveries/").status_code == 302
    failed.refresh_from_db()
    assert failed.status == NoticeStatus.FAILED


def test_only_the_cb_administrator_sees_the_deliveries_link(cb_admin: Any, programme_manager: Any) -> None:
    assert 'href="/notifications/deliveries/"' in login(cb_admin).get("/dashboard/").text
    assert 'href="/notifications/deliveries/"' not in login(programme_manager).get("/dashboard/").text


def test_the_deliveries_page_costs_the_same_queries_for_3_or_30_failures(
    cb: Any, cb_admin: Any, auditor: Any, django_assert_max_num_queries: Any
) -> None:
    client = login(cb_admin)
    for n in range(3):
        notice(auditor, f"few-{n}", cb=cb, status=NoticeStatus.FAILED, error="x")
    with django_assert_max_num_queries(30) as few:
        assert client.get("/notifications/deliveries/").status_code == 200
    for n in range(27):
        notice(auditor, f"many-{n}", cb=cb, status=NoticeStatus.FAILED, error="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/notifications/deliveries/").status_code == 200
