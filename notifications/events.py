"""Who is told what: the events of the other apps, each told through `notify` inside the event's transaction.

The apps call these where the event happens (workflows.services.tasks, dues.assessment); each call is
idempotent by its key, so a rerun of a sweep or of the monthly assessment tells nobody twice.
"""

import datetime
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from .models import Kind
from .services import notify

# Admission steps that publish a public notice (公示) in the candidate's branch (DOMAIN.md §4).
PUBLIC_NOTICE_STEPS = frozenset({"public_notice"})


def role_holders(org, capability: str) -> set[int]:
    """The users holding, on this organization itself, a role that grants the capability."""
    from orgs.access import CAPABILITIES
    from orgs.models import RoleAssignment

    return set(
        RoleAssignment.objects.filter(org=org, role__in=CAPABILITIES[capability], user__is_active=True).values_list(
            "user_id", flat=True
        )
    )


def _actors_of(step_task) -> set[int]:
    """Who acts on a task: the person for their own step (and their branch, which may record it for them);
    otherwise the role holders of the acting organization."""
    from workflows.engine import ACT_CAPABILITY
    from workflows.models import Actor

    if step_task.actor == Actor.APPLICANT:
        person = step_task.process.person
        own = {person.user_id} if person is not None and person.user_id else set()
        return own or role_holders(step_task.org, ACT_CAPABILITY[Actor.BRANCH])
    return role_holders(step_task.org, ACT_CAPABILITY[step_task.actor])


def _task_link(step_task) -> str:
    from workflows.models import Actor

    if step_task.actor == Actor.APPLICANT:
        return reverse("web:my_application")
    return reverse("web:tasks")


def _about(step_task) -> str:
    person = step_task.process.person
    return person.name if person is not None else step_task.process.org.name


def _title(step_task) -> str:
    node = step_task.task.flow_task
    return str(getattr(node, "task_title", step_task.step))


def task_opened(step_tasks: Iterable, actor=None) -> None:
    """A new task waits for its actors: tell them (a task assigned to them)."""
    for step_task in step_tasks:
        due = step_task.due_date
        body = _("%(step)s for %(about)s.") % {"step": _title(step_task), "about": _about(step_task)}
        if due:
            body += " " + _("Due by %(date)s.") % {"date": due.isoformat()}
        notify(
            actor,
            _actors_of(step_task),
            Kind.TASK_ASSIGNED,
            key=f"task:{step_task.task_id}",
            title=_("New task: %(step)s") % {"step": _title(step_task)},
            body=body,
            link=_task_link(step_task),
            about=step_task,
            process=step_task.process_id,
        )


def task_overdue(step_task, committee) -> None:
    """A task passed its due date: tell its actors and the role holders of the committee above."""
    recipients = _actors_of(step_task) | role_holders(committee, "oversee_processes")
    notify(
        None,
        recipients,
        Kind.TASK_OVERDUE,
        key=f"overdue:{step_task.task_id}",
        title=_("Overdue: %(step)s") % {"step": _title(step_task)},
        body=_("%(step)s for %(about)s was due by %(date)s.")
        % {"step": _title(step_task), "about": _about(step_task), "date": step_task.due_date.isoformat()},
        link=_task_link(step_task),
        about=step_task,
        process=step_task.process_id,
    )


def _case_link(process) -> str:
    code = process.flow_class.code if hasattr(process.flow_class, "code") else ""
    if code == "admission":
        return reverse("web:my_application")
    if code == "dues":
        return reverse("web:my_dues")
    if code == "disposition":  # the member reads their case and files an appeal there
        return reverse("web:disposition", args=[process.pk])
    return reverse("web:my_notifications")


def step_recorded(actor, step_task, record) -> None:
    """A step was recorded: a decision on a person's own case tells the person; a public notice tells the branch."""
    from workflows.selectors import decision_label

    process = step_task.process
    person = process.person
    node = step_task.task.flow_task
    decides = len(getattr(node, "decisions", ())) > 1
    if decides and person is not None and person.user_id and person.user_id != getattr(actor, "pk", None):
        notify(
            actor,
            [person.user_id],
            Kind.DECISION,
            key=f"decision:{record.pk}",
            title=_("%(step)s: %(decision)s")
            % {"step": _title(step_task), "decision": decision_label(record.decision)},
            body=record.data.get("reason", "") if isinstance(record.data, dict) else "",
            link=_case_link(process),
            about=record,
            process=process,
        )
    if step_task.step in PUBLIC_NOTICE_STEPS and person is not None:
        public_notice(actor, process.org, person, record)


def public_notice(actor, branch, person, record) -> None:
    """The branch posts a public notice about a person: tell the branch's members who have a sign-in."""
    from members.models import Person, Stage

    members = (
        Person.objects.filter(org=branch, stage__in=(Stage.PROBATIONARY, Stage.FULL), user__isnull=False)
        .exclude(pk=person.pk)
        .values_list("user_id", flat=True)
    )
    data = record.data if isinstance(record.data, dict) else {}
    notify(
        actor,
        list(members),
        Kind.PUBLIC_NOTICE,
        key=f"public-notice:{record.pk}",
        title=_("Public notice: %(name)s") % {"name": person.name},
        body=_("%(branch)s gives public notice of %(name)s from %(start)s until %(end)s; objections go to the branch.")
        % {"branch": branch.name, "name": person.name, "start": data.get("start", ""), "end": data.get("end", "")},
        link=reverse("web:my_notifications"),
        about=record,
        process=record.process_id,
    )


def dues_due(month: datetime.date, people) -> int:
    """A month's dues were assessed: tell each member with a sign-in who owes something for it, once per month.

    Only a month still open is told (its overdue day not reached): re-assessing an old month tells nobody.
    """
    from core.dates import today
    from dues.models import MonthlyDue

    due = MonthlyDue.objects.filter(
        month=month,
        person__in=people,
        payment__isnull=True,
        amount__gt=0,
        overdue_on__gt=today(),
        person__user__isnull=False,
    )
    users = list(due.values_list("person__user_id", flat=True))
    if not users:
        return 0
    told = notify(
        None,
        users,
        Kind.DUES_DUE,
        key=f"dues:{month:%Y-%m}",
        title=_("Your dues for %(month)s are due") % {"month": f"{month:%Y-%m}"},
        body=_("Pay your branch the dues for %(month)s; your dues page shows the amount.")
        % {"month": f"{month:%Y-%m}"},
        link=reverse("web:my_dues"),
    )
    return len(told)
