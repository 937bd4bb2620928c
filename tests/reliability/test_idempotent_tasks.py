"""Every county task that beat sends may arrive twice (a redelivery, a second beat, an operator's rerun):
the second run adds no row anywhere in the county. Read from the beat schedule, so new tasks are covered."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection

from config.celery import app
from core.dates import today
from tests.dues.factories import DuesBaseFactory
from tests.factories import PersonFactory
from tests.workflows.conftest import days_ago
from workflows.services.admission import start_admission

# One check per message by design: each delivery of a new message records one more check.
ONE_RECORD_PER_RUN = {"history.tasks.verify_chain"}


def county_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(
        entry["args"][0]
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "config.run_in_every_county" and entry["args"][0] not in ONE_RECORD_PER_RUN
    )


def row_counts() -> dict[str, int]:
    """The number of rows of every table in the current county's schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        tables = [row[0] for row in cursor.fetchall()]
        cursor.execute(" UNION ALL ".join(f"SELECT '{table}', count(*) FROM \"{table}\"" for table in tables))
        return dict(cursor.fetchall())


@pytest.fixture
def busy_county(tree, secretary, applicant):
    """An overdue admission and a member who owes this year's dues: work for the daily and monthly runs."""
    start_admission(actor=secretary, branch=tree.branch, date=days_ago(45), person=applicant)
    member = PersonFactory(org=tree.branch)
    DuesBaseFactory(person=member, year=today().year, monthly_base=Decimal("4000.00"))
    return tree


def test_every_county_task_of_the_beat_schedule_is_covered():
    assert {"workflows.tasks.sweep_overdue", "dues.tasks.monthly_run", "workflows.tasks.fire_timers"} <= set(
        county_tasks()
    )


@pytest.mark.parametrize("task_name", county_tasks())
def test_a_county_task_run_twice_adds_nothing_the_second_time(county_a, busy_county, task_name):
    task = app.tasks[task_name]
    task.apply()
    after_first = row_counts()

    task.apply()

    after_second = row_counts()
    grown = {table: (after_first[table], count) for table, count in after_second.items() if count != after_first[table]}
    assert grown == {}, f"{task_name} wrote again on its second run: {grown}"


def test_the_monthly_dues_run_twice_assesses_each_month_once(county_a, busy_county):
    from dues.models import MonthlyDue

    monthly_run = app.tasks["dues.tasks.monthly_run"]
    monthly_run.apply()
    assessed = list(MonthlyDue.objects.values_list("person_id", "month", "amount").order_by("person_id", "month"))
    monthly_run.apply()

    assert assessed  # the member owes this month's dues
    assert (
        list(MonthlyDue.objects.values_list("person_id", "month", "amount").order_by("person_id", "month")) == assessed
    )
    assert datetime.date(today().year, today().month, 1) in {month for _person, month, _amount in assessed}
