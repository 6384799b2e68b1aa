from django.contrib import admin

from conformo.impartiality.models import CommitteeMeeting, CommitteeMember, ImpartialitySettings, Threat, ThreatReview

admin.site.register(ImpartialitySettings)
admin.site.register(CommitteeMember)
admin.site.register(CommitteeMeeting)
admin.site.register(ThreatReview)


@admin.register(Threat)
class ThreatAdmin(admin.ModelAdmin[Threat]):
    list_display = ["title", "certification_body", "kind", "level", "residual_level", "review_due_on", "status"]
