from __future__ import annotations

import uuid

import psycopg
import pytest
from django.db import DatabaseError, connection
from django.db.models import CharField, F, Q, UUIDField
from django.test.utils import CaptureQueriesContext

from conformo.core.prepared import Compiled, Placeholder, fetch_rows, statement
from conformo.organizations.models import Organization

only_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
BY_NAME_OR_COUNTRY = statement(
    Organization.objects.filter(
        Q(legal_name=Placeholder("name", CharField())) | Q(country=Placeholder("country", CharField()))
    )
    .order_by("legal_name")
    .values("legal_name", "country")
)


def test_a_compiled_queryset_finds_what_the_same_queryset_with_values_finds(acme, bluewater):
    for name, country in [(acme.legal_name, "ZZ"), ("nobody", bluewater.country), ("nobody", "ZZ")]:
        rows = fetch_rows(BY_NAME_OR_COUNTRY.sql, BY_NAME_OR_COUNTRY.bind({"name": name, "country": country}))
        expected = Organization.objects.filter(Q(legal_name=name) | Q(country=country)).order_by("legal_name")
        assert rows == list(expected.values_list("legal_name", "country"))


def test_each_placeholder_is_one_parameter_filled_by_name(db):
    assert [placeholder.name for _, placeholder in BY_NAME_OR_COUNTRY.slots] == ["name", "country"]
    assert BY_NAME_OR_COUNTRY.bind({"country": "DE", "name": "Acme"}) == ["Acme", "DE"]
    with pytest.raises(KeyError):
        BY_NAME_OR_COUNTRY.bind({"name": "Acme"})


BY_PUBLIC_ID = Compiled(
    lambda: Organization.objects.filter(public_id=Placeholder("public_id", UUIDField())).values(
        "legal_name", "created_at", uid=F("public_id")
    )
)


def test_a_compiled_queryset_gives_the_rows_values_gives(acme, bluewater):
    for org in (acme, bluewater):
        expected = Organization.objects.filter(public_id=org.public_id).values(
            "legal_name", "created_at", uid=F("public_id")
        )
        assert BY_PUBLIC_ID.rows({"public_id": org.public_id}) == list(expected)
    row = BY_PUBLIC_ID.first({"public_id": acme.public_id})
    assert row is not None
    assert isinstance(row["uid"], uuid.UUID)
    assert row["created_at"].tzinfo is not None


def test_a_compiled_queryset_finds_nothing_for_an_unknown_value(acme):
    assert BY_PUBLIC_ID.first({"public_id": uuid.uuid4()}) is None


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
