from django.urls import path

from conformo.impartiality import views

app_name = "impartiality"

urlpatterns = [
    path("", views.register, name="register"),
    path("settings/", views.settings_update, name="settings"),
    path("threats/new/", views.threat_create, name="threat-create"),
    path("threats/<uuid:public_id>/", views.threat_detail, name="threat-detail"),
    path("threats/<uuid:public_id>/review/", views.threat_review, name="threat-review"),
    path("threats/<uuid:public_id>/reassess/", views.threat_reassess, name="threat-reassess"),
    path("threats/<uuid:public_id>/retire/", views.threat_retire, name="threat-retire"),
    path("related-bodies/", views.related_bodies, name="related-bodies"),
    path("related-bodies/new/", views.related_body_create, name="related-body-create"),
    path("related-bodies/<uuid:public_id>/relationships/", views.relationship_declare, name="relationship-declare"),
    path("committee/", views.committee, name="committee"),
    path("committee/members/new/", views.member_add, name="member-add"),
    path("committee/meetings/new/", views.meeting_record, name="meeting-record"),
]
