from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "conformo.notifications"
    label = "notifications"
    verbose_name = "Notifications"
