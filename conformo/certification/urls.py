from django.urls import path

from conformo.certification import transition_views, views

app_name = "certification"

urlpatterns = [
    path("", views.certification_list_view, name="list"),
    path("awaiting-decision/", views.awaiting_decision_view, name="awaiting"),
    path("suspension-proposals/", views.suspension_proposals_view, name="proposals"),
    path("transitions/", transition_views.transitions_view, name="transitions"),
    path("transitions/<uuid:public_id>/policy", transition_views.transition_policy_view, name="transition-policy"),
    path("<uuid:public_id>/", views.certification_detail_view, name="detail"),
    path("<uuid:public_id>/file", views.certification_file_view, name="file"),
    path("<uuid:public_id>/decisions/", views.decision_take_view, name="decision-take"),
    path("appeals/lodge", views.appeal_lodge_view, name="appeal-lodge"),
    path("applications/<uuid:public_id>/accept", views.application_accept_view, name="application-accept"),
]
