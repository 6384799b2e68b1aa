from __future__ import annotations

import uuid

import pytest
from django.db.models import F

from conformo.core.prepared import PreparedValues
from conformo.organizations.models import Organization


def _by_public_id(public_id):
    return Organization.objects.filter(public_id=public_id).values("legal_name", "created_at", uid=F("public_id"))


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
