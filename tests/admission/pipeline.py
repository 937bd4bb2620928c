"""The whole admission path with backdated event dates, and helpers to drive a process along it.

The dates are fixed in the past (2023 to 2025, years the official calendar covers) so that every
step is on time: each falls before its due date.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from viewflow.workflow.status import STATUS

from members.models import Person
from workflows.models import StepRecord, StepTask, WorkflowProcess
from workflows.services.admission import start_admission
from workflows.services.tasks import complete_task

D = datetime.date
APPLIED = D(2023, 3, 1)
VOTE_DATE = D(2024, 7, 15)
PROBATION_END = D(2025, 7, 15)


@dataclass
class Actors:
    """Who acts at each level: the branch secretary, the committee reviewer, the county admin, the applicant."""

    branch: Any
    committee: Any
    county: Any
    applicant: Any

    def of(self, actor: str):
        return getattr(self, actor)


@dataclass(frozen=True)
class Entry:
    step: str
    date: datetime.date
    decision: str | None = None
    data: dict | None = None


def vote(eligible: int = 20, present: int = 15, in_favour: int = 14, against: int = 1, abstain: int = 0) -> dict:
    return {"eligible": eligible, "present": present, "in_favour": in_favour, "against": against, "abstain": abstain}


def happy_path(members: list[Person]) -> list[Entry]:
    """Application on 2023-03-01 to full membership: the vote on 2024-07-15, the probation ending on 2025-07-15."""
    mentor, sponsor_a, sponsor_b = members[:3]
    return [
        Entry("talk", D(2023, 3, 15), data={"talker": "王书记"}),
        Entry("activist_decision", D(2023, 4, 10), data={"recommended_by": ["members", "league"]}),
        Entry("activist_filing", D(2023, 4, 20)),
        Entry("mentors", D(2023, 4, 25), data={"mentors": [mentor.pk]}),
        Entry("cultivation", D(2023, 10, 9), "continue", {"assessment": "表现良好"}),
        Entry("cultivation", D(2024, 4, 8), "propose", {"assessment": "基本具备党员条件"}),
        Entry("candidate_decision", D(2024, 4, 15)),
        Entry("candidate_filing", D(2024, 4, 25)),
        Entry("sponsors", D(2024, 5, 6), data={"sponsors": [sponsor_a.pk, sponsor_b.pk]}),
        Entry("political_review", D(2024, 5, 20), data={"conclusion": "政治审查合格"}),
        Entry("training", D(2024, 6, 3), data={"hours": 24, "days": 3, "passed": True}),
        Entry("branch_review", D(2024, 6, 14)),
        Entry("public_notice", D(2024, 6, 21), data={"start": "2024-06-17", "end": "2024-06-21", "objections": []}),
        Entry("pre_review", D(2024, 7, 1)),
        Entry("admission_form", D(2024, 7, 8)),
        Entry("admission_vote", VOTE_DATE, data=vote()),
        Entry("committee_talk", D(2024, 8, 5), data={"talker": "李组织员"}),
        Entry("admission_approval", D(2024, 9, 2)),
        Entry("county_filing", D(2024, 9, 10)),
        Entry("join_branch", D(2024, 9, 12), data={"group": "第一党小组"}),
        Entry("oath", D(2024, 9, 20)),
        Entry("probation_assessment", D(2024, 10, 14), data={"assessment": "合格"}),
        Entry("probation_assessment", D(2025, 1, 13), data={"assessment": "合格"}),
        Entry("probation_assessment", D(2025, 4, 14), data={"assessment": "合格"}),
        Entry("probation_assessment", D(2025, 7, 14), data={"assessment": "合格"}),
        Entry("conversion_application", PROBATION_END),
        Entry("conversion_vote", D(2025, 7, 18), "convert", vote(in_favour=15, against=0)),
        Entry("conversion_approval", D(2025, 8, 20)),
        Entry("archive", D(2025, 8, 28), data={"keeper": "committee"}),
    ]


def open_tasks(process: WorkflowProcess) -> list[StepTask]:
    return list(
        StepTask.objects.filter(process=process, task__status__in=(STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)).order_by("task_id")
    )


def open_task(process: WorkflowProcess, step: str) -> StepTask:
    tasks = [task for task in open_tasks(process) if task.step == step]
    assert tasks, f"no open {step}: open are {[t.step for t in open_tasks(process)]}"
    return tasks[0]


def record(process: WorkflowProcess, actors: Actors, entry: Entry, **overrides) -> StepRecord:
    """Complete the open task of the entry's step through the task service, as its actor."""
    task = open_task(process, entry.step)
    person = Person.objects.select_related("user").get(pk=process.person_id)
    actor = person.user if task.actor == "applicant" and person.user else actors.of(task.actor)
    return complete_task(
        actor=actor,
        step_task=task,
        decision=overrides.get("decision", entry.decision),
        date=overrides.get("date", entry.date),
        comment=overrides.get("comment", ""),
        data=overrides.get("data", entry.data or {}),
    )


def start(actors: Actors, applicant: Person, branch, date: datetime.date = APPLIED) -> WorkflowProcess:
    return start_admission(actor=actors.branch, branch=branch, date=date, person=applicant)


def run_until(process: WorkflowProcess, actors: Actors, path: list[Entry], stop: str, occurrence: int = 1) -> list[Entry]:
    """Record the path's steps until the `occurrence`-th entry of `stop` is next; return the rest of the path."""
    seen = 0
    for index, entry in enumerate(path):
        if entry.step == stop:
            seen += 1
            if seen == occurrence:
                return path[index:]
        record(process, actors, entry)
    raise AssertionError(f"{stop} is not on the path")


def fresh(process: WorkflowProcess) -> WorkflowProcess:
    return WorkflowProcess.objects.select_related("person", "admission").get(pk=process.pk)
