"""The organization side's registers that find things: documented information and risks (page and API:
core/listing.py). The improvement log's nonconformities: conformo/improvement/filters.py."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import F, Q, QuerySet

from conformo.core.listing import DueWindowFilter, ListFilter, PersonFilter
from conformo.domain.readiness import RiskLevel
from conformo.readiness.choices import DocumentKind, RevisionStatus, RiskKind, Treatment, TreatmentStatus
from conformo.standards.filters import StandardFilter

DOCUMENT_STATUSES = [
    ("approved", "Approved (a revision in force)"),
    ("not_approved", "Not approved"),
    ("in_review", "A revision in review"),
    ("draft", "A revision in draft"),
]


class DocumentFilter(ListFilter):
    search_fields = ("title", "mandatory__clause_ref")

    kind = df.ChoiceFilter(choices=DocumentKind.choices, label="Kind")
    status = df.ChoiceFilter(
        choices=DOCUMENT_STATUSES,
        method="by_status",
        label="Status",
        help_text="approved: has an approved revision; not_approved: has none; in_review, draft: the current "
        "revision's status.",
    )
    standard = StandardFilter(
        field_name="mandatory__standard__code",
        label="Required by",
        help_text="The standard whose mandatory documented information it fulfils: a standard's id.",
    )
    owner = PersonFilter(field_name="owner", label="Owner")
    approver = PersonFilter(field_name="approver", label="Approver")
    review = DueWindowFilter(field_name="review_due", label="Review due")
    sort = df.OrderingFilter(
        fields=(("title", "title"), ("review_due", "review"), ("kind", "kind")),
        field_labels={"title": "Title", "review_due": "Review due", "kind": "Kind"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Title or clause"

    def by_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "approved":
            return queryset.filter(approved_revision__isnull=False)
        if value == "not_approved":
            return queryset.filter(approved_revision__isnull=True)
        status = RevisionStatus.IN_REVIEW if value == "in_review" else RevisionStatus.DRAFT
        return queryset.filter(current_revision__status=status)


def with_rating(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Risks with their rating (likelihood × impact) as a column, so the list can sort by it."""
    return queryset.annotate(rating_value=F("likelihood") * F("impact"))


class RiskFilter(ListFilter):
    """Over `with_rating(...)` risks (the `rating` sort key reads the annotation)."""

    search_fields = ("title", "description", "treatment_plan")

    kind = df.ChoiceFilter(choices=RiskKind.choices, label="Kind")
    level = df.ChoiceFilter(
        choices=[(level.value, level.value.capitalize()) for level in RiskLevel],
        label="Level",
        help_text="The level of the current rating (the organization's risk matrix).",
    )
    treatment = df.ChoiceFilter(choices=Treatment.choices, label="Treatment")
    status = df.ChoiceFilter(choices=TreatmentStatus.choices, field_name="treatment_status", label="Treatment status")
    acceptance = df.ChoiceFilter(
        choices=[("awaiting", "Awaiting the owner's acceptance"), ("accepted", "Accepted by the owner")],
        method="by_acceptance",
        label="Acceptance",
        help_text="awaiting: a residual rating not yet accepted by the risk owner (27001 6.1.3 f); accepted: accepted.",
    )
    owner = PersonFilter(field_name="owner", label="Owner")
    sort = df.OrderingFilter(
        fields=(("rating_value", "rating"), ("title", "title"), ("created_at", "created")),
        field_labels={"rating_value": "Rating", "title": "Title", "created_at": "Added"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Title, description or plan"

    def by_acceptance(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        return queryset.filter(Q(residual_likelihood__isnull=False) & Q(accepted_at__isnull=True))
