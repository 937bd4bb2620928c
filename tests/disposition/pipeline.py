"""Drive a disposition case along its steps with backdated event dates, each before its due date."""

import datetime

from members.models import Person
from workflows.engine import OPEN_STATUSES
from workflows.models import Measure, StepRecord, StepTask, WorkflowProcess
from workflows.services.disposition import start_case
from workflows.services.tasks import complete_task

D = datetime.date
OPENED = D(2026, 3, 2)

# Days after the opening at which each step is recorded; each within the 30-day handling period.
OFFSETS = {
    "investigation": 14,
    "pre_review": 23,
    "higher_pre_review": 32,
    "general_meeting_vote": 44,
    "approval": 57,
    "county_approval": 64,
    "notification": 70,
}
ORDER = tuple(OFFSETS)


def vote(eligible: int = 7, present: int = 6, in_favour: int = 5, against: int = 1, abstain: int = 0) -> dict:
    return {
        "eligible": eligible,
        "present": present,
        "in_favour": in_favour,
        "against": against,
        "abstain": abstain,
        "defence": "本人作了申辩，承认错误",
    }


def investigation(tree, measure: str, **extra) -> dict:
    talkers = [person.pk for person in tree.b1_members[:2]]
    return {
        "talkers": talkers,
        "statement": "本人书面说明",
        "verification": "核实材料属实",
        "measure": measure,
        **extra,
    }


def open_task(process: WorkflowProcess, step: str) -> StepTask:
    return StepTask.objects.get(process=process, step=step, task__status__in=OPEN_STATUSES)


def record(
    process: WorkflowProcess, step: str, actor, date: datetime.date, decision: str | None = None, **data
) -> StepRecord:
    return complete_task(actor=actor, step_task=open_task(process, step), decision=decision, date=date, data=data)


def actor_of(tree, step: str):
    if step in ("pre_review", "approval", "appeal_review"):
        return tree.reviewer
    if step in ("higher_pre_review", "county_approval", "county_appeal_review"):
        return tree.admin
    return tree.secretary


def default_data(tree, step: str, measure: str) -> dict:
    if step == "investigation":
        return investigation(tree, measure)
    if step == "general_meeting_vote":
        return vote()
    return {}


def open_case(tree, person: Person, measure: str, start: datetime.date = OPENED, **kwargs) -> WorkflowProcess:
    kwargs.setdefault("grounds", "appraisal_unqualified")
    return start_case(actor=tree.secretary, person=person, measure=measure, date=start, **kwargs)


def run_case(
    tree,
    person: Person,
    measure: str,
    through: str = "notification",
    start: datetime.date = OPENED,
    process: WorkflowProcess | None = None,
    **kwargs,
) -> WorkflowProcess:
    """Open a case (or take the one given) and record every step up to `through`, approving each."""
    process = process or open_case(tree, person, measure, start=start, **kwargs)
    for step in ORDER:
        if StepTask.objects.filter(process=process, step=step, task__status__in=OPEN_STATUSES).exists():
            record(
                process,
                step,
                actor_of(tree, step),
                start + datetime.timedelta(days=OFFSETS[step]),
                **default_data(tree, step, measure),
            )
        if step == through:
            break
    process.refresh_from_db()
    return process


def ending(measure: str) -> bool:
    return measure in (Measure.WITHDRAWAL, Measure.REMOVAL)
