"""The transactional outbox of a county (docs/decisions/0008-transactional-outbox.md)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """A Celery message written in the same transaction as the change that causes it.

    Its id is the Celery task id of every delivery, so a consumer recognises a message it has seen.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The sender's idempotency key: the same key enqueued again is the same message.
    key = models.CharField(_("key"), max_length=200, unique=True)
    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("last published at"), null=True, blank=True)
    publications = models.PositiveIntegerField(_("times published"), default=0)
    consumed_at = models.DateTimeField(_("consumed at"), null=True, blank=True)
    last_error = models.TextField(_("last publishing error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["published_at"], condition=models.Q(consumed_at__isnull=True), name="outbox_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.task} [{self.key}]"


class Receipt(models.Model):
    """A message a consumer has acted on, written in the consumer's own transaction: at most once per id."""

    message_id = models.UUIDField(primary_key=True)
    task = models.CharField(_("task"), max_length=200)
    consumed_at = models.DateTimeField(_("consumed at"), default=timezone.now)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self) -> str:
        return f"{self.task} {self.message_id}"
