"""The registry's JSON is what the standard library would write, byte for byte, and decodes as JSONField does."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import JSONField
from hypothesis import given
from hypothesis import strategies as st

from conformo.registry.http import json_body
from conformo.registry.selectors import _json_loads

# Lone surrogates cannot be encoded as UTF-8 by either writer.
text = st.text(st.characters(exclude_categories=["Cs"]))
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | text,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(text, children, max_size=4),
    max_leaves=20,
)


def stdlib(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


@given(values)
def test_json_body_writes_the_standard_librarys_bytes(data: Any) -> None:
    assert json_body(data) == stdlib(data)


def test_json_body_on_the_characters_json_escapes() -> None:
    tricky = {"q": 'a"b\\c\n\t\r\x00\x1f\x7f é Ø 漢 \u2028\u2029 🙂 </script>', "n": [None, True, 0, -1]}
    assert json_body(tricky) == stdlib(tricky)


@given(values)
def test_json_columns_decode_as_jsonfield_does(data: Any) -> None:
    field: Any = JSONField()
    raw = json.dumps(data)
    assert _json_loads(raw) == field.from_db_value(raw, None, None)


def test_null_and_text_that_is_not_json_pass_through_as_jsonfield_lets_them() -> None:
    field: Any = JSONField()
    for raw in (None, "not json", "{"):
        assert _json_loads(raw) == field.from_db_value(raw, None, None) == raw
