"""The audit-time determination on the pages: the CB fills it in one form (rows for adjustments and sites, no
JavaScript needed), a refusal lands on its row with the input kept, the client reads the justification, and the
page's queries do not grow with the number of sites."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conformo.audits import services
from conformo.audits.choices import AuditKind
from conformo.audits.tests.conftest import audit_of
from conformo.certification.services import application_accept
from conformo.conftest import login
from conformo.core.tests.factories import SiteFactory

QMS = "iso-9001-2015"


def _apply(ready: Any, org: Any, pm: Any, sites: list[Any], standards: list[Any] | None = None) -> Any:
    return services.application_submit(
        actor=pm,
        certification_body=ready.cb,
        organization=org,
        standards=standards or [ready.qms],
        scope="Retail of household goods",
        sites=sites,
        sector_codes=[17],
    )


def stores(org: Any, count: int) -> list[Any]:
    """A head office of 40 persons and `count` stores of 10, 11, ... persons."""
    head = SiteFactory(organization=org, name="Head office", is_headquarters=True, permanent_staff=40)
    return [head] + [
        SiteFactory(organization=org, name=f"Store {i:02d}", permanent_staff=10 + i % 20) for i in range(count)
    ]


def form_data(page: Any, **changes: Any) -> dict[str, Any]:
    """The determination form's fields as the page shows them, with `changes`."""
    form = page.context["form"]
    data: dict[str, Any] = {}
    for bound in [
        *form,
        *(f for row in form.adjustment_rows for f in row),
        *(f for row in form.site_rows for f in row),
    ]:
        value = bound.value()
        if bound.widget_type == "checkbox":
            if value:
                data[bound.html_name] = "on"
        elif value is not None:
            data[bound.html_name] = value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_cb_determines_the_audit_time_with_a_justified_adjustment(ready, acme, acme_sites, programme_manager):
    application = _apply(ready, acme, programme_manager, acme_sites)
    client = login(programme_manager)
    url = reverse("audits:application-determine", args=[application.public_id])
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(
        page,
        **{
            "adj-0-standard": QMS,
            "adj-0-factor": "automation",
            "adj-0-percent": "-10",
            "adj-0-justification": "CNC cells run unattended at night",
        },
    )
    done = client.post(url, data)
    assert done.status_code == 302, done.context and done.context["form"].errors
    determination = services.determination_of(application)
    assert determination is not None
    assert determination.inputs["choices"]["adjustments"][0]["justification"] == "CNC cells run unattended at night"
    detail = client.get(reverse("audits:application-detail", args=[application.public_id])).content.decode()
    assert "CNC cells run unattended at night" in detail
    assert "Time per site (IAF MD 1)" in detail


def test_an_adjustment_without_justification_comes_back_on_its_row(ready, acme, acme_sites, programme_manager):
    application = _apply(ready, acme, programme_manager, acme_sites)
    client = login(programme_manager)
    url = reverse("audits:application-determine", args=[application.public_id])
    data = form_data(client.get(url), **{"adj-0-standard": QMS, "adj-0-factor": "maturity", "adj-0-percent": "-15"})
    page = client.post(url, data)
    assert page.status_code == 422
    row = page.context["form"].adjustment_rows[0]
    assert "justification" in row.errors, row.errors
    assert 'value="-15"' in page.content.decode()
    assert services.determination_of(application) is None


def test_a_site_left_out_of_every_sample_is_refused_when_the_sample_gets_too_small(ready, acme, programme_manager):
    application = _apply(ready, acme, programme_manager, stores(acme, 11))
    client = login(programme_manager)
    url = reverse("audits:application-determine", args=[application.public_id])
    data = form_data(client.get(url))
    for key in [k for k in data if k.startswith("site-") and k.endswith("-stage2")]:
        del data[key]
    page = client.post(url, data)
    assert page.status_code == 422
    assert "Stage 2 visits 0 of the 11 sites" in page.content.decode()


def test_the_client_reads_the_determination_but_gets_no_form(ready, acme, acme_sites, programme_manager, client_admin):
    application = _apply(ready, acme, programme_manager, acme_sites)
    services.application_review(actor=programme_manager, application=application)
    client = login(client_admin)
    detail = client.get(reverse("audits:application-detail", args=[application.public_id])).content.decode()
    assert "How the audit time was determined" in detail
    assert reverse("audits:application-determine", args=[application.public_id]) not in detail
    assert client.get(reverse("audits:application-determine", args=[application.public_id])).status_code == 403


