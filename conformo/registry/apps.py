from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "conformo.registry"
    label = "registry"
