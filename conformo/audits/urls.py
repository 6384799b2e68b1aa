from django.urls import path

from conformo.audits import views

app_name = "audits"

# Each page action has its own URL (named <object>-<verb>); GET of an action's URL shows the page it is on.
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.cb_settings, name="cb-settings"),
    path("accreditations/", views.accreditations, name="accreditations"),
    path("applications/new/", views.application_create, name="application-create"),
    path("applications/<uuid:public_id>/", views.application_detail, name="application-detail"),
    path("applications/<uuid:public_id>/review/", views.application_review, name="application-review"),
    path("applications/<uuid:public_id>/decline/", views.application_decline, name="application-decline"),
    path("programmes/<uuid:public_id>/", views.programme_detail, name="programme-detail"),
    path("programmes/<uuid:public_id>/combine/", views.programme_combine, name="programme-combine"),
    path("programmes/<uuid:public_id>/special-audits/", views.special_audit_create, name="special-audit-create"),
    path("audits/<uuid:public_id>/", views.audit_detail, name="audit-detail"),
    path("audits/<uuid:public_id>/plan/", views.audit_plan, name="audit-plan"),
    path("audits/<uuid:public_id>/team/", views.team_assign, name="team-assign"),
    path("audits/<uuid:public_id>/start/", views.audit_start, name="audit-start"),
    path("audits/<uuid:public_id>/complete/", views.audit_complete, name="audit-complete"),
    path("audits/<uuid:public_id>/findings/", views.finding_raise, name="finding-raise"),
    path("findings/<uuid:public_id>/", views.finding_detail, name="finding-detail"),
    path("findings/<uuid:public_id>/respond/", views.finding_respond, name="finding-respond"),
    path("findings/<uuid:public_id>/edit/", views.finding_edit, name="finding-edit"),
    path("findings/<uuid:public_id>/withdraw/", views.finding_withdraw, name="finding-withdraw"),
    path(
        "findings/<uuid:public_id>/responses/<uuid:response_id>/accept/",
        views.response_accept,
        name="response-accept",
    ),
    path(
        "findings/<uuid:public_id>/responses/<uuid:response_id>/reject/",
        views.response_reject,
        name="response-reject",
    ),
    path("findings/<uuid:public_id>/attachments/", views.finding_attach, name="finding-attach"),
    path("findings/<uuid:public_id>/verify/", views.finding_verify, name="finding-verify"),
    path(
        "findings/<uuid:public_id>/attachments/<uuid:attachment_id>/",
        views.finding_attachment,
        name="finding-attachment",
    ),
    path("auditors/", views.auditor_list, name="auditors"),
    path("auditors/new/", views.auditor_register, name="auditor-register"),
    path("auditors/qualifications/", views.qualification_add, name="qualification-add"),
    path("auditors/<uuid:public_id>/", views.auditor_detail, name="auditor-detail"),
    path("auditors/<uuid:public_id>/conflicts/", views.conflict_declare, name="conflict-declare"),
    path("auditors/<uuid:public_id>/unavailability/", views.unavailability_add, name="unavailability-add"),
    path("schedule/", views.schedule, name="schedule"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/new/", views.complaint_receive, name="complaint-receive"),
    path("complaints/<uuid:public_id>/assign/", views.complaint_assign, name="complaint-assign"),
    path("complaints/<uuid:public_id>/advance/", views.complaint_advance, name="complaint-advance"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<uuid:public_id>/assign/", views.appeal_assign, name="appeal-assign"),
    path("appeals/<uuid:public_id>/decide/", views.appeal_decide, name="appeal-decide"),
]
