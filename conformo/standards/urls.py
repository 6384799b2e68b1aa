from django.urls import path

from conformo.standards import views

app_name = "standards"

urlpatterns = [
    path("", views.standard_list_view, name="list"),
    path("search/", views.clause_search_view, name="search"),
    path("<slug:code>/", views.standard_detail_view, name="detail"),
    path("<slug:code>/succession/", views.standard_succession_view, name="succession"),
]
