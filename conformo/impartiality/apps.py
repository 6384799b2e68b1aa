from django.apps import AppConfig


class ImpartialityConfig(AppConfig):
    name = "conformo.impartiality"
    label = "impartiality"
    verbose_name = "Impartiality"
