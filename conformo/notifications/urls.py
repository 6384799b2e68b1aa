from django.urls import path

from conformo.notifications import views

app_name = "notifications"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("notices/<uuid:public_id>/resend/", views.notice_resend_view, name="notice-resend"),
]
