"""Input that no part of Conformo accepts, refused in one place: control characters and deep nesting.

* **Control characters.** NUL and the other C0 control characters (U+0000–U+001F) and DEL (U+007F) are refused
  in every string that reaches the application: the path and the query string of a request (all of them), form
  and JSON bodies and imported files (all but tab, line feed and carriage return, which multi-line text holds).
  PostgreSQL cannot store NUL in text and SQLite can, so refusing them before anything is read or written gives
  one behaviour on both databases; the other control characters have no place in certification records and
  break the exports (XLSX refuses them).
* **Depth.** A parsed document (a JSON body, an OSCAL catalog, a YAML library) may nest at most
  `MAX_DOCUMENT_DEPTH` arrays and objects: deeper input is refused before the parser recurses into it.

The request middleware (`core/middleware.py`) and every importer use these helpers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from conformo.core.errors import ValidationFailed

#: Every C0 control character and DEL: refused in paths, query strings and one-line values.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
#: The same without tab, line feed and carriage return: refused in bodies and imported text.
TEXT_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Nesting of arrays and objects allowed in a parsed document (ours are at most ~10 deep).
MAX_DOCUMENT_DEPTH = 64

CONTROL_CHARACTER_MESSAGE = "Control characters (such as NUL) are not allowed."


class DocumentRefused(ValidationFailed):
    """A document (a request body or an imported file) cannot be read: not parseable, or nested too deep.
    `place` says where (`line 3, column 7`, or `document`) and `reason` why, for an importer's own message."""

    default_code = "invalid_document"

    def __init__(self, reason: str, *, code: str, place: str = "document") -> None:
        self.place = place
        self.reason = reason
        where = "" if place == "document" else f" at {place}"
        super().__init__(f"The document is {reason}{where}.", code=code)


def has_control_characters(value: str, *, text: bool = True) -> bool:
    """Whether `value` holds a refused control character (`text`: tab, line feed and carriage return are allowed)."""
    return (TEXT_CONTROL_CHARACTERS if text else CONTROL_CHARACTERS).search(value) is not None


def control_character_places(data: Any, *, text: bool = True, root: str = "") -> list[str]:
    """The places (`a.b.0.c`; `root` when `data` is a string) of the strings, keys included, that hold a refused
    control character, in a parsed document of dicts, lists and scalars. Walks without recursion."""
    places: list[str] = []
    for place, value in _strings(data, root):
        if has_control_characters(value, text=text):
            places.append(place or "__all__")
    return places


def _strings(data: Any, root: str) -> Iterator[tuple[str, str]]:
    stack: list[tuple[str, Any]] = [(root, data)]
    while stack:
        place, value = stack.pop()
        if isinstance(value, str):
            yield place, value
        elif isinstance(value, dict):
            for key, item in value.items():
                here = f"{place}.{key}" if place else str(key)
                if isinstance(key, str):
                    yield here, key
                stack.append((here, item))
        elif isinstance(value, list | tuple):
            stack.extend((f"{place}.{index}" if place else str(index), item) for index, item in enumerate(value))


def refuse_control_chars(data: Any, *, text: bool = True, root: str = "") -> None:
    """Raise ValidationFailed (`control_character`, naming each field) when a string in `data` holds a refused
    control character. For importers: call it on each parsed row or document before using it."""
    places = control_character_places(data, text=text, root=root)
    if places:
        raise ValidationFailed(
            CONTROL_CHARACTER_MESSAGE,
            code="control_character",
            fields={place: [CONTROL_CHARACTER_MESSAGE] for place in places},
        )


def json_nesting_depth(content: str | bytes, *, stop_after: int = MAX_DOCUMENT_DEPTH) -> int:
    """The deepest nesting of arrays and objects in JSON text (counted outside strings, without parsing), up to
    `stop_after + 1`: the scan stops as soon as the limit is passed."""
    text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_after:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def nesting_depth(data: Any, *, stop_after: int = MAX_DOCUMENT_DEPTH) -> int:
    """The deepest nesting of dicts and lists in parsed data (a YAML document), up to `stop_after + 1`."""
    deepest = 0
    stack: list[tuple[int, Any]] = [(0, data)]
    seen: set[int] = set()
    while stack:
        depth, value = stack.pop()
        if isinstance(value, dict | list) and id(value) not in seen:
            seen.add(id(value))  # YAML anchors can share (and loop) a node: each is walked once
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_after:
                return deepest
            stack.extend((depth, item) for item in (value.values() if isinstance(value, dict) else value))
    return deepest


def too_deep_message(limit: int = MAX_DOCUMENT_DEPTH) -> str:
    return f"nested more than {limit} deep"


def json_document(content: str | bytes, *, max_depth: int = MAX_DOCUMENT_DEPTH) -> Any:
    """Parse JSON text: DocumentRefused (`invalid_json`, `too_deep`, `not_utf8`) when it cannot be read, with
    one sentence that says why; never the parser's own exception."""
    if json_nesting_depth(content, stop_after=max_depth) > max_depth:
        raise DocumentRefused(f"nested more than {max_depth} deep", code="too_deep")
    try:
        return json.loads(content)
    except UnicodeDecodeError as exc:
        raise DocumentRefused("not UTF-8 text", code="not_utf8") from exc
    except json.JSONDecodeError as exc:
        raise DocumentRefused(
            f"not valid JSON ({exc.msg})", code="invalid_json", place=f"line {exc.lineno}, column {exc.colno}"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise DocumentRefused("not valid JSON", code="invalid_json") from exc
