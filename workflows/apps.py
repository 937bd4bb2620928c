from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflows")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        # viewflow adds each flow's permissions to its process model when the flow class is
        # defined: every flow module is imported here, before migrate creates permissions.
        from . import flows  # noqa: F401
        from .models import AdmissionRecord

        auditlog.register(AdmissionRecord)
