from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "conformo.readiness"
    label = "readiness"
