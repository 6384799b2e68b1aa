from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "conformo.accounts"
    label = "accounts"
    verbose_name = "Accounts"
