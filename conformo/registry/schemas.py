"""The registry search's query parameters: one schema for the API (django-ninja) and the fast path alike.

No `from __future__ import annotations` here: django-ninja and pydantic resolve the annotations at import.
"""

from typing import Any

from ninja import Field, Schema
from pydantic import create_model


class SearchIn(Schema):
    q: str = Field(
        "",
        max_length=200,
        description="Words, each the start of a word of the certificate number or holder name "
        "(any order, any case, any accents): `brinemark elec`, `NBC-2026`.",
    )
    standard: str = Field("", max_length=100, description="Standard id, e.g. iso-9001-2015.")
    country: str = Field("", max_length=2, description="Holder country (ISO 3166-1 alpha-2).")
    status: str = Field("", description="active | suspended | withdrawn | expired")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=100)


def max_length(name: str) -> int:
    """The `max_length` the schema gives the text parameter `name` (the registry page cuts its input to it)."""
    for constraint in SearchIn.model_fields[name].metadata:
        limit = getattr(constraint, "max_length", None)
        if limit is not None:
            return int(limit)
    raise LookupError(f"SearchIn.{name} has no max_length")


_SEARCH_FIELDS: dict[str, Any] = {name: (field.annotation, field) for name, field in SearchIn.model_fields.items()}
SearchQuery = create_model("SearchQuery", **_SEARCH_FIELDS)
"""SearchIn's fields (types, defaults, limits) on a plain pydantic model, for the registry's fast path:
django-ninja's Schema runs every validation through its own root validator (~30 µs; ~3 µs without)."""
