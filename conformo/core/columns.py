"""A value that its column cannot hold is refused before it is written, alike on SQLite and PostgreSQL.

PostgreSQL refuses a string longer than its `varchar`, an integer outside its column's range and NUL in text with
a database error (a 500); SQLite stores all three (and the exports fail later). The API's schemas bound their
fields from the columns (`core.schemas.column`) and the request middleware refuses control characters; this
`pre_save` check is the last line for every other writer (an importer, a command, a field an input schema
forgot): the save raises ValidationFailed (`value_out_of_range`, naming the fields) and, in the service's
transaction, nothing is written.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from conformo.core.errors import ValidationFailed

RANGES = BaseDatabaseOperations.integer_field_ranges


def column_errors(instance: models.Model) -> dict[str, list[str]]:
    """The fields of `instance` whose value its column cannot hold, with the reason."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if isinstance(value, str):
            if field.max_length is not None and len(value) > field.max_length:
                errors[field.name] = [f"At most {field.max_length} characters."]
            elif "\x00" in value:
                errors[field.name] = ["Control characters (such as NUL) are not allowed."]
        elif isinstance(value, int) and not isinstance(value, bool):
            low, high = RANGES.get(field.get_internal_type(), (None, None))
            if low is not None and high is not None and not low <= value <= high:
                errors[field.name] = [f"Must be between {low} and {high}."]
    return errors


def refuse_unstorable_values(sender: type[models.Model], instance: models.Model, raw: bool = False, **_: Any) -> None:
    """`pre_save` receiver (every model; not for fixtures loaded raw)."""
    if raw:
        return
    errors = column_errors(instance)
    if errors:
        raise ValidationFailed("A value does not fit its field.", code="value_out_of_range", fields=errors)
