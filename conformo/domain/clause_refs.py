"""One syntax for a reference to a clause or an Annex A control of a standard, across findings, internal audits,
risks, nonconformities and documents.

The machine form — what every API answer, export meant for machines and audit-log entry carries — is the
standard's catalog id, a colon and the number, with `A.` before an Annex A control's number:

    iso-9001-2015:9.2        iso-iec-27001-2022:A.5.1        iso-iec-27001-2022:6.1.3 d)

People read the standard's designation, a space and the number (`ISO 9001:2015 9.2`, `ISO/IEC 27001:2022 A.5.1`).

Accepted on input (`parse_clause_ref`), case and spacing aside:

* the machine form, `iso-9001-2015:9.2`;
* the older readiness form with a space, `iso-9001-2015 9.2` (`iso-iec-27001-2022 A.5.1`);
* the designation, `ISO 9001:2015 9.2`, `ISO/IEC 27001:2022 A.5.1`, optionally with a comma and the word
  `clause` or `control` before the number (`ISO 9001:2015, clause 9.2`, `ISO/IEC 27001:2022 control 5.1`).

A number is digits separated by dots (`9`, `9.2`, `6.1.2.1`), optionally after `A.` (an Annex A control) and
optionally followed by a list item (`6.1.3 d)`). The designation maps to the catalog id as the catalogs name
their standards (docs/catalog-format.md: `ISO/IEC 27001:2022` is `iso-iec-27001-2022`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from conformo.domain.errors import InvalidInput

_NUMBER = r"(?P<control>A\.)?(?P<number>\d+(?:\.\d+)*)(?:\s*(?P<item>[a-z]\)))?"
_WORD = r"(?:,?\s*(?P<word>clause|control)\s+|\s+)"
_MACHINE = re.compile(rf"^(?P<code>[a-z0-9]+(?:-[a-z0-9]+)*)(?::\s*|\s+){_NUMBER}$", re.IGNORECASE)
_DESIGNATION = re.compile(
    rf"^(?P<body>ISO(?:\s*/\s*IEC)?)\s+(?P<doc>\d+(?:-\d+)*):(?P<year>\d{{4}}){_WORD}{_NUMBER}$", re.IGNORECASE
)
_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REF = re.compile(r"^\d+(?:\.\d+)*(?: [a-z]\))?$")

EXAMPLES = "'iso-9001-2015:9.2', 'ISO 9001:2015 9.2' or 'iso-iec-27001-2022:A.5.1'"


class ClauseRefError(InvalidInput):
    """A clause reference that none of the accepted forms reads."""

    default_code = "invalid_clause_ref"


@dataclass(frozen=True)
class ClauseRef:
    """A clause (or, with `control`, an Annex A control) `ref` of the standard whose catalog id is `standard`."""

    standard: str
    ref: str
    control: bool = False

    def __post_init__(self) -> None:
        if not _CODE.match(self.standard):
            raise ClauseRefError(f"{self.standard!r} is not a standard's catalog id (such as 'iso-9001-2015').")
        if not _REF.match(self.ref):
            raise ClauseRefError(f"{self.ref!r} is not a clause number (such as '9.2' or '6.1.3 d)').")

    @property
    def number(self) -> str:
        """The number as the standard prints it: `9.2`, or `A.5.1` for an Annex A control."""
        return f"A.{self.ref}" if self.control else self.ref

    def __str__(self) -> str:
        return f"{self.standard}:{self.number}"


def format_clause_ref(standard: str, ref: str, *, control: bool = False) -> str:
    """The machine form: `iso-9001-2015:9.2`, `iso-iec-27001-2022:A.5.1` (a control's `ref` without its `A.`)."""
    return str(ClauseRef(standard, ref.removeprefix("A.") if control else ref, control))


def human_clause_ref(designation: str, ref: str, *, control: bool = False) -> str:
    """The form people read: `ISO 9001:2015 9.2`, `ISO/IEC 27001:2022 A.5.1`."""
    number = f"A.{ref.removeprefix('A.')}" if control else ref
    return f"{designation} {number}"


def standard_code(designation: str) -> str:
    """The catalog id of a standard designated `ISO 9001:2015` or `ISO/IEC 27001:2022`."""
    match = re.match(r"^(ISO(?:\s*/\s*IEC)?)\s+(\d+(?:-\d+)*):(\d{4})$", designation.strip(), re.IGNORECASE)
    if match is None:
        raise ClauseRefError(f"{designation!r} is not a standard's designation (such as 'ISO 9001:2015').")
    return _code(match.group(1), match.group(2), match.group(3))


def _code(body: str, doc: str, year: str) -> str:
    return "-".join([*re.split(r"\s*/\s*", body.lower()), doc, year])


def parse_clause_ref(text: str) -> ClauseRef:
    """Read a clause reference in any accepted form (module docstring); `ClauseRefError` names the forms."""
    cleaned = " ".join(text.split())
    match = _DESIGNATION.match(cleaned)
    if match is not None:
        code = _code(match.group("body"), match.group("doc"), match.group("year"))
    else:
        match = _MACHINE.match(cleaned)
        if match is None:
            raise ClauseRefError(f"{text!r} is not a clause reference; write it as {EXAMPLES}.")
        code = match.group("code").lower()
    control = bool(match.group("control")) or (match.groupdict().get("word") or "").lower() == "control"
    item = match.group("item")
    ref = match.group("number") + (f" {item.lower()}" if item else "")
    return ClauseRef(code, ref, control)
