"""CSV and XLSX downloads of a figure's table: the same rows as the page, in words (`core.labels`), every text
cell neutralised against formula injection (`core.spreadsheets`)."""

from __future__ import annotations

import csv
import io
import re

from conformo.core.spreadsheets import neutralise_row
from conformo.figures.tables import Table

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(neutralise_row(column.title for column in table.columns))
    for row in table.cells():
        writer.writerow(neutralise_row(row))
    return buffer.getvalue().encode("utf-8")


def table_xlsx(table: Table, *, heading: str) -> bytes:
    """One sheet: the heading (what, for which range), the column titles in bold, the rows (numbers as numbers)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", table.title)[:31]  # characters a sheet title may not hold
    sheet.append(neutralise_row([heading]))
    sheet.append(neutralise_row(column.title for column in table.columns))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.cells():
        sheet.append(neutralise_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
