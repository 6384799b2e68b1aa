"""Checking a CertSearch file: every row parsed and validated, every error reported with its row number
(the spreadsheet's: the header is row 1) and field, and numbers already in the register refused."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection

from conformo.certificates.certsearch.fields import (
    HEADERS,
    IMPORT_STATUS,
    LIST_SEPARATOR,
    MAX_LENGTH,
    REQUIRED,
    SITE_SEPARATOR,
    ImportRejected,
    RowError,
)
from conformo.certificates.models import Certificate
from conformo.core.cleaning import CONTROL_CHARACTER_MESSAGE, has_control_characters
from conformo.domain.errors import InvalidInput
from conformo.domain.sectors import parse_iaf_code
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Standard

Progress = Callable[[str, int], None]
"""Told (stage, rows so far) while an import runs: `checking`, `writing`, `publishing`."""


def _date(text: str) -> date:
    digits = text.replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def standard_id(designation: str, known: dict[str, str]) -> str:
    """`ISO 9001:2015` → the catalog id (`iso-9001-2015`), or the same slug when the catalog lacks it."""
    key = designation.strip().lower()
    if key in known:
        return known[key]
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-")


@dataclass(slots=True)
class _Row:
    line: int
    base: str
    number: str
    status: str
    standards: _Standards
    scope: str
    original: date
    issued: date
    expires: date
    entity_id: str
    name: str
    country: str
    address: str
    sites: list[tuple[str, str, str, str]]
    """(name, address, country, scope) each; the first is the headquarters."""
    sectors: list[int]
    confidential: bool
    accredited: bool

    def site_dicts(self) -> list[dict[str, Any]]:
        return [
            {"name": n, "address": a, "country": c, "headquarters": i == 0, "scope": s}
            for i, (n, a, c, s) in enumerate(self.sites)
        ]

    def sites_json(self) -> str:
        """The same JSON as `json.dumps(self.site_dicts(), ensure_ascii=False)`, built without the dicts."""
        return (
            "["
            + ", ".join(
                f'{{"name": {_quote(n)}, "address": {_quote(a)}, "country": {_quote(c)}, '
                f'"headquarters": {"true" if i == 0 else "false"}, "scope": {_quote(s)}}}'
                for i, (n, a, c, s) in enumerate(self.sites)
            )
            + "]"
        )


@dataclass(frozen=True, slots=True)
class _Standards:
    """The parsed `Standards` cell, shared by every row with the same text (registers repeat it)."""

    items: list[dict[str, str]]
    json: str
    codes: tuple[str, ...]


_quote = json.encoder.encode_basestring  # JSON string literal, non-ASCII kept
_COLUMN = {name: i for i, name in enumerate(HEADERS)}
_CONFIDENTIAL = {"": False, "yes": True, "no": False, "true": True, "false": False, "1": True, "0": False}
_CONFIDENTIAL |= {"y": True, "n": False}
_ACCREDITED = {"": True, "accredited": True, "unaccredited": False}


def _is_country(code: str) -> bool:
    return len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()


class _Memo:
    """Cells that repeat across a register (dates, standards, sectors) are parsed once per file."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.dates: dict[str, date | None] = {}
        self.standards: dict[str, _Standards] = {}
        self.sectors: dict[str, tuple[list[int], list[str]]] = {}

    def date(self, text: str) -> date | None:
        try:
            return self.dates[text]
        except KeyError:
            try:
                found: date | None = _date(text)
            except ValueError:
                found = None
            self.dates[text] = found
            return found

    def standards_of(self, text: str) -> _Standards:
        try:
            return self.standards[text]
        except KeyError:
            designations = [s.strip() for s in text.split(LIST_SEPARATOR) if s.strip()]
            items = [{"id": standard_id(d, self.known), "designation": d} for d in designations]
            parsed = _Standards(
                items, json.dumps(items, ensure_ascii=False), tuple(dict.fromkeys(i["id"] for i in items))
            )
            self.standards[text] = parsed
            return parsed

    def sectors_of(self, text: str) -> tuple[list[int], list[str]]:
        try:
            return self.sectors[text]
        except KeyError:
            codes: list[int] = []
            bad: list[str] = []
            for part in text.split(LIST_SEPARATOR):
                if part.strip():
                    try:
                        codes.append(parse_iaf_code(part))
                    except InvalidInput as exc:
                        bad.append(f"{exc.message[:1].upper()}{exc.message[1:]}.")
            self.sectors[text] = (codes, bad)
            return codes, bad


