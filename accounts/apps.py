from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import User

        # Own columns only: a reverse relation such as `person` points into county tables, which the
        # public schema (platform operators) does not have.
        tracked = [f.name for f in User._meta.concrete_fields if f.name not in ("password", "last_login")]
        auditlog.register(User, include_fields=tracked)

        # Sign-ins, their failures, sign-outs and lockouts go to the security log.
        from . import events

        events.connect_axes()
