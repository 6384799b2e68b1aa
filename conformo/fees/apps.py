from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "conformo.fees"
    label = "fees"
    verbose_name = "Fees and quotations"
