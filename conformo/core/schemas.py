"""Schemas shared by every app: the error body, and the bounds of input taken from the columns it is stored in.

Every integer an operation accepts is bounded (a test walks the API's document). `column(Model, "field")` takes
the bounds from the model field: its choices as the document's `enum`, the `max_length` of a CharField,
`TEXT_MAX_LENGTH` for a TextField, the column's range for an integer field (Django's ranges, the same on SQLite
and PostgreSQL, so that a value is refused alike on both). `Int32` and `Text` bound values stored otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from ninja import Field, Schema

#: The longest text accepted for a TextField (no column limit): longer is a 422, not a megabyte of notes.
TEXT_MAX_LENGTH = 20_000
#: The range of an IntegerField column (PostgreSQL's `integer`).
INT_MIN, INT_MAX = BaseDatabaseOperations.integer_field_ranges["IntegerField"]

Int32 = Annotated[int, Field(ge=INT_MIN, le=INT_MAX)]
PositiveInt32 = Annotated[int, Field(ge=0, le=INT_MAX)]
Text = Annotated[str, Field(max_length=TEXT_MAX_LENGTH)]


def column(model: type[models.Model], name: str, **constraints: Any) -> Any:
    """A schema field (`ninja.Field`) bounded as the column `model.name` stores it; `constraints` (a default,
    a tighter bound) are passed on and win."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is a relation, not a column"
    if field.choices and "json_schema_extra" not in constraints:
        # The document lists the values; the service refuses any other (422, naming the field).
        values: list[Any] = [value for value, _ in field.flatchoices]
        constraints["json_schema_extra"] = {
            "enum": [*values, None] if constraints.get("default", "") is None else values
        }
    internal = field.get_internal_type()
    if internal in BaseDatabaseOperations.integer_field_ranges:
        low, high = BaseDatabaseOperations.integer_field_ranges[internal]
        constraints.setdefault("ge", low)
        constraints.setdefault("le", high)
    elif getattr(field, "max_length", None):
        constraints.setdefault("max_length", field.max_length)
    elif isinstance(field, models.TextField):
        constraints.setdefault("max_length", TEXT_MAX_LENGTH)
    return Field(**constraints)


class ErrorOut(Schema):
    detail: str
    code: str
    fields: dict[str, list[str]] | None = None


class AuditLogEntryOut(Schema):
    at: datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: Any
    after: Any

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.email if obj.actor else None
