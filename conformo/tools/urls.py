from django.urls import path

app_name = "tools"

urlpatterns: list[object] = []
