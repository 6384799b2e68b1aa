from __future__ import annotations

import uuid

import psycopg
import pytest
from django.db import DatabaseError, connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from conformo.core.prepared import PreparedValues, fetch_rows
from conformo.organizations.models import Organization


def _by_public_id(public_id):
    return Organization.objects.filter(public_id=public_id).values("legal_name", "created_at", uid=F("public_id"))


only_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
PREPARED = PreparedValues(_by_public_id, field=Organization._meta.get_field("public_id"), placeholder=uuid.UUID(int=0))


def test_a_prepared_query_gives_what_the_orm_gives(acme, bluewater):
    for org in (acme, bluewater):
        assert PREPARED.first(org.public_id) == _by_public_id(org.public_id).first()
    row = PREPARED.first(acme.public_id)
    assert row is not None
    assert isinstance(row["uid"], uuid.UUID)
    assert row["created_at"].tzinfo is not None


def test_a_prepared_query_finds_nothing_for_an_unknown_value(acme):
    assert PREPARED.first(uuid.uuid4()) is None


def test_the_placeholder_must_be_a_parameter_of_the_query(db):
    broken = PreparedValues(
        lambda _: Organization.objects.values("legal_name"),
        field=Organization._meta.get_field("public_id"),
        placeholder=uuid.UUID(int=0),
    )
    with pytest.raises(ValueError, match="exactly once"):
        broken.first(uuid.uuid4())


ORGS_BY_NAME = "SELECT legal_name FROM organizations_organization WHERE legal_name = %s"


def test_fetch_rows_gives_the_rows_on_every_database(acme, bluewater):
    assert fetch_rows(ORGS_BY_NAME, [acme.legal_name]) == [(acme.legal_name,)]
    assert fetch_rows(ORGS_BY_NAME, ["nobody"]) == []


@only_postgresql
def test_fetch_rows_prepares_the_statement_once_with_a_generic_plan(acme):
    for _ in range(3):
        assert fetch_rows(ORGS_BY_NAME, [acme.legal_name]) == [(acme.legal_name,)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements")
        prepared = dict(cursor.fetchall())
        cursor.execute("SELECT current_setting('plan_cache_mode')")
        assert cursor.fetchone()[0] == "force_generic_plan"
    assert prepared == {ORGS_BY_NAME.replace("%s", "$1"): 3}


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_fetch_rows_reopens_a_connection_the_server_closed():
    Organization.objects.create(legal_name="Reconnect Ltd", country="GB")
    assert fetch_rows(ORGS_BY_NAME, ["Reconnect Ltd"]) == [("Reconnect Ltd",)]
    pid = connection.connection.info.backend_pid
    with psycopg.connect(connection.connection.info.dsn, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    assert fetch_rows(ORGS_BY_NAME, ["Reconnect Ltd"]) == [("Reconnect Ltd",)]
    assert connection.connection.info.backend_pid != pid


@only_postgresql
def test_fetch_rows_raises_django_errors(db):
    with pytest.raises(DatabaseError):
        fetch_rows("SELECT no_such_column FROM organizations_organization", [])


@only_postgresql
def test_fetch_rows_shows_in_counted_queries(acme):
    with CaptureQueriesContext(connection) as queries:
        assert fetch_rows(ORGS_BY_NAME, [acme.legal_name]) == [(acme.legal_name,)]
    assert [q["sql"] for q in queries.captured_queries] == [ORGS_BY_NAME.replace("%s", f"'{acme.legal_name}'")]
