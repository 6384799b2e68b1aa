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


@dataclass
class _Row:
    line: int
    base: str
    number: str
    status: str
    standards: list[dict[str, str]]
    scope: str
    original: date
    issued: date
    expires: date
    entity_id: str
    name: str
    country: str
    address: str
    sites: list[dict[str, Any]]
    sectors: list[int]
    confidential: bool
    accredited: bool


def _parse(line: int, values: dict[str, str], known: dict[str, str], errors: list[RowError]) -> _Row | None:
    before = len(errors)

    def bad(name: str, message: str) -> None:
        errors.append(RowError(line, name, message))

    for name in REQUIRED:
        if not values.get(name):
            bad(name, "Required.")
    for name, limit in MAX_LENGTH.items():
        if len(values.get(name, "")) > limit:
            bad(name, f"At most {limit} characters.")
    raw_status = values.get("Certification Status", "")
    status = IMPORT_STATUS.get(raw_status.lower())
    if raw_status and status is None:
        bad("Certification Status", f"{raw_status!r} is not a certificate status (Active, Suspended, Withdrawn, …).")
    dates: dict[str, date] = {}
    for name in ("Certification Original Issue Date", "Certification Issue Date", "Certification Expiry Date"):
        if values.get(name):
            try:
                dates[name] = _date(values[name])
            except ValueError:
                bad(name, f"{values[name]!r} is not a date (YYYYMMDD).")
    issued = dates.get("Certification Issue Date")
    expires = dates.get("Certification Expiry Date")
    original = dates.get("Certification Original Issue Date", issued)
    if issued and expires and expires <= issued:
        bad("Certification Expiry Date", "Must be after the issue date.")
    if issued and original and original > issued:
        bad("Certification Original Issue Date", "Must not be after the issue date.")
    country = values.get("Certified Entity Country", "").upper()
    if country and not _COUNTRY.match(country):
        bad("Certified Entity Country", f"{country!r} is not an ISO 3166-1 alpha-2 code.")
    designations = [s.strip() for s in values.get("Standards", "").split(LIST_SEPARATOR) if s.strip()]
    standards = [{"id": standard_id(d, known), "designation": d} for d in designations]
    if values.get("Standards") and not standards:
        bad("Standards", "Name at least one standard.")
    sectors: list[int] = []
    for part in values.get("Technical Sectors", "").split(LIST_SEPARATOR):
        if part.strip():
            if not part.strip().isdigit() or not 1 <= int(part) <= 39:
                bad("Technical Sectors", f"{part.strip()!r} is not an IAF sector code (1-39).")
            else:
                sectors.append(int(part))
    scope = values.get("Certification Scope", "")
    sites: list[dict[str, Any]] = []
    for position, text in enumerate(
        s for s in values.get("Certification Sites", "").split(SITE_SEPARATOR) if s.strip()
    ):
        parts = [p.strip() for p in text.split(SITE_FIELD_SEPARATOR.strip())]
        site_country = (parts[2] if len(parts) > 2 else country).upper()
        if not parts[0] or not _COUNTRY.match(site_country):
            bad("Certification Sites", f"Site {position + 1}: write 'name | address | country code [| scope]'.")
            continue
        sites.append(
            {
                "name": parts[0],
                "address": parts[1] if len(parts) > 1 else "",
                "country": site_country,
                "headquarters": position == 0,
                "scope": parts[3] if len(parts) > 3 and parts[3] else scope,
            }
        )
    confidential_text = values.get("Confidential", "").lower()
    if confidential_text not in {"", "yes", "no", "true", "false", "1", "0", "y", "n"}:
        bad("Confidential", "Yes or No.")
    accreditation_text = values.get("Accreditation Status", "").lower()
    if accreditation_text not in {"", "accredited", "unaccredited"}:
        bad("Accreditation Status", "Accredited or Unaccredited.")
    if len(errors) > before or status is None or issued is None or expires is None or original is None:
        return None
    name = values["Certified Entity Name"]
    if not sites:
        sites = [
            {
                "name": name,
                "address": values.get("Certified Entity Address", ""),
                "country": country,
                "headquarters": True,
                "scope": scope,
            }
        ]
    return _Row(
        line=line,
        base=values["Certification Identity Number"],
        number=values["Certificate Number"],
        status=status,
        standards=standards,
        scope=scope,
        original=original,
        issued=issued,
        expires=expires,
        entity_id=values.get("Certified Entity Unique ID", ""),
        name=name,
        country=country,
        address=values.get("Certified Entity Address", ""),
        sites=sites,
        sectors=sectors,
        confidential=confidential_text in {"yes", "true", "1", "y"},
        accredited=accreditation_text != "unaccredited",
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
    index = {name: header.index(name) for name in HEADERS if name in header}
    known = _known_standards()
    errors: list[RowError] = []
    parsed: list[_Row] = []
    seen_numbers: dict[str, int] = {}
    seen_bases: dict[str, int] = {}
    width = len(header)
    for line, raw in enumerate(iterator, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) < width:
            raw = raw + [""] * (width - len(raw))
        values = {name: raw[i].strip() for name, i in index.items()}
        row = _parse(line, values, known, errors)
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
    """The same check in two statements, whatever the file's size (arrays, not IN lists)."""
    table = Certificate._meta.db_table
    by_number = {r.number: r for r in rows}
    by_base = {r.base: r for r in rows}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {table} WHERE number = ANY(%s)", [list(by_number)])  # noqa: S608
        for (number,) in cursor.fetchall():
            errors.append(RowError(by_number[number].line, "Certificate Number", "Already in the register."))
        cursor.execute(
            f"SELECT DISTINCT base_number FROM {table} WHERE certification_body_id = %s AND base_number = ANY(%s)",  # noqa: S608
            [cb.pk, list(by_base)],
        )
        for (base,) in cursor.fetchall():
            errors.append(RowError(by_base[base].line, "Certification Identity Number", "Already in the register."))


# --- writing ----------------------------------------------------------------------------------------


def _accreditation(cb: CertificationBody, on: date) -> str:
    found = Accreditation.objects.filter(certification_body=cb, valid_from__lte=on, valid_until__gte=on)
    return "; ".join(dict.fromkeys(str(a) for a in found))[:300]


_COPY_COLUMNS = [
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


def _copy_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _write_postgresql(rows: list[_Row], cb: CertificationBody, accreditation: str) -> None:
    import uuid

    now = timezone.now().isoformat()
    table = Certificate._meta.db_table
    cb_name, cb_address = _copy_text(cb.name), _copy_text(cb.address)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN") as copy:
            buffer: list[str] = []
            for r in rows:
                buffer.append(
                    "\t".join(
                        (
                            str(uuid.uuid4()),
                            now,
                            now,
                            str(cb.pk),
                            CertificateSource.IMPORTED,
                            _copy_text(r.base),
                            "0",
                            _copy_text(r.number),
                            "t",
                            r.status,
                            "t" if r.confidential else "f",
                            _copy_text(r.name),
                            r.country,
                            _copy_text(r.address),
                            _copy_text(r.entity_id),
                            _copy_text(json.dumps(r.sites, ensure_ascii=False)),
                            _copy_text(json.dumps(r.standards, ensure_ascii=False)),
                            _copy_text(r.scope),
                            json.dumps(r.sectors),
                            r.issued.isoformat(),
                            r.original.isoformat(),
                            r.expires.isoformat(),
                            cb_name,
                            cb_address,
                            _copy_text(accreditation if r.accredited else ""),
                            _copy_text(search_text(r.number, r.name)),
                        )
                    )
                )
                if len(buffer) >= 5000:
                    copy.write("\n".join(buffer) + "\n")
                    buffer = []
            if buffer:
                copy.write("\n".join(buffer) + "\n")
        links = CertificateStandard._meta.db_table
        cursor.execute(
            f"INSERT INTO {links} (certificate_id, code) "  # noqa: S608 - table names from the models
            f"SELECT DISTINCT c.id, s.value->>'id' FROM {table} c "
            "CROSS JOIN LATERAL jsonb_array_elements(c.standards) s "
            "WHERE c.certification_body_id = %s AND c.created_at = %s AND c.source = %s",
            [cb.pk, now, CertificateSource.IMPORTED],
        )


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
                sites=r.sites,
                standards=r.standards,
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
                for c in created
                for code in dict.fromkeys(s["id"] for s in c.standards)
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
