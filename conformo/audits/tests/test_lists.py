"""The CB's lists: the workspace's counts and "See all" links, the applications, programmes, audits, findings,
schedule, auditors, complaints and appeals lists with search, filters, sort and pages — on the page (htmx
partial, bookmarkable URL) and in the API with the same parameter names; badges counted over the filtered rows;
a number of queries that does not grow with the data."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.filters import AuditFilter
from conformo.audits.models import Appeal, Audit, Auditor, CBSettings, Complaint
from conformo.audits.tests.conftest import audit_of, team
from conformo.audits.tests.test_query_counts import _client_with_findings
from conformo.conftest import login, token_client
from conformo.core import listing
from conformo.core.listing import ListFilter
from conformo.core.tests.factories import CertificationBodyFactory
from conformo.organizations.models import Organization

pytestmark = pytest.mark.django_db
RAISED = date(2026, 3, 2)
LATER = date(2026, 7, 1)  # the findings' responses (due 90 days after raising) are overdue by then


@pytest.fixture
def two_clients(stage1_done: Any, ready: Any, programme_manager: Any) -> Any:
    """Acme (stage 1 done, stage 2 running with an open minor) and Zephyr (stage 2 running, a major and a minor),
    the findings raised on `RAISED`."""
    with time_machine.travel(RAISED, tick=False):
        services.programme_record_combined_audit(
            actor=programme_manager, programme=stage1_done, justification="Combined on purpose here"
        )
        stage2 = audit_of(stage1_done, AuditKind.STAGE_2)
        services.audit_team_assign(actor=programme_manager, audit=stage2, members=team(ready))
        services.audit_start(actor=programme_manager, audit=stage2)
        services.finding_raise(
            actor=ready.lead.user,
            audit=stage2,
            grade="minor",
            statement="Missing sign-off",
            clauses=[ready.qms.clauses.get(ref="8.5.1")],
        )
        _client_with_findings(ready, programme_manager, "Zephyr Tools")
    return ready


def _html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _count(html: str, noun: str) -> int:
    found = re.search(rf'<p class="list-count" role="status">(\d+) {noun}', html)
    assert found, html
    return int(found.group(1))


def test_the_workspace_shows_counts_and_links_to_the_lists_filtered_the_same(two_clients, programme_manager):
    with time_machine.travel(LATER, tick=False):
        client = login(programme_manager)
        home = _html(client.get(reverse("audits:home")))
        assert "3 responses overdue" in home
        link = reverse("audits:findings") + "?response_due=overdue"
        assert f'href="{link}"' in home
        assert _count(_html(client.get(link)), "finding") == 3
        overdue = re.search(r'href="(/cb/audits/\?timing=overdue)"[^>]*>(\d+) overdue', home)
        assert overdue
        assert _count(_html(client.get(overdue.group(1))), "audit") == int(overdue.group(2))
        every = re.search(r'href="(/cb/audits/\?open=true)">See all (\d+)', home)
        assert every
        assert _count(_html(client.get(every.group(1))), "audit") == int(every.group(2))
        assert 'href="/cb/applications/"' in home


def test_the_workspace_asks_for_the_audit_time_to_determine_again_once_drawn(
    two_clients, programme_manager, client_admin
):
    client = login(programme_manager)
    with CaptureQueriesContext(connection) as drawn:
        home = _html(client.get(reverse("audits:home")))
    # The placeholder (a link to the list, without JavaScript) and no read of the programmes' determinations.
    url = reverse("audits:redetermine")
    assert f'<div hx-get="{url}" hx-trigger="load" hx-swap="outerHTML"><p><a href="{url}">' in home
    assert not [q["sql"] for q in drawn if "audits_audittimedetermination" in q["sql"]]
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "no-cache" in fragment["Cache-Control"]
    # Someone who manages no CB gets no placeholder, and nothing if they ask.
    other = login(client_admin)
    assert url not in _html(other.get(reverse("audits:home")))
    assert other.get(url, headers={"HX-Request": "true"}).content.strip() == b""
    client.logout()  # a session that ended while the page was open: no sign-in page inside the workspace
    signed_out = client.get(url, headers={"HX-Request": "true"})
    assert (signed_out.status_code, signed_out.content.strip()) == (200, b"")
    assert client.get(url).status_code == 302  # the page itself asks to sign in


def test_the_workspace_and_its_deferred_list_cost_the_same_queries_for_more_clients(ready, programme_manager):
    client = login(programme_manager)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("audits:home")).status_code == 200
        with CaptureQueriesContext(connection) as deferred:
            assert client.get(reverse("audits:redetermine"), headers={"HX-Request": "true"}).status_code == 200
        return len(page), len(deferred)

    _client_with_findings(ready, programme_manager, "One")
    count()  # warm-up
    first = count()
    _client_with_findings(ready, programme_manager, "Two")
    _client_with_findings(ready, programme_manager, "Three")
    assert count() == first


@pytest.mark.parametrize("margin", [30, 120])
def test_the_overdue_and_at_risk_filters_agree_with_each_audits_timing(two_clients, programme_manager, margin):
    # Each audit is at risk by its own CB's margin: another CB's, wider, must not reach it through the join.
    cb = Audit.objects.select_related("programme__certification_body").earliest("pk").programme.certification_body
    assert CBSettings.objects.filter(certification_body=cb).update(at_risk_days=margin) == 1
    CBSettings.objects.create(certification_body=CertificationBodyFactory(), at_risk_days=400)
    audits = list(Audit.objects.select_related("programme__certification", "programme__certification_body"))
    at_risk = 0
    for day in (date(2026, 3, 1), date(2026, 12, 20), LATER, date(2029, 6, 1)):
        with time_machine.travel(day, tick=False):
            for timing in ("overdue", "at_risk"):
                found = AuditFilter({"timing": timing}, queryset=Audit.objects.all(), request=None).qs
                assert {a.pk for a in found} == {a.pk for a in audits if a.timing(day) == timing}, (day, timing)
                at_risk += len(found) if timing == "at_risk" else 0
    assert at_risk  # the margin is tested, not only its absence


def test_the_lists_search_filter_and_sort(two_clients, programme_manager, lead_auditor):
    client = login(programme_manager)
    applications = _html(client.get(reverse("audits:applications"), {"q": "zephyr"}))
    assert "1 application matches" in applications
    assert "Acme" not in applications
    assert _count(_html(client.get(reverse("audits:applications"), {"status": "accepted"})), "application") == 2
    assert _count(_html(client.get(reverse("audits:applications"), {"iaf_code": "3"})), "application") == 0
    programmes = _html(client.get(reverse("audits:programmes"), {"q": "acme", "country": "de"}))
    assert "1 programme matches" in programmes
    lead = Auditor.objects.get(user=lead_auditor)
    on_team = _html(client.get(reverse("audits:audits"), {"auditor": str(lead.public_id)}))
    assert _count(on_team, "audit") == 3  # Acme's stage 1 and 2, Zephyr's stage 2
    assert _count(_html(client.get(reverse("audits:audits"), {"q": lead_auditor.email})), "audit") == 3
    kinds = _html(client.get(reverse("audits:audits"), {"kind": "surveillance1", "sort": "-organization"}))
    assert kinds.index("Zephyr") < kinds.index("Acme")
    findings = _html(client.get(reverse("audits:findings"), {"grade": "major"}))
    assert "1 finding matches" in findings
    assert _count(_html(client.get(reverse("audits:findings"), {"q": "sign-off"})), "finding") == 1
    assert _count(_html(client.get(reverse("audits:findings"), {"standard": "iso-9001-2015"})), "finding") == 3
    schedule = _html(client.get(reverse("audits:schedule"), {"start": "2026-01-01", "days": "800", "q": "zephyr"}))
    assert "Acme" not in schedule
    assert "Zephyr" in schedule
    auditors = _html(client.get(reverse("audits:auditors"), {"q": "lead@"}))
    assert "1 auditor matches" in auditors


@pytest.mark.parametrize(
    "words", ["zephyr", "acme parts", "iso-9001", "8.5", "sign-off", "lead@", "qms", "combined", "nothing-like-it"]
)
def test_each_lists_own_search_finds_what_the_generic_search_over_its_fields_finds(
    words, two_clients, programme_manager
):
    """The applications', programmes', audits' and findings' search reads related tables in subqueries: the same
    rows, in the same order, as `ListFilter.search` joining every field of `search_fields`."""
    from django.test import RequestFactory

    from conformo.audits import selectors
    from conformo.audits.filters import ApplicationFilter, FindingFilter, ProgrammeFilter

    request = RequestFactory().get("/")
    request.user = programme_manager
    lists = [
        (ApplicationFilter, selectors.application_list(user=programme_manager).order_by("-created_at", "-pk")),
        (ProgrammeFilter, selectors.programme_list(user=programme_manager).order_by("organization__legal_name", "pk")),
        (AuditFilter, selectors.audit_list(user=programme_manager)),
        (FindingFilter, selectors.finding_list(user=programme_manager).order_by("-raised_on", "pk")),
    ]
    for filter_class, rows in lists:
        own = filter_class({"q": words}, queryset=rows, request=request).qs
        generic = ListFilter.search(filter_class(None, queryset=rows, request=request), rows, "q", words)
        assert list(own) == list(generic), (filter_class.__name__, words)


def test_an_htmx_request_gets_the_results_only_and_bad_values_are_shown(two_clients, programme_manager):
    client = login(programme_manager)
    partial = client.get(
        reverse("audits:findings"), {"q": "sign-off"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert b"Missing sign-off" in partial.content
    bad = client.get(reverse("audits:audits"), {"status": "nonsense", "auditor": "not-an-id", "due": "5", "page": "x"})
    assert bad.status_code == 200
    assert bad.content.count(b'class="error"') >= 3


def test_auditor_choices_are_only_the_users_cb(two_clients, programme_manager, other_cb_admin, other_cb):
    stranger = Auditor.objects.create(certification_body=other_cb, user=other_cb_admin)
    page = _html(login(programme_manager).get(reverse("audits:audits")))
    assert str(stranger.public_id) not in page
    assert str(Auditor.objects.get(user__email="lead@northbridge.test").public_id) in page
    client, _ = token_client(programme_manager)
    refused = client.get("/api/v1/audits", {"auditor": str(stranger.public_id)})
    assert refused.status_code == 422
    assert "auditor" in refused.json()["fields"]


def test_the_api_takes_the_same_filters_and_refuses_a_bad_one_by_name(two_clients, programme_manager, lead_auditor):
    with time_machine.travel(LATER, tick=False):
        client, _ = token_client(programme_manager)
        body = client.get("/api/v1/findings", {"response_due": "overdue", "grade": "minor"}).json()
        assert body["count"] == 2
        assert all(f["response_overdue"] for f in body["items"])
        lead = Auditor.objects.get(user=lead_auditor).public_id
        assert client.get("/api/v1/audits", {"auditor": str(lead)}).json()["count"] == 3
        overdue = client.get("/api/v1/audits", {"timing": "overdue"}).json()
        assert overdue["count"]
        assert all(a["timing"] == "overdue" for a in overdue["items"])
        assert client.get("/api/v1/applications", {"q": "zephyr"}).json()["count"] == 1
        assert client.get("/api/v1/programmes", {"active": "true", "iaf_code": "17"}).json()["count"] == 2
        assert client.get("/api/v1/schedule", {"start": "2026-01-01", "end": "2028-12-31", "q": "acme"}).json()["count"]
        assert client.get("/api/v1/auditors", {"q": "lead@"}).json()["count"] == 1
        for path, params, field in (
            ("/api/v1/audits", {"timing": "late"}, "timing"),
            ("/api/v1/findings", {"response_due": "5"}, "response_due"),
            ("/api/v1/applications", {"standard": "iso-0-0"}, "standard"),
            ("/api/v1/complaints", {"sort": "nonsense"}, "sort"),
            ("/api/v1/appeals", {"status": "nonsense"}, "status"),
            ("/api/v1/audits", {"auditor": "not-an-id"}, "auditor"),
        ):
            refused = client.get(path, params)
            assert refused.status_code == 422, (path, refused.content)
            assert field in (refused.json().get("fields") or {}) or field in str(refused.json()), (path, refused.json())


def test_complaints_and_appeals_lists_search_and_filter(ready, acme, programme_manager):
    Complaint.objects.create(
        certification_body=ready.cb,
        organization=acme,
        complainant="A neighbour",
        subject="Noise",
        description="x",
        received_on=date(2026, 3, 1),
    )
    Complaint.objects.create(
        certification_body=ready.cb,
        complainant="Anon",
        subject="Misleading claim",
        description="y",
        received_on=date(2026, 4, 1),
        status="closed",
    )
    Appeal.objects.create(
        certification_body=ready.cb,
        organization=acme,
        subject="Refusal",
        grounds="We disagree",
        received_on=date(2026, 5, 1),
    )
    client = login(programme_manager)
    assert "1 complaint matches" in _html(client.get(reverse("audits:complaints"), {"q": "neighbour"}))
    assert "1 complaint matches" in _html(client.get(reverse("audits:complaints"), {"status": "closed"}))
    assert "1 appeal matches" in _html(client.get(reverse("audits:appeals"), {"q": "disagree"}))
    api, _ = token_client(programme_manager)
    assert [c["subject"] for c in api.get("/api/v1/complaints", {"sort": "received"}).json()["items"]] == [
        "Noise",
        "Misleading claim",
    ]
    assert api.get("/api/v1/appeals", {"country": "de"}).json()["count"] == 1


PAGES = ["home", "applications", "programmes", "audits", "findings", "schedule", "auditors", "complaints", "appeals"]
APIS = [
    "/api/v1/applications?q=o",
    "/api/v1/programmes?active=true",
    "/api/v1/audits?timing=overdue",
    "/api/v1/findings?open=true",
    "/api/v1/schedule?start=2026-01-01&end=2030-01-01&standard=iso-9001-2015",
    "/api/v1/auditors?q=a",
    "/api/v1/complaints?q=o",
    "/api/v1/appeals?q=o",
]


def _grow(ready: Any, programme_manager: Any, name: str) -> None:
    _client_with_findings(ready, programme_manager, name)
    org = Organization.objects.get(legal_name=name)
    Complaint.objects.create(
        certification_body=ready.cb,
        organization=org,
        complainant="Someone",
        subject=f"About {name}",
        description="x",
        received_on=date(2026, 3, 1),
    )
    Appeal.objects.create(
        certification_body=ready.cb,
        organization=org,
        subject=f"Appeal of {name}",
        grounds="x",
        received_on=date(2026, 3, 1),
    )


def test_the_number_of_queries_does_not_grow_with_the_list(ready, programme_manager):
    """Every list page and list API at two sizes (one test, so the rows are made once for all of them)."""
    with time_machine.travel(LATER, tick=False):
        page_client, api_client = login(programme_manager), token_client(programme_manager)[0]

    def counts() -> dict[str, int]:
        found = {}
        for target in [*PAGES, *APIS]:
            api = target.startswith("/api")
            url = target if api else reverse(f"audits:{target}")
            params = {"start": "2026-01-01", "days": "1500", "q": "o"} if target == "schedule" else {}
            with time_machine.travel(LATER, tick=False), CaptureQueriesContext(connection) as queries:
                assert (api_client if api else page_client).get(url, params).status_code == 200, target
            found[target] = len(queries)
        return found

    _grow(ready, programme_manager, "One")
    counts()  # warm-up: a token's first use records when it was used
    first = counts()
    _grow(ready, programme_manager, "Two")
    _grow(ready, programme_manager, "Three")
    assert counts() == first


def test_the_schedule_keeps_its_period_in_the_filter_bar(two_clients, programme_manager):
    stage2 = audit_of(two_clients.cb.programmes.get(organization__legal_name="Acme Precision Parts"), AuditKind.STAGE_2)
    page = _html(login(programme_manager).get(reverse("audits:schedule"), {"start": "2026-01-01", "days": "30"}))
    assert re.search(r'<input type="number" name="days" value="30"', page)
    assert 'class="list-filters"' in page
    assert stage2.programme.organization.legal_name in page or "Nothing scheduled" in page
    refused = login(programme_manager).get(reverse("audits:schedule"), {"start": "not-a-date"})
    assert refused.status_code == 422
    assert (date(2026, 1, 1) + timedelta(days=30)).isoformat() not in refused.content.decode()


def test_each_list_starts_from_what_the_user_may_read(two_clients, client_admin, auditor):
    client = login(client_admin)
    home = _html(client.get(reverse("audits:home")))
    assert 'href="/cb/findings/?open=true"' in home
    for name in ("applications", "programmes", "audits", "findings"):
        page = _html(client.get(reverse(f"audits:{name}"), {"q": "zephyr"}))
        assert "Zephyr" not in page, name
        # No CB's auditor register is the client's to read: the auditor filter is not offered.
        assert 'name="auditor"' not in page, name
    assert _count(_html(client.get(reverse("audits:findings"))), "finding") == 1
    api, _ = token_client(client_admin)
    assert api.get("/api/v1/findings").json()["count"] == 1
    # An auditor reads the audits of their teams only, whatever the filters ask.
    mine = _html(login(auditor).get(reverse("audits:audits"), {"kind": "surveillance1"}))
    assert _count(mine, "audit") == 0


@pytest.mark.parametrize("name", ["audits:audits", "audits:findings"])
def test_the_audits_and_findings_shown_whole_are_counted_apart_from_their_page(
    two_clients, programme_manager, name, monkeypatch
):
    """Shown whole (a page number aside), the list is counted by an aggregate and its page read in the order an
    index holds (`list_page(indexed=True)`): the same rows and counts as from one windowed statement."""
    client = login(programme_manager)

    def shown() -> tuple[str, str]:
        with CaptureQueriesContext(connection) as queries:
            page = _html(client.get(reverse(name), {"page": "1"}))
        windowed = any("OVER ()" in q["sql"] for q in queries)
        return ("window" if windowed else "apart"), page[page.index('<div id="results">') :]

    whole, rows = shown()
    monkeypatch.setattr(listing, "asked_whole", lambda query: False)
    narrowed, same_rows = shown()
    assert (whole, narrowed) == ("apart", "window")
    assert rows == same_rows
    assert "/cb/" in rows


def test_a_page_of_programmes_writes_each_as_the_programme_itself_reads(two_clients, programme_manager):
    """The list reads its audits' sites and teams as values (`with_sites_and_teams`); each programme reads them
    through its relations: both answers are the same."""
    stage2 = Audit.objects.filter(kind=AuditKind.STAGE_2, team__isnull=False).earliest("pk")
    hq = stage2.programme.organization.sites.get(is_headquarters=True)
    other = stage2.programme.organization.sites.create(name="A warehouse", country="DE")
    stage2.sites.set([other, hq])  # the headquarters first, then by name
    client, _ = token_client(programme_manager)
    listed = client.get("/api/v1/programmes").json()["items"]
    assert any(audit["team"] and len(audit["sites"]) == 2 for p in listed for audit in p["audits"])
    for programme in listed:
        assert client.get(f"/api/v1/programmes/{programme['id']}").json() == programme
