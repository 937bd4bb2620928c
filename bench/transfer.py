"""Delivering a transfer letter between two counties: from the sending committee's approval to the
receiving county's task.

The bench county requests a transfer of one of its members to the county `benchpeer` (untimed); the
clock starts when the committee's approval is recorded (`approve_and_send`: the letter is posted in
the approval's transaction) and stops when the receiving county holds the incoming transfer with its
open acceptance task. In between, the real path: the commit queues `deliver_letter`, a Celery worker
(started here, with the bench settings and broker) takes it and delivers the letter into the other
county's schema. Each run moves one member of the bench county to `in transit`.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context

from core.dates import today
from members.models import Person, Stage, Status
from orgs.models import Role, RoleAssignment
from tenants.models import County
from tenants.services import create_county
from workflows.engine import OPEN_STATUSES
from workflows.models import StepTask, Transfer
from workflows.services.transfer import approve_and_send, open_task, request_transfer

from .generate import PASSWORD, SLUG
from .report import Result
from .serving import log

PEER = "benchpeer"
TIMEOUT = 60


def ensure_peer() -> County:
    connection.set_schema_to_public()
    county = County.objects.filter(schema_name=PEER).first()
    if county is None:
        county = create_county(slug=PEER, name="友邻县", admin_username="admin", admin_password=PASSWORD)
        connection.set_schema_to_public()
    return county


@contextmanager
def worker() -> Iterator[None]:
    """A Celery worker on the bench settings, ready when it says so in its log."""
    output = settings.VAR_DIR / "bench-worker.log"
    output.write_text("")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(settings.BASE_DIR)}
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO",
               "--without-gossip", "--without-mingle", "--without-heartbeat", "--hostname", "bench@%h"]
    with output.open("ab") as stream:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=stream, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while " ready." not in output.read_text(errors="replace"):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"the Celery worker did not start; see {output}")
            time.sleep(0.2)
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)


def _member_to_move(used: set[int]) -> tuple[Person, object]:
    """A full member on the active roll, with the secretary of their branch (who requests the transfer)."""
    secretaries = dict(RoleAssignment.objects.filter(role=Role.BRANCH_SECRETARY).values_list("org_id", "user"))
    for person in (Person.objects.filter(stage=Stage.FULL, status=Status.ACTIVE, user__isnull=True, org__kind="branch")
                   .exclude(pk__in=used).order_by("-id")[:50]):
        if person.org_id in secretaries:
            return person, get_user_model().objects.get(pk=secretaries[person.org_id])
    raise RuntimeError("no member to transfer")


def _approver(step_task: StepTask):
    holders = RoleAssignment.objects.filter(org=step_task.org, role__in=(Role.COMMITTEE_REVIEWER, Role.COUNTY_ADMIN))
    return holders.select_related("user").first().user


def _arrived(letter_id) -> bool:
    with schema_context(PEER):
        incoming = Transfer.objects.filter(letter_id=letter_id).first()
        return incoming is not None and StepTask.objects.filter(process_id=incoming.pk, task__status__in=OPEN_STATUSES).exists()


def deliver_once(used: set[int]) -> tuple[float, float]:
    """One letter: seconds to the receiver's task, and of those, seconds the approval itself took."""
    with schema_context(SLUG):
        person, secretary = _member_to_move(used)
        used.add(person.pk)
        transfer = request_transfer(actor=secretary, person=person, kind="between_counties", date=today(),
                                    reason="工作调动", to_county=PEER, to_org_name="友邻县城关社区党支部")
        approver = _approver(open_task(transfer, "approval"))
        started = time.perf_counter()
        transfer = approve_and_send(actor=approver, transfer=transfer)
        approved = time.perf_counter() - started
    while not _arrived(transfer.letter_id):
        if time.perf_counter() - started > TIMEOUT:
            raise RuntimeError(f"letter {transfer.letter_id} not delivered in {TIMEOUT} s; see .var/bench-worker.log")
        time.sleep(0.01)
    return time.perf_counter() - started, approved


def run(reps: int) -> Result:
    log(f"Delivering a transfer letter to another county through a Celery worker ({reps} runs)")
    ensure_peer()
    used: set[int] = set()
    with worker():
        deliver_once(used)  # the worker's first task imports and connects: not a delivery time
        runs = [deliver_once(used) for _ in range(reps)]
    seconds = [total for total, _approval in runs]
    approvals = [approval for _total, approval in runs]
    detail = (f"of which the approval's own transaction {min(approvals):.2f}–{max(approvals):.2f} s; "
              "filesystem broker polled every 0.1 s")
    return Result("transfer.letter", "s", seconds, "reported", None, detail=detail,
                  extra={"approval_seconds": approvals})
