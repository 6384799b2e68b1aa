"""The certifications list's and the decision makers' queue's search, filters and sort (page and API:
core/listing.py)."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils import timezone

from conformo.audits.choices import AuditKind
from conformo.certification.models import CertificationState
from conformo.certification.selectors import suspension_candidates
from conformo.core.listing import CountryFilter, DueWindowFilter, IafCodeFilter, ListFilter
from conformo.organizations.filters import certification_state_q
from conformo.standards.filters import StandardFilter


class CertificationFilter(ListFilter):
    search_fields = ("organization__legal_name", "scope")

    state = df.ChoiceFilter(
        choices=CertificationState.choices, method="by_state", label="State", help_text="As read today."
    )
    standard = StandardFilter(field_name="standards__code")
    country = CountryFilter(field_name="organization__country")
    iaf_code = IafCodeFilter(field_name="sector_codes")
    expires = DueWindowFilter(field_name="expires_on", label="Expires")
    suspension = df.ChoiceFilter(
        choices=[("proposed", "Proposed for suspension")],
        method="by_suspension",
        label="Suspension",
        help_text="proposed: active with an overdue surveillance or recertification, or an overdue major "
        "nonconformity (ISO/IEC 17021-1 9.6.5.2), as the suspension proposals read it today.",
    )
    sort = df.OrderingFilter(
        fields=(("organization__legal_name", "organization"), ("expires_on", "expires"), ("created_at", "created")),
        field_labels={"organization__legal_name": "Organization", "expires_on": "Expiry", "created_at": "Opened"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Organization or scope"

    def by_suspension(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        proposed = suspension_candidates(user=getattr(self.request, "user", None), today=timezone.localdate())
        return queryset.filter(pk__in=proposed.values("pk"))

    def by_state(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(certification_state_q(value, timezone.localdate()))


DECISIONS = [("grant", "Grant"), ("renew", "Renew")]


class AwaitingDecisionFilter(ListFilter):
    """Over the issued reports awaiting a decision (`selectors.awaiting_decision_reports`)."""

    search_fields = ("audit__programme__certification__organization__legal_name",)

    decision = df.ChoiceFilter(
        choices=DECISIONS, method="by_decision", label="Decision", help_text="grant (initial) or renew."
    )
    standard = StandardFilter(field_name="audit__programme__certification__standards__code")
    country = CountryFilter(field_name="audit__programme__certification__organization__country")
    sort = df.OrderingFilter(
        fields=(("issued_at", "issued"), ("audit__programme__certification__organization__legal_name", "organization")),
        field_labels={
            "issued_at": "Report issued",
            "audit__programme__certification__organization__legal_name": "Organization",
        },
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Organization"

    def by_decision(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        renewal = Q(audit__kind=AuditKind.RECERTIFICATION)
        return queryset.filter(renewal) if value == "renew" else queryset.exclude(renewal)
