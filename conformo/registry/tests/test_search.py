"""The registry's name search: every word typed starts a word of the holder name or of the certificate
number, in any case and with or without accents — the same matches on SQLite and on PostgreSQL."""

from __future__ import annotations

import importlib
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from conformo.certificates import search
from conformo.certificates.models import Certificate

API = "/api/v1/registry/certificates"


@pytest.fixture(autouse=True)
def _fresh_limits(settings: Any) -> None:
    cache.clear()
    settings.REGISTRY_RATE_LIMIT = "1000/60"


def test_words_are_runs_of_letters_and_digits_normalized() -> None:
    assert search.search_words("  BRINEMARK  Électro-Tech ") == ["brinemark", "electro", "tech"]
    assert search.search_words("NBC-2026-00001/R1") == ["nbc", "2026", "00001", "r1"]
    assert search.search_words("Müller & Söhne S.A. — «Łódź»") == ["muller", "sohne", "s", "a", "łodz"]
    assert search.search_words("acme acme ACME") == ["acme"]
    assert search.search_words("") == search.search_words(" -./ ") == []
    assert search.search_words("株式会社 東京") == ["株式会社", "東京"]


def test_the_tsqueries_are_quoted_and_cut_to_the_indexed_prefixes() -> None:
    assert search.prefixes_tsquery(["brinemark", "electro"]) == "'brinemark' & 'electro'"
    long = "a" * (search.PREFIX_LENGTH + 5)
    assert search.prefixes_tsquery([long, long + "b"]) == f"'{long[: search.PREFIX_LENGTH]}'"
    assert search.prefix_tsquery(["brinemark", "electro"]) == "'brinemark':* & 'electro':*"
    assert search.prefix_tsquery(["o'k\\"]) == "'o''k\\\\':*"  # unreachable (separators), still safe


def test_the_migration_indexes_the_words_as_the_application_splits_them() -> None:
    migration = importlib.import_module("conformo.certificates.migrations.0004_registry_word_search")
    assert migration.WORD_SEPARATORS == search.WORD_SEPARATORS
    assert migration.PREFIX_LENGTH == search.PREFIX_LENGTH


def holder(like: Certificate, number: str, name: str, *, confidential: bool = False) -> Certificate:
    """Another public certificate like `like`, for `name`."""
    clone = Certificate.objects.get(pk=like.pk)
    clone.pk = None
    clone._state.adding = True
    clone.public_id = uuid.uuid4()
    clone.certification = clone.decision = clone.organization = None
    clone.number = clone.base_number = number
    clone.holder_name = name
    clone.confidential = confidential
    clone.search_text = search.search_text(number, name)
    clone.save()
    return clone


@pytest.fixture
def holders(granted: Certificate) -> dict[str, Certificate]:
    return {
        "brinemark": holder(granted, "XYZ-77/0042", "Brinemark Électronique GmbH"),
        "brine": holder(granted, "XYZ-77/0043", "Brine & Salt Ltd"),
        "muller": holder(granted, "DE-2025.118", "Müller-Söhne S.A."),
        "hidden": holder(granted, "XYZ-77/0099", "Brinemark Secret Works", confidential=True),
        "long": holder(granted, "LNG-1", "Donaudampfschifffahrtsgesellschaftskapitän Reisen AG"),
        "longer": holder(granted, "LNG-2", "Donaudampfschifffahrtselektrizitätenhauptbetriebswerk AG"),
        "acme": granted,
    }


def numbers(client: Client, q: str) -> tuple[list[str], int]:
    body = client.get(API, {"q": q}).json()
    return [r["number"] for r in body["items"]], body["count"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("brinemark", ["brinemark"]),
        ("BRINEMARK electro", ["brinemark"]),
        ("électronique brinemark", ["brinemark"]),  # any order
        ("brinemark gmbh", ["brinemark"]),
        ("brine", ["brinemark", "brine"]),  # sorted by holder name: "Brine & Salt" < "Brinemark"
        ("BRINE salt", ["brine"]),
        ("mull", ["muller"]),
        ("MÜLLER söhne", ["muller"]),
        ("muller-sohne", ["muller"]),
        ("s.a.", ["muller"]),
        ("xyz-77", ["brinemark", "brine"]),
        ("xyz-77/0042", ["brinemark"]),
        ("0043", ["brine"]),
        ("de-2025.118", ["muller"]),
        ("NBC-2026-00001", ["acme"]),
        ("acme parts", ["acme"]),
        ("donaudampfschifffahrts", ["long", "longer"]),
        ("donaudampfschifffahrtsgesellschaft", ["long"]),  # longer than the indexed prefixes
        ("DONAUDAMPFSCHIFFFAHRTSELEKTRIZITÄTEN ag", ["longer"]),
    ],
)
def test_every_word_typed_starts_a_word_of_the_name_or_number(
    holders: dict[str, Certificate], client: Client, q: str, expected: list[str]
) -> None:
    want = [holders[k].number for k in expected]
    assert numbers(client, q) == (sorted(want, key=lambda n: Certificate.objects.get(number=n).holder_name), len(want))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q",
    [
        "mark",  # inside a word, not at its start
        "ectronique",
        "brinemark salt",  # every word must match
        "brinemarks",  # longer than the word
        "secret",  # confidential
        "2026-00002",
        "-",  # nothing to search for
        "?!",
        "donaudampfschifffahrtsgesellschaftskapitänin",
    ],
)
def test_no_match_is_an_empty_page_with_count_zero(holders: dict[str, Certificate], client: Client, q: str) -> None:
    assert client.get(API, {"q": q}).json() == {"items": [], "count": 0}


@pytest.mark.django_db
def test_a_blank_query_browses_every_public_certificate(holders: dict[str, Certificate], client: Client) -> None:
    assert numbers(client, "   ")[1] == 6
