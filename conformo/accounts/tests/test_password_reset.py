"""Password reset by email: Django's views and tokens at /accounts/password-reset/."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client, TestCase

from conformo.core.models import AuditLogEntry

START = datetime(2026, 4, 1, 10, 0, tzinfo=UTC)
NEW = "a-fresh-long-secret-77"


def _ask(email: str) -> tuple[Client, Any]:
    """Ask for a link; the notice's mail goes out when the request's transaction commits."""
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client, client.post("/accounts/password-reset/", {"email": email})


def _link() -> str:
    (message,) = mail.outbox
    match = re.search(r"http://127\.0\.0\.1:8000(/accounts/password-reset/[^/\s]+/[^/\s]+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def _set_password(client: Client, link: str, password: str = NEW):
    chain = client.get(link, follow=True).redirect_chain  # a valid link: Django moves the token into the session
    form_url = chain[-1][0] if chain else link
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_the_sign_in_page_links_to_the_password_reset(db):
    body = Client().get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in body
    assert "Forgot your password?" in body


def test_a_known_address_gets_a_mail_with_a_text_and_an_html_body_carrying_the_link(client_admin, settings):
    settings.BASE_URL = "http://127.0.0.1:8000"
    _, response = _ask("quality@acme.test")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"
    (message,) = mail.outbox
    assert message.to == ["quality@acme.test"]
    assert message.subject == "[Conformo] Reset your Conformo password"
    link = _link()
    assert link in message.body
    assert "works once, for 24 hours" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    assert f'href="http://127.0.0.1:8000{link}"' in str(html)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client_admin):
    _, known = _ask("quality@acme.test")
    _, unknown = _ask("nobody@acme.test")
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    assert len(mail.outbox) == 1
    done = Client().get(unknown["Location"]).content.decode()
    assert "If an account uses the address you entered" in done


def test_the_address_is_matched_whatever_its_case(client_admin):
    _ask("Quality@ACME.test")
    assert [m.to for m in mail.outbox] == [["quality@acme.test"]]


def test_a_malformed_address_is_a_field_error(db):
    _, response = _ask("not-an-address")
    assert response.status_code == 422
    assert "Enter a valid email address." in response.content.decode()
    assert not mail.outbox


def test_a_mail_server_that_refuses_gives_the_same_page_not_a_500(client_admin):
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError):
        _, response = _ask("quality@acme.test")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"


def test_the_link_sets_a_new_password_once_and_is_refused_when_used_again(client_admin):
    _ask("quality@acme.test")
    link = _link()
    client = Client()
    response = _set_password(client, link)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/complete/"
    client_admin.refresh_from_db()
    assert client_admin.check_password(NEW)
    assert AuditLogEntry.objects.filter(action="user.password_reset", object_id=str(client_admin.pk)).exists()

    again = Client()
    page = again.get(link, follow=True)
    assert "This link no longer works" in page.content.decode()
    refused = _set_password(again, link, "yet-another-secret-99")
    assert "This link no longer works" in refused.content.decode()
    client_admin.refresh_from_db()
    assert client_admin.check_password(NEW)
    signed_in = Client().post("/accounts/login/", {"username": "quality@acme.test", "password": NEW})
    assert signed_in.status_code == 302


def test_the_link_expires_after_password_reset_timeout(client_admin, settings):
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60
    with time_machine.travel(START, tick=False):
        _ask("quality@acme.test")
    link = _link()
    with time_machine.travel(START + timedelta(minutes=59), tick=False):
        assert "Choose a new password" in Client().get(link, follow=True).content.decode()
    with time_machine.travel(START + timedelta(minutes=61), tick=False):
        client = Client()
        assert "This link no longer works" in client.get(link, follow=True).content.decode()
        _set_password(client, link)
    client_admin.refresh_from_db()
    assert client_admin.check_password("pw-for-tests")


def test_an_altered_link_is_refused_not_a_500(client_admin):
    for link in (
        "/accounts/password-reset/Zm9v/abc-def/",
        "/accounts/password-reset/%25%25/x/",
        "/accounts/password-reset/MQ/set-password/",
    ):
        response = Client().get(link, follow=True)
        assert response.status_code == 200
        assert "This link no longer works" in response.content.decode()


def test_a_weak_new_password_is_a_field_error(client_admin):
    _ask("quality@acme.test")
    response = _set_password(Client(), _link(), "12345")
    assert response.status_code == 422
    assert "This password is too short" in response.content.decode()
    client_admin.refresh_from_db()
    assert client_admin.check_password("pw-for-tests")
