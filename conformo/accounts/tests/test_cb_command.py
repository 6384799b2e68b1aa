"""`conformo cb create|invite`: the first run of an installation, without the Django admin."""

from __future__ import annotations

from typing import Any

import pytest

from conformo.accounts.invitation_links import invitation_from_token
from conformo.accounts.models import Invitation
from conformo.core.models import AuditLogEntry
from conformo.organizations.models import CertificationBody

pytestmark = pytest.mark.django_db


def printed_token(stdout: str) -> str:
    link = next(line.strip() for line in stdout.splitlines() if "/accounts/invitations/accept/" in line)
    assert link.startswith("http://127.0.0.1:8000/accounts/invitations/accept/")
    return link.rstrip("/").rsplit("/", 1)[1]


def test_cb_create_registers_the_cb_and_prints_its_administrators_link(cli: Any) -> None:
    result = cli(
        "cb", "create", "--name", "Eastline Audit", "--country", "de", "--admin-email", "Boss@Eastline.example"
    )
    assert result.returncode == 0, result.stderr
    cb = CertificationBody.objects.get(name="Eastline Audit")
    assert cb.country == "DE"
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.certification_body, invitation.invited_by) == (
        "boss@eastline.example",
        "cb_admin",
        cb,
        None,
    )
    assert "invited boss@eastline.example as its CB administrator" in result.stdout
    assert invitation_from_token(printed_token(result.stdout)) == invitation
    assert set(AuditLogEntry.objects.values_list("action", flat=True)) == {
        "certification_body.create",
        "invitation.create",
    }


def test_cb_invite_sends_an_open_invitation_again_with_a_new_link(cli: Any) -> None:
    first = cli("cb", "create", "--name", "Eastline Audit", "--country", "DE", "--admin-email", "boss@eastline.example")
    again = cli("cb", "invite", "--cb", "eastline audit", "--email", "boss@eastline.example")
    assert again.returncode == 0, again.stderr
    assert printed_token(again.stdout) != printed_token(first.stdout)
    assert Invitation.objects.get().sent_count == 2
    staff = cli("cb", "invite", "--cb", "Eastline Audit", "--email", "e@eastline.example", "--role", "technical_expert")
    assert staff.returncode == 0, staff.stderr
    assert Invitation.objects.filter(role="technical_expert").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--name", "X", "--country", "DE", "--admin-email", "nope"], "Enter a valid e-mail address"),
        (["create", "--name", "X", "--country", "Germany", "--admin-email", "a@x.example"], "two-letter"),
        (["create", "--name", " ", "--country", "DE", "--admin-email", "a@x.example"], "Name the certification body"),
        (["invite", "--cb", "Nowhere", "--email", "a@x.example"], "No certification body is named 'Nowhere'"),
        (["invite", "--cb", "X", "--email", "a@x.example", "--role", "client_admin"], "invalid choice"),
    ],
)
def test_a_refusal_is_one_line_and_a_non_zero_exit(cli: Any, args: list[str], message: str) -> None:
    result = cli("cb", *args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not CertificationBody.objects.exists()


def test_a_second_cb_with_the_same_name_is_refused(cli: Any) -> None:
    cli("cb", "create", "--name", "Eastline Audit", "--country", "DE", "--admin-email", "a@eastline.example")
    result = cli("cb", "create", "--name", "EASTLINE AUDIT", "--country", "DE", "--admin-email", "b@eastline.example")
    assert result.returncode != 0
    assert "exists already" in result.stderr
