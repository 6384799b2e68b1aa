"""The database down or busy: the API answers JSON 503, pages a 503 page, both with Retry-After; a mistake in
a query stays a 500; service resumes by itself once the database answers again."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, ProgrammingError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from conformo.core.unavailable import database_unavailable

pytestmark = pytest.mark.django_db


@pytest.fixture
def down() -> Iterator[mock.MagicMock]:
    """Every new cursor fails as when the server refuses the connection."""
    failure = OperationalError('connection failed: connection to server at "127.0.0.1", port 1 failed')
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=failure) as patched:
        yield patched


def test_the_api_answers_json_503_with_retry_after_when_the_database_is_down(down: Any, settings: Any) -> None:
    settings.DB_UNAVAILABLE_RETRY_AFTER = 7
    response = Client(raise_request_exception=False).get("/api/v1/registry/certificates/NBC-1")
    assert response.status_code == 503
    assert response.json() == {"detail": "Service temporarily unavailable.", "code": "database_unavailable"}
    assert response["Retry-After"] == "7"


def test_a_page_answers_the_503_page_when_the_database_is_down(down: Any) -> None:
    for url in ("/verify/NBC-1", "/standards/"):
        response = Client(raise_request_exception=False).get(url)
        assert response.status_code == 503, url
        assert b"Temporarily unavailable" in response.content
        assert response["Retry-After"] == "5"


def test_service_resumes_by_itself_once_the_database_answers(db: Any) -> None:
    client = Client(raise_request_exception=False)
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("server closed")):
        assert client.get("/healthz").status_code == 503
        assert client.get("/standards/").status_code == 503
    assert client.get("/standards/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def _wrapped(cause: Exception) -> OperationalError:
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as exc:
        return exc


def test_a_locked_sqlite_database_is_unavailable_but_a_missing_table_is_a_bug() -> None:
    locked = sqlite3.OperationalError("database is locked")
    locked.sqlite_errorname = "SQLITE_BUSY"
    missing = sqlite3.OperationalError("no such table: nowhere")
    missing.sqlite_errorname = "SQLITE_ERROR"
    assert database_unavailable(_wrapped(locked))
    assert not database_unavailable(_wrapped(missing))
    assert not database_unavailable(ProgrammingError("syntax error"))
    assert not database_unavailable(ValueError("not a database error"))


def test_postgresql_codes_split_unavailable_from_a_cancelled_query() -> None:
    class PgError(Exception):
        def __init__(self, sqlstate: str | None) -> None:
            super().__init__(sqlstate)
            self.sqlstate = sqlstate

    for code in ("08006", "57P01", "53300", "55P03", None):
        assert database_unavailable(_wrapped(PgError(code))), code
    for code in ("57014", "42P01", "23505"):
        assert not database_unavailable(_wrapped(PgError(code))), code


def test_a_real_locked_sqlite_write_gives_503_not_500(tmp_path: Any) -> None:
    from conformo.core.unavailable import server_error

    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x int)")
    holder.execute("BEGIN IMMEDIATE")
    waiter = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        waiter.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as cause:
        try:
            raise OperationalError(str(cause)) from cause
        except OperationalError:
            from django.test import RequestFactory

            response = server_error(RequestFactory().post("/accounts/login/"))
    finally:
        holder.close()
        waiter.close()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
