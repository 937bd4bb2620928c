"""Acting on tasks of any flow: take, give back, complete; and the overdue sweep.

Every change runs under the flow's database lock (viewflow's SelectForUpdateLock on the process
row, safe across county schemas) inside one audited action: a rule violation leaves nothing written.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from psycopg.errors import LockNotAvailable
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import Conflict, RuleViolation
from notifications import events as notify_events

from ..engine import (
    OPEN_STATUSES,
    REASON_FIELD,
    Actor,
    RecordField,
    Step,
    Submission,
    acting_org,
    approving_committee,
    last_record,
    may_act,
)
from ..models import Notification, StepRecord, StepTask, WorkflowProcess


def track_open_tasks(process: WorkflowProcess) -> list[StepTask]:
    """Give each new human task of the process its StepTask: who acts on it, and by when."""
    created = []
    new_tasks = Task.objects.filter(process_id=process.pk, status__in=OPEN_STATUSES, step_task__isnull=True)
    for task in new_tasks:
        node = task.flow_task
        if not isinstance(node, Step):
            continue
        created.append(
            StepTask.objects.create(
                task=task,
                process=process,
                step=node.code,
                actor=node.actor,
                org=acting_org(node.actor, process),
                due_date=node.due_date(process),
            )
        )
    notify_events.task_opened(created)  # its actors are told, in the transaction that opened it
    return created


def track_all_open_tasks() -> int:
    """Repair pass for tasks created outside the task API (a timer firing): give them their StepTask."""
    processes = WorkflowProcess.objects.filter(
        task__status__in=OPEN_STATUSES, task__flow_task_type="HUMAN", task__step_task__isnull=True
    ).distinct()
    with action(None):
        return sum(len(track_open_tasks(process)) for process in processes)


# How long a second writer waits for the process row before it is told to try again.
LOCK_WAIT = "10s"


def _lock_process(process_id: int) -> None:
    """Wait for the process row's lock inside the action's transaction.

    viewflow's SelectForUpdateLock tries NOWAIT and retries, but catches the failure inside its own
    atomic block: nested in our action, that leaves the transaction aborted and the request fails with
    a server error. Taken here first, with a bounded wait in a savepoint, the second writer queues
    behind the first and then finds the task done (409); viewflow's own lock then finds the row ours.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_WAIT}'")
            WorkflowProcess.objects.select_for_update().filter(pk=process_id).exists()
            cursor.execute("SET LOCAL lock_timeout = DEFAULT")
    except OperationalError as exc:
        if not isinstance(exc.__cause__, LockNotAvailable):
            raise
        raise FlowLockFailed(f"Lock failed for process {process_id}") from exc


@contextmanager
def _locked(actor, step_task: StepTask) -> Iterator[Any]:
    """One audited action holding the process row's lock, yielding the task's viewflow activation."""
    try:
        with action(actor):
            _lock_process(step_task.process_id)
            with step_task.task.activation() as activation:
                yield activation
    except FlowLockFailed as exc:
        raise Conflict(_("Someone else is recording a step of this process right now; try again.")) from exc


def _require_open(task: Task) -> None:
    if task.status == STATUS.DONE:
        raise Conflict(_("This step has already been recorded."))
    if task.status not in OPEN_STATUSES:
        raise Conflict(_("This task is no longer open."))


def _require_may_act(actor, step_task: StepTask) -> None:
    if not may_act(actor, step_task):
        raise PermissionDenied


def _require_not_taken_by_another(actor, task: Task) -> None:
    if task.owner_id is not None and task.owner_id != actor.pk:
        raise Conflict(_("Another user has taken this task."))


def assign_task(*, actor, step_task: StepTask) -> StepTask:
    """Take a task: it leaves the other actors' inboxes until it is done or given back."""
    with _locked(actor, step_task) as activation:
        task = activation.task
        _require_open(task)
        _require_may_act(actor, step_task)
        if task.owner_id == actor.pk:
            return step_task
        _require_not_taken_by_another(actor, task)
        task.assigned = timezone.now()
        activation.assign(actor)
    step_task.task = task
    return step_task


