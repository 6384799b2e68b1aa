"""Forms of the certificate pages: the CertSearch import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from conformo.core.errors import ValidationFailed
from conformo.core.spreadsheets import check_xlsx


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CertSearch file (CSV or XLSX)",
        help_text="Header row first; one certificate per row. Every row is checked; nothing is written if any is bad.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if not (file.name or "").lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        limit = settings.CERTSEARCH_IMPORT_MAX_BYTES
        if file.size > limit:
            raise forms.ValidationError(f"The file is {file.size:,} bytes; an import takes at most {limit:,} bytes.")
        if file.name.lower().endswith(".xlsx"):
            try:
                check_xlsx(file.file)
            except ValidationFailed as exc:
                raise forms.ValidationError(exc.fields.get("file", [exc.message])) from exc
        return file
