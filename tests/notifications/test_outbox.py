"""The notification outbox (issue 9): notices are written in the event's transaction and delivered through
the transactional outbox: an event that rolls back sends nothing; a delivery retried after a failure sends once."""

import pytest
from django.core import mail
from django.db import transaction

from notifications.models import Delivery, DeliveryStatus, Notice, Preference
from notifications.tasks import MAX_RETRIES, deliver_notice
from outbox.models import Message, Receipt
from tests.admission.pipeline import happy_path, record, start

from .channels import FlakySms


def decided_case(actors, applicant, tree, members):
    """An admission whose talk is recorded: the activist decision, a decision on the applicant's case, is next."""
    process = start(actors, applicant, tree.branch)
    path = happy_path(members)
    record(process, actors, path[0])  # the talk
    return process, path[1]  # the activist decision


@pytest.fixture
def reachable(applicant):
    user = applicant.user
    user.email = "applicant@example.cn"
    user.save(update_fields=["email"])
    Preference.objects.create(user=user, email=True, sms=True, phone="13800138000")
    return user


def test_an_event_whose_transaction_rolls_back_sends_nothing(
    actors, applicant, tree, members, reachable, django_capture_on_commit_callbacks
):
    process, decision = decided_case(actors, applicant, tree, members)
    notices, messages, deliveries = Notice.objects.count(), Message.objects.count(), Delivery.objects.count()

    with (
        django_capture_on_commit_callbacks(execute=True) as after_commit,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record(process, actors, decision)
        assert Notice.objects.count() > notices  # the decision and the next task are told with the event
        assert Message.objects.count() > messages
        raise RuntimeError("the step's transaction fails after the decision")

    assert after_commit == []
    assert (Notice.objects.count(), Message.objects.count(), Delivery.objects.count()) == (
        notices,
        messages,
        deliveries,
    )
    # A worker delivers everything the outbox holds: only what was told before the failed step is sent.
    [told_before] = Delivery.objects.filter(channel="email")  # the talk's decision, told before
    for message in Message.objects.filter(task=deliver_notice.name):
        deliver_notice.apply(args=message.args, task_id=str(message.pk))
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<notice-{told_before.notice_id}-email-{told_before.pk}@xianfeng.invalid>"
    ]


def _decision_delivery(actors, applicant, tree, members, channel: str) -> tuple[Delivery, Message]:
    process, decision = decided_case(actors, applicant, tree, members)
    step = record(process, actors, decision)
    delivery = Delivery.objects.get(
        notice__recipient=applicant.user, notice__key=f"decision:{step.pk}", channel=channel
    )
    message = Message.objects.get(key=f"notice:{delivery.notice_id}:{channel}")
    assert message.args == [delivery.notice_id, channel]
    return delivery, message


def test_a_delivery_retried_after_a_failure_sends_once(actors, applicant, tree, members, reachable, flaky_channels):
    delivery, message = _decision_delivery(actors, applicant, tree, members, "email")

    # The SMTP server refuses the first attempt; Celery retries the same message (run at once here: eager).
    result = deliver_notice.apply(args=message.args, task_id=str(message.pk))
    assert result.get() == DeliveryStatus.SENT
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["applicant@example.cn"]
    assert sent.extra_headers["Message-ID"] == f"<notice-{delivery.notice_id}-email-{delivery.pk}@xianfeng.invalid>"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert delivery.sent_at is not None
    assert Receipt.objects.filter(message_id=message.pk).count() == 1

    # The broker or the outbox's sweep delivers the message again: its receipt makes it do nothing.
    assert deliver_notice.apply(args=message.args, task_id=str(message.pk)).get() is None
    # Another message about the same delivery (sent under another key) finds it sent.
    other = deliver_notice.apply(args=message.args, task_id="00000000-0000-0000-0000-000000000009")
    assert other.get() == DeliveryStatus.SENT
    assert len(mail.outbox) == 1


def test_a_delivery_failing_on_every_retry_is_left_for_the_outbox_sweep(
    actors, applicant, tree, members, reachable, settings
):
    settings.EMAIL_BACKEND = "tests.notifications.channels.DownEmailBackend"
    delivery, message = _decision_delivery(actors, applicant, tree, members, "email")

    result = deliver_notice.apply(args=message.args, task_id=str(message.pk))
    assert result.state == "FAILURE"
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_RETRIES + 1)
    assert "SMTP server down" in delivery.last_error
    message.refresh_from_db()
    assert message.consumed_at is None  # the sweep publishes it again later
    assert not Receipt.objects.filter(message_id=message.pk).exists()


def test_an_sms_retried_after_a_gateway_timeout_is_sent_once(
    actors, applicant, tree, members, reachable, flaky_channels
):
    delivery, message = _decision_delivery(actors, applicant, tree, members, "sms")

    assert deliver_notice.apply(args=message.args, task_id=str(message.pk)).get() == DeliveryStatus.SENT
    assert deliver_notice.apply(args=message.args, task_id=str(message.pk)).get() is None

    assert [(sms["address"], sms["key"]) for sms in FlakySms.sent] == [
        ("13800138000", f"notice-{delivery.notice_id}-sms-{delivery.pk}")
    ]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2)


def test_the_notice_and_its_messages_are_written_with_the_event(actors, applicant, tree, members, reachable):
    delivery, message = _decision_delivery(actors, applicant, tree, members, "email")
    notice = delivery.notice
    assert sorted(notice.deliveries.values_list("channel", flat=True)) == ["email", "sms"]
    assert message.task == "notifications.tasks.deliver_notice"
    assert notice.link == "/me/application/"
    assert (notice.read_at, notice.process_id) == (None, delivery.notice.process_id)
