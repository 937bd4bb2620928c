"""The transactional outbox: a message is written with the change that causes it, published after commit,
published again by the sweep when the publisher or the delivery was lost, and acted on once."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from config.celery import OutsideCountyError
from history.models import ChainVerification
from history.tasks import verify_chain
from outbox.models import Message, Receipt
from outbox.services import REDELIVER_AFTER, SETTLE, enqueue, sweep
from outbox.tasks import sweep_all
from tenants.models import County
from tenants.tasks import county_census
from tests.conftest import in_county

CACHE_KEY = "reliability-open-tasks"


def broker_messages() -> dict[str, dict]:
    """The messages waiting in this test run's broker folder, by Celery task id: their headers."""
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    found = {}
    for path in folder.glob("*.msg"):
        headers = json.loads(path.read_text())["headers"]
        found[headers["id"]] = headers
    return found


def take_from_broker(message_id) -> dict:
    """The published message's headers, taken off the queue so no worker of a later test runs it."""
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    for path in folder.glob("*.msg"):
        headers = json.loads(path.read_text())["headers"]
        if headers["id"] == str(message_id):
            path.unlink()
            return headers
    pytest.fail(f"message {message_id} is not in the broker")


def test_a_message_is_written_in_the_callers_transaction_and_published_after_commit(
    county_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as after_commit:
        message = enqueue(verify_chain, key="check-1")
        assert Message.objects.get(key="check-1").published_at is None
        assert str(message.pk) not in broker_messages()

    for callback in after_commit:
        callback()

    message.refresh_from_db()
    assert (message.publications, message.last_error) == (1, "")
    headers = take_from_broker(message.pk)
    assert headers["task"] == "history.tasks.verify_chain"
    assert headers["_schema_name"] == "alpha"


def test_a_rolled_back_transaction_sends_nothing(county_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as after_commit, pytest.raises(RuntimeError), transaction.atomic():
        enqueue(verify_chain, key="never")
        raise RuntimeError("the change failed")

    assert after_commit == []
    assert not Message.objects.filter(key="never").exists()


def test_the_same_key_is_the_same_message(county_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as after_commit:
        first = enqueue(verify_chain, key="form-42")
        again = enqueue(verify_chain, key="form-42")

    assert first.pk == again.pk
    assert Message.objects.filter(key="form-42").count() == 1
    assert len(after_commit) == 1


def test_a_message_is_enqueued_only_inside_a_county(public_schema):
    with pytest.raises(OutsideCountyError):
        enqueue(verify_chain, key="nowhere")


def test_only_a_once_only_consumer_takes_outbox_messages(county_a):
    with pytest.raises(TypeError, match="OnceTask"):
        enqueue(county_census, key="census")


def test_a_message_lost_between_commit_and_publish_is_published_by_the_sweep(county_a):
    # The transaction committed but the process died before its after-commit publisher ran.
    message = enqueue(verify_chain, key="lost-publisher")
    created = message.created_at

    assert sweep(now=created + SETTLE / 2)["published"] == 0  # its own publisher may still be running
    assert sweep(now=created + SETTLE * 2)["published"] == 1
    assert take_from_broker(message.pk)["_schema_name"] == "alpha"
    message.refresh_from_db()
    assert message.publications == 1

    assert sweep(now=message.published_at + SETTLE * 2)["published"] == 0  # published, not yet overdue


def test_a_delivery_lost_before_its_work_is_done_is_published_again(county_a):
    message = enqueue(verify_chain, key="lost-delivery")
    sweep(now=message.created_at + SETTLE * 2)
    take_from_broker(message.pk)  # the broker lost it, or the worker died holding it
    message.refresh_from_db()

    assert sweep(now=message.published_at + REDELIVER_AFTER + datetime.timedelta(seconds=1))["published"] == 1

    take_from_broker(message.pk)
    message.refresh_from_db()
    assert message.publications == 2


def test_a_consumed_message_is_not_published_again(county_a):
    message = enqueue(verify_chain, key="consumed")
    verify_chain.apply(task_id=str(message.pk))

    message.refresh_from_db()
    assert message.consumed_at is not None
    later = timezone.now() + REDELIVER_AFTER * 2
    assert sweep(now=later)["published"] == 0


def test_a_message_delivered_twice_is_acted_on_once(county_a):
    message = enqueue(verify_chain, key="twice")
    checks = ChainVerification.objects.count()

    first = verify_chain.apply(task_id=str(message.pk)).get()
    second = verify_chain.apply(task_id=str(message.pk)).get()

    assert first["county"] == "alpha"
    assert first["ok"] is True
    assert second is None
    assert ChainVerification.objects.count() == checks + 1
    assert Receipt.objects.filter(message_id=message.pk).count() == 1


def test_two_different_messages_are_two_checks(county_a):
    checks = ChainVerification.objects.count()

    verify_chain.apply(task_id=str(enqueue(verify_chain, key="a").pk))
    verify_chain.apply(task_id=str(enqueue(verify_chain, key="b").pk))

    assert ChainVerification.objects.count() == checks + 2


def test_the_sweep_publishes_each_countys_messages_with_that_countys_schema(public_schema):
    ids = {}
    for slug in ("alpha", "beta"):
        with in_county(County.objects.get(slug=slug)):
            message = enqueue(verify_chain, key=f"sweep-{slug}")
            Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - SETTLE * 2)
            ids[slug] = message.pk

    sweep_all()

    assert connection.schema_name == "public"
    assert {slug: take_from_broker(pk)["_schema_name"] for slug, pk in ids.items()} == {
        "alpha": "alpha",
        "beta": "beta",
    }


def test_cache_keys_are_per_county(county_a):
    alpha, beta = County.objects.get(slug="alpha"), County.objects.get(slug="beta")
    with in_county(alpha):
        cache.set(CACHE_KEY, 7)
        alpha_key = cache.make_key(CACHE_KEY)
    with in_county(beta):
        assert cache.get(CACHE_KEY) is None
        cache.set(CACHE_KEY, 3)
        beta_key = cache.make_key(CACHE_KEY)
    with in_county(alpha):
        assert cache.get(CACHE_KEY) == 7

        cache.delete(CACHE_KEY)
    with in_county(beta):
        cache.delete(CACHE_KEY)

    assert alpha_key.startswith("alpha:")
    assert beta_key.startswith("beta:")


def test_the_sweep_runs_every_minute():
    from config.celery import app

    app.loader.import_default_modules()  # what a worker and beat do at start: find every app's tasks
    assert app.conf.beat_schedule["outbox-sweep"] == {"task": "outbox.tasks.sweep_all", "schedule": 60.0}
    assert "outbox.tasks.sweep_all" in app.tasks
