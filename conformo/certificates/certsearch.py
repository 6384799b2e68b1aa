"""Bulk import and export of a CB's certificate register in the IAF CertSearch upload field model
(docs/certificates.md, reference: CertSearch field glossary v2.1), as CSV or XLSX.

Import is all or nothing: every row is checked first and every bad row reported with its row number (the
spreadsheet's: the header is row 1) and field; nothing is written when any row is bad. On PostgreSQL the
rows are written with `COPY`, elsewhere with `bulk_create`, in one transaction.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone

from conformo.audits.models import Accreditation
from conformo.audits.permissions import require_cb_role
from conformo.certificates.models import Certificate, CertificateSource, CertificateStandard, CertificateStatus
from conformo.certificates.search import search_text
from conformo.core.audit import audit_log_record
from conformo.core.errors import ValidationFailed
from conformo.domain.certificate_states import CertificateState, effective_state
from conformo.organizations.models import CertificationBody
from conformo.standards.models import Standard

HEADERS = [
    "Certification Identity Number",
    "Certificate Number",
    "Certification Status",
    "Accreditation Status",
    "Certification Type",
    "Standards",
    "Certification Scope",
    "Certification Original Issue Date",
    "Certification Issue Date",
    "Certification Expiry Date",
    "Certified Entity Unique ID",
    "Certified Entity Name",
    "Certified Entity Country",
    "Certified Entity Address",
    "Certification Sites",
    "Technical Sectors",
    "Confidential",
]
REQUIRED = {
    "Certification Identity Number",
    "Certificate Number",
    "Certification Status",
    "Standards",
    "Certification Issue Date",
    "Certification Expiry Date",
    "Certified Entity Name",
    "Certified Entity Country",
}
MAX_LENGTH = {
    "Certification Identity Number": 60,
    "Certificate Number": 60,
    "Certification Status": 45,
    "Certified Entity Unique ID": 45,
    "Certified Entity Name": 300,
}
IMPORT_STATUS = {
    "active": CertificateStatus.ACTIVE,
    "suspended": CertificateStatus.SUSPENDED,
    "withdrawn": CertificateStatus.WITHDRAWN,
    "cancelled": CertificateStatus.WITHDRAWN,
    "expired": CertificateStatus.EXPIRED,
    "inactive": CertificateStatus.EXPIRED,
}
"""CertSearch upload statuses → Conformo's. Draft is refused: a draft is not a certificate."""
EXPORT_STATUS = {
    CertificateStatus.ACTIVE: "Active",
    CertificateStatus.SUSPENDED: "Suspended",
    CertificateStatus.WITHDRAWN: "Withdrawn",
    CertificateStatus.EXPIRED: "Expired",
}
SITE_SEPARATOR = "\n"
SITE_FIELD_SEPARATOR = " | "
LIST_SEPARATOR = ";"
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


class ImportRejected(ValidationFailed):
    """The file has bad rows; nothing was written. `errors` lists every one (row, field, message)."""

    default_code = "import_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        fields: dict[str, list[str]] = {}
        for error in errors:
            fields.setdefault(f"row {error.row}: {error.field}", []).append(error.message)
        rows = len({e.row for e in errors})
        super().__init__(
            f"The file was not imported: {len(errors)} error(s) in {rows} row(s); nothing was written.",
            fields=fields,
        )

    def as_dict(self) -> dict[str, object]:
        return {**super().as_dict(), "errors": [e.as_dict() for e in self.errors]}


