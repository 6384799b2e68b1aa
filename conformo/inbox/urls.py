from django.urls import path

from conformo.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.home, name="home"),
    path("count/", views.count, name="count"),
]
