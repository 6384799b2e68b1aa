from django.apps import AppConfig


class CertificationConfig(AppConfig):
    name = "conformo.certification"
    label = "certification"