def unassign_task(*, actor, step_task: StepTask) -> StepTask:
    """Give a taken task back to everyone who may act on it."""
    with _locked(actor, step_task) as activation:
        task = activation.task
        _require_open(task)
        _require_may_act(actor, step_task)
        if task.owner_id is None:
            raise Conflict(_("Nobody has taken this task."))
        task.assigned = None
        activation.unassign()
    step_task.task = task
    return step_task


def _clean_value(field: RecordField, value: Any) -> Any:
    """A record field's value in its stored form; raises ValueError with the message for the clerk."""
    if field.kind in ("integer", "org"):
        if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
            raise ValueError(_("Enter a whole number."))
        return int(value)
    if field.kind == "boolean":
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in ("true", "1", "yes", "on"):
            return True
        if str(value).strip().lower() in ("false", "0", "no", "off"):
            return False
        raise ValueError(_("Answer yes or no."))
    if field.kind == "people":
        if not isinstance(value, list) or not all(not isinstance(v, bool) and str(v).strip().isdigit() for v in value):
            raise ValueError(_("Enter a list of person ids."))
        ids = [int(v) for v in value]
        if len(set(ids)) != len(ids):
            raise ValueError(_("A person is named twice."))
        return ids
    if field.kind == "date":
        try:
            parsed = parse_date(str(value)) if value else None
        except ValueError:  # well formed, but no such day
            parsed = None
        if parsed is None:
            raise ValueError(_("Enter a date as YYYY-MM-DD."))
        check_event_date(parsed)
        return parsed.isoformat()
    if field.kind == "list":
        if not isinstance(value, list):
            raise ValueError(_("Enter a list."))
        if field.choices and not set(map(str, value)) <= field.values:
            raise ValueError(_("Choose from: %(choices)s.") % {"choices": ", ".join(sorted(field.values))})
        return value
    text = str(value).strip()
    if field.required and not text:
        raise ValueError(_("This field is required."))
    if field.choices and text not in field.values:
        raise ValueError(_("Choose from: %(choices)s.") % {"choices": ", ".join(sorted(field.values))})
    return text


def clean_record(fields: tuple[RecordField, ...], data: Any) -> dict[str, Any]:
    """The step's record with each declared field checked; other keys (evidence references) are kept."""
    if not isinstance(data, dict):
        raise RuleViolation(_("The record must be an object of fields."), field="data")
    cleaned, errors = dict(data), {}
    for field in fields:
        value = data.get(field.name)
        if value is None or (not isinstance(value, bool) and value in ("", [])):
            if field.required:
                errors[f"data.{field.name}"] = [_("This field is required.")]
            cleaned.pop(field.name, None)
            continue
        try:
            cleaned[field.name] = _clean_value(field, value)
        except ValueError as exc:
            errors[f"data.{field.name}"] = [str(exc)]
        except RuleViolation as violation:
            errors[f"data.{field.name}"] = [violation.message]
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], errors=errors)
    return cleaned


def _check_after_previous_steps(process: WorkflowProcess, date: datetime.date) -> None:
    """A process runs forward in time: a step happens no earlier than the step recorded before it."""
    previous = last_record(process)
    if previous is not None and date < previous.event_date:
        raise RuleViolation(
            _("The event date cannot be earlier than the step before it (%(date)s).")
            % {"date": previous.event_date.isoformat()},
            field="date",
        )


