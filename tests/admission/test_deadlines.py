"""Deadlines: every open admission task has a due date from its rule (or the county's handling period),
and the overdue ones are listed and notified."""

import datetime

from dateutil.relativedelta import relativedelta

from workflows.engine import Step
from workflows.flows.admission import AdmissionFlow
from workflows.models import Notification
from workflows.services.tasks import sweep_overdue

from .pipeline import APPLIED, PROBATION_END, VOTE_DATE, happy_path, open_tasks, record, start

D = datetime.date
HANDLING = datetime.timedelta(days=30)  # the county's default handling period (orgs.rules)


def test_every_admission_step_has_a_due_date():
    steps = [node for node in AdmissionFlow.instance.nodes() if isinstance(node, Step)]
    assert len(steps) == 32  # the 25 steps after the application, the public notice and 7 county gates
    assert all(node._due is not None for node in steps)


def expected_due(step: str, previous: datetime.date, recorded: dict[str, list[datetime.date]]) -> datetime.date:
    """The deadline each rule sets; a step without one is due the handling period after the step before it."""
    if step == "talk":
        return APPLIED + relativedelta(months=1)
    if step == "cultivation":
        base = recorded.get("cultivation", recorded["activist_decision"])[-1]
        return base + relativedelta(months=6)
    if step == "candidate_decision":
        return max(previous + HANDLING, D(2024, 4, 10) + HANDLING)
    if step in ("committee_talk", "admission_approval"):
        return VOTE_DATE + relativedelta(months=3)
    if step == "probation_assessment":
        return VOTE_DATE + relativedelta(months=3 * (len(recorded.get("probation_assessment", [])) + 1))
    if step == "conversion_application":
        return PROBATION_END
    if step == "conversion_vote":
        return PROBATION_END + HANDLING
    if step == "conversion_approval":
        return recorded["conversion_vote"][-1] + relativedelta(months=3)
    return previous + HANDLING


def test_each_open_task_along_the_path_is_due_by_its_rule(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    previous, recorded = APPLIED, {}
    for entry in happy_path(members):
        [task] = open_tasks(process)
        assert task.step == entry.step
        assert task.due_date == expected_due(entry.step, previous, recorded), entry.step
        record(process, actors, entry)
        previous = entry.date
        recorded.setdefault(entry.step, []).append(entry.date)
    assert open_tasks(process) == []


def test_overdue_admission_tasks_are_listed_and_notified(api_a, tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    for entry in happy_path(members):
        if entry.step == "admission_approval":
            break
        record(process, actors, entry)

    overdue = api_a.as_user(actors.committee).get("/api/tasks/?overdue=1").json()["results"]
    assert [(task["step"], task["due_date"]) for task in overdue] == [("admission_approval", "2024-10-15")]
    assert api_a.as_user(actors.branch).get("/api/tasks/?overdue=1").json()["count"] == 0

    assert sweep_overdue() == 1
    assert list(Notification.objects.values_list("org_id", "step")) == [(tree.committee.pk, "admission_approval")]
    assert api_a.as_user(actors.committee).get("/api/tasks/?overdue=1").json()["results"][0]["overdue"] is True
