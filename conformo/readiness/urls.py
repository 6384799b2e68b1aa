from django.urls import path

app_name = "readiness"

urlpatterns: list[object] = []
