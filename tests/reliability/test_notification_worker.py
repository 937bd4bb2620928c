"""A notice delivered by a real Celery worker (issue 9): written with the event and committed, published
after commit, sent once through each channel by the worker, and a second delivery of its message sends nothing."""

import uuid

import pytest

from notifications.models import Delivery, DeliveryStatus, Kind, Preference
from notifications.services import notify
from outbox.models import Message, Receipt
from outbox.services import publish
from tests.factories import UserFactory

from .test_worker import until, worker  # noqa: F401  (the worker fixture)

pytestmark = [pytest.mark.celery, pytest.mark.django_db]


def _tell() -> tuple[int, str]:
    user = UserFactory(email=f"{uuid.uuid4().hex[:8]}@example.cn")
    Preference.objects.create(user=user, email=True, sms=True, phone="13800138000")
    key = f"worker-{uuid.uuid4().hex}"
    [notice] = notify(None, [user], Kind.DUES_DUE, key=key, title="Dues due", body="Pay your branch.")
    return notice.pk, key


def sms_written(log: str) -> int:
    """The console SMS adapter's lines on the worker's output."""
    return log.count("[sms to 13800138000] Dues due")


def test_a_real_worker_sends_each_channel_of_a_notice_once(committed, worker):  # noqa: F811
    notice_id, _key = committed.commit(_tell)  # committed: its messages are published after commit
    worker.start()

    def both_sent() -> bool:
        return Delivery.objects.filter(notice_id=notice_id, status=DeliveryStatus.SENT).count() == 2

    until(both_sent, "the e-mail and the SMS being sent", worker)
    messages = list(Message.objects.filter(key__startswith=f"notice:{notice_id}:"))
    assert len(messages) == 2 and all(m.consumed_at for m in messages)
    log = worker.log.read_text()
    assert sms_written(log) == 1
    assert log.count(f"Message-ID: <notice-{notice_id}-email-") == 1  # the console e-mail backend

    # The broker or the sweep delivers the same message again: the receipt makes the worker do nothing.
    sms = next(m for m in messages if m.key.endswith(":sms"))
    committed.commit(lambda: publish(Message.objects.get(pk=sms.pk)))
    until(lambda: "already acted on" in worker.log.read_text(), "the second delivery being refused", worker)
    assert sms_written(worker.log.read_text()) == 1
    assert Receipt.objects.filter(message_id=sms.pk).count() == 1
