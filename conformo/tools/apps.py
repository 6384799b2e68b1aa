from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "conformo.tools"
    label = "tools"
    verbose_name = "Certification calculators"
