"""Faults in the web tier: one task completed from two sessions at once, a database connection dropped in
the middle of a request, and the same write sent twice. Nothing is lost and nothing is written twice."""

import threading
import time
from decimal import Decimal

import psycopg
import pytest
from django.db import connection
from django.utils.translation import override

from core.exceptions import Conflict
from dues.models import Payment
from history.models import PaymentEvent, StepRecordEvent
from tests.reliability.conftest import talk_body
from tests.workflows.conftest import days_ago
from workflows.models import StepRecord, StepTask
from workflows.services.tasks import complete_task

pytestmark = pytest.mark.django_db

with override("en"):
    ALREADY_RECORDED = "This step has already been recorded."
    SOMEONE_ELSE = "Someone else is recording a step of this process right now; try again."


def at_once(*calls) -> list:
    """Run the calls in threads released together; their answers in the calls' order."""
    start = threading.Barrier(len(calls))
    answers: list = [None] * len(calls)

    def run(index, call):
        start.wait()
        answers[index] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def test_one_task_completed_from_two_sessions_at_once_is_recorded_once(branch, server):
    first, second = (server.token(user) for user in branch.secretaries)
    for step_task in branch.talks(4):
        path = f"/api/tasks/{step_task.task_id}/complete/"

        answers = at_once(*(lambda t=token, p=path: server.post(p, t, talk_body()) for token in (first, second)))

        assert sorted(status for status, _body in answers) == [200, 409], answers
        loser = next(body for status, body in answers if status == 409)
        assert loser["detail"] in (ALREADY_RECORDED, SOMEONE_ELSE)
        assert StepRecord.objects.filter(task_id=step_task.task_id).count() == 1
        assert StepRecordEvent.objects.filter(task_id=step_task.task_id, pgh_label="insert").count() == 1
        # The flow moved on once: one next step, not two.
        assert StepTask.objects.filter(process_id=step_task.process_id, step="activist_decision").count() == 1


def test_one_task_completed_by_two_threads_through_the_service_is_recorded_once(branch, committed):
    (step_task,) = branch.talks(1)

    def complete(user):
        connection.set_tenant(committed.county)
        try:
            with override("en"):
                complete_task(
                    actor=user,
                    step_task=StepTask.objects.get(pk=step_task.pk),
                    date=days_ago(10),
                    data={"talker": "王书记"},
                )
            return "recorded"
        except Conflict as refusal:
            return refusal.message
        finally:
            connection.close()

    answers = at_once(*(lambda u=user: complete(u) for user in branch.secretaries))

    assert answers.count("recorded") == 1, answers
    assert {answer for answer in answers if answer != "recorded"} <= {ALREADY_RECORDED, SOMEONE_ELSE}
    assert StepRecord.objects.filter(task_id=step_task.task_id).count() == 1


def _blocked_backend(blocker: psycopg.Connection) -> int:
    """The server connection that waits for a lock `blocker` holds."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        # Inside a transaction the activity view is a snapshot: take a fresh one each time.
        blocker.execute("SELECT pg_stat_clear_snapshot()")
        row = blocker.execute(
            "SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY(pg_blocking_pids(pid))"
        ).fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    pytest.fail("no request came to wait on the lock")


def test_a_request_whose_database_connection_drops_midway_writes_nothing_and_the_next_succeeds(
    branch, server, committed, raw_connection
):
    (step_task,) = branch.talks(1)
    token = server.token(branch.secretaries[0])
    path = f"/api/tasks/{step_task.task_id}/complete/"
    answer = {}

    with raw_connection() as blocker:
        # Hold the county's history chain head: the request records the step, then waits here as it commits.
        blocker.execute(f'SELECT 1 FROM "{committed.schema_name}".history_chainhead WHERE id = 1 FOR UPDATE')
        request = threading.Thread(target=lambda: answer.update(first=server.post(path, token, talk_body())))
        request.start()
        pid = _blocked_backend(blocker)
        blocker.execute("SELECT pg_terminate_backend(%s)", [pid])
        request.join(60)
        blocker.rollback()

    status, body = answer["first"]
    assert status == 503, body
    assert body["detail"] == "The database could not be reached; nothing was saved. Please try again in a moment."
    assert not StepRecord.objects.filter(task_id=step_task.task_id).exists()
    assert not StepRecordEvent.objects.filter(task_id=step_task.task_id).exists()
    assert StepTask.objects.get(pk=step_task.pk).task.status == "NEW"

    status, body = server.post(path, token, talk_body())

    assert status == 200, body
    assert StepRecord.objects.filter(task_id=step_task.task_id).count() == 1
    assert [s["step"] for s in body["current_steps"]] == ["activist_decision"]


def test_a_step_form_sent_twice_is_recorded_once(branch, server):
    (step_task,) = branch.talks(1)
    token = server.token(branch.secretaries[0])
    path = f"/api/tasks/{step_task.task_id}/complete/"

    first = server.post(path, token, talk_body())
    again = server.post(path, token, talk_body())

    assert first[0] == 200
    assert again == (409, {"detail": ALREADY_RECORDED})
    assert StepRecord.objects.filter(task_id=step_task.task_id).count() == 1


def test_the_same_payment_sent_twice_at_once_is_recorded_once(branch, server):
    from tests.dues.factories import DuesBaseFactory, county_admin

    base = branch.committed.commit(lambda: DuesBaseFactory(person=make_member(branch), monthly_base=Decimal("4000.00")))
    token = server.token(county_admin())
    body = {
        "person": base.person_id,
        "months": ["2025-03"],
        "amount": "40.00",
        "paid_on": "2025-03-10",
        "channel": "wechat",
        "reference": f"WX-{base.person_id}-0310",
    }

    answers = at_once(*(lambda: server.post("/api/dues/payments/", token, body) for _ in range(3)))

    assert sorted(status for status, _body in answers) == [200, 200, 201], answers
    assert len({body["id"] for _status, body in answers}) == 1
    assert Payment.objects.filter(person=base.person).count() == 1
    assert PaymentEvent.objects.filter(person_id=base.person_id, pgh_label="insert").count() == 1


def test_the_same_payment_sent_twice_without_a_reference_is_refused_the_second_time(branch, server):
    from tests.dues.factories import DuesBaseFactory, county_admin

    base = branch.committed.commit(lambda: DuesBaseFactory(person=make_member(branch), monthly_base=Decimal("4000.00")))
    token = server.token(county_admin())
    body = {
        "person": base.person_id,
        "months": ["2025-04"],
        "amount": "40.00",
        "paid_on": "2025-04-10",
        "channel": "cash",
    }

    answers = [server.post("/api/dues/payments/", token, body) for _ in range(2)]

    assert [status for status, _body in answers] == [201, 409]
    assert answers[1][1] == {"detail": "2025-04 is already paid."}
    assert Payment.objects.filter(person=base.person).count() == 1


def make_member(branch):
    from tests.factories import PersonFactory

    return PersonFactory(org=branch.org)
