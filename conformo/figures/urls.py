from django.urls import path

from conformo.figures import views

app_name = "figures"

urlpatterns = [
    path("", views.figures_home, name="home"),
    path("<slug:slug>/", views.figure_page, name="figure"),
    path("<slug:slug>/<slug:table>.csv", views.table_download, {"fmt": "csv"}, name="download-csv"),
    path("<slug:slug>/<slug:table>.xlsx", views.table_download, {"fmt": "xlsx"}, name="download-xlsx"),
]
