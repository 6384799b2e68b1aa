"""The certificate list's search, filters and sort (page and API: core/listing.py)."""

from __future__ import annotations

from typing import Any

import django_filters as df
from django.db.models import QuerySet
from django.utils import timezone

from conformo.certificates.models import CertificateStatus
from conformo.certificates.selectors import status_q
from conformo.core.listing import CountryFilter, DueWindowFilter, IafCodeFilter, ListFilter
from conformo.standards.filters import StandardFilter


class CertificateFilter(ListFilter):
    search_fields = ("number", "holder_name", "scope")

    status = df.ChoiceFilter(
        choices=CertificateStatus.choices, method="by_status", label="Status", help_text="As read today."
    )
    standard = StandardFilter(field_name="standard_links__code")
    country = CountryFilter(field_name="holder_country")
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
