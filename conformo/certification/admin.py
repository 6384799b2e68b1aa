"""Back-office repair views for certifications and decisions (decisions are read-only: the record)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from conformo.certification.models import Certification, Decision


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ("organization", "certification_body", "state", "expires_on")
    list_filter = ("state",)
    readonly_fields = ("public_id", "created_at", "updated_at")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("certification", "kind", "decided_on", "decided_by", "state_before", "state_after")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
