"""A real Celery worker killed in the middle of a task: the message is delivered again and its work is
done once. The worker runs in its own process against this run's test database and broker folder.

The test broker (kombu's filesystem transport) hands a message over and forgets it, so a worker killed
with SIGKILL takes its message with it whatever `acks_late` says; with Redis the broker would redeliver
it after its visibility timeout. Either way the outbox's sweep publishes a message again until a
consumer has committed its receipt, and the receipt makes a second delivery do nothing.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from history.models import ChainVerification
from history.tasks import verify_chain
from outbox.models import Message, Receipt
from outbox.services import REDELIVER_AFTER, enqueue, publish, sweep

pytestmark = [pytest.mark.celery, pytest.mark.django_db]

TIMEOUT = 120


class Worker:
    """`celery -A config worker` in a process of its own, started and killed by the test."""

    def __init__(self, log: Path):
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        command += ["--hostname", f"reliability-{uuid.uuid4().hex[:8]}@%h"]
        with self.log.open("a") as output:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, no acknowledgement, no rollback sent by the worker."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


def until(condition: Callable[[], object], what: str, worker: Worker | None = None):
    """Wait for `condition` to hold; fail early, with the worker's log, if the worker died."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if value := condition():
            return value
        if worker is not None and not worker.alive():
            break
        time.sleep(0.2)
    log = worker.log.read_text()[-4000:] if worker is not None else ""
    pytest.fail(f"{what} did not happen\n{log}")


@pytest.fixture
def worker(committed, tmp_path) -> Iterator[Worker]:
    folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    for stale in folder.glob("*.msg"):  # left by an interrupted earlier run
        stale.unlink()
    worker = Worker(tmp_path / "worker.log")
    yield worker
    worker.stop()


def _backend_waiting_on(watcher, table: str) -> int | None:
    watcher.execute("SELECT pg_stat_clear_snapshot()")
    row = watcher.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        " AND query ILIKE %s AND pid <> pg_backend_pid()",
        [f"%{table}%"],
    ).fetchone()
    return row[0] if row else None


def _backend_gone(watcher, pid: int) -> bool:
    watcher.execute("SELECT pg_stat_clear_snapshot()")
    return watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone()[0] == 0


def test_a_worker_killed_mid_task_loses_nothing_and_the_work_is_done_once(committed, worker, raw_connection):
    checks_before = ChainVerification.objects.count()

    with raw_connection() as blocker:
        # The check's last write waits here: the worker is then inside the task, its receipt uncommitted.
        blocker.execute(f'LOCK TABLE "{committed.schema_name}".history_chainverification IN SHARE MODE')
        message = committed.commit(lambda: enqueue(verify_chain, key=f"kill-{uuid.uuid4().hex}"))
        worker.start()
        pid = until(lambda: _backend_waiting_on(blocker, "history_chainverification"), "the task starting", worker)

        worker.kill()
        blocker.rollback()
        # Its server process notices the lost client at its next write and rolls the transaction back.
        until(lambda: _backend_gone(blocker, pid), "the dead worker's connection ending")

    message.refresh_from_db()
    assert message.publications == 1
    assert message.consumed_at is None
    assert not Receipt.objects.filter(message_id=message.pk).exists()
    assert ChainVerification.objects.count() == checks_before  # the killed task wrote nothing

    worker.start()
    redelivery = timezone.now() + REDELIVER_AFTER + datetime.timedelta(seconds=1)
    assert committed.commit(lambda: sweep(now=redelivery))["published"] == 1

    until(lambda: Message.objects.get(pk=message.pk).consumed_at, "the redelivered task finishing", worker)
    assert ChainVerification.objects.count() == checks_before + 1
    assert ChainVerification.objects.order_by("-id").first().ok
    assert Receipt.objects.filter(message_id=message.pk).count() == 1

    # The same message delivered once more (a redelivery racing the first): the worker does nothing.
    committed.commit(lambda: publish(Message.objects.get(pk=message.pk)))
    until(lambda: f"message {message.pk} was already acted on" in worker.log.read_text(), "the repeat", worker)
    assert ChainVerification.objects.count() == checks_before + 1
    assert Receipt.objects.filter(message_id=message.pk).count() == 1
