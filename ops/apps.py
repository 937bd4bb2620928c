from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "Operations"

    def ready(self) -> None:
        # Celery's task signals feed the task-duration histogram in every process that runs tasks.
        from django.core.signals import request_finished

        from . import metrics

        metrics.connect_task_signals()
        request_finished.connect(_forget_request, dispatch_uid="ops.forget_request")


def _forget_request(**kwargs) -> None:
    from .context import current_request

    current_request.set(None)
