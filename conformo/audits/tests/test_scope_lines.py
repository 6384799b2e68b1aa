"""The application's structured scope: lines per standard and site with IAF codes, replaced all at once by the
client's administrator or the CB's managers while the application is open; the page, the API, the data
migration from the free text."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import ApplicationStatus
from conformo.audits.models import Application, ScopeLine
from conformo.certification.models import Certification
from conformo.conftest import login, token_client
from conformo.core.errors import Conflict, PermissionDenied, ValidationFailed
from conformo.core.models import AuditLogEntry


@pytest.fixture
def application(ready: Any, acme: Any, acme_sites: list[Any], programme_manager: Any) -> Application:
    return services.application_submit(
        actor=programme_manager,
        certification_body=ready.cb,
        organization=acme,
        standards=[ready.qms, ready.ems],
        scope="Machining of precision parts",
        sites=acme_sites,
        sector_codes=[17],
    )


def lines_of(application: Any) -> list[tuple[str, str | None, str, list[int]]]:
    return [
        (line.standard.code, line.site.name if line.site else None, line.activity, line.sector_codes)
        for line in services.scope_lines(application)
    ]


def two_lines(ready: Any, acme_sites: list[Any]) -> list[dict[str, Any]]:
    return [
        {"standard": ready.qms.code, "site": None, "activity": "Machining of precision parts", "sector_codes": [17]},
        {
            "standard": ready.ems.code,
            "site": str(acme_sites[1].public_id),
            "activity": "Surface treatment",
            "sector_codes": ["17", 18],
        },
    ]


def test_a_new_application_starts_with_one_line_per_standard_from_its_free_text(application):
    assert lines_of(application) == [
        ("iso-14001-2015", None, "Machining of precision parts", [17]),
        ("iso-9001-2015", None, "Machining of precision parts", [17]),
    ]


def test_the_client_administrator_replaces_every_line_and_the_codes_follow(
    application, client_admin, ready, acme_sites
):
    services.application_scope_set(actor=client_admin, application=application, lines=two_lines(ready, acme_sites))
    application.refresh_from_db()
    assert lines_of(application) == [
        ("iso-9001-2015", None, "Machining of precision parts", [17]),
        ("iso-14001-2015", "Plant North", "Surface treatment", [17, 18]),
    ]
    assert application.sector_codes == [17, 18]
    entry = AuditLogEntry.objects.get(action="application.scope")
    assert entry.after is not None
    assert [line["activity"] for line in entry.after["lines"]] == ["Machining of precision parts", "Surface treatment"]


def test_lines_of_one_standard_site_and_activity_are_merged(application, programme_manager, ready):
    line = {"standard": ready.qms.code, "site": None, "activity": "Machining", "sector_codes": [17]}
    services.application_scope_set(
        actor=programme_manager,
        application=application,
        lines=[line, {**line, "activity": " machining ", "sector_codes": [18]}],
    )
    assert lines_of(application) == [("iso-9001-2015", None, "Machining", [17, 18])]


def test_bad_lines_are_refused_row_by_row_and_nothing_changes(application, programme_manager, ready, other_cb):
    foreign_site = "00000000-0000-0000-0000-000000000000"
    with pytest.raises(ValidationFailed) as refused:
        services.application_scope_set(
            actor=programme_manager,
            application=application,
            lines=[
                {"standard": ready.qms.code, "site": None, "activity": "Fine", "sector_codes": [17]},
                {"standard": "iso-45001-2018", "site": foreign_site, "activity": "", "sector_codes": []},
                {"standard": ready.qms.code, "site": None, "activity": "Fine", "sector_codes": [40]},
            ],
        )
    assert set(refused.value.fields) == {"lines.1.standard", "lines.1.site", "lines.1.activity", "lines.2.sector_codes"}
    assert len(lines_of(application)) == 2


def test_a_scope_without_lines_is_refused(application, programme_manager):
    with pytest.raises(ValidationFailed) as refused:
        services.application_scope_set(actor=programme_manager, application=application, lines=[])
    assert refused.value.fields == {"lines": ["Give at least one scope line."]}


def test_a_changed_scope_sends_a_reviewed_application_back_to_review(application, programme_manager, ready):
    services.application_review(actor=programme_manager, application=application)
    assert application.status == ApplicationStatus.REVIEWED
    services.application_scope_set(
        actor=programme_manager,
        application=application,
        lines=[{"standard": ready.qms.code, "site": None, "activity": "Machining", "sector_codes": [17]}],
        replace_statement=True,
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.scope == "ISO 9001:2015 — all sites: Machining (IAF 17)."


def test_a_client_member_an_auditor_and_another_cb_cannot_change_the_scope(
    application, client_member, auditor, other_cb_admin, ready
):
    lines = [{"standard": ready.qms.code, "site": None, "activity": "X", "sector_codes": []}]
    for user in (client_member, auditor, other_cb_admin):
        with pytest.raises(PermissionDenied):
            services.application_scope_set(actor=user, application=application, lines=lines)


def test_an_accepted_application_keeps_its_scope_and_the_certification_gets_a_copy(programme, programme_manager, ready):
    application = programme.application
    with pytest.raises(Conflict) as refused:
        services.application_scope_set(
            actor=programme_manager,
            application=application,
            lines=[{"standard": ready.qms.code, "site": None, "activity": "X", "sector_codes": []}],
        )
    assert refused.value.code == "application_closed"
    certification = programme.certification
    assert lines_of(certification) == [("iso-9001-2015", None, "Machining of precision parts", [17])]


def test_the_api_reads_and_replaces_the_lines(application, client_admin, ready, acme_sites):
    client, _ = token_client(client_admin)
    url = f"/api/v1/applications/{application.public_id}/scope"
    body = {
        "lines": [
            {"standard": ready.qms.code, "site_id": None, "activity": "Machining", "sector_codes": [17]},
            {
                "standard": ready.ems.code,
                "site_id": str(acme_sites[2].public_id),
                "activity": "Paint",
                "sector_codes": [],
            },
        ]
    }
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    read = client.get(url).json()
    assert [(x["standard"], x["site_name"], x["activity"]) for x in read["lines"]] == [
        ("iso-9001-2015", None, "Machining"),
        ("iso-14001-2015", "Plant South", "Paint"),
    ]
    assert read["statement"].startswith("ISO 14001:2015 — Plant South: Paint.")


def test_the_api_names_the_row_of_a_bad_line_and_keeps_the_old_lines(application, client_admin, ready):
    client, _ = token_client(client_admin)
    body = {"lines": [{"standard": ready.qms.code, "activity": "   ", "sector_codes": [3]}]}
    response = client.post(
        f"/api/v1/applications/{application.public_id}/scope", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert "lines.0.activity" in response.json()["fields"]
    assert len(lines_of(application)) == 2


def test_the_api_hides_another_cbs_application(application, other_cb_admin):
    client, _ = token_client(other_cb_admin)
    assert client.get(f"/api/v1/applications/{application.public_id}/scope").status_code == 404


def test_the_page_saves_the_formset_and_shows_the_lines_on_the_application(
    application, client_admin, ready, acme_sites
):
    client = login(client_admin)
    url = reverse("audits:application-scope", args=[application.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert (
        b"Edit the scope lines"
        in client.get(reverse("audits:application-detail", args=[application.public_id])).content
    )
    data = {
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "2",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-standard": ready.ems.code,
        "lines-0-site": str(acme_sites[1].public_id),
        "lines-0-activity": "Surface treatment",
        "lines-0-sector_codes": ["17", "18"],
        "lines-1-standard": ready.qms.code,
        "lines-1-site": "",
        "lines-1-activity": "Machining of precision parts",
        "lines-1-DELETE": "on",
        "lines-2-standard": ready.qms.code,
        "lines-2-site": "",
        "lines-2-activity": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert lines_of(application) == [("iso-14001-2015", "Plant North", "Surface treatment", [17, 18])]
    detail = client.get(reverse("audits:application-detail", args=[application.public_id])).content.decode()
    assert "Surface treatment" in detail
    assert "Plant North" in detail


def test_the_page_shows_a_refused_line_on_its_row(application, client_admin, ready):
    data = {
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "lines-0-standard": ready.qms.code,
        "lines-0-activity": "",
        "lines-1-standard": ready.qms.code,
        "lines-1-activity": "x" * 2001,
    }
    response = login(client_admin).post(reverse("audits:application-scope", args=[application.public_id]), data)
    assert response.status_code == 422
    assert "at most 2000 characters" in response.content.decode()
    assert len(lines_of(application)) == 2


def test_the_page_is_refused_to_a_client_member_and_the_link_is_not_shown(application, client_member):
    client = login(client_member)
    assert client.get(reverse("audits:application-scope", args=[application.public_id])).status_code == 403
    detail = client.get(reverse("audits:application-detail", args=[application.public_id]))
    assert b"Edit the scope lines" not in detail.content


def test_the_data_migration_turns_free_text_into_one_line_per_standard(application, programme):
    ScopeLine.objects.all().delete()
    migration = importlib.import_module("conformo.audits.migrations.0011_scope_lines_from_text")
    migration.lines_from_text(apps, None)
    assert lines_of(application) == [
        ("iso-14001-2015", None, "Machining of precision parts", [17]),
        ("iso-9001-2015", None, "Machining of precision parts", [17]),
    ]
    certification = Certification.objects.get()
    assert lines_of(certification) == [("iso-9001-2015", None, "Machining of precision parts", [17])]
    count = ScopeLine.objects.count()
    migration.lines_from_text(apps, None)  # a second run adds nothing
    assert ScopeLine.objects.count() == count == 4  # two applications (2 + 1 lines) and the certification
