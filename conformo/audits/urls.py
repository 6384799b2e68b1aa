from django.urls import path

from conformo.audits import views

app_name = "audits"

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.cb_settings, name="cb-settings"),
    path("accreditations/", views.accreditations, name="accreditations"),
    path("applications/new/", views.application_create, name="application-create"),
    path("applications/<uuid:public_id>/", views.application_detail, name="application-detail"),
    path("programmes/<uuid:public_id>/", views.programme_detail, name="programme-detail"),
    path("audits/<uuid:public_id>/", views.audit_detail, name="audit-detail"),
    path("findings/<uuid:public_id>/", views.finding_detail, name="finding-detail"),
    path("findings/<uuid:public_id>/respond/", views.finding_detail, name="finding-respond"),
    path(
        "findings/<uuid:public_id>/attachments/<uuid:attachment_id>/",
        views.finding_attachment,
        name="finding-attachment",
    ),
    path("auditors/", views.auditor_list, name="auditors"),
    path("auditors/<uuid:public_id>/", views.auditor_detail, name="auditor-detail"),
    path("schedule/", views.schedule, name="schedule"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("complaints/", views.complaints, name="complaints"),
    path("appeals/", views.appeals, name="appeals"),
]
