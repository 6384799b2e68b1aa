"""Back-office repair views. Day-to-day work goes through the pages and the API (services)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from conformo.audits import models


class ReadOnlyTimestamps(admin.ModelAdmin):
    readonly_fields = ("public_id", "created_at", "updated_at")


@admin.register(models.CBSettings)
class CBSettingsAdmin(ReadOnlyTimestamps):
    list_display = ("certification_body", "major_response_days", "minor_response_days", "cooling_off_months")


@admin.register(models.Accreditation)
class AccreditationAdmin(ReadOnlyTimestamps):
    list_display = ("certification_body", "accreditation_body", "reference", "valid_from", "valid_until")


class QualificationInline(admin.TabularInline):
    model = models.Qualification
    extra = 0


class ConflictInline(admin.TabularInline):
    model = models.ConflictOfInterest
    extra = 0


@admin.register(models.Auditor)
class AuditorAdmin(ReadOnlyTimestamps):
    list_display = ("user", "certification_body", "active")
    inlines = (QualificationInline, ConflictInline)


@admin.register(models.Application)
class ApplicationAdmin(ReadOnlyTimestamps):
    list_display = ("organization", "certification_body", "status", "created_at")
    list_filter = ("status",)


class AuditInline(admin.TabularInline):
    model = models.Audit
    extra = 0
    fields = ("kind", "status", "due_by", "planned_start", "planned_end", "days")


@admin.register(models.AuditProgramme)
class AuditProgrammeAdmin(ReadOnlyTimestamps):
    list_display = ("organization", "cycle", "active", "decision_date", "expires_on")
    inlines = (AuditInline,)


@admin.register(models.Finding)
class FindingAdmin(ReadOnlyTimestamps):
    list_display = ("reference", "grade", "status", "raised_on", "response_due")
    list_filter = ("grade", "status")


@admin.register(models.Complaint)
class ComplaintAdmin(ReadOnlyTimestamps):
    list_display = ("subject", "certification_body", "status", "received_on")


@admin.register(models.Appeal)
class AppealAdmin(ReadOnlyTimestamps):
    list_display = ("subject", "certification_body", "status", "received_on")


@admin.register(models.AgreementTemplate)
class AgreementTemplateAdmin(ReadOnlyTimestamps):
    list_display = ("certification_body", "version", "title", "status", "published_at")


@admin.register(models.Agreement)
class AgreementAdmin(ReadOnlyTimestamps):
    """Acceptances are records (who, when, which version, from where): shown, never edited here."""

    list_display = ("application", "template", "method", "accepted_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
