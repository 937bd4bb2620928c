"""Background work: the overdue sweep, and beat's dispatch of county tasks into each county's schema."""

import pytest
from celery.signals import task_postrun
from django.db import connection

from config.celery import OutsideCountyError, app, run_in_every_county
from orgs.models import Role
from tenants.models import County
from tests.conftest import in_county
from tests.factories import OrganizationFactory
from tests.workflows.conftest import days_ago, make_applicant, user_with_role
from workflows import tasks
from workflows.models import Notification, StepTask
from workflows.selectors import notifications_for
from workflows.services.admission import start_admission
from workflows.services.tasks import sweep_overdue


def overdue_admission():
    """An admission whose talk fell due a month ago, in the current county."""
    committee = OrganizationFactory(kind="committee")
    branch = OrganizationFactory(parent=committee)
    secretary = user_with_role(branch, Role.BRANCH_SECRETARY)
    process = start_admission(actor=secretary, branch=branch, date=days_ago(62), person=make_applicant(branch))
    return process, branch, committee


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_the_overdue_sweep_marks_the_task_and_notifies_the_branch_and_its_committee(county_a):
    process, branch, committee = overdue_admission()
    on_time = start_admission(
        actor=user_with_role(branch, Role.BRANCH_SECRETARY), branch=branch, date=days_ago(2), person=make_applicant(branch)
    )

    assert sweep_overdue() == 1
    assert process.step_tasks.get(step="talk").overdue is True
    assert on_time.step_tasks.get(step="talk").overdue is False
    notified = set(Notification.objects.values_list("org_id", "step", "kind"))
    assert notified == {(branch.pk, "talk", "overdue"), (committee.pk, "talk", "overdue")}


def test_the_overdue_sweep_is_idempotent(county_a):
    overdue_admission()
    sweep_overdue()
    first = list(Notification.objects.order_by("id").values_list("id", flat=True))
    sweep_overdue()
    sweep_overdue()
    assert list(Notification.objects.order_by("id").values_list("id", flat=True)) == first
    assert StepTask.objects.filter(overdue=True).count() == 1


def test_notifications_reach_the_role_holders_of_the_notified_organization(county_a):
    _process, _branch, committee = overdue_admission()
    sweep_overdue()
    reviewer = user_with_role(committee, Role.COMMITTEE_REVIEWER)
    assert [n.org_id for n in notifications_for(reviewer)] == [committee.pk]


def test_a_county_task_sent_outside_a_county_raises(public_schema):
    with pytest.raises(OutsideCountyError):
        tasks.sweep_overdue.delay()
    with pytest.raises(OutsideCountyError):
        tasks.fire_timers.apply()


def test_a_county_task_sent_on_commit_from_the_public_schema_raises(public_schema, django_capture_on_commit_callbacks):
    with pytest.raises(OutsideCountyError), django_capture_on_commit_callbacks(execute=True):
        tasks.fire_timers.delay_on_commit()


def test_beat_dispatch_runs_the_timers_in_each_countys_schema(public_schema, eager_celery):
    results = []

    def remember(sender=None, retval=None, **kwargs):
        if sender.name == tasks.fire_timers.name:
            results.append(retval)

    task_postrun.connect(remember)
    try:
        sent = run_in_every_county.delay("workflows.tasks.fire_timers").get()
    finally:
        task_postrun.disconnect(remember)

    schemas = [result["county"] for result in results]
    assert sent == len(results)
    assert {"alpha", "beta"} <= set(schemas)
    assert "public" not in schemas
    assert connection.schema_name == "public"


def test_beat_dispatch_sweeps_overdue_tasks_in_every_county(public_schema, eager_celery):
    for slug in ("alpha", "beta"):
        with in_county(County.objects.get(slug=slug)):
            overdue_admission()

    run_in_every_county.delay("workflows.tasks.sweep_overdue")

    for slug in ("alpha", "beta"):
        with in_county(County.objects.get(slug=slug)):
            assert Notification.objects.count() == 2
            assert StepTask.objects.filter(overdue=True).count() == 1
