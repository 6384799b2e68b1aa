from django.urls import path

from conformo.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.retention, name="home"),
    path("policy/", views.policy_update, name="policy"),
]
