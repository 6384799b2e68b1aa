"""The public calculator page /tools/: three forms, htmx fragments, and plain form posts without JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

QMS = "iso-9001-2015"
EMS = "iso-14001-2015"

pytestmark = pytest.mark.django_db


def test_the_page_is_public_and_renders_the_three_forms(client: Client) -> None:
    response = client.get(reverse("tools:calculator"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("tools:calculator") == "/tools/"
    for url in ("/tools/audit-time/", "/tools/sampling/", "/tools/cycle/"):
        assert f'hx-post="{url}"' in body
        assert f'action="{url}#' in body
    for standard in (QMS, EMS, "iso-45001-2018", "iso-iec-27001-2022"):
        assert f'name="standards" value="{standard}"' in body
        assert f'name="adjust_{standard}"' in body
    for name in ("personnel", "complexity", "integration_percent", "sites", "decision_date", "stage2_end"):
        assert f'name="{name}"' in body
    assert '<label for="id_personnel">Effective personnel</label>' in body
    assert 'aria-current="page"' in body  # the "Calculators" nav entry
    assert "https://" not in body.split("<footer")[0].replace('href="https://', "")  # no CDN assets


def test_htmx_audit_time_returns_the_fragment_with_figures_trace_and_warnings(client: Client) -> None:
    response = client.post(
        "/tools/audit-time/",
        {
            "standards": [QMS, EMS],
            "personnel": "55",
            "complexity": "medium",
            f"adjust_{QMS}": "-10",
            "integration_percent": "25",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "Audit time for 55 persons" in body
    # (4.5 + 6) x 0.8 = 8.4 -> 8.5 days
    assert "<dd>8.5 days</dd>" in body
    assert (
        '<th scope="row">ISO 9001:2015</th><td class="num">5</td><td class="num">-10</td><td class="num">4.5</td>'
        in body
    )
    assert '<th scope="col">Rule</th><th scope="col">Source</th><th scope="col">Value</th>' in body
    assert "IAF MD 11:2019 cl. 2.2 (T = A + B + C, each with its own factors)" in body
    assert 'class="callout" role="status"' in body
    assert "the integration reduction (25 %) exceeds the 20 % cap of IAF MD 11 and was cut to 20 %" in body


def test_htmx_refusal_is_shown_in_the_fragment_with_status_200(client: Client) -> None:
    response = client.post(
        "/tools/audit-time/", {"standards": [EMS], "personnel": "10"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200  # htmx swaps 2xx only
    body = response.content.decode()
    assert 'role="alert"' in body
    assert "iso-14001-2015 needs a complexity" in body


def test_plain_post_without_javascript_renders_the_page_with_the_result(client: Client) -> None:
    response = client.post("/tools/audit-time/", {"standards": [QMS], "personnel": "5.2"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert 'value="5.2"' in body  # the form keeps what was typed
    assert f'value="{QMS}" id="standard-{QMS}" checked' in body
    assert "Audit time for 6 persons" in body
    assert "effective personnel 5.2 rounded up to whole persons" in body


def test_plain_post_refusal_is_422_with_the_message(client: Client) -> None:
    response = client.post("/tools/audit-time/", {"standards": ["iso-9999"], "personnel": "5"})
    assert response.status_code == 422
    assert "unknown standard &#x27;iso-9999&#x27;; supported for audit time" in response.content.decode()


def test_sampling_fragment_and_get_link(client: Client) -> None:
    fragment = client.post("/tools/sampling/", {"sites": "10"}, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "<dd>4 sites</dd>" in body
    assert "<dd>2 sites</dd>" in body
    assert "<dd>3 sites</dd>" in body
    assert "ceil(0.6 x sqrt(10))" in body
    page = client.get("/tools/sampling/", {"sites": "10"})
    assert page.status_code == 200
    assert "<html" in page.content.decode()
    assert "Sample sizes for 10 sites" in page.content.decode()
    refused = client.post("/tools/sampling/", {"sites": "0"}, headers={"HX-Request": "true"})
    assert "the number of sites must be a whole number of at least 1" in refused.content.decode()


def test_cycle_fragment(client: Client) -> None:
    response = client.post(
        "/tools/cycle/", {"decision_date": "2024-02-29", "stage2_end": "2024-01-15"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert '<th scope="row">First surveillance due</th><td>2025-02-28</td>' in body
    assert '<th scope="row">Certificate expires on</th><td>2027-02-27</td>' in body
    assert '<th scope="row">Major nonconformities verified by</th><td>2024-07-15</td>' in body
    assert "ISO/IEC 17021-1:2015 9.5.3.2 [N]" in body
    refused = client.post("/tools/cycle/", {"decision_date": "2024-02-30"}, headers={"HX-Request": "true"})
    assert "is not a real calendar date" in refused.content.decode()


def test_a_bare_get_of_a_calculator_url_goes_back_to_the_page(client: Client) -> None:
    response = client.get("/tools/cycle/")
    assert response.status_code == 302
    assert response["Location"] == "/tools/"


def test_csrf_is_enforced_on_the_public_forms() -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post("/tools/sampling/", {"sites": "10"}).status_code == 403
    page = client.get("/tools/")
    token = page.cookies["csrftoken"].value
    response = client.post("/tools/sampling/", {"sites": "10"}, headers={"X-CSRFToken": token, "HX-Request": "true"})
    assert response.status_code == 200


@pytest.mark.parametrize("personnel", ["abc", "9" * 25])
def test_personnel_that_is_not_a_number_or_too_long_is_refused_with_the_input_kept(
    client: Client, personnel: str
) -> None:
    response = client.post("/tools/audit-time/", {"standards": [QMS], "personnel": personnel})
    body = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in body
    assert f'value="{personnel}"' in body
    assert f'value="{QMS}" id="standard-{QMS}" checked' in body


def test_a_cycle_date_that_does_not_exist_is_refused_on_the_page(client: Client) -> None:
    response = client.post("/tools/cycle/", {"decision_date": "2026-02-31"})
    assert response.status_code == 422
    assert 'value="2026-02-31"' in response.content.decode()
