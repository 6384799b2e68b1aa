"""Spreadsheets that can attack neither Conformo nor the people who open its exports.

Reading: an XLSX file is a ZIP archive, and a small one can unpack to gigabytes (a 0.5 MB "zip bomb" kept a
worker busy for half a minute). `check_xlsx` reads only the archive's directory — the sizes each member declares
— and refuses the file before openpyxl parses anything when, against settings (docs/configuration.md, "Limits"):

- the members together would unpack to more than `XLSX_MAX_UNPACKED_BYTES`,
- one member would unpack to more than `XLSX_MAX_MEMBER_BYTES`, or
- a member of more than 1 MB unpacked is compressed more than `XLSX_MAX_RATIO` times (ordinary worksheets
  compress 5–20×; small parts such as styles may compress far more and are harmless).

The parser is then held to the declared sizes: Python's zipfile stops with an error when a member unpacks to more
than its declared size.

Writing: a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to a spreadsheet
program, and a value such as an organization's name could then run one on the reader's computer (CSV or formula
injection). `neutralise_cell` prefixes such text with a single quote, as OWASP's "CSV Injection" guidance
advises, and every CSV and XLSX export writes its text cells through it (`neutralise_row`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings

from conformo.core.errors import ValidationFailed

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RATIO_FLOOR = 1024 * 1024  # members smaller than this unpacked are not held to the ratio


def neutralise_cell(value: Any) -> Any:
    """Text that a spreadsheet would take as a formula, prefixed with `'`; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    return [neutralise_cell(value) for value in values]


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.4g} MB"


def check_xlsx(handle: IO[bytes], *, field: str = "file") -> None:
    """Refuse (ValidationFailed on `field`) an XLSX file whose archive is broken or would unpack too far; the
    handle is left at its start for the parser."""
    total_limit = int(settings.XLSX_MAX_UNPACKED_BYTES)
    member_limit = int(settings.XLSX_MAX_MEMBER_BYTES)
    ratio_limit = int(settings.XLSX_MAX_RATIO)

    def refuse(message: str) -> ValidationFailed:
        return ValidationFailed(message, code="unsafe_spreadsheet", fields={field: [message]})

    try:
        handle.seek(0)
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationFailed(
            "The file is not a readable XLSX workbook.", code="unreadable_file", fields={field: ["Not an XLSX file."]}
        ) from exc
    finally:
        handle.seek(0)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > member_limit:
            raise refuse(f"A part of the workbook would unpack to more than {_mb(member_limit)}.")
        if member.file_size > RATIO_FLOOR and member.file_size > ratio_limit * max(member.compress_size, 1):
            raise refuse(f"A part of the workbook is compressed more than {ratio_limit} times (a zip bomb?).")
    if total > total_limit:
        raise refuse(f"The workbook would unpack to more than {_mb(total_limit)}.")
