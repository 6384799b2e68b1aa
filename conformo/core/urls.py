from django.urls import path

from conformo.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit-log/", views.audit_log, name="audit-log"),
]
