"""The rows of the assessment table, rendered in Python.

The page shows hundreds of rows; a template include per row costs more than the rest of the page together.
Rows are read with `.values()` (no model instances) and each becomes one `<tr>` string, every value escaped
with `html.escape`. The same function renders the rows the htmx answer form swaps back in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from html import escape
from typing import Any

from django.db.models import QuerySet
from django.utils.safestring import SafeString, mark_safe

from conformo.readiness.choices import ItemStatus, TransitionState

#: What a row needs, read with `.values(*ROW_FIELDS)`.
ROW_FIELDS = (
    "id",
    "answer_id",
    "clause__standard_id",
    "clause__kind",
    "clause__ref",
    "clause__title",
    "clause__hs_ref",
    "answer__hs_ref",
    "answer__status",
    "answer__owner_id",
    "answer__owner__full_name",
    "answer__owner__email",
    "answer__due_date",
    "answer__justification",
    "answer__notes",
    "answer__needs_review",
    "answer__transition_state",
    "answer__carried_from",
)

_LABELS = dict(ItemStatus.choices)
_OPTIONS = {
    selected: "".join(
        f'<option value="{value}"{" selected" if value == selected else ""}>{escape(str(label))}</option>'
        for value, label in ItemStatus.choices
    )
    for selected in ItemStatus.values
}


_BUTTON = '<button type="submit" class="small secondary">{}</button>'
_CONFIRM = _BUTTON.format("Confirm")
_TO_SETTLE = (TransitionState.TO_CONFIRM, TransitionState.TO_REVIEW)
_OVERRIDE = ("answer-mode/own/", _BUTTON.format("Answer differently"))
_SHARE = ("answer-mode/shared/", _BUTTON.format("Use shared answer"))


def row_values(items: QuerySet[Any]) -> list[dict[str, Any]]:
    return list(items.values(*ROW_FIELDS))


def _transition_note(r: Mapping[str, Any]) -> str:
    """A transition assessment's badge: carried over (from which old clause), to review (fed by which old
    answers), new in this edition, or confirmed."""
    state = r["answer__transition_state"]
    if not state:
        return ""
    sources = ", ".join(
        f"{escape(str(c.get('ref', '')))} ({escape(str(_LABELS.get(c.get('status'), c.get('status'))))})"
        for c in r["answer__carried_from"] or []
    )
    if state == TransitionState.TO_CONFIRM:
        return f' <span class="badge">carried over, to confirm</span><br><small>From {sources}</small>'
    if state == TransitionState.TO_REVIEW:
        return f' <span class="badge warn">to review</span><br><small>Merged or split from {sources}</small>'
    if state == TransitionState.OPEN:
        return ' <span class="badge">new in this edition</span>'
    return f"<br><small>Confirmed; from {sources}</small>" if sources else ""


def _truncate(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class RowRenderer:
    """Renders rows for one request: who may answer what, the URLs, the CSRF token."""

    def __init__(
        self,
        *,
        item_base: str,
        user_id: Any,
        manage: bool,
        csrf_token: str,
        designations: Mapping[int, str],
        codes: Mapping[int, str],
        shared: Mapping[int, list[str]],
    ) -> None:
        self.item_base = escape(item_base)
        self.user_id = user_id
        self.manage = manage
        self.csrf = escape(csrf_token)
        self.designations = {k: escape(v) for k, v in designations.items()}
        self.codes = codes
        self.shared = shared

    def row(self, r: Mapping[str, Any], *, oob: bool = False) -> str:
        key = str(r["id"])
        status = r["answer__status"]
        url = f"{self.item_base}{key}/"
        can_answer = self.manage or (r["answer__owner_id"] is not None and r["answer__owner_id"] == self.user_id)
        prefix = "A." if r["clause__kind"] == "control" else ""
        ref = escape(r["clause__ref"])
        clause = f"{prefix}{ref} {escape(r['clause__title'] or '')}"
        shared_with = self.shared.get(r["answer_id"])
        if shared_with:
            clause += (
                f'<br><small class="shared">Shared (HS {escape(r["answer__hs_ref"])}): '
                f"{escape(', '.join(shared_with))}</small>"
            )
        elif r["clause__hs_ref"] and not r["answer__hs_ref"]:
            clause += "<br><small>Answered for this standard only</small>"
        if r["answer__needs_review"]:
            clause += ' <span class="badge">review</span>'
        clause += _transition_note(r)
        if can_answer:
            status_cell = (
                f'<form hx-post="{url}status/" hx-target="#item-{key}" hx-swap="outerHTML" hx-trigger="change" '
                f'method="post" action="{url}status/">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">'
                f'<label class="visually-hidden" for="status-{key}">'
                f'Status of {ref}</label><select id="status-{key}" name="status">{_OPTIONS.get(status, "")}</select>'
                '<noscript><button type="submit" class="small">Save</button></noscript></form>'
            )
        else:
            status_cell = escape(str(_LABELS.get(status, status)))
        owner = r["answer__owner__full_name"] or r["answer__owner__email"]
        due: date | None = r["answer__due_date"]
        text = escape(_truncate(r["answer__justification"] or ""))
        if r["answer__notes"]:
            text += f"<br><small>{escape(_truncate(r['answer__notes']))}</small>"
        actions = f'<a href="{url}evidence/">Evidence</a>'
        if can_answer:
            actions = f'<a href="{url}" hx-get="{url}" hx-target="#item-{key}" hx-swap="outerHTML">Edit</a> ' + actions
        if can_answer and r["answer__transition_state"] in _TO_SETTLE:
            actions += (
                f'<form method="post" action="{url}confirm/" hx-post="{url}confirm/" hx-target="#item-{key}" '
                f'hx-swap="outerHTML" class="inline">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">{_CONFIRM}</form>'
            )
        if self.manage and r["clause__hs_ref"]:
            path, button = _OVERRIDE if r["answer__hs_ref"] else _SHARE
            actions += (
                f'<form method="post" action="{url}{path}" class="inline">'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{self.csrf}">{button}</form>'
            )
        return (
            f'<tr id="item-{key}"{' hx-swap-oob="true"' if oob else ""} class="status-{escape(status)}">'
            f"<td>{self.designations.get(r['clause__standard_id'], '')}</td><td>{clause}</td><td>{status_cell}</td>"
            f"<td>{escape(owner) if owner else '—'}</td><td>{due.isoformat() if due else '—'}</td>"
            f"<td>{text}</td><td>{actions}</td></tr>"
        )

    def rows(self, rows: Iterable[Mapping[str, Any]], *, oob: bool = False) -> SafeString:
        return mark_safe("\n".join([self.row(r, oob=oob) for r in rows]))  # every value is escaped
