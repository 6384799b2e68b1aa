app_name = "competence"
urlpatterns: list = []
