"""Reads of processes, tasks, history and notifications, always through the caller's scope."""

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.status import PROCESS

from core.dates import today
from members.models import Person, Stage, Status
from orgs.access import can, scope
from orgs.models import Organization, OrgKind, RoleAssignment

from .engine import DECISION_LABELS, OPEN_STATUSES, Step, actionable, approving_committee
from .flows import FLOWS
from .models import AdmissionRecord, Notification, StepRecord, StepTask, WorkflowProcess
from .services.plans import plan_against_actual

PROCESS_STATUS = {PROCESS.NEW: "active", PROCESS.DONE: "done", PROCESS.CANCELED: "canceled"}


def _step_tasks() -> QuerySet[StepTask]:
    return StepTask.objects.select_related("task", "task__owner", "process", "process__person", "org")


def overdue_filter(on: datetime.date | None = None) -> Q:
    return Q(overdue=True) | Q(due_date__lt=on or today())


def tasks_open_to(user) -> QuerySet[StepTask]:
    """Every task, open or done, of a level and organization the user may act on (for the task actions)."""
    return _step_tasks().filter(actionable(user))


def actionable_tasks(
    user, *, flow: str | None = None, org: Organization | None = None, overdue: bool = False
) -> QuerySet[StepTask]:
    """The tasks the user can act on now: open, in their scope, and not taken by someone else."""
    tasks = tasks_open_to(user).filter(task__status__in=OPEN_STATUSES)
    tasks = tasks.filter(Q(task__owner__isnull=True) | Q(task__owner_id=user.pk))
    if flow is not None:
        flow_class = FLOWS.get(flow)
        if flow_class is None:
            return tasks.none()
        tasks = tasks.filter(process__flow_class=flow_class)
    if org is not None:
        tasks = tasks.filter(org__path__startswith=org.path)
    if overdue:
        tasks = tasks.filter(overdue_filter())
    return tasks.order_by("due_date", "task_id")


def is_overdue(step_task: StepTask) -> bool:
    return step_task.task.status in OPEN_STATUSES and (
        step_task.overdue or (step_task.due_date is not None and step_task.due_date < today())
    )


def processes_visible_to(user) -> QuerySet[WorkflowProcess]:
    """Processes in the subtrees the user's roles cover, and the user's own."""
    if not getattr(user, "is_authenticated", False):
        return WorkflowProcess.objects.none()
    return WorkflowProcess.objects.filter(scope(user, "oversee_processes", "org__") | Q(person__user_id=user.pk)).select_related(
        "person", "org"
    )


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user_id=user.pk).select_related("org").first()


def flow_code_of(process: WorkflowProcess) -> str:
    return process.flow_class.code


def process_status(process: WorkflowProcess) -> str:
    return PROCESS_STATUS.get(process.status, process.status.lower())


def open_steps(process: WorkflowProcess) -> QuerySet[StepTask] | list[StepTask]:
    prefetched = getattr(process, "open_steps_prefetched", None)
    if prefetched is not None:
        return prefetched
    return _step_tasks().filter(process=process, task__status__in=OPEN_STATUSES).order_by("due_date", "task_id")


def history(process: WorkflowProcess) -> QuerySet[StepRecord] | list[StepRecord]:
    prefetched = getattr(process, "history_prefetched", None)
    if prefetched is not None:
        return prefetched
    return process.records.select_related("actor", "on_behalf_of_org", "on_behalf_of_person")


def steps_and_history(process: str = "") -> list[Prefetch]:
    """Prefetches that give each process of a list its open steps and history (read by `open_steps` and
    `history`) in two queries for the whole page; `process` is the lookup to the process ("" for processes)."""
    prefix = f"{process}__" if process else ""
    return [
        Prefetch(
            f"{prefix}step_tasks",
            queryset=_step_tasks().filter(task__status__in=OPEN_STATUSES).order_by("due_date", "task_id"),
            to_attr="open_steps_prefetched",
        ),
        Prefetch(
            f"{prefix}records",
            queryset=StepRecord.objects.select_related("actor", "on_behalf_of_org", "on_behalf_of_person"),
            to_attr="history_prefetched",
        ),
    ]


def step_title(process: WorkflowProcess, step: str) -> str:
    node = process.flow_class.instance.node(step, no_obsolete=True)
    return str(node.task_title) if node is not None else step


# Keys a step's record may carry besides the step's own fields.
EXTRA_RECORD_LABELS = {"late_reason": _("Reason for the delay")}


