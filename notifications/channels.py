"""Outside channels: e-mail through Django's e-mail backend; SMS and WeChat through adapters.

An adapter is any class with `send(*, address, subject, text, idempotency_key)`, raising on failure so the
delivery is retried. The adapter of each channel is named in `settings.NOTIFICATION_ADAPTERS`
({"sms": "dotted.path.Class", ...}); the default writes the message to the worker's output, until a
county signs a contract with an SMS gateway or registers a WeChat official account.
"""

import sys
from functools import cache
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from .models import Channel

DEFAULT_ADAPTERS = {
    Channel.SMS: "notifications.channels.ConsoleAdapter",
    Channel.WECHAT: "notifications.channels.ConsoleAdapter",
}


class Adapter(Protocol):
    """Sends one message through a channel outside the application."""

    def send(self, *, address: str, subject: str, text: str, idempotency_key: str) -> None:
        """Send or raise. `idempotency_key` is the same on every attempt of one delivery: pass it to a
        provider that deduplicates, so an attempt repeated after a crash is not sent twice."""


class ConsoleAdapter:
    """Writes each message to standard output (development, and counties without a gateway); a Celery
    worker hands its standard output to its log."""

    def __init__(self, channel: str = "") -> None:
        self.channel = channel

    def send(self, *, address: str, subject: str, text: str, idempotency_key: str) -> None:
        line = f"[{self.channel or 'message'} to {address}] {subject}: {text} ({idempotency_key})"
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


@cache
def _adapter_class(path: str) -> type:
    return import_string(path)


def adapter(channel: str) -> Adapter:
    """The adapter of a channel, as the settings name it (read at each send, so a test may override it)."""
    configured = {**DEFAULT_ADAPTERS, **getattr(settings, "NOTIFICATION_ADAPTERS", {})}
    if channel not in configured:
        raise LookupError(f"No adapter is configured for the channel {channel!r}.")
    return _adapter_class(configured[channel])(channel)


def send_email(*, address: str, subject: str, text: str, idempotency_key: str) -> None:
    """One e-mail through Django's backend; its Message-ID is the delivery's key, the same on every attempt."""
    domain = getattr(settings, "NOTIFICATION_EMAIL_DOMAIN", "xianfeng.invalid")
    message = EmailMessage(
        subject=subject,
        body=text,
        to=[address],
        headers={"Message-ID": f"<{idempotency_key}@{domain}>"},
    )
    message.send(fail_silently=False)