@dataclass
class ImportResult:
    imported: int
    numbers: list[str] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().strftime("%Y%m%d")
    if isinstance(value, date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(handle: IO[bytes], filename: str) -> Iterator[list[str]]:
    """Rows of a CSV (UTF-8, optional BOM) or XLSX file, header first, as lists of strings."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a broken file
            raise ValidationFailed(f"{filename} is not a readable XLSX workbook.", code="unreadable_file") from exc
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell(v) for v in values]
        workbook.close()
        return
    try:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        yield from csv.reader(text)
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"{filename} is not UTF-8 text.", code="unreadable_file") from exc


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


_quote = json.encoder.encode_basestring  # type: ignore[attr-defined]  # JSON string literal, non-ASCII kept
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
                part = part.strip()
                if part:
                    if part.isdigit() and part.isascii() and 1 <= int(part) <= 39:
                        codes.append(int(part))
                    else:
                        bad.append(f"{part!r} is not an IAF sector code (1-39).")
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


def parse_file(rows: Iterable[list[str]], certification_body: CertificationBody) -> list[_Row]:
    """Check every row; raise ImportRejected listing every error, or return the parsed rows."""
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
        if len(raw) < width:
            raw = raw + [""] * (width - len(raw))
        if positions_used is None:
            cells = [cell.strip() for cell in raw[: len(HEADERS)]]
        else:
            cells = [raw[i].strip() if i >= 0 else "" for i in positions_used]
        if not any(cells) and not any(cell.strip() for cell in raw):
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
            f"SELECT DISTINCT base_number FROM {table} WHERE certification_body_id = %s AND base_number IN "  # noqa: S608
            "(SELECT jsonb_array_elements_text(%s::jsonb))",
            [cb.pk, json.dumps(list(by_base))],
        )
        for (base,) in cursor.fetchall():
            errors.append(RowError(by_base[base].line, "Certification Identity Number", "Already in the register."))


# --- writing ----------------------------------------------------------------------------------------


def _accreditation(cb: CertificationBody, on: date) -> str:
    found = Accreditation.objects.filter(certification_body=cb, valid_from__lte=on, valid_until__gte=on)
    return "; ".join(dict.fromkeys(str(a) for a in found))[:300]


_COPY_COLUMNS = [
    "id",
    "public_id",
    "created_at",
    "updated_at",
    "certification_body_id",
    "source",
    "base_number",
    "revision",
    "number",
    "is_current",
    "status",
    "confidential",
    "holder_name",
    "holder_country",
    "holder_address",
    "holder_identifier",
    "sites",
    "standards",
    "scope",
    "sector_codes",
    "issued_on",
    "original_issued_on",
    "expires_on",
    "cb_name",
    "cb_address",
    "accreditation",
    "search_text",
]
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
TRIGRAM_INDEX = "cert_search_trgm"
TRIGRAM_REBUILD_RATIO = 1.0
"""An import of 10,000 rows or more and at least this many times the table's (estimated) size rebuilds the
trigram index once instead of updating it row by row (faster; readers of the table wait for the commit)."""


def _copy_text(value: str) -> str:
    return (
        value.translate(_COPY_ESCAPES) if ("\\" in value or "\t" in value or "\n" in value or "\r" in value) else value
    )


def _uuid4_texts(count: int) -> Iterator[str]:
    """`count` random version-4 UUIDs as text, from one read of the system's random source."""
    pool = os.urandom(16 * count).hex()
    for i in range(0, 32 * count, 32):
        h = pool[i : i + 32]
        yield f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


def _write_postgresql(rows: list[_Row], cb: CertificationBody, accreditation: str) -> None:
    """Stream the rows into the certificates table and their standard links into theirs, each with one
    `COPY … FROM STDIN`. Ids are drawn from the table's sequence first, so the links need no read-back."""
    table = Certificate._meta.db_table
    links = CertificateStandard._meta.db_table
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # The planner's row estimate is enough to choose (an exact count of a large table costs a scan).
        raw.execute("SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass", [table])
        public = raw.fetchone()[0]  # type: ignore[index]
        rebuild = len(rows) >= TRIGRAM_REBUILD_RATIO * max(public, 1) and len(rows) >= 10_000
        raw.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, TRIGRAM_INDEX])
        found = raw.fetchone()
        if rebuild and found:
            raw.execute(f"DROP INDEX {TRIGRAM_INDEX}")
        raw.execute(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)",  # noqa: S608
            [len(rows)],
        )
        ids = [i for (i,) in raw.fetchall()]
        prefix = "\t".join((now, now, str(cb.pk), CertificateSource.IMPORTED))
        cb_part = "\t".join((_copy_text(cb.name), _copy_text(cb.address)))
        accredited_text, unaccredited_text = _copy_text(accreditation), ""
        with raw.copy(f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN") as copy:
            buffer: list[str] = []
            for pk, public_id, r in zip(ids, _uuid4_texts(len(rows)), rows, strict=True):
                buffer.append(
                    f"{pk}\t{public_id}\t{prefix}\t{_copy_text(r.base)}\t0\t{_copy_text(r.number)}\tt\t{r.status}\t"
                    f"{'t' if r.confidential else 'f'}\t{_copy_text(r.name)}\t{r.country}\t{_copy_text(r.address)}\t"
                    f"{_copy_text(r.entity_id)}\t{_copy_text(r.sites_json())}\t{_copy_text(r.standards.json)}\t"
                    f"{_copy_text(r.scope)}\t{json.dumps(r.sectors)}\t{r.issued.isoformat()}\t"
                    f"{r.original.isoformat()}\t{r.expires.isoformat()}\t{cb_part}\t"
                    f"{accredited_text if r.accredited else unaccredited_text}\t"
                    f"{_copy_text(search_text(r.number, r.name))}\n"
                )
                if len(buffer) >= 5000:
                    copy.write("".join(buffer))
                    buffer = []
            if buffer:
                copy.write("".join(buffer))
        with raw.copy(f"COPY {links} (certificate_id, code) FROM STDIN") as copy:
            buffer = []
            for pk, r in zip(ids, rows, strict=True):
                for code in r.standards.codes:
                    buffer.append(f"{pk}\t{_copy_text(code)}\n")
                if len(buffer) >= 10_000:
                    copy.write("".join(buffer))
                    buffer = []
            if buffer:
                copy.write("".join(buffer))
        if rebuild and found:
            # CREATE INDEX refuses to run with deferred foreign-key checks pending: run them now.
            raw.execute("SET CONSTRAINTS ALL IMMEDIATE")
            raw.execute("SET LOCAL maintenance_work_mem = '256MB'")
            raw.execute(found[0])
            raw.execute("SET CONSTRAINTS ALL DEFERRED")


def _write_orm(rows: list[_Row], cb: CertificationBody, accreditation: str) -> None:
    batch = 2000
    for start in range(0, len(rows), batch):
        objects = [
            Certificate(
                certification_body=cb,
                source=CertificateSource.IMPORTED,
                base_number=r.base,
                revision=0,
                number=r.number,
                is_current=True,
                status=r.status,
                confidential=r.confidential,
                holder_name=r.name,
                holder_country=r.country,
                holder_address=r.address,
                holder_identifier=r.entity_id,
                sites=r.site_dicts(),
                standards=r.standards.items,
                scope=r.scope,
                sector_codes=r.sectors,
                issued_on=r.issued,
                original_issued_on=r.original,
                expires_on=r.expires,
                cb_name=cb.name,
                cb_address=cb.address,
                accreditation=accreditation if r.accredited else "",
                search_text=search_text(r.number, r.name),
            )
            for r in rows[start : start + batch]
        ]
        created = Certificate.objects.bulk_create(objects)
        CertificateStandard.objects.bulk_create(
            [
                CertificateStandard(certificate_id=c.pk, code=code)
                for c, r in zip(created, rows[start : start + batch], strict=True)
                for code in r.standards.codes
            ]
        )


@transaction.atomic
def certsearch_import(
    *, actor: Any, certification_body: CertificationBody, handle: IO[bytes], filename: str
) -> ImportResult:
    """Import a register in the CertSearch layout: every row or none (ImportRejected lists the errors)."""
    require_cb_role(actor, certification_body.pk, "cb_admin", action="import certificates")
    rows = parse_file(read_rows(handle, filename), certification_body)
    accreditation = _accreditation(certification_body, timezone.localdate())
    if connection.vendor == "postgresql":
        _write_postgresql(rows, certification_body, accreditation)
    else:
        _write_orm(rows, certification_body, accreditation)
    audit_log_record(
        actor=actor,
        action="certificates.import",
        obj=certification_body,
        after={"file": filename, "rows": len(rows), "first": rows[0].number, "last": rows[-1].number},
        certification_body_id=certification_body.pk,
    )
    return ImportResult(imported=len(rows), numbers=[r.number for r in rows[:20]])


# --- export -----------------------------------------------------------------------------------------


def _yyyymmdd(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value else ""


def export_rows(certification_body: CertificationBody, today: date) -> Iterator[list[str]]:
    """The CB's register as CertSearch upload rows (header first): current revisions, status as of today."""
    yield list(HEADERS)
    rows = (
        Certificate.objects.filter(certification_body=certification_body, is_current=True)
        .order_by("base_number")
        .values_list(
            "base_number",
            "number",
            "status",
            "accreditation",
            "standards",
            "scope",
            "original_issued_on",
            "issued_on",
            "expires_on",
            "holder_identifier",
            "holder_name",
            "holder_country",
            "holder_address",
            "sites",
            "sector_codes",
            "confidential",
        )
    )
    for (
        base,
        number,
        status,
        accreditation,
        standards,
        scope,
        original,
        issued,
        expires,
        entity_id,
        name,
        country,
        address,
        sites,
        sectors,
        confidential,
    ) in rows.iterator(chunk_size=5000):
        shown = effective_state(CertificateState(status), expires, today).value
        yield [
            base,
            number,
            EXPORT_STATUS[CertificateStatus(shown)],
            "Accredited" if accreditation else "Unaccredited",
            "Management System",
            f"{LIST_SEPARATOR} ".join(s.get("designation") or s["id"] for s in standards),
            scope,
            _yyyymmdd(original),
            _yyyymmdd(issued),
            _yyyymmdd(expires),
            entity_id or base,
            name,
            country,
            address,
            SITE_SEPARATOR.join(
                SITE_FIELD_SEPARATOR.join(
                    [s.get("name", ""), s.get("address", ""), s.get("country", ""), s.get("scope", "")]
                )
                for s in sites
            ),
            LIST_SEPARATOR.join(str(c) for c in sectors),
            "Yes" if confidential else "No",
        ]


def certsearch_export(*, actor: Any, certification_body: CertificationBody, fmt: str = "csv") -> bytes:
    """The CB's register for its monthly CertSearch upload, as CSV or XLSX bytes (CB staff only)."""
    require_cb_role(
        actor, certification_body.pk, "cb_admin", "programme_manager", "decision_maker", action="export the register"
    )
    rows = export_rows(certification_body, timezone.localdate())
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Certifications")
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    if fmt != "csv":
        raise ValidationFailed("Export as csv or xlsx.", fields={"format": ["csv or xlsx."]})
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")
