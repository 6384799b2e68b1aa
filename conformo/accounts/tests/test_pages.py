from __future__ import annotations

from django.test import Client

from conformo.conftest import login


def test_a_user_signs_in_with_email_and_password_and_reaches_the_dashboard(client_admin):
    client = Client()
    response = client.post("/accounts/login/", {"username": "quality@acme.test", "password": "pw-for-tests"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    dashboard = client.get("/dashboard/")
    assert dashboard.status_code == 200
    assert "Acme Precision Parts" in dashboard.content.decode()


def test_a_wrong_password_is_refused_with_a_message(client_admin):
    response = Client().post("/accounts/login/", {"username": "quality@acme.test", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_signing_out_ends_the_session(client_admin):
    client = login(client_admin)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_a_user_changes_their_password(client_admin):
    client = login(client_admin)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-for-tests",
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert response.status_code == 302
    client_admin.refresh_from_db()
    assert client_admin.check_password("a-much-longer-secret-42")


def test_pages_require_sign_in(db):
    response = Client().get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_navigation_follows_the_role(cb_admin, client_member):
    admin_page = login(cb_admin).get("/dashboard/").content.decode()
    member_page = login(client_member).get("/dashboard/").content.decode()
    assert 'href="/audit-log/"' in admin_page
    assert 'href="/audit-log/"' not in member_page
