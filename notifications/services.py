"""Telling users: `notify` writes the notices and, in the same transaction, their deliveries' outbox messages.

Delivery (`deliver`, run by `notifications.tasks.deliver_notice`) sends one notice through one channel
once: the outbox's receipt keeps a message from being acted on twice, and the delivery's own status keeps
a second message about the same delivery from sending again (docs/decisions/0012-notifications.md).
"""

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import action
from core.exceptions import RuleViolation
from outbox.services import enqueue

from . import channels
from .models import Channel, Delivery, DeliveryStatus, Notice, Preference
from .selectors import preferences_of


def _user_ids(recipients: Iterable[Any]) -> set[int]:
    return {getattr(r, "pk", r) for r in recipients if r is not None and getattr(r, "pk", r) is not None}


def _address(channel: str, user, preference: Preference) -> str:
    if channel == Channel.EMAIL:
        return user.email
    if channel == Channel.SMS:
        person = getattr(user, "person", None)
        return preference.phone or (person.phone if person is not None else "")
    if channel == Channel.WECHAT:
        return preference.wechat_id
    return ""


def notify(
    actor,
    recipients: Iterable[Any],
    kind: str,
    *,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    about: models.Model | None = None,
    process: Any = None,
) -> list[Notice]:
    """Tell each recipient (users or user ids) about one event, once per `key` and user.

    Runs inside the caller's transaction: if the event rolls back, no notice is written and nothing is
    sent. Each notice is shown in the application; each channel the recipient chose (and has an address
    for) gets a Delivery and an outbox message. Inactive users and users already told are left out.
    """
    ids = _user_ids(recipients)
    if not ids:
        return []
    with action(actor):
        told = set(Notice.objects.filter(key=key, recipient_id__in=ids).values_list("recipient_id", flat=True))
        users = {
            user.pk: user
            for user in get_user_model().objects.filter(pk__in=ids - told, is_active=True).select_related("person")
        }
        if not users:
            return []
        now = timezone.now()
        notices = Notice.objects.bulk_create(
            [
                Notice(
                    recipient_id=user_id,
                    kind=kind,
                    key=key[:200],
                    title=str(title)[:200],
                    body=str(body),
                    link=link[:300],
                    object_type=about._meta.label if about is not None else "",
                    object_id=str(about.pk) if about is not None else "",
                    process_id=getattr(process, "pk", process),
                    created_at=now,
                )
                for user_id in sorted(users)
            ],
            ignore_conflicts=False,
        )
        preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=users)}
        deliveries = []
        for notice in notices:
            user = users[notice.recipient_id]
            preference = preferences.get(user.pk) or Preference(user_id=user.pk)
            deliveries.extend(
                Delivery(notice=notice, channel=channel)
                for channel in preference.channels()
                if _address(channel, user, preference)
            )
        for delivery in Delivery.objects.bulk_create(deliveries):
            from .tasks import deliver_notice  # the task module imports this one

            enqueue(
                deliver_notice,
                [delivery.notice_id, delivery.channel],
                key=f"notice:{delivery.notice_id}:{delivery.channel}",
            )
    return notices


def idempotency_key(delivery: Delivery) -> str:
    """The same on every attempt of one delivery: the provider's deduplication key and the e-mail's Message-ID."""
    return f"notice-{delivery.notice_id}-{delivery.channel}-{delivery.pk}"


def _text(notice: Notice) -> str:
    return "\n\n".join(part for part in (notice.body, notice.link) if part)


def deliver(notice_id: int, channel: str) -> str:
    """Send one notice through one channel, in the caller's transaction (the consumer's, with its receipt).

    A delivery already sent is not sent again. A failure raises, leaving the delivery as it was, so
    the caller retries. Returns the delivery's status.
    """
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("notice__recipient__person")
        .filter(notice_id=notice_id, channel=channel)
        .first()
    )
    if delivery is None or delivery.status in (DeliveryStatus.SENT, DeliveryStatus.SKIPPED):
        return delivery.status if delivery else "missing"
    notice = delivery.notice
    user = notice.recipient
    preference = preferences_of(user)
    address = _address(channel, user, preference) if user.is_active else ""
    delivery.attempts += 1
    if not address:
        delivery.status = DeliveryStatus.SKIPPED
        delivery.save(update_fields=["status", "attempts"])
        return delivery.status
    send = channels.send_email if channel == Channel.EMAIL else channels.adapter(channel).send
    send(address=address, subject=notice.title, text=_text(notice), idempotency_key=idempotency_key(delivery))
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.last_error = ""
    delivery.save(update_fields=["status", "attempts", "sent_at", "last_error"])
    return delivery.status


def record_failure(notice_id: int, channel: str, error: BaseException) -> None:
    """After a failed attempt rolled back: count it and keep its error (outside the rolled-back transaction)."""
    Delivery.objects.filter(notice_id=notice_id, channel=channel).exclude(status=DeliveryStatus.SENT).update(
        status=DeliveryStatus.FAILED, attempts=models.F("attempts") + 1, last_error=repr(error)[:2000]
    )


# --- the user's side ------------------------------------------------------------------------------


def mark_read(*, actor, notice: Notice) -> Notice:
    """Mark one of the actor's own notices read (again: nothing changes)."""
    if notice.recipient_id != actor.pk:
        raise RuleViolation(_("This notice is not yours."))
    if notice.read_at is None:
        with action(actor):
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
    return notice


def mark_all_read(*, actor) -> int:
    """Mark all the actor's unread notices read; the number marked."""
    with action(actor):
        return Notice.objects.filter(recipient_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())


PREFERENCE_FIELDS = ("email", "sms", "wechat", "phone", "wechat_id")


def set_preferences(*, actor, **changes: Any) -> Preference:
    """Choose the channels (the application is always on). A channel chosen needs its address."""
    unknown = set(changes) - set(PREFERENCE_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown setting: %(name)s.") % {"name": ", ".join(sorted(unknown))})
    preference = preferences_of(actor)
    for name, value in changes.items():
        setattr(preference, name, value.strip() if isinstance(value, str) else bool(value))
    person = getattr(actor, "person", None)  # the reverse one-to-one: None when the user is no member
    if changes.get("email") and not actor.email:
        raise RuleViolation(_("Your account has no e-mail address: ask your administrator to add one."), field="email")
    if preference.sms and not (preference.phone or (person is not None and person.phone)):
        raise RuleViolation(_("Give the mobile number to send SMS to."), field="phone")
    if preference.sms and preference.phone and not preference.phone.lstrip("+").isdigit():
        raise RuleViolation(_("Enter a mobile number of digits."), field="phone")
    if preference.wechat and not preference.wechat_id:
        raise RuleViolation(_("Give the WeChat ID to send messages to."), field="wechat_id")
    with action(actor):
        preference.save()
    return preference