def _submission(node: Step, step_task: StepTask, decision: str | None, date, comment: str, data) -> Submission:
    check_event_date(date)
    _check_after_previous_steps(step_task.process, date)
    decision = decision or node.decisions[0]
    if decision not in node.decisions:
        raise RuleViolation(
            _("This step takes the decision %(choices)s.") % {"choices": " / ".join(node.decisions)}, field="decision"
        )
    submission = Submission(
        decision=decision,
        date=date,
        comment=(comment or "").strip(),
        data=clean_record(node.fields, data if data is not None else {}),
        due_date=step_task.due_date,
        late_reason_field=node.late_reason_field,
    )
    if decision in node.reasoned and not submission.reason:
        raise RuleViolation(_("Record the reason for this decision."), field=f"data.{REASON_FIELD}")
    if submission.late:
        if not node.late_allowed:
            raise RuleViolation(
                _("This step was due by %(due)s and cannot be recorded later.") % {"due": step_task.due_date.isoformat()},
                field="date",
            )
        if not submission.late_reason:
            own_field = node.late_reason_field != "late_reason"
            raise RuleViolation(
                _("This step was due by %(due)s: record the reason for the delay.") % {"due": step_task.due_date.isoformat()},
                field=f"data.{node.late_reason_field}" if own_field else "comment",
            )
    return submission


def complete_task(
    *,
    actor,
    step_task: StepTask,
    decision: str | None = None,
    date: datetime.date | None = None,
    comment: str = "",
    data: dict[str, Any] | None = None,
) -> StepRecord:
    """Record a step: its decision, the event's date and its record; then the flow moves on."""
    with _locked(actor, step_task) as activation:
        task = activation.task
        step_task = StepTask.objects.select_related("process__person", "org").get(pk=step_task.pk)
        node = task.flow_task
        _require_open(task)
        _require_may_act(actor, step_task)
        _require_not_taken_by_another(actor, task)
        if not node.has_next:
            raise Conflict(_("This step cannot be recorded yet: the process does not continue past it."))
        process = step_task.process
        submission = _submission(node, step_task, decision, date or today(), comment, data)
        node.check(process, submission)

        if task.status == STATUS.NEW:
            task.assigned = timezone.now()
            activation.assign(actor)
        activation.start(None)
        record = StepRecord.objects.create(
            process=process,
            task=task,
            step=step_task.step,
            decision=submission.decision,
            event_date=submission.date,
            actor=actor,
            on_behalf_of_org=None if step_task.actor == Actor.APPLICANT else step_task.org,
            # The branch records a person's own step (a paper form) on the person's behalf.
            on_behalf_of_person=process.person
            if step_task.actor == Actor.APPLICANT and process.person.user_id != actor.pk
            else None,
            comment=submission.comment,
            data=submission.data,
            late=submission.late,
        )
        node.effect(process, record)
        activation.execute()
        if submission.late and not step_task.overdue:
            step_task.overdue = True
            step_task.save(update_fields=["overdue"])
        track_open_tasks(process)
        notify_events.step_recorded(actor, step_task, record)
    return record


def sweep_overdue(on: datetime.date | None = None) -> int:
    """Mark open tasks past their due date overdue and notify the acting organization and its committee.

    Idempotent: a task is marked once and each organization is notified of it once.
    Returns the number of open overdue tasks.
    """
    on = on or today()
    track_all_open_tasks()
    late = StepTask.objects.filter(task__status__in=OPEN_STATUSES, due_date__lt=on).select_related("org")
    notices = []
    with action(None):
        newly_late = set(late.filter(overdue=False).values_list("pk", flat=True))
        late.filter(overdue=False).update(overdue=True)
        for step_task in late:
            committee = approving_committee(step_task.org)
            if step_task.pk in newly_late:
                notify_events.task_overdue(step_task, committee)
            recipients = {step_task.org.pk: step_task.org, committee.pk: committee}
            notices.extend(
                Notification(
                    org=org,
                    kind=Notification.Kind.OVERDUE,
                    process_id=step_task.process_id,
                    task_id=step_task.task_id,
                    step=step_task.step,
                    due_date=step_task.due_date,
                )
                for org in recipients.values()
            )
        Notification.objects.bulk_create(notices, ignore_conflicts=True)
    return late.count()