def _record_value(field, value: Any) -> str:
    """How a record's stored value reads: choices by their labels, people and organizations by name."""
    choices = {code: str(label) for code, label in field.choices}
    if field.kind == "people":
        names = dict(Person.objects.filter(pk__in=value or []).values_list("pk", "name"))
        return "、".join(names.get(pk, str(pk)) for pk in value or [])
    if field.kind == "org":
        return Organization.objects.filter(pk=value).values_list("name", flat=True).first() or str(value)
    if field.kind == "boolean":
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return "、".join(choices.get(item, str(item)) for item in value)
    return choices.get(value, str(value))


def record_lines(record: StepRecord) -> list[tuple[str, str]]:
    """A step record's data as (label, value) lines: the step's field labels, not the keys it is stored under."""
    node = record.process.flow_class.instance.node(record.step, no_obsolete=True)
    fields = {field.name: field for field in getattr(node, "fields", ())}
    lines = []
    for key, value in (record.data or {}).items():
        field = fields.get(key)
        if field is None:
            lines.append((str(EXTRA_RECORD_LABELS.get(key, key)), str(value)))
        else:
            lines.append((str(field.label), _record_value(field, value)))
    return lines


def decision_label(decision: str) -> str:
    return str(DECISION_LABELS.get(decision, decision))


def step_node(step_task: StepTask) -> Step:
    return step_task.task.flow_task


def admission_of(process: WorkflowProcess) -> AdmissionRecord | None:
    return AdmissionRecord.objects.filter(process=process).first()


def admissions_visible_to(user) -> QuerySet[WorkflowProcess]:
    return processes_visible_to(user).filter(admission__isnull=False).select_related("admission")


def latest_application_of(person: Person) -> WorkflowProcess | None:
    record = AdmissionRecord.objects.filter(person=person).select_related("process").order_by("-applied_on", "-id").first()
    return record.process if record else None


def notifications_for(user) -> QuerySet[Notification]:
    """The notices to the organizations on which the user holds a role."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    orgs = RoleAssignment.objects.filter(user_id=user.pk).values("org_id")
    return Notification.objects.filter(org_id__in=orgs).select_related("process__person", "org")


def branch_for_application(user, branch_id: Any, person: Person | None) -> Organization | None:
    """The organization an application goes to, if the user may hand it in there.

    An applicant applies to any branch of the county; a branch records applications it receives.
    """
    branch = Organization.objects.filter(pk=branch_id).first()
    if branch is None:
        return None
    own = person is not None and person.user_id is not None and person.user_id == user.pk
    return branch if own or can(user, "act_branch_step", branch) else None


def roles_of(user) -> list[dict[str, Any]]:
    return [
        {"org": assignment.org_id, "org_name": assignment.org.name, "role": assignment.role}
        for assignment in RoleAssignment.objects.filter(user_id=user.pk).select_related("org").order_by("org__path")
    ]


def full_members_near(org: Organization | None) -> QuerySet[Person]:
    """Full members on the active roll under the approving committee of org: those who may mentor or sponsor there."""
    if org is None:
        return Person.objects.none()
    area = approving_committee(org)
    return Person.objects.filter(org__path__startswith=area.path, stage=Stage.FULL, status=Status.ACTIVE).order_by("name")


PIPELINE_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)


def orgs_overseen_by(user) -> QuerySet[Organization]:
    return Organization.objects.filter(scope(user, "oversee_processes", field=""))


def committees_overseen_by(user) -> QuerySet[Organization]:
    """The primary committees (with approval authority) inside the user's scope."""
    return orgs_overseen_by(user).filter(kind=OrgKind.COMMITTEE, approval_authority=True).order_by("path")


def pipeline(user, year: int) -> list[dict[str, Any]]:
    """Per primary committee in the user's scope: people per stage, overdue tasks, and the year's plan against actual."""
    rows = []
    for committee in committees_overseen_by(user):
        counts = dict(
            Person.objects.filter(org__path__startswith=committee.path, status=Status.ACTIVE, stage__in=PIPELINE_STAGES)
            .values_list("stage")
            .annotate(n=Count("id"))
        )
        overdue = (
            StepTask.objects.filter(org__path__startswith=committee.path, task__status__in=OPEN_STATUSES)
            .filter(overdue_filter())
            .count()
        )
        rows.append(
            {
                **plan_against_actual(committee, year),
                "stages": {stage: counts.get(stage, 0) for stage in PIPELINE_STAGES},
                "overdue_tasks": overdue,
            }
        )
    return rows
