"""The platform's own records, in the public schema: counties (the tenants), their host names, and the
mailbox that carries letters between counties."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class County(TenantMixin):
    """A county organization department: one PostgreSQL schema holds all of its records."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = False

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        """Clone the template schema in one batch of DDL (tenants.clone) instead of django-tenants'
        object-by-object clone followed by a faked `migrate_schemas` (seconds instead of about 9)."""
        from django.db import connection
        from django_tenants.postgresql_backend.base import _check_schema_name
        from django_tenants.utils import get_creation_fakes_migrations, schema_exists

        from .clone import clone_schema

        base = self.get_base_schema() if get_creation_fakes_migrations() else False
        if not (sync_schema and base and schema_exists(base)):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        _check_schema_name(self.schema_name)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        clone_schema(base, self.schema_name)
        connection.set_schema_to_public()
        return True

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")


class Letter(models.Model):
    """A letter in the inter-county mailbox (docs/decisions/0004): the only record two counties share.

    The sender writes it in the same transaction as its own state change; tenants.mailbox delivers it
    into the receiver's schema, idempotently by its UUID. The payload holds everything the receiver
    needs, never a pointer into the sender's schema.
    """

    class Kind(models.TextChoices):
        LETTER = "letter", _("Introduction letter")
        RECEIPT = "receipt", _("Receipt")
        RETURN = "return", _("Returned letter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_county = models.ForeignKey(
        County, verbose_name=_("from county"), on_delete=models.PROTECT, related_name="letters_sent"
    )
    to_county = models.ForeignKey(
        County, verbose_name=_("to county"), on_delete=models.PROTECT, related_name="letters_received"
    )
    # A receipt or a return answers one introduction letter, and a letter is answered once.
    in_reply_to = models.OneToOneField(
        "self", verbose_name=_("in reply to"), null=True, blank=True, on_delete=models.PROTECT, related_name="reply"
    )
    payload = models.JSONField(_("payload"), default=dict)
    # An introduction letter's last day; once passed unanswered the sender voids it (DOMAIN.md §5).
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("void since"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("delivery attempts"), default=0)
    last_error = models.TextField(_("last delivery error"), blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["delivered_at", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_county_id}→{self.to_county_id} {self.id}"