def test_the_determination_is_frozen_once_the_application_is_accepted(ready, acme, acme_sites, programme_manager):
    application = _apply(ready, acme, programme_manager, acme_sites)
    services.application_review(actor=programme_manager, application=application)
    application_accept(actor=programme_manager, application=application)
    client = login(programme_manager)
    url = reverse("audits:application-determine", args=[application.public_id])
    page = client.post(url, form_data(client.get(url)))
    assert page.status_code == 409
    assert "frozen" in page.content.decode()


def test_the_review_pages_queries_do_not_grow_with_the_sites(
    ready, acme, bluewater, programme_manager, django_assert_max_num_queries
):
    """The application page and the determination form cost the same queries at 1 and at 50 sites."""
    small = _apply(ready, acme, programme_manager, stores(acme, 1))
    large = _apply(ready, bluewater, programme_manager, stores(bluewater, 50))
    client = login(programme_manager)
    for application in (small, large):
        services.application_review(actor=programme_manager, application=application)
        client.get(reverse("audits:application-detail", args=[application.public_id]))  # warm the session
    for name in ("audits:application-detail", "audits:application-determine"):
        with CaptureQueriesContext(connection) as at_one_site:
            assert client.get(reverse(name, args=[small.public_id])).status_code == 200
        with django_assert_max_num_queries(len(at_one_site)):
            page = client.get(reverse(name, args=[large.public_id]))
        assert page.status_code == 200
        assert "Store 49" in page.content.decode()


def test_the_programme_flags_a_change_of_personnel_and_determines_again(
    ready, acme, acme_sites, programme_manager, client_admin
):
    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = _apply(ready, acme, programme_manager, acme_sites)
        services.application_review(actor=programme_manager, application=application)
        programme = application_accept(actor=programme_manager, application=application)
    from conformo.organizations.services import site_update

    plant = acme_sites[1]
    site_update(actor=client_admin, site=plant, permanent_staff=70)
    client = login(programme_manager)
    page = client.get(reverse("audits:programme-detail", args=[programme.public_id])).content.decode()
    assert "permanent staff 20 → 70" in page
    # The workspace asks for the list once drawn (htmx); without JavaScript its link opens the same list as a page.
    assert f'hx-get="{reverse("audits:redetermine")}"' in client.get(reverse("audits:home")).content.decode()
    listed = client.get(reverse("audits:redetermine"), headers={"HX-Request": "true"}).content.decode()
    assert "<h2>Audit time to determine again</h2>" in listed
    assert reverse("audits:programme-detail", args=[programme.public_id]) in listed
    assert "<html" not in listed
    page = client.get(reverse("audits:redetermine")).content.decode()
    assert "<h1>Audit time to determine again</h1>" in page
    assert reverse("audits:programme-detail", args=[programme.public_id]) in page
    url = reverse("audits:programme-redetermine", args=[programme.public_id])
    done = client.post(url, form_data(client.get(url), purpose="change"))
    assert done.status_code == 302
    programme.refresh_from_db()
    assert programme.determination is not None
    assert programme.determination.purpose == "change"
    surveillance = audit_of(programme, AuditKind.SURVEILLANCE_1)
    assert surveillance.days == (programme.determination.audit_row("surveillance1") or {})["days"]
    listed = client.get(reverse("audits:redetermine"), headers={"HX-Request": "true"}).content.decode()
    assert listed.strip() == ""
    assert (
        "No programme's audit time needs to be determined again."
        in client.get(reverse("audits:redetermine")).content.decode()
    )


def test_an_auditor_on_the_team_sees_the_audits_days_but_not_the_determination(
    ready, acme, acme_sites, programme_manager, lead_auditor
):
    from conformo.audits.tests.conftest import team

    with time_machine.travel(date(2026, 1, 5), tick=False):
        application = _apply(ready, acme, programme_manager, acme_sites)
        services.application_review(actor=programme_manager, application=application)
        programme = application_accept(actor=programme_manager, application=application)
    services.audit_team_assign(
        actor=programme_manager, audit=audit_of(programme, AuditKind.STAGE_1), members=team(ready)
    )
    page = login(lead_auditor).get(reverse("audits:programme-detail", args=[programme.public_id]))
    assert page.status_code == 200
    assert "How the audit time was determined" not in page.content.decode()
    assert reverse("audits:programme-redetermine", args=[programme.public_id]) not in page.content.decode()
    manager_page = login(programme_manager).get(reverse("audits:programme-detail", args=[programme.public_id]))
    assert "How the audit time was determined" in manager_page.content.decode()
