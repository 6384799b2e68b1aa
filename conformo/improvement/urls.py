from django.urls import path

app_name = "improvement"

urlpatterns: list[object] = []
