from django.apps import AppConfig


class CompetenceConfig(AppConfig):
    name = "conformo.competence"
    label = "competence"
    verbose_name = "Competence and monitoring"
