from django.urls import path

from conformo.improvement import views

app_name = "improvement"

urlpatterns = [
    path("o/<uuid:org_id>/", views.log_view, name="log"),
    path("o/<uuid:org_id>/raise/", views.raise_view, name="nonconformity-raise"),
    path("<uuid:public_id>/", views.detail_view, name="detail"),
    path("<uuid:public_id>/corrective-action/", views.action_plan_view, name="action-plan"),
    path("<uuid:public_id>/corrective-action/complete/", views.action_complete_view, name="action-complete"),
    path("<uuid:public_id>/effectiveness-check/", views.effectiveness_check_view, name="effectiveness-check"),
]
