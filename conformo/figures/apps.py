from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "conformo.figures"
    label = "figures"
    verbose_name = "Figures for the accreditation body and the CB's management review"
