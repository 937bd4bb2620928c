"""Notices to users, their channels and their deliveries (docs/decisions/0012-notifications.md)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TASK_ASSIGNED = "task_assigned", _("A task for you")
    TASK_OVERDUE = "task_overdue", _("A task is overdue")
    DECISION = "decision", _("A decision on your case")
    PUBLIC_NOTICE = "public_notice", _("A public notice in your branch")
    DUES_DUE = "dues_due", _("Dues due")


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In the application")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")


# The channels a notice is delivered through besides the application itself.
OUTSIDE_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WECHAT)


class Notice(models.Model):
    """One thing one user is told, shown in the application; its other channels are its deliveries."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # The event's idempotency key: the same event told to the same user again is the same notice.
    key = models.CharField(_("key"), max_length=200)
    # What the notice is about, by model label and id (a task, a process, a month's dues).
    object_type = models.CharField(_("about"), max_length=100, blank=True)
    object_id = models.CharField(_("about id"), max_length=64, blank=True)
    process = models.ForeignKey(
        "workflows.WorkflowProcess",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="unique_notice_per_event")]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notice_inbox"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notice_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.title}"


class Preference(models.Model):
    """The channels a user is told through; in the application always. No row: the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("by e-mail"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    wechat = models.BooleanField(_("by WeChat"), default=False)
    phone = models.CharField(_("mobile number for SMS"), max_length=20, blank=True)
    wechat_id = models.CharField(_("WeChat ID"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.channels()}"

    def channels(self) -> list[str]:
        """The channels chosen besides the application."""
        return [channel for channel in OUTSIDE_CHANNELS if getattr(self, channel)]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed, to be retried")
    SKIPPED = "skipped", _("Not sent: no address")


class Delivery(models.Model):
    """A notice sent through one outside channel; sent once, whatever happens to its messages."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notice", "channel"], name="unique_delivery_per_channel")]

    def __str__(self) -> str:
        return f"{self.notice_id} {self.channel}: {self.status}"
