from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Person

        auditlog.register(Person)

        from .mobile.wiring import connect

        connect()
