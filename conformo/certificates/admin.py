"""Back-office repair view of certificates (read-mostly: writes go through the services)."""

from __future__ import annotations

from django.contrib import admin

from conformo.certificates.models import Certificate, StatusChange


class StatusChangeInline(admin.TabularInline[StatusChange, Certificate]):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["on", "event", "status_before", "status_after", "decision", "actor", "reason"]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin[Certificate]):
    list_display = ["number", "holder_name", "status", "is_current", "confidential", "issued_on", "expires_on"]
    list_filter = ["status", "is_current", "confidential", "source"]
    search_fields = ["number", "holder_name"]
    readonly_fields = ["public_id", "certification", "decision", "organization", "search_text"]
    raw_id_fields = ["certification_body"]
    inlines = [StatusChangeInline]
