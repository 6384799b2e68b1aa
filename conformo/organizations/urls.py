from django.urls import path

from conformo.organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list_view, name="list"),
    path("new/", views.organization_create_view, name="create"),
    path("<uuid:public_id>/", views.organization_detail_view, name="detail"),
    path("<uuid:public_id>/sites/new/", views.site_create_view, name="site-create"),
    path("sites/<uuid:public_id>/edit/", views.site_edit_view, name="site-edit"),
]
