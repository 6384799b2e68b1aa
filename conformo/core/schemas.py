"""Schemas shared by every app: the error body, the bounds of input taken from the columns it is stored in, and
`PlainOut` for the objects a list nests by the hundred.

Every integer an operation accepts is bounded (a test walks the API's document). `column(Model, "field")` takes
the bounds from the model field: its choices as the document's `enum`, the `max_length` of a CharField,
`TEXT_MAX_LENGTH` for a TextField, the column's range for an integer field (Django's ranges, the same on SQLite
and PostgreSQL, so that a value is refused alike on both). `Int32` and `Text` bound values stored otherwise.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import cache
from typing import Annotated, Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator

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


class PlainOut(Schema):
    """A response schema whose fields are plain attributes of the object it writes, or have a `resolve_<field>`.

    It is validated from a dict of its fields read in one pass (`_plain_reads`) instead of through ninja's
    `DjangoGetter`, which runs Python code for each field of each object to turn a related manager, a queryset or a
    callable into its value; a `PlainOut` does that in its resolvers. It is used for the objects a list nests by the
    hundred: on a page of programmes (`audits.schemas.ProgrammeOut`, 50 programmes, ~250 audits) it halved the
    validation, 8.1 → 3.6 ms (docs/performance.md, "Lists"). A dict is validated as ninja does; an instance of the
    schema is kept.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        # Named as ninja.Schema's own root validator, which it replaces (pydantic keeps one validator per name).
        if isinstance(values, cls):
            return handler(values)
        if isinstance(values, dict):
            return handler(DjangoGetter(values, cls, info.context))
        fields: dict[str, Any] = {}
        for key, resolver, with_context in _plain_reads(cls):
            try:
                if resolver is None:
                    fields[key] = getattr(values, key)
                else:
                    fields[key] = resolver(values, context=info.context) if with_context else resolver(values)
            except AttributeError:  # as with ninja's getter: a missing attribute is a missing field
                continue
        return handler(fields)


@cache
def _plain_reads(schema: type[Schema]) -> tuple[tuple[str, Callable[..., Any] | None, bool], ...]:
    """How a `PlainOut` reads each of its fields from an object: under the name it is validated by (its alias),
    through the schema's `resolve_<name>` (given the validation's context if it takes one, as ninja does), else as
    the object's attribute."""
    reads = []
    for name, field in schema.model_fields.items():
        key = field.alias or name
        resolver = getattr(schema, f"resolve_{key}", None)
        parameters = inspect.signature(resolver).parameters.values() if resolver is not None else ()
        with_context = any(p.name == "context" or p.kind is p.VAR_KEYWORD for p in parameters)
        reads.append((key, resolver, with_context))
    return tuple(reads)


def listed_as(name: str) -> str:
    """The attribute a prefetch of the relation `name` fills with a plain list (`Prefetch(to_attr=...)`), which
    `listed` reads."""
    return f"listed_{name}"


def listed(obj: Any, name: str, *, keep: bool = False) -> list[Any]:
    """`obj`'s related rows `name`: the list a prefetch left in `listed_as(name)`, else the relation read (an object
    answered by itself) — and `obj` no longer holding them once written. A prefetched reverse relation and its rows
    point at each other (`audit.programme` is the programme that prefetched it), a reference cycle that only
    Python's cyclic garbage collector frees: a page of 25 programmes left ~13,700 such objects per request, freed
    in full collections of ~200 ms every ~10 requests at N = 600 (api:programmes' p95); released, the rows are freed
    with the response. `keep`: the rows stay for another field that reads them (a many-to-many relation, whose rows
    do not point back at `obj`)."""
    rows = obj.__dict__.get(listed_as(name)) if keep else obj.__dict__.pop(listed_as(name), None)
    if rows is None:
        rows = list(getattr(obj, name).all())
        if not keep:
            getattr(obj, "_prefetched_objects_cache", {}).pop(name, None)
    return rows


def list_values(objects: list[Any], name: str, read: Callable[[list[Any]], Iterable[tuple[Any, Any]]]) -> list[Any]:
    """`objects` (a page's rows, once known), each with a plain list under `listed_as(name)` — read by `listed`, or by
    a template — of the values `read(keys)` gives for the objects' keys as (key, value) pairs, in their order: a
    relation read as values in one query rather than prefetched as model instances (about 20 µs each at N = 600:
    docs/performance.md, "Lists")."""
    attribute = listed_as(name)
    by_key = {obj.pk: obj for obj in objects}
    for obj in objects:
        obj.__dict__[attribute] = []
    if by_key:
        for key, value in read(list(by_key)):
            by_key[key].__dict__[attribute].append(value)
    return objects


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
