"""What a member sees of their own records on /me/: the to-do list computed from their open tasks and
records, and a summary of each of their records. Everything here reads one person's own rows, or the lists
published for their own branch; nothing reads another member's records."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from core.dates import today
from dues import selectors as dues_selectors
from dues.models import AnnualPublication
from orgs.selectors import branch_of
from scoring import selectors as scoring_selectors
from scoring.models import Entry, Publication, Result
from scoring.selectors import grade_label
from workflows import selectors as workflow_selectors
from workflows.disposition_rules import DECIDED_OUTCOMES
from workflows.engine import OPEN_STATUSES
from workflows.models import Actor, DispositionAppeal, DispositionCase, StepRecord, StepTask

from .mobile.selectors import open_registration, reports_per_year
from .models import Person


@dataclass(frozen=True)
class TodoItem:
    """One thing waiting for the member: what, where it is done, and by when."""

    kind: str  # admission_form, conversion_application, step, appeal, mobile_report, objection, dues
    title: str
    url: str
    due_date: datetime.date | None = None
    overdue: bool = False
    note: str = ""


def _own_steps(person: Person) -> list[TodoItem]:
    """The open steps of the person's own processes that the person takes (the admission form, the
    written application for conversion...); they are recorded from the inbox."""
    tasks = (
        StepTask.objects.filter(actor=Actor.APPLICANT, process__person=person, task__status__in=OPEN_STATUSES)
        .select_related("task", "process", "org")
        .order_by("due_date", "task_id")
    )
    items = []
    for step_task in tasks:
        kind = step_task.step if step_task.step in ("admission_form", "conversion_application") else "step"
        items.append(
            TodoItem(
                kind=kind,
                title=str(workflow_selectors.step_node(step_task).task_title),
                url=f"{reverse('web:tasks')}#task-{step_task.task_id}",
                due_date=step_task.due_date,
                overdue=workflow_selectors.is_overdue(step_task),
            )
        )
    return items


def _appeals(person: Person) -> list[TodoItem]:
    """Decisions on the person's own disposition cases that may still be appealed (none under way)."""
    open_appeal = DispositionAppeal.objects.filter(case=OuterRef("pk"), process__finished__isnull=True)
    cases = (
        DispositionCase.objects.filter(person=person, outcome__in=DECIDED_OUTCOMES)
        .annotate(appealing=Exists(open_appeal))
        .filter(appealing=False)
        .order_by("-decided_on", "-pk")
    )
    return [
        TodoItem(
            kind="appeal",
            title=_("You may appeal the decision of %(date)s") % {"date": case.decided_on or ""},
            url=reverse("web:disposition", args=[case.process_id]),
            note=case.get_measure_display(),
        )
        for case in cases
    ]


def _mobile_reports(person: Person, on: datetime.date) -> list[TodoItem]:
    """A member away reports to their branch a number of times a year (county setting)."""
    registration = open_registration(person)
    if registration is None:
        return []
    wanted = reports_per_year(on)
    made = registration.reports.filter(date__year=on.year).count()
    if made >= wanted:
        return []
    return [
        TodoItem(
            kind="mobile_report",
            title=_("Report to your branch while away"),
            url=reverse("web:mobile_member", args=[registration.pk]),
            due_date=datetime.date(on.year, 12, 31),
            note=_("%(made)s of %(wanted)s reports this year") % {"made": made, "wanted": wanted},
        )
    ]


def _objections(person: Person, on: datetime.date) -> list[TodoItem]:
    """Score entries of the member's branch under public notice: a member may object until the notice ends."""
    first = scoring_selectors.entries_under_notice_for(person, on).first()
    if first is None:
        return []
    return [
        TodoItem(
            kind="objection",
            title=_("Score entries of your branch are under public notice"),
            url=reverse("web:scoring_notice"),
            due_date=first.notice_ends_on,
            note=_("Objections are raised with the branch until the notice ends."),
        )
    ]


def _dues(person: Person, on: datetime.date) -> list[TodoItem]:
    owed = dues_selectors.months_unpaid(person, on)
    if not owed:
        return []
    return [
        TodoItem(
            kind="dues",
            title=_("Pay your dues"),
            url=reverse("web:my_dues"),
            overdue=True,
            note=_("%(months)s months unpaid") % {"months": owed},
        )
    ]


def todo_for(person: Person, on: datetime.date | None = None) -> list[TodoItem]:
    """Everything waiting for the member, overdue first, then by due date."""
    on = on or today()
    items = _own_steps(person) + _appeals(person) + _mobile_reports(person, on) + _objections(person, on) + _dues(person, on)
    return sorted(items, key=lambda item: (not item.overdue, item.due_date or datetime.date.max))


def overview(person: Person, on: datetime.date | None = None) -> dict:
    """The cards of the member's home: application, scores, dues, mobile registration, their branch's published lists."""
    on = on or today()
    process = workflow_selectors.latest_application_of(person)
    next_steps = list(workflow_selectors.open_steps(process)) if process else []
    branch = branch_of(person.org) or person.org
    result = Result.objects.filter(person=person, year=on.year).select_related("scheme").first()
    return {
        "person": person,
        "application": process,
        "next_steps": [
            {"task": step_task, "title": workflow_selectors.step_node(step_task).task_title} for step_task in next_steps
        ],
        "result": result,
        "grade_label": grade_label(result) if result else "",
        "entries_count": Entry.objects.filter(person=person, year=on.year).count(),
        "arrears_months": dues_selectors.months_unpaid(person, on),
        "collecting_org": dues_selectors.collecting_org(person),
        "registration": open_registration(person),
        "branch": branch,
        # The admission public notices (公示) posted in the branch: who, from when to when.
        "public_notices": StepRecord.objects.filter(step="public_notice", process__org__path__startswith=branch.path)
        .select_related("process__person")
        .order_by("-event_date", "-pk")[:5],
        "score_notices": Publication.objects.filter(org=branch, kind=Publication.Kind.NOTICE).order_by("-year", "-period")[:5],
        "dues_publications": AnnualPublication.objects.filter(org=dues_selectors.ledger_org(person.org)).order_by("-year")[:5],
    }
