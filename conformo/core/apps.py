from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "conformo.core"
    label = "core"
    verbose_name = "Conformo core"

    def ready(self) -> None:
        # The next run of a periodic task is enqueued when a run finishes (a `task_finished` receiver).
        from conformo.core import periodic  # noqa: F401 - imported for its task_finished receiver
