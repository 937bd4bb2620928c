"""A real Celery worker, in its own process on the filesystem broker, runs every task in the schema
of the county that sent it (tenant-schemas-celery carries the schema in the message)."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery.result import AsyncResult
from django.conf import settings
from django.db import connection

from tenants.models import County
from tenants.tasks import county_census
from tests.conftest import in_county

pytestmark = pytest.mark.celery

WORKER_TIMEOUT_SECONDS = 60


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path):
        self.process = process
        self.log = log

    def answer(self, result: AsyncResult) -> dict:
        """The task's return value, or a failure that shows the worker's log."""
        deadline = time.monotonic() + WORKER_TIMEOUT_SECONDS
        while not result.ready():
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The worker gave no answer; its log:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)
        return result.get(timeout=1)


def _test_database_url() -> str:
    db = connection.settings_dict  # after django_db_setup: the test database
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(scope="module")
def worker(django_db_setup, tmp_path_factory) -> Iterator[Worker]:
    """`celery -A config worker` against this run's test database and this run's broker folder."""
    broker = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"])
    for stale in broker.glob("*.msg"):  # left by an interrupted earlier run
        stale.unlink()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _test_database_url()}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", f"test-{uuid.uuid4().hex[:8]}@%h"]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield Worker(process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_worker_runs_a_task_in_the_schema_of_the_county_that_sent_it(county_a, worker):
    answer = worker.answer(county_census.delay())

    assert answer["county"] == "alpha"
    # The county's committed records: its root organization and first admin (conftest).
    assert answer["organizations"] >= 1
    assert answer["users"] >= 1


def test_tasks_sent_from_two_counties_each_run_in_their_own(county_a, worker):
    from_alpha = county_census.delay()
    with in_county(County.objects.get(slug="beta")):
        from_beta = county_census.delay()

    assert worker.answer(from_beta)["county"] == "beta"
    assert worker.answer(from_alpha)["county"] == "alpha"