_DATE_FIELDS = ("Certification Original Issue Date", "Certification Issue Date", "Certification Expiry Date")


def _parse(line: int, cells: list[str], memo: _Memo, errors: list[RowError]) -> _Row | None:
    """Check one row (`cells` in HEADERS order, stripped); append its errors, return it when it is good."""
    (
        base,
        number,
        raw_status,
        accreditation_text,
        _kind,
        standards_text,
        scope,
        original_text,
        issued_text,
        expiry_text,
        entity_id,
        name,
        country,
        address,
        sites_text,
        sectors_text,
        confidential_text,
    ) = cells
    before = len(errors)

    def bad(field_name: str, message: str) -> None:
        errors.append(RowError(line, field_name, message))

    if not (base and number and raw_status and standards_text and issued_text and expiry_text and name and country):
        for field_name in REQUIRED:
            if not cells[_COLUMN[field_name]]:
                bad(field_name, "Required.")
    if len(base) > 60 or len(number) > 60 or len(raw_status) > 45 or len(entity_id) > 45 or len(name) > 300:
        for field_name, limit in MAX_LENGTH.items():
            if len(cells[_COLUMN[field_name]]) > limit:
                bad(field_name, f"At most {limit} characters.")
    status = IMPORT_STATUS.get(raw_status.lower())
    if raw_status and status is None:
        bad("Certification Status", f"{raw_status!r} is not a certificate status (Active, Suspended, Withdrawn, …).")
    issued = expires = original = None
    for field_name, text in zip(_DATE_FIELDS, (original_text, issued_text, expiry_text), strict=True):
        if text:
            parsed = memo.date(text)
            if parsed is None:
                bad(field_name, f"{text!r} is not a date (YYYYMMDD).")
            elif field_name == "Certification Issue Date":
                issued = parsed
            elif field_name == "Certification Expiry Date":
                expires = parsed
            else:
                original = parsed
    if original is None and not original_text:
        original = issued
    if issued and expires and expires <= issued:
        bad("Certification Expiry Date", "Must be after the issue date.")
    if issued and original and original > issued:
        bad("Certification Original Issue Date", "Must not be after the issue date.")
    country = country.upper()
    if country and not _is_country(country):
        bad("Certified Entity Country", f"{country!r} is not an ISO 3166-1 alpha-2 code.")
    standards = memo.standards_of(standards_text)
    if standards_text and not standards.items:
        bad("Standards", "Name at least one standard.")
    sectors, sector_errors = memo.sectors_of(sectors_text) if sectors_text else ([], [])
    for message in sector_errors:
        bad("Technical Sectors", message)
    sites: list[tuple[str, str, str, str]] = []
    if sites_text:
        position = 0
        for text in sites_text.split(SITE_SEPARATOR):
            if not text.strip():
                continue
            parts = [p.strip() for p in text.split("|")]
            site_country = (parts[2] if len(parts) > 2 else country).upper()
            if not parts[0] or not _is_country(site_country):
                bad("Certification Sites", f"Site {position + 1}: write 'name | address | country code [| scope]'.")
            else:
                sites.append(
                    (
                        parts[0],
                        parts[1] if len(parts) > 1 else "",
                        site_country,
                        parts[3] if len(parts) > 3 and parts[3] else scope,
                    )
                )
            position += 1
    confidential = _CONFIDENTIAL.get(confidential_text.lower())
    if confidential is None:
        bad("Confidential", "Yes or No.")
    accredited = _ACCREDITED.get(accreditation_text.lower())
    if accredited is None:
        bad("Accreditation Status", "Accredited or Unaccredited.")
    if len(errors) > before or status is None or issued is None or expires is None or original is None:
        return None
    return _Row(
        line=line,
        base=base,
        number=number,
        status=status,
        standards=standards,
        scope=scope,
        original=original,
        issued=issued,
        expires=expires,
        entity_id=entity_id,
        name=name,
        country=country,
        address=address,
        sites=sites or [(name, address, country, scope)],
        sectors=sectors,
        confidential=bool(confidential),
        accredited=bool(accredited),
    )


def _known_standards() -> dict[str, str]:
    known: dict[str, str] = {}
    for code, designation in Standard.objects.values_list("code", "designation"):
        known[code.lower()] = code
        known[designation.lower()] = code
    return known


PROGRESS_EVERY = 10_000
"""Rows between two progress reports of a long check."""


