"""The dashboard reads a fixed number of queries, however many branches, tasks, payments, results and
registrations there are (the pattern of tests/perf: count at a few rows and at more, after a warm-up)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.dates import today
from members.models import Status
from tests.conftest import counted_statements
from tests.dues.factories import pay
from tests.factories import OrganizationFactory, PersonFactory
from workflows.models import StepTask

from .conftest import LAST_YEAR, red_yellow_scheme, result
from .data import DAY, admission, dues_member, meeting, open_task, registration


def _add(tree, scheme, count: int) -> None:
    """`count` more of everything, each in a branch of its own (a relation read per row would show)."""
    for index in range(count):
        committee = tree.t1 if index % 2 else tree.t2
        branch = OrganizationFactory(parent=committee)
        record = admission(branch, datetime.date(LAST_YEAR, 3, 1), activist_since=datetime.date(LAST_YEAR, 9, 1))
        StepTask.objects.filter(process=record.process).update(due_date=today() + 30 * DAY)  # only open_task's is late
        open_task(branch, today() - DAY)
        meeting(branch, "general_meeting", datetime.date(LAST_YEAR, 5, 1))
        payer = dues_member(branch, LAST_YEAR, months=1)
        pay(payer, [datetime.date(LAST_YEAR, 1, 1)], paid_on=datetime.date(LAST_YEAR, 1, 20))
        result(PersonFactory(org=branch), scheme, "class_1", LAST_YEAR)
        registration(branch, person_status=Status.LOST_CONTACT if index % 3 == 0 else Status.MOBILE)


def _queries(client, path: str) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, counted_statements(queries)


def test_the_dashboard_page_and_api_queries_do_not_grow_with_the_data(tree, page_client, api_client):
    scheme = red_yellow_scheme(LAST_YEAR)
    page, api = page_client(tree.admin), api_client(tree.admin)
    page_path, api_path = f"/dashboard/?year={LAST_YEAR}", f"/api/dashboard/?year={LAST_YEAR}"
    _add(tree, scheme, 2)
    _queries(page, page_path), _queries(api, api_path)  # warm the per-process caches
    _, few = _queries(page, page_path)
    few_api, few_api_sql = _queries(api, api_path)
    _add(tree, scheme, 8)
    _, many = _queries(page, page_path)
    many_api, many_api_sql = _queries(api, api_path)

    # The figures did grow: 10 overdue tasks and results instead of 2.
    assert sum(row["count"] for row in few_api.json()["overdue_tasks"]) == 2
    assert sum(row["count"] for row in many_api.json()["overdue_tasks"]) == 10
    assert len(many) == len(few), [sql[:160] for sql in many if sql not in few][:5]
    assert len(many_api_sql) == len(few_api_sql)
