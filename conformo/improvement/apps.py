from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "conformo.improvement"
    label = "improvement"
