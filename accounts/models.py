"""Users. The same table exists in the public schema (platform operators) and in every county's
schema (that county's staff and members), so a county's sign-ins never reach another county."""

import pgtrigger
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class SecurityEvent(models.Model):
    """One event of the security log (OWASP ASVS 16.3): sign-ins and their failures, lockouts, refused
    requests, accounts disabled, ID numbers shown in full and records exported. Rows are only ever
    added: the database refuses to change or delete them."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Locked out after repeated failures")
        SIGN_OUT = "sign_out", _("Signed out")
        SESSION_EXPIRED = "session_expired", _("Session expired")
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", _("Two-factor sign-in set up")
        TWO_FACTOR_FAILED = "two_factor_failed", _("Two-factor code refused")
        REFUSED = "refused", _("Request refused")
        USER_DISABLED = "user_disabled", _("User disabled")
        USER_ENABLED = "user_enabled", _("User enabled")
        ID_NUMBER_SHOWN = "id_number_shown", _("ID number shown in full")
        EXPORT = "export", _("Records exported")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    # A plain id, not a foreign key: the log outlives the account and never changes with it.
    user_id = models.PositiveBigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.kind} {self.username}"
