"""`core.schemas.PlainOut` writes what a ninja `Schema` with the same fields writes, without ninja's getter."""

from dataclasses import dataclass
from typing import Any
from unittest import mock

import pytest
from ninja import Field, Schema
from ninja import schema as ninja_schema
from pydantic import ValidationError

from conformo.core.schemas import PlainOut


@dataclass
class Thing:
    public_id: str
    name: str
    size: int
    parts: list[Any]


@dataclass
class Part:
    label: str


def _part(base: type[Schema]) -> type[Schema]:
    class PartOut(base):  # type: ignore[valid-type,misc]  # mypy takes no base from a variable; built on each base
        label: str
        shout: str

        @staticmethod
        def resolve_shout(obj: Any) -> str:
            return obj.label.upper()

    return PartOut


def _fields(part_out: type[Schema], base: type[Schema]) -> type[Schema]:
    """A schema over `Thing` on `base`: an alias, a plain field, a default, resolvers with and without context, a
    nested list."""

    class ThingOut(base):  # type: ignore[valid-type,misc]  # mypy takes no base from a variable; built on each base
        id: str = Field(alias="public_id")
        name: str
        colour: str = "none"
        doubled: int
        seen_on: str
        parts: list[part_out]  # type: ignore[valid-type]  # mypy takes no type from a variable

        @staticmethod
        def resolve_doubled(obj: Any) -> int:
            return obj.size * 2

        @staticmethod
        def resolve_seen_on(obj: Any, context: dict[str, Any] | None = None) -> str:
            return (context or {}).get("today", "never")

    return ThingOut


NINJA = _fields(_part(Schema), Schema)
PLAIN = _fields(_part(PlainOut), PlainOut)


@pytest.mark.parametrize("context", [None, {"today": "2026-12-05"}])
def test_an_object_reads_as_through_ninja(context: dict[str, Any] | None) -> None:
    thing = Thing(public_id="t-1", name="Gauge", size=21, parts=[Part("a"), Part("b")])
    expected = NINJA.model_validate(thing, context=context).model_dump(by_alias=True)
    assert PLAIN.model_validate(thing, context=context).model_dump(by_alias=True) == expected
    assert expected["colour"] == "none"  # the missing attribute took the field's default
    assert expected["parts"] == [{"label": "a", "shout": "A"}, {"label": "b", "shout": "B"}]


def _outcome(schema: type[Schema], value: Any) -> Any:
    try:
        return schema.model_validate(value).model_dump(by_alias=True)
    except ValidationError as refused:
        return [(e["type"], e["loc"]) for e in refused.errors()]


@pytest.mark.parametrize(
    "row",
    [
        {"public_id": "t-2", "name": "Caliper", "doubled": 6, "seen_on": "x", "parts": [{"label": "c", "shout": "C"}]},
        {"public_id": "t-2", "name": "Caliper", "size": 3, "parts": [{"label": "c"}], "colour": "red"},
    ],
)
def test_a_dict_reads_as_through_ninja(row: dict[str, Any]) -> None:
    assert _outcome(PLAIN, row) == _outcome(NINJA, row)


def test_a_missing_required_field_is_refused_as_through_ninja() -> None:
    @dataclass
    class Nameless:
        public_id: str
        size: int
        parts: list[Any]

    errors = []
    for schema in (NINJA, PLAIN):
        with pytest.raises(ValidationError) as refused:
            schema.model_validate(Nameless(public_id="t-3", size=1, parts=[]))
        errors.append([(e["type"], e["loc"]) for e in refused.value.errors()])
    assert errors[0] == errors[1] == [("missing", ("name",))]


def test_an_object_is_read_without_ninjas_getter() -> None:
    # PlainOut's validator replaces ninja's (the same name): were ninja to rename its own, both would run and the
    # getter would be back for each object.
    thing = Thing(public_id="t-4", name="Scale", size=1, parts=[Part("d")])
    with mock.patch.object(ninja_schema, "DjangoGetter", side_effect=AssertionError("ninja's getter was used")):
        PLAIN.model_validate(thing)
    assert [v.info.mode for v in PLAIN.__pydantic_decorators__.model_validators.values()] == ["wrap"]
