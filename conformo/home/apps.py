from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "conformo.home"
    label = "home"
    verbose_name = "Conformo home (dashboard and demo, composed from the apps)"
