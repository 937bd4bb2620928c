from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "orgs"
    verbose_name = _("Organizations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Organization, RoleAssignment

        auditlog.register(Organization)
        auditlog.register(RoleAssignment)
