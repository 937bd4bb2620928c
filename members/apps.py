from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Person

        # The change log keeps no whole ID number: only its second half (docs/decisions/0010-personal-data.md).
        auditlog.register(Person, mask_fields=["id_number"])

        from .mobile.wiring import connect

        connect()
