"""The engine's foundations: viewflow's permissions in every county, the database lock, due dates of new tasks."""

from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import Permission
from viewflow.workflow.lock import SelectForUpdateLock

from tenants.models import County
from tests.conftest import in_county
from tests.workflows.conftest import days_ago
from workflows import tasks
from workflows.flows import FLOWS
from workflows.models import StepTask
from workflows.services.admission import start_admission


def test_viewflow_permissions_of_the_flows_exist_in_every_county(county_a):
    for slug in ("alpha", "beta"):
        with in_county(County.objects.get(slug=slug)):
            assert Permission.objects.filter(
                codename="manage_workflowprocess",
                content_type__app_label="workflows",
                content_type__model="workflowprocess",
            ).exists()


def test_every_flow_locks_its_process_row_in_the_database():
    # A cache lock keys on the process id alone, and process ids repeat across county schemas.
    assert FLOWS
    for flow_class in FLOWS.values():
        assert isinstance(flow_class.lock_impl, SelectForUpdateLock)


def test_a_task_opened_outside_the_task_api_gets_its_actor_and_due_date_from_the_timer_run(tree, secretary, applicant):
    applied = days_ago(3)
    process = start_admission(actor=secretary, branch=tree.branch, date=applied, person=applicant)
    talk = process.step_tasks.get(step="talk")
    task_id = talk.task_id
    talk.delete()

    result = tasks.fire_timers.apply().get()

    assert result["county"] == "alpha"
    tracked = StepTask.objects.get(task_id=task_id)
    assert (tracked.actor, tracked.org, tracked.due_date) == ("branch", tree.branch, applied + relativedelta(months=1))