def parse_file(
    rows: Iterable[list[str]], certification_body: CertificationBody, progress: Progress | None = None
) -> list[_Row]:
    """Check every row; raise ImportRejected listing every error, or return the parsed rows. `progress` is
    told ("checking", rows so far) every PROGRESS_EVERY rows."""
    iterator = iter(rows)
    header = [h.strip() for h in next(iterator, [])]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise ImportRejected([RowError(1, h, "Column missing from the header.") for h in sorted(missing)])
    positions = [header.index(name) if name in header else -1 for name in HEADERS]
    width = len(header)
    # In the usual layout the cells are already in HEADERS order (None: take them as they come).
    positions_used = None if positions == list(range(len(HEADERS))) else positions
    memo = _Memo(_known_standards())
    errors: list[RowError] = []
    parsed: list[_Row] = []
    seen_numbers: dict[str, int] = {}
    seen_bases: dict[str, int] = {}
    for line, raw in enumerate(iterator, start=2):
        if progress is not None and line % PROGRESS_EVERY == 0:
            progress("checking", line - 1)
        if len(raw) < width:
            raw = raw + [""] * (width - len(raw))
        if positions_used is None:
            cells = [cell.strip() for cell in raw[: len(HEADERS)]]
        else:
            cells = [raw[i].strip() if i >= 0 else "" for i in positions_used]
        if not any(cells) and not any(cell.strip() for cell in raw):
            continue
        if has_control_characters("".join(raw)):
            # NUL and the other control characters are refused in every imported file (conformo.core.cleaning;
            # PostgreSQL text cannot even store NUL): name the cell, write nothing.
            errors.extend(
                RowError(
                    line, header[i] if i < len(header) and header[i] else f"Column {i + 1}", CONTROL_CHARACTER_MESSAGE
                )
                for i, cell in enumerate(raw)
                if has_control_characters(cell)
            )
            continue
        row = _parse(line, cells, memo, errors)
        if row is None:
            continue
        if row.number in seen_numbers:
            errors.append(RowError(line, "Certificate Number", f"Repeats row {seen_numbers[row.number]}."))
            continue
        if row.base in seen_bases:
            errors.append(RowError(line, "Certification Identity Number", f"Repeats row {seen_bases[row.base]}."))
            continue
        seen_numbers[row.number] = line
        seen_bases[row.base] = line
        parsed.append(row)
    _check_existing(parsed, certification_body, errors)
    if errors:
        errors.sort(key=lambda e: (e.row, e.field))
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([RowError(2, "Certificate Number", "The file holds no certificate.")])
    return parsed


def _check_existing(rows: list[_Row], cb: CertificationBody, errors: list[RowError]) -> None:
    """Numbers already in Conformo (any CB: numbers are unique) and identity numbers already in this CB."""
    if connection.vendor == "postgresql":
        _check_existing_postgresql(rows, cb, errors)
        return
    chunk = 5000
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        by_number = {r.number: r for r in part}
        for number in Certificate.objects.filter(number__in=list(by_number)).values_list("number", flat=True):
            errors.append(RowError(by_number[number].line, "Certificate Number", "Already in the register."))
        by_base = {r.base: r for r in part}
        taken = Certificate.objects.filter(certification_body=cb, base_number__in=list(by_base)).values_list(
            "base_number", flat=True
        )
        for base in set(taken):
            errors.append(RowError(by_base[base].line, "Certification Identity Number", "Already in the register."))


def _check_existing_postgresql(rows: list[_Row], cb: CertificationBody, errors: list[RowError]) -> None:
    """The same check in two statements, whatever the file's size. The lists travel as one JSON text each
    (json.dumps is C; a psycopg list of 100,000 strings is dumped in Python)."""
    table = Certificate._meta.db_table
    by_number = {r.number: r for r in rows}
    by_base = {r.base: r for r in rows}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number FROM {table} WHERE number IN "  # noqa: S608 - table name from the model
            "(SELECT jsonb_array_elements_text(%s::jsonb))",
            [json.dumps(list(by_number))],
        )
        for (number,) in cursor.fetchall():
            errors.append(RowError(by_number[number].line, "Certificate Number", "Already in the register."))
        cursor.execute(
            f"SELECT DISTINCT base_number FROM {table} WHERE certification_body_id = %s AND base_number IN "  # noqa: S608 - the model's own table name, values bound
            "(SELECT jsonb_array_elements_text(%s::jsonb))",
            [cb.pk, json.dumps(list(by_base))],
        )
        for (base,) in cursor.fetchall():
            errors.append(RowError(by_base[base].line, "Certification Identity Number", "Already in the register."))
