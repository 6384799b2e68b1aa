from django.urls import path

from conformo.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list_view, name="list"),
    path("new/", views.organization_create_view, name="create"),
    path("<uuid:public_id>/", views.organization_detail_view, name="detail"),
    path("<uuid:public_id>/sites/new/", views.site_create_view, name="site-create"),
    path("<uuid:public_id>/cbs/<uuid:cb_id>/share-readiness/", views.readiness_share_view, name="readiness-share"),
    path(
        "<uuid:public_id>/cbs/<uuid:cb_id>/stop-sharing-readiness/",
        views.readiness_stop_sharing_view,
        name="readiness-stop-sharing",
    ),
    path("sites/<uuid:public_id>/edit/", views.site_edit_view, name="site-edit"),
]
