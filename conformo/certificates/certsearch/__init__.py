"""Bulk import and export of a CB's certificate register in the IAF CertSearch upload field model
(docs/certificates.md, reference: CertSearch field glossary v2.1), as CSV or XLSX.

Import is all or nothing: every row is checked first and every bad row reported with its row number (the
spreadsheet's: the header is row 1) and field; nothing is written when any row is bad. The checked rows are
staged in temporary tables of the import's connection, then published in one short transaction (`write`), so
the public registry's readers never wait for an import and, on SQLite, other writers wait only for the publish.

The package is split by aggregate: `fields` (the field model, error types, reading a file), `parse` (checking
the rows), `write` (the COPY and ORM writers); the import and export entry points live here, and every name
the modules held before the split is re-exported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import IO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from conformo.certificates.certsearch.fields import (
    _COUNTRY,
    EXPORT_STATUS,
    HEADERS,
    IMPORT_STATUS,
    LIST_SEPARATOR,
    MAX_LENGTH,
    REQUIRED,
    SITE_FIELD_SEPARATOR,
    SITE_SEPARATOR,
    ImportRejected,
    ImportResult,
    RowError,
    _cell,
    check_size,
    read_rows,
)
from conformo.certificates.certsearch.parse import (
    _ACCREDITED,
    _COLUMN,
    _CONFIDENTIAL,
    _DATE_FIELDS,
    Progress,
    _check_existing,
    _check_existing_postgresql,
    _date,
    _is_country,
    _known_standards,
    _Memo,
    _parse,
    _quote,
    _Row,
    _Standards,
    parse_file,
    standard_id,
)
from conformo.certificates.certsearch.write import (
    _COPY_COLUMNS,
    _COPY_ESCAPES,
    _accreditation,
    _copy_text,
    _uuid4_texts,
    publish,
    stage,
    unstage,
)
from conformo.certificates.models import Certificate, CertificateStatus
from conformo.certificates.transitions import certificate_transition_refresh
from conformo.core.actors import Actor
from conformo.core.audit import audit_log_record
from conformo.core.errors import Conflict, ValidationFailed
from conformo.core.spreadsheets import neutralise_row
from conformo.core.tenancy import require_cb_role
from conformo.domain.certificate_states import CertificateState, effective_state
from conformo.domain.transitions import edition_state
from conformo.organizations.models import CertificationBody

__all__ = [
    "EXPORT_STATUS",
    "HEADERS",
    "IMPORT_STATUS",
    "LIST_SEPARATOR",
    "MAX_LENGTH",
    "REQUIRED",
    "SITE_FIELD_SEPARATOR",
    "SITE_SEPARATOR",
    "_ACCREDITED",
    "_COLUMN",
    "_CONFIDENTIAL",
    "_COPY_COLUMNS",
    "_COPY_ESCAPES",
    "_COUNTRY",
    "_DATE_FIELDS",
    "ImportRejected",
    "ImportResult",
    "Progress",
    "RowError",
    "_Memo",
    "_Row",
    "_Standards",
    "_accreditation",
    "_cell",
    "_check_existing",
    "_check_existing_postgresql",
    "_copy_text",
    "_date",
    "_is_country",
    "_known_standards",
    "_parse",
    "_quote",
    "_uuid4_texts",
    "_yyyymmdd",
    "certsearch_export",
    "certsearch_import",
    "check_size",
    "export_rows",
    "parse_file",
    "read_rows",
    "standard_id",
]


def certsearch_import(
    *,
    actor: Actor,
    certification_body: CertificationBody,
    handle: IO[bytes],
    filename: str,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a register in the CertSearch layout: every row or none (ImportRejected lists the errors).

    The rows are checked and staged outside any transaction on the register, then published with the audit
    record in one short transaction (`publish`). A certificate number taken by another writer between the
    check and the publish refuses the whole file (Conflict; nothing written)."""
    require_cb_role(actor, certification_body.pk, "cb_admin", action="import certificates")
    check_size(handle, filename, settings.CERTSEARCH_IMPORT_MAX_BYTES)
    rows = parse_file(read_rows(handle, filename), certification_body, progress)
    accreditation = _accreditation(certification_body, timezone.localdate())
    if progress is not None:
        progress("writing", len(rows))
    stage(rows, certification_body, accreditation)
    if progress is not None:
        progress("publishing", len(rows))
    try:
        with transaction.atomic():
            publish()
            # Old editions (ISO 14001:2015, ISO/IEC 27001:2013) carry their transition end (cb-rules §8c).
            certificate_transition_refresh(
                certification_body_id=certification_body.pk,
                codes={code for row in rows for code in row.standards.codes},
            )
            audit_log_record(
                actor=actor,
                action="certificates.import",
                obj=certification_body,
                after={"file": filename, "rows": len(rows), "first": rows[0].number, "last": rows[-1].number},
                certification_body_id=certification_body.pk,
            )
    except IntegrityError as exc:
        raise Conflict(
            "Some of these certificate numbers were added to the register while the file was being checked; "
            "nothing was written. Import the file again to see which.",
            code="import_conflict",
        ) from exc
    finally:
        unstage()
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
            "transition_ends_on",
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
        transition_end,
    ) in rows.iterator(chunk_size=5000):
        shown = edition_state(effective_state(CertificateState(status), expires, today), transition_end, today).value
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


def certsearch_export(*, actor: Actor, certification_body: CertificationBody, fmt: str = "csv") -> bytes:
    """The CB's register for its monthly CertSearch upload, as CSV or XLSX bytes (CB staff only)."""
    require_cb_role(
        actor, certification_body.pk, "cb_admin", "programme_manager", "decision_maker", action="export the register"
    )
    # Text a spreadsheet would run as a formula is prefixed with ' (OWASP CSV injection; docs/certificates.md).
    rows = [neutralise_row(row) for row in export_rows(certification_body, timezone.localdate())]
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
