from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "conformo.inbox"
    label = "inbox"
    verbose_name = "My work (each person's task inbox) and the daily reminders"
