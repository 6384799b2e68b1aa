"""A page address with a number too large for any column is an unknown address (404), never a server error."""

from __future__ import annotations

from typing import Any

from django.urls import resolve, reverse

from conformo.conftest import login


def test_the_bounded_number_converter_reverses_and_resolves(db: Any) -> None:
    public_id = "7f1e3c1a-0000-4000-8000-000000000001"
    url = reverse("readiness:item", args=[public_id, 123456789])
    assert resolve(url).kwargs["item_id"] == 123456789


def test_a_number_beyond_nine_digits_is_404_for_a_signed_in_user(client_admin: Any) -> None:
    client = login(client_admin)
    public_id = "7f1e3c1a-0000-4000-8000-000000000001"
    response = client.get(f"/readiness/assessments/{public_id}/items/99999999999999999999999/")
    assert response.status_code == 404
