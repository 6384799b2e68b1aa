"""The figures' pages, downloads and API: who may read them, that they give the same numbers, and that their
query count does not grow with the data."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from conformo.conftest import login, token_client
from conformo.figures.selectors import FIGURES
from conformo.figures.tests.world import TODAY, World, build

YEAR = {"year": "2025"}


@pytest.fixture(autouse=True)
def on_today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


def page(user: Any, slug: str, **params: str) -> Any:
    return login(user).get(reverse("figures:figure", args=[slug]), {**YEAR, **params})


def api(user: Any, cb: Any, slug: str, **params: str) -> Any:
    client, _ = token_client(user)
    return client.get(f"/api/v1/certification-bodies/{cb.public_id}/figures/{slug}", {**YEAR, **params})


@pytest.mark.parametrize("persona", ["cb_admin", "programme_manager"])
def test_the_cb_office_reads_every_figure(world: World, persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    home = login(user).get(reverse("figures:home"))
    assert home.status_code == 200
    assert reverse("figures:figure", args=["audit-days"]) in home.content.decode()
    for slug in FIGURES:
        answer = page(user, slug)
        assert answer.status_code == 200, slug
        assert 'class="table-scroll"' in answer.content.decode()


def test_the_audit_days_page_shows_a_chart_and_the_rows(world: World, cb_admin: Any) -> None:
    text = page(cb_admin, "audit-days").content.decode()
    for shown in ("<svg", "Audit days by standard", "2025-Q1", "Surveillance 1", "ISO 9001:2015"):
        assert shown in text
    assert "4 audits completed, 9.5 audit days in all" in text
    assert '<option value="quarter" selected>' in text  # the grouping it used, when the query names none


@pytest.mark.parametrize("persona", ["auditor", "decision_maker", "client_admin"])
def test_auditors_decision_makers_and_clients_do_not_read_figures(world: World, persona: str, request: Any) -> None:
    user = request.getfixturevalue(persona)
    assert login(user).get(reverse("figures:home")).status_code == 403
    assert page(user, "certificates").status_code == 403
    nav = login(user).get(reverse("home:dashboard")).content.decode()
    assert reverse("figures:home") not in nav


def test_the_navigation_shows_figures_to_the_cb_office(world: World, programme_manager: Any) -> None:
    assert reverse("figures:home") in login(programme_manager).get(reverse("home:dashboard")).content.decode()


def test_the_api_refuses_other_roles_and_other_cbs(world: World, auditor: Any, other_cb_admin: Any) -> None:
    assert api(auditor, world.cb, "audit-days").status_code == 403
    assert api(other_cb_admin, world.cb, "audit-days").status_code == 404


def test_a_bad_filter_is_a_422_naming_the_field(world: World, cb_admin: Any) -> None:
    assert page(cb_admin, "audit-days", end="2024-01-01").status_code == 422
    assert page(cb_admin, "audit-days", standard="iso-0000-1999").status_code == 422
    refused = api(cb_admin, world.cb, "audit-days", standard="iso-0000-1999")
    assert refused.status_code == 422
    assert "standard" in refused.json()["fields"]
    assert api(cb_admin, world.cb, "audit-days", period="week").status_code == 422
    assert api(cb_admin, world.cb, "audit-days", start="2025-02-01", end="2025-01-01").status_code == 422


def test_the_csv_download_is_the_table_in_words(world: World, cb_admin: Any) -> None:
    url = reverse("figures:download-csv", args=["nonconformities", "nonconformities"])
    answer = login(cb_admin).get(url, YEAR)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(answer.content.decode())))
    assert lines[0] == ["Standard", "Grade", "Nonconformities", "Audit days", "Per audit day"]
    assert ["ISO 9001:2015", "Minor nonconformity", "3", "9.5", "0.32"] in lines


def test_the_xlsx_download_holds_the_same_rows(world: World, cb_admin: Any) -> None:
    url = reverse("figures:download-xlsx", args=["complaints-appeals", "handling"])
    answer = login(cb_admin).get(url, YEAR)
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0].startswith("Complaints and appeals")
    assert values[1][:4] == ["Case", "Received", "Open", "Closed"]
    assert values[2][:5] == ["Complaint", 3, 1, 2, 15]


def test_a_download_of_an_unknown_table_is_a_404(world: World, cb_admin: Any) -> None:
    url = reverse("figures:download-csv", args=["nonconformities", "nothing"])
    assert login(cb_admin).get(url, YEAR).status_code == 404
    assert login(cb_admin).get("/cb/figures/nothing/").status_code == 404


API_TABLES = {
    "audit-days": {"rows": "audit_days"},
    "certificates": {"rows": "certificates"},
    "lead-times": {"rows": "lead_times"},
    "nonconformities": {"rows": "nonconformities"},
    "overdue-surveillance": {"counts": "overdue_counts", "audits": "overdue_list"},
    "suspensions": {"counts": "ending_counts", "decisions": "ending_list"},
    "complaints-appeals": {"handling": "handling", "by_status": "by_status"},
    "auditors": {"rows": "auditors"},
}


def test_the_api_gives_the_numbers_of_the_downloads(world: World, cb_admin: Any) -> None:
    for slug, tables in API_TABLES.items():
        body = api(cb_admin, world.cb, slug, period="month").json()
        assert (body["filters"]["start"], body["filters"]["period"]) == ("2025-01-01", "month")
        for key, table in tables.items():
            url = reverse("figures:download-csv", args=[slug, table])
            lines = list(
                csv.reader(io.StringIO(login(cb_admin).get(url, {**YEAR, "period": "month"}).content.decode()))
            )
            assert len(body[key]) == len(lines) - 1, (slug, key)
            numbers = {str(v) for row in body[key] for v in row.values() if isinstance(v, int | str)}
            assert {cell for line in lines[1:] for cell in line if cell[:1].isdigit()} <= numbers, (slug, key)
    days = api(cb_admin, world.cb, "audit-days").json()
    assert (days["total_audits"], days["total_days"]) == (4, "9.5")


def _query_counts(client: Any, cb: Any) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for slug in FIGURES:
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("figures:figure", args=[slug]), YEAR).status_code == 200
        counts[slug] = len(context.captured_queries)
    return counts


def test_the_query_count_of_each_page_does_not_grow_with_the_data(cb: Any, cb_admin: Any) -> None:
    client = login(cb_admin)
    build(cb)
    small = _query_counts(client, cb)
    for _ in range(3):
        build(cb)
    assert _query_counts(client, cb) == small
    assert max(small.values()) <= 12, small
