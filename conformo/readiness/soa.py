"""The Statement of Applicability (ISO/IEC 27001 6.1.3 d): rows from the assessment, XLSX and PDF exports."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

from conformo.core.labels import human_label
from conformo.core.spreadsheets import neutralise_row
from conformo.readiness.choices import ItemStatus
from conformo.readiness.models import Assessment, Evidence, Item
from conformo.standards.models import ClauseKind, Standard

SOA_COLUMNS = ["Control", "Title", "Theme", "Applicable", "Justification", "Implementation status", "Evidence"]


def soa_rows(*, assessment: Assessment, standard: Standard) -> list[dict[str, Any]]:
    """One row per annex control of `standard` in the assessment, in catalog order (two queries)."""
    items = list(
        Item.objects.filter(assessment=assessment, clause__standard=standard, clause__kind=ClauseKind.CONTROL)
        .select_related("clause", "answer")
        .order_by("clause__position", "id")
    )
    evidence: dict[int, list[str]] = {}
    for answer_id, label, url in Evidence.objects.filter(answer_id__in=[i.answer_id for i in items]).values_list(
        "answer_id", "label", "url"
    ):
        evidence.setdefault(answer_id, []).append(f"{label} {url}".strip())
    return [
        {
            "ref": item.clause.ref,
            "title": item.clause.title,
            "theme": item.clause.theme,
            "applicable": item.answer.status != ItemStatus.NOT_APPLICABLE,
            "justification": item.answer.justification,
            "status": item.answer.status,
            "status_label": ItemStatus(item.answer.status).label,
            "evidence": evidence.get(item.answer_id, []),
        }
        for item in items
    ]


def soa_xlsx(*, rows: list[dict[str, Any]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Statement of Applicability"
    sheet.append(neutralise_row([title]))
    sheet.append(SOA_COLUMNS)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            neutralise_row(
                [
                    f"A.{row['ref']}",
                    row["title"],
                    human_label(row["theme"]),
                    "Yes" if row["applicable"] else "No",
                    row["justification"],
                    row["status_label"],
                    "; ".join(row["evidence"]),
                ]
            )
        )
    for column, width in zip("ABCDEFG", (10, 50, 16, 11, 60, 22, 40), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def soa_pdf(*, rows: list[dict[str, Any]], title: str, organization: Any) -> bytes:
    from weasyprint import HTML

    html = render_to_string("readiness/soa_pdf.html", {"rows": rows, "title": title, "organization": organization})
    return HTML(string=html).write_pdf()


_SHEET_TITLE_ESCAPES = str.maketrans({":": " ", "/": "-", "\\": "-", "?": "", "*": "", "[": "(", "]": ")"})


def _sheet_title(designation: str) -> str:
    """A standard's designation as a sheet name, which may not hold : / \\ ? * [ ] and is at most 31 long."""
    return designation.translate(_SHEET_TITLE_ESCAPES)[:31]


def assessment_xlsx(*, assessment: Assessment) -> bytes:
    """Every item of the assessment, one sheet per standard."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    items = (
        Item.objects.filter(assessment=assessment)
        .select_related("clause", "clause__standard", "answer", "answer__owner")
        .order_by("clause__standard__code", "clause__kind", "clause__position")
    )
    workbook = Workbook()
    sheets: dict[int, Any] = {}
    first = workbook.active
    for item in items:
        standard = item.clause.standard
        sheet = sheets.get(standard.pk)
        if sheet is None:
            if first is not None:
                sheet, first = first, None
                sheet.title = _sheet_title(standard.designation)
            else:
                sheet = workbook.create_sheet(_sheet_title(standard.designation))
            sheet.append(["Kind", "Ref", "Title", "HS", "Shared", "Status", "Justification", "Owner", "Due", "Notes"])
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheets[standard.pk] = sheet
        answer = item.answer
        sheet.append(
            neutralise_row(
                [
                    item.clause.get_kind_display(),
                    item.clause.ref,
                    item.clause.title,
                    item.clause.hs_ref,
                    "yes" if answer.hs_ref else "no",
                    ItemStatus(answer.status).label,
                    answer.justification,
                    answer.owner.email if answer.owner else "",
                    answer.due_date,
                    answer.notes,
                ]
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
