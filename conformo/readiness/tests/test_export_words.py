"""The readiness exports people read — the Statement of Applicability (XLSX and PDF) and the readiness report —
show words for the annex themes, not their keys (`organizational` → "Organizational")."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from openpyxl import load_workbook

from conformo.readiness.soa import soa_xlsx

ROW: dict[str, Any] = {
    "ref": "5.1",
    "title": "Policies for information security",
    "theme": "organizational",
    "applicable": True,
    "justification": "Required by the risk treatment",
    "status": "implemented",
    "status_label": "Implemented",
    "evidence": [],
}


def test_the_soa_spreadsheet_names_the_theme_in_words() -> None:
    sheet = load_workbook(io.BytesIO(soa_xlsx(rows=[ROW], title="SoA"))).active
    assert sheet is not None
    values = [cell.value for cell in sheet[3]]
    assert values[:3] == ["A.5.1", "Policies for information security", "Organizational"]
    assert "organizational" not in values


def test_the_soa_pdf_names_the_theme_in_words() -> None:
    html = render_to_string("readiness/soa_pdf.html", {"rows": [ROW], "title": "SoA", "organization": "Acme"})
    assert "<td>Organizational</td>" in html
    assert "<td>organizational</td>" not in html


def test_the_readiness_report_names_the_clause_groups_in_words() -> None:
    context = {"summary": {"by_standard": {}}, "groups": ["5", "organizational"], "rows": [], "stage1": []}
    html = render_to_string("readiness/report_pdf.html", context)
    assert "<th>5</th><th>Organizational</th>" in html
