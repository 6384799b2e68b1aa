from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "conformo.organizations"
    label = "organizations"
    verbose_name = "Tenants: certification bodies and organizations"
