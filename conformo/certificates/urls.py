from django.urls import path

from conformo.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<str:number>/", views.certificate_detail, name="detail"),
    path("<str:number>/pdf", views.pdf, name="pdf"),
]
