from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "conformo.retention"
    label = "retention"
    verbose_name = "Records retention"
