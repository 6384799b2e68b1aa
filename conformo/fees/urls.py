from django.urls import path

from conformo.fees import views

app_name = "fees"

urlpatterns = [
    path("prices/", views.prices, name="prices"),
    path("applications/<uuid:public_id>/quotations/", views.application_quotations, name="application-quotations"),
    path("applications/<uuid:public_id>/quotations/new/", views.quotation_create, name="quotation-create"),
    path("quotations/<uuid:public_id>/", views.quotation_detail, name="quotation-detail"),
    path("quotations/<uuid:public_id>/proposal.pdf", views.proposal, name="proposal-pdf"),
]
