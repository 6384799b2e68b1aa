"""The improvement log's search, filters and sort (page and API: core/listing.py)."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet

from conformo.core.listing import DueWindowFilter, ListFilter, PersonFilter
from conformo.improvement.choices import Grade, NonconformityStatus, Source
from conformo.standards.filters import StandardFilter


class ActionDueFilter(DueWindowFilter):
    """The corrective action's due date, counted only while the action is due: planned and not completed
    (`NonconformityQuerySet.action_due`), as the log's "overdue" badge counts it."""

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        return super().filter(qs.action_due(), value)  # type: ignore[attr-defined]  # NonconformityQuerySet's own


class NonconformityFilter(ListFilter):
    search_fields = ("title", "description", "corrective_action__action", "corrective_action__root_cause")

    status = df.ChoiceFilter(choices=NonconformityStatus.choices, label="Status")
    grade = df.ChoiceFilter(choices=Grade.choices, label="Grade")
    source = df.ChoiceFilter(
        # CB findings are the audits app's (shown beside the log); the service logs none with this source.
        choices=[c for c in Source.choices if c[0] != Source.CB_FINDING],
        label="Source",
    )
    standard = StandardFilter(
        field_name="clauses__standard__code",
        distinct=True,
        label="Standard",
        help_text="A standard one of its clauses belongs to: a standard's id.",
    )
    owner = PersonFilter(field_name="corrective_action__owner", label="Action owner")
    due = ActionDueFilter(
        field_name="corrective_action__due_date",
        label="Action due",
        help_text="The corrective action's due date, while it is planned and not completed: overdue (before "
        "today) or 7, 30, 90 (from today to that many days ahead).",
    )
    sort = df.OrderingFilter(
        fields=(("raised_on", "raised"), ("number", "number"), ("corrective_action__due_date", "due")),
        field_labels={"raised_on": "Raised", "number": "Number", "corrective_action__due_date": "Action due"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Title, description or action"
