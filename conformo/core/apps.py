from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "conformo.core"
    label = "core"
    verbose_name = "Conformo core"

    def ready(self) -> None:
        # The next run of a periodic task is enqueued when a run finishes (a `task_finished` receiver).
        from django.db.models.signals import pre_save

        from conformo.core import periodic  # noqa: F401 - imported for its task_finished receiver
        from conformo.core.columns import refuse_unstorable_values

        # A value its column cannot hold is refused before it is written, on both databases (core/columns.py).
        pre_save.connect(refuse_unstorable_values, dispatch_uid="conformo.core.columns")

        from django.urls import register_converter

        from conformo.core.converters import Int32Converter

        # `<int32:…>` in page addresses: a number no column holds is a 404, not a database error.
        register_converter(Int32Converter, "int32")
