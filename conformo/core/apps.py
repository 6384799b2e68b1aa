from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "conformo.core"
    label = "core"
    verbose_name = "Conformo core"
