from django.urls import path

from conformo.tools import views

app_name = "tools"

urlpatterns = [
    path("", views.calculator, name="calculator"),
    path("audit-time/", views.audit_time, name="audit-time"),
    path("sampling/", views.sampling, name="sampling"),
    path("cycle/", views.cycle, name="cycle"),
]
