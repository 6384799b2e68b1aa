"""The organizations list's search, filters and sort (page and API: core/listing.py), and the SQL reading of a
certification's state as of a day, which the certification app's lists share.

The organizations app sits below the certification and standards apps (docs/architecture.md, "Layers of apps"):
it names their tables only through its own model's reverse relation `certifications`, never by import."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import Q, QuerySet
from django.utils import timezone

from conformo.core.listing import CountryFilter, IafCodeFilter, ListFilter
from conformo.core.tenancy import reach
from conformo.domain.certificate_states import CertificateState
from conformo.organizations.models import Organization

LIVE = (CertificateState.ACTIVE.value, CertificateState.SUSPENDED.value)


def certification_state_q(state: str, today: Any, prefix: str = "") -> Q:
    """The SQL condition for a certification's state as read on `today`: the same answer as the domain's
    `effective_state` (active or suspended past the expiry date reads as expired). `prefix` leads to the
    certification's fields from the queried model (`certifications__` from an organization)."""
    if state in LIVE:
        return Q(**{f"{prefix}state": state}) & (
            Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gte": today})
        )
    if state == CertificateState.EXPIRED:
        return Q(**{f"{prefix}state": state}) | Q(**{f"{prefix}state__in": LIVE, f"{prefix}expires_on__lt": today})
    return Q(**{f"{prefix}state": state})


def _certification_model() -> Any:
    return Organization._meta.get_field("certifications").related_model


def certification_state_choices() -> list[tuple[str, str]]:
    """The certification states with their words (the certification app's `CertificationState`)."""
    return list(_certification_model()._meta.get_field("state").choices)


def certified_standard_choices() -> list[tuple[str, str]]:
    """Every standard a certification can be on, as (id, designation): the same list as
    `conformo.standards.filters.standard_choices`, read per request."""
    standard = _certification_model()._meta.get_field("standards").related_model
    return list(
        standard.objects.filter(is_harmonized_structure=False).order_by("code").values_list("code", "designation")
    )


class OrganizationFilter(ListFilter):
    search_fields = ("legal_name", "registration_number")

    country = CountryFilter(field_name="country")
    iaf_code = IafCodeFilter(field_name="sector_codes")
    certification = df.ChoiceFilter(
        choices=certification_state_choices(),
        method="by_certification",
        label="Certification",
        help_text="Holds a certification (of your CB, for CB staff) in this state, as read today.",
    )
    standard = df.ChoiceFilter(
        choices=certified_standard_choices,
        method="by_standard",
        label="Certified to",
        help_text="Holds a certification (of your CB, for CB staff) on this standard: a standard's id.",
    )
    sort = df.OrderingFilter(
        fields=(("legal_name", "name"), ("country", "country"), ("created_at", "registered")),
        field_labels={"legal_name": "Legal name", "country": "Country", "created_at": "Registered"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Name or registration number"

    def _own_certifications(self) -> Q:
        """Certifications the user's CB issued (CB staff), or the user's own organization's (its people)."""
        r = reach(getattr(self.request, "user", None))
        if r.superuser:
            return Q()
        return Q(certifications__certification_body_id__in=list(r.cb_wide | r.auditor_cbs)) | Q(
            certifications__organization_id__in=list(r.organizations)
        )

    def by_certification(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        today = timezone.localdate()
        own = self._own_certifications()
        return queryset.filter(certification_state_q(value, today, "certifications__") & own).distinct()

    def by_standard(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(certifications__standards__code=value) & self._own_certifications()).distinct()
