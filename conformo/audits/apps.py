from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "conformo.audits"
    label = "audits"
