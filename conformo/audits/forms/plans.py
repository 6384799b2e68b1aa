"""Forms of the audit plan (ISO/IEC 17021-1 9.2.3)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms

from conformo.audits.choices import (
    ObjectionResolution,
)
from conformo.audits.forms.base import ActionForm

TEXT = forms.Textarea(attrs={"rows": 2})


def parse_timetable(raw: str) -> list[dict[str, Any]]:
    """One row per line: `2026-02-02 09:00-10:30 | auditor | site | processes or clauses`; a site starting
    with "remote" is remote. The service checks dates and times; here a line without its four parts is an
    error naming the line."""
    rows = []
    for number, line in enumerate((raw or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        when = parts[0].split()
        if len(parts) != 4 or len(when) != 2 or when[1].count("-") != 1:
            raise forms.ValidationError(
                f"Line {number}: write `YYYY-MM-DD HH:MM-HH:MM | auditor | site | processes or clauses`."
            )
        start, end = when[1].split("-")
        rows.append(
            {
                "day": when[0],
                "start": start,
                "end": end,
                "auditor": parts[1],
                "site": parts[2],
                "remote": parts[2].lower().startswith("remote"),
                "activity": parts[3],
            }
        )
    return rows


class PlanEditForm(ActionForm):
    id_prefix = "plandoc"
    objectives = forms.CharField(widget=TEXT, label="Objectives")
    scope = forms.CharField(widget=TEXT, label="Scope")
    criteria = forms.CharField(
        widget=TEXT, label="Criteria", help_text="Standards and clauses, the client's documents."
    )
    language = forms.CharField(max_length=50, label="Language")
    remote_use = forms.CharField(
        widget=TEXT, required=False, label="Remote (ICT) auditing", help_text="Where and how; empty: none."
    )
    timetable = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label="Timetable",
        help_text="One row per line: YYYY-MM-DD HH:MM-HH:MM | auditor | site (or remote) | processes or clauses.",
    )

    def clean_timetable(self) -> list[dict[str, Any]]:
        return parse_timetable(self.cleaned_data["timetable"])

    @classmethod
    def initial_for(cls, plan: Any) -> dict[str, Any]:
        if plan is None:
            return {}
        rows = "\n".join(
            f"{r['day']} {r['start']}-{r['end']} | {r['auditor']} | {r['site']} | {r['activity']}"
            for r in plan.timetable
        )
        return {name: getattr(plan, name) for name in cls.base_fields if name != "timetable"} | {"timetable": rows}


class PlanIssueForm(ActionForm):
    id_prefix = "planissue"
    change_note = forms.CharField(
        widget=TEXT, required=False, label="What changed and why", help_text="Required for a version after the first."
    )


class PlanObjectForm(ActionForm):
    """The client's objection to a member of the issued plan's team."""

    id_prefix = "planobject"
    auditor = forms.ChoiceField(label="Team member")
    reason = forms.CharField(widget=TEXT, label="Reason")

    def __init__(self, *args: Any, team: Sequence[Mapping[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["auditor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(m["auditor_id"], f"{m['name']} ({m['role']})") for m in team]


class ObjectionResolveForm(ActionForm):
    id_prefix = "resolve"
    resolution = forms.ChoiceField(choices=ObjectionResolution.choices, label="Resolution")
    note = forms.CharField(widget=TEXT, required=False, label="Note", help_text="Required when the member is kept.")
