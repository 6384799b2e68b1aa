from django.urls import path

from conformo.improvement import views

app_name = "improvement"

urlpatterns = [
    path("o/<uuid:org_id>/", views.log_view, name="log"),
    path("<uuid:public_id>/", views.detail_view, name="detail"),
]
