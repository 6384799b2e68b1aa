from django.urls import path

from conformo.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    # Before <number>/ so that these names never read as certificate numbers.
    path("certsearch/", views.certsearch, name="certsearch"),
    path("certsearch/export", views.certsearch_download, name="certsearch-export"),
    path("certsearch/imports/<uuid:public_id>/", views.certsearch_import_status, name="certsearch-import"),
    path("<str:number>/", views.certificate_detail, name="detail"),
    path("<str:number>/pdf", views.pdf, name="pdf"),
]
