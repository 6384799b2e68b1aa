from django.urls import path

from conformo.competence import views

app_name = "competence"

urlpatterns = [
    path("", views.home, name="home"),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/new/", views.criterion_create, name="criterion-create"),
    path("people/<uuid:public_id>/", views.person, name="person"),
    path("people/<uuid:public_id>/entries/new/", views.entry_add, name="entry-add"),
    path("evaluations/new/", views.evaluation_create, name="evaluation-create"),
    path("evaluations/<uuid:public_id>/", views.evaluation, name="evaluation"),
    path("evaluations/<uuid:public_id>/evidence/", views.evidence_attach, name="evidence-attach"),
    path("evaluations/<uuid:public_id>/evidence/<uuid:evidence_id>/", views.evidence_file, name="evidence-file"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/new/", views.monitoring_create, name="monitoring-create"),
]
