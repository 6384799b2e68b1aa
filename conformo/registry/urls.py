from django.urls import path

from conformo.registry import views

app_name = "registry"

urlpatterns = [
    path("registry", views.registry, name="search"),
    path("verify/<str:number>", views.verify, name="verify"),
    path(".well-known/jwks.json", views.jwks_view, name="jwks"),
]
