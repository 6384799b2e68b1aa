"""The certificate list's search, filters and sort (page and API: core/listing.py)."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django.utils import timezone

from conformo.certificates.models import CertificateStatus
from conformo.certificates.selectors import status_q
from conformo.core.listing import DueWindowFilter, IafCodeFilter, ListFilter
from conformo.standards.filters import standard_choices


class CertificateFilter(ListFilter):
    search_fields = ("number", "holder_name", "scope")

    status = df.ChoiceFilter(
        choices=CertificateStatus.choices, method="by_status", label="Status", help_text="As read today."
    )
    standard = df.ChoiceFilter(
        choices=standard_choices, field_name="standard_links__code", label="Standard", help_text="A standard's id."
    )
    country = df.CharFilter(
        field_name="holder_country",
        lookup_expr="iexact",
        max_length=2,
        label="Country",
        help_text="ISO 3166-1 alpha-2.",
    )
    iaf_code = IafCodeFilter(field_name="sector_codes")
    expires = DueWindowFilter(field_name="expires_on", label="Expires")
    sort = df.OrderingFilter(
        fields=(("holder_name", "holder"), ("number", "number"), ("expires_on", "expires"), ("issued_on", "issued")),
        field_labels={"holder_name": "Holder", "number": "Number", "expires_on": "Expiry", "issued_on": "Issue date"},
        label="Sort",
    )

    @classmethod
    def search_placeholder(cls) -> str:
        return "Number, holder or scope"

    def by_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(status_q(value, timezone.localdate()))
