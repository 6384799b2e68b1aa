"""The CertSearch upload field model (IAF CertSearch field glossary v2.1): the columns, which are required,
their lengths, the status maps, the error and result types, and reading a CSV or XLSX file into rows."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from conformo.certificates.models import CertificateStatus
from conformo.core.errors import ValidationFailed

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
    read = 0  # records read so far, the header included: the failing one is row read + 1
    try:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        for record in csv.reader(text):
            read += 1
            yield record
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"{filename} is not UTF-8 text.", code="unreadable_file") from exc
    except csv.Error as exc:
        # The csv module refuses a cell over its field size limit (131,072 characters) and stops there.
        message = (
            f"A cell is longer than {csv.field_size_limit():,} characters (often an unclosed quote)."
            if "field limit" in str(exc)
            else f"Not readable as CSV: {exc}."
        )
        raise ImportRejected([RowError(read + 1, "(row)", message)]) from exc


def check_size(handle: IO[bytes], filename: str, limit: int) -> None:
    """Refuse a file over `limit` bytes before reading it (the handle is left at its start)."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    if size > limit:
        raise ValidationFailed(
            f"{filename} is {size:,} bytes; an import takes at most {limit:,} bytes. Split the file.",
            code="file_too_large",
            fields={"file": [f"At most {limit:,} bytes."]},
        )
