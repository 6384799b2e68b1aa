"""The scope lines of an application as a page form: a Django formset of lines (standard, site or all sites,
activity, IAF sector codes) inside one action form. Its cleaned data is the API's input (`lines`); a refusal's
row-numbered field (`lines.2.activity`) lands on its row (`route_error`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from conformo.audits.forms.base import ActionForm
from conformo.domain.scope import ACTIVITY_MAX, LINES_MAX
from conformo.domain.sectors import NAMES, parse_iaf_code

SECTOR_CHOICES = [(str(code), f"{code} — {name}") for code, name in NAMES.items()]
ALL_SITES_CHOICE = ("", "All sites (central function included)")


class ScopeLineRowForm(forms.Form):
    """One line: a standard of the application, one of the organization's sites or all sites, activities and
    IAF codes. A line whose activity is left empty is no line."""

    standard = forms.ChoiceField(choices=(), label="Standard")
    site = forms.ChoiceField(choices=(), required=False, label="Site")
    activity = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=ACTIVITY_MAX, label="Activities"
    )
    sector_codes = forms.TypedMultipleChoiceField(
        choices=SECTOR_CHOICES,
        coerce=parse_iaf_code,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        label="IAF sector codes",
    )

    def __init__(
        self, *args: Any, standards: Sequence[tuple[str, str]], sites: Sequence[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        standard = self.fields["standard"]
        site = self.fields["site"]
        assert isinstance(standard, forms.ChoiceField)
        assert isinstance(site, forms.ChoiceField)
        standard.choices = list(standards)
        site.choices = [ALL_SITES_CHOICE, *sites]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not str(data.get("activity") or "").strip()
            and not data.get("DELETE")
            and (data.get("site") or data.get("sector_codes"))
        ):
            self.add_error("activity", "Describe the activities, or clear the line.")
        return data

    def is_line(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return bool(str(data.get("activity") or "").strip()) and not data.get("DELETE")


ScopeLineFormSet = forms.formset_factory(
    ScopeLineRowForm, extra=2, can_delete=True, max_num=LINES_MAX, validate_max=True, absolute_max=LINES_MAX + 10
)


class ScopeRows:
    """The lines of a scope as a formset inside another form (the application's scope, a scope decision): their
    cleaned values as the services take them, and the service's row-numbered errors placed on their rows."""

    def __init__(
        self,
        data: Any,
        *,
        prefix: str,
        standards: Sequence[tuple[str, str]],
        sites: Sequence[tuple[str, str]],
        lines: Sequence[dict[str, Any]] = (),
    ) -> None:
        self.prefix = prefix
        self.formset = ScopeLineFormSet(
            data,
            prefix=prefix,
            initial=[
                {
                    "standard": line["standard"],
                    "site": line["site"] or "",
                    "activity": line["activity"],
                    "sector_codes": [str(code) for code in line["sector_codes"]],
                }
                for line in lines
            ],
            form_kwargs={"standards": standards, "sites": sites},
        )
        self._rows: list[int] = []

    def cleaned(self) -> list[dict[str, Any]] | str:
        """The lines given (rows with activities, not removed), or why the rows are not valid."""
        if not self.formset.is_valid():
            errors = self.formset.non_form_errors()
            return " ".join(str(e) for e in errors) if errors else "Some scope lines need attention."
        self._rows = [index for index, row in enumerate(self.formset.forms) if row.is_line()]
        return [
            {
                "standard": self.formset.forms[index].cleaned_data["standard"],
                "site": self.formset.forms[index].cleaned_data["site"] or None,
                "activity": self.formset.forms[index].cleaned_data["activity"],
                "sector_codes": list(self.formset.forms[index].cleaned_data["sector_codes"]),
            }
            for index in self._rows
        ]

    def route_error(self, name: str, error: str) -> bool:
        """Place `<prefix>.<n>.<field>` (n counts the lines sent, as the API does) on its row."""
        head, _, rest = name.partition(".")
        index, _, leaf = rest.partition(".")
        if head != self.prefix or not index.isdigit() or int(index) >= len(self._rows):
            return False
        row = self.formset.forms[self._rows[int(index)]]
        row.add_error(leaf if leaf in row.fields else None, error)
        return True


class ScopeLinesForm(ActionForm):
    """Every line of the application's scope at once: saving replaces them all."""

    id_prefix = "scope"
    replace_statement = forms.BooleanField(
        required=False,
        label="Also replace the scope statement with one generated from the lines",
        help_text="The statement is the free text printed on the certificate above its lines.",
    )

    def __init__(
        self,
        data: Any = None,
        *,
        standards: Sequence[tuple[str, str]],
        sites: Sequence[tuple[str, str]],
        lines: Sequence[dict[str, Any]] = (),
    ) -> None:
        super().__init__(data)
        self.rows = ScopeRows(data, prefix="lines", standards=standards, sites=sites, lines=lines)
        self.lines = self.rows.formset

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        lines = self.rows.cleaned()
        if isinstance(lines, str):
            self.add_error(None, lines)
        elif not self.errors:
            self.cleaned_data["lines"] = lines

    def route_error(self, name: str, error: str) -> bool:
        return self.rows.route_error(name, error)
