from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "conformo.standards"
    label = "standards"
    verbose_name = "Standards catalog"
