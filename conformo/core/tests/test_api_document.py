"""The OpenAPI document tells the truth: unique schema names, every input bounded, common answers documented."""

from __future__ import annotations

import inspect
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from pydantic import BaseModel

from conformo.api import api

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return api.get_openapi_schema()


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def leaves(
    document: dict[str, Any], schema: dict[str, Any], place: str, seen: frozenset[str] = frozenset()
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every scalar schema inside `schema` (through references, objects, arrays and unions), with its place."""
    ref = schema.get("$ref")
    if ref:
        if ref in seen:
            return
        seen = seen | {ref}
    schema = resolve(document, schema)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from leaves(document, option, place, seen)
    for name, item in (schema.get("properties") or {}).items():
        yield from leaves(document, item, f"{place}.{name}", seen)
    if isinstance(schema.get("additionalProperties"), dict):
        yield from leaves(document, schema["additionalProperties"], f"{place}.*", seen)
    if isinstance(schema.get("items"), dict):
        yield from leaves(document, schema["items"], f"{place}[]", seen)
    if schema.get("type") in ("integer", "string"):
        yield place, schema


def inputs(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for label, operation in operations(document):
        for parameter in operation.get("parameters", []):
            for place, leaf in leaves(document, parameter.get("schema", {}), f"{parameter['in']}:{parameter['name']}"):
                yield label, place, leaf
        for media, content in (operation.get("requestBody") or {}).get("content", {}).items():
            for place, leaf in leaves(document, content.get("schema", {}), f"body({media})"):
                yield label, f"body{place.split(')', 1)[1]}", leaf


def test_no_two_schemas_of_the_api_share_a_name() -> None:
    names: dict[str, set[str]] = defaultdict(set)
    seen: set[type[BaseModel]] = set()

    def walk(annotation: Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation in seen:
                return
            seen.add(annotation)
            names[annotation.__name__].add(f"{annotation.__module__}.{annotation.__qualname__}")
            for field in annotation.model_fields.values():
                walk(field.annotation)
        for argument in get_args(annotation):
            walk(argument)

    for _, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    walk(model)
    assert len(seen) > 100
    shared = {name: sorted(classes) for name, classes in names.items() if len(classes) > 1}
    assert not shared, f"django-ninja documents these with one shape: {shared}"


def test_every_integer_an_operation_accepts_has_bounds(document: dict[str, Any]) -> None:
    unbounded = [
        f"{label} {place}"
        for label, place, leaf in inputs(document)
        if leaf.get("type") == "integer"
        and (
            ("minimum" not in leaf and "exclusiveMinimum" not in leaf)
            or ("maximum" not in leaf and "exclusiveMaximum" not in leaf)
        )
    ]
    assert not unbounded, "\n".join(unbounded)


def test_every_operation_documents_its_refusals_in_the_one_error_shape(document: dict[str, Any]) -> None:
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for label, operation in operations(document):
        responses = {int(status): answer for status, answer in operation["responses"].items()}
        assert 400 in responses, label
        if any(parameter["in"] == "path" for parameter in operation.get("parameters", [])):
            assert 404 in responses, label
        if operation.get("parameters") or operation.get("requestBody"):
            assert 422 in responses, label
        for status, answer in responses.items():
            if status >= 400 and "application/json" in answer.get("content", {}):
                schema = answer["content"]["application/json"]["schema"]
                assert resolve(document, schema).get("required", [])[:2] == ["detail", "code"] or schema == error, (
                    f"{label} {status}: {schema}"
                )


def test_every_success_describes_its_content_and_files_their_media_type(document: dict[str, Any]) -> None:
    for label, operation in operations(document):
        for status, answer in operation["responses"].items():
            if str(status).startswith("2") and str(status) != "204":
                content = answer.get("content") or {}
                assert content, f"{label} {status} has no content"
                json_schema = content.get("application/json", {}).get("schema", {})
                assert json_schema.get("type") != "string", f"{label} {status}: a file documented as a JSON string"
    files = {
        media
        for _, operation in operations(document)
        for answer in operation["responses"].values()
        for media in answer.get("content", {})
    }
    assert {"application/pdf", "application/jose", "text/csv", "application/zip", "text/calendar"} <= files


#: The status each ApplicationError a view raises itself answers with.
RAISED_STATUS = {
    "ValidationFailed": 422,
    "PermissionDenied": 403,
    "NotFound": 404,
    "Conflict": 409,
    "Gone": 410,
    "Unauthenticated": 401,
}


def test_every_refusal_an_operation_raises_itself_is_documented(document: dict[str, Any]) -> None:
    """What the view functions raise directly (their services' refusals are fuzzed, not read)."""
    documented = {
        operation["operationId"]: {int(status) for status in operation["responses"]}
        for _, operation in operations(document)
    }
    missing = []
    checked = 0
    for _, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                statuses = documented[operation.operation_id or api.get_openapi_operation_id(operation)]
                source = inspect.getsource(operation.view_func)
                for name in re.findall(r"raise (\w+)\(", source):
                    checked += 1
                    if name in RAISED_STATUS and RAISED_STATUS[name] not in statuses:
                        missing.append(f"{operation.view_func.__qualname__} raises {name} ({RAISED_STATUS[name]})")
    assert checked > 10
    assert not missing, "\n".join(missing)


def test_answers_are_the_json_ninjas_encoder_writes():
    """The API's answers are written by orjson (`conformo.api.Renderer`): the same JSON as Python's `json` with
    ninja's encoder — dates and times as ninja writes them (to the millisecond, `Z` for UTC), amounts and ids as
    strings, lazy text as text — and UTF-8 rather than escapes."""
    import datetime
    import decimal
    import json
    import uuid

    from django.utils.translation import gettext_lazy

    from conformo.api import JSONEncoder, Renderer
    from conformo.audits.choices import AuditKind

    data = {
        "at": datetime.datetime(2026, 12, 6, 1, 2, 3, 456789, tzinfo=datetime.UTC),
        "in_paris": datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        "on": datetime.date(2026, 1, 2),
        "time": datetime.time(1, 2, 3, 456789),
        "days": decimal.Decimal("2.50"),
        "id": uuid.UUID("45c3b9fb-d31f-4a3c-b390-7aa00a0aee35"),
        "lazy": gettext_lazy("Yes"),
        "kind": AuditKind.STAGE_1,
        "nested": [{"ratio": 0.1, "big": 2**40, "none": None, "name": "Müller — ✓"}],
    }
    written = Renderer().render(None, data, response_status=200)  # type: ignore[arg-type]  # no request is read
    assert json.loads(written) == json.loads(json.dumps(data, cls=JSONEncoder))
    assert json.loads(written)["at"] == "2026-12-06T01:02:03.456Z"
    assert "Müller — ✓".encode() in written
