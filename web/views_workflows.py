"""Workflow pages: the inbox of tasks I can act on, a process with its timeline, and the applicant's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import today
from core.exceptions import Conflict, RuleViolation
from lists.filters import TaskFilter
from lists.models import ListPage
from members.models import Stage
from workflows import selectors
from workflows.flows import FLOWS
from workflows.models import StepTask, WorkflowProcess
from workflows.services.admission import start_admission
from workflows.services.tasks import assign_task, complete_task, unassign_task

from .forms_workflows import ApplicationForm, PeopleCache, StepForm
from .views_lists import filtered_list, org_choices


def _form_prefix(step_task: StepTask) -> str:
    return f"task-{step_task.task_id}"


def _inbox_item(user, step_task: StepTask, bound: StepForm | None = None, people: PeopleCache | None = None) -> dict:
    node = selectors.step_node(step_task)
    overdue = selectors.is_overdue(step_task)
    return {
        "task": step_task,
        "title": node.task_title,
        "overdue": overdue,
        "mine": step_task.task.owner_id == user.pk,
        "recordable": node.has_next,
        "form": bound
        or StepForm(node, late=overdue, org=step_task.process.org, people=people, prefix=_form_prefix(step_task)),
    }


def _render_inbox(request: HttpRequest, bound: tuple[int, StepForm] | None = None, status: int = 200) -> HttpResponse:
    listing = filtered_list(
        request, ListPage.TASKS, TaskFilter, selectors.actionable_tasks(request.user).select_related("process__org")
    )
    people: PeopleCache = {}  # the full members each branch's forms offer, read once per branch for the page
    items = [
        _inbox_item(request.user, step_task, bound[1] if bound and bound[0] == step_task.task_id else None, people)
        for step_task in listing["page_obj"]
    ]
    notifications = [
        {"notice": notice, "title": selectors.step_title(notice.process, notice.step)}
        for notice in selectors.notifications_for(request.user)[:20]
    ]
    context = {
        **listing,
        "items": items,
        "notifications": notifications,
        "orgs": org_choices(request.user, "oversee_processes"),
        "flows": sorted(FLOWS),
    }
    return render(request, "workflows/inbox.html", context, status=status)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return _render_inbox(request)


def _step_task(request: HttpRequest, pk: int) -> StepTask:
    return get_object_or_404(selectors.tasks_open_to(request.user), task_id=pk)


@login_required
@require_POST
def task_assign(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        assign_task(actor=request.user, step_task=_step_task(request, pk))
    except Conflict as conflict:
        messages.error(request, conflict.message)
    return redirect("web:tasks")


@login_required
@require_POST
def task_unassign(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        unassign_task(actor=request.user, step_task=_step_task(request, pk))
    except Conflict as conflict:
        messages.error(request, conflict.message)
    return redirect("web:tasks")


@login_required
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    step_task = _step_task(request, pk)
    form = StepForm(
        selectors.step_node(step_task),
        request.POST,
        late=selectors.is_overdue(step_task),
        org=step_task.process.org,
        prefix=_form_prefix(step_task),
    )
    if form.is_valid():
        try:
            complete_task(
                actor=request.user,
                step_task=step_task,
                decision=form.cleaned_data["decision"],
                date=form.cleaned_data["date"],
                comment=form.cleaned_data["comment"],
                data=form.record(),
            )
        except RuleViolation as violation:
            form.add_violation(violation.errors)
        except Conflict as conflict:
            messages.error(request, conflict.message)
            return redirect("web:tasks")
        else:
            messages.success(request, _("The step has been recorded."))
            return redirect("web:process", pk=step_task.process_id)
    return _render_inbox(request, bound=(step_task.task_id, form), status=400)


def _timeline(process: WorkflowProcess) -> dict:
    return {
        "process": process,
        "flow_title": process.flow_class.process_title,
        "status": selectors.process_status(process),
        "admission": selectors.admission_of(process),
        "history": [
            {
                "record": record,
                "title": selectors.step_title(process, record.step),
                "decision": selectors.decision_label(record.decision),
            }
            for record in selectors.history(process)
        ],
        "upcoming": [
            {"task": step_task, "title": selectors.step_node(step_task).task_title, "overdue": selectors.is_overdue(step_task)}
            for step_task in selectors.open_steps(process)
        ],
    }


@login_required
def process_detail(request: HttpRequest, pk: int) -> HttpResponse:
    process = get_object_or_404(selectors.processes_visible_to(request.user), pk=pk)
    return render(request, "workflows/process.html", _timeline(process))


@login_required
def my_application(request: HttpRequest) -> HttpResponse:
    """The applicant's own timeline; a person without an application may hand one in here."""
    person = selectors.person_of(request.user)
    process = selectors.latest_application_of(person) if person else None
    form = None
    if person is not None and process is None:
        form = ApplicationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                process = start_admission(
                    actor=request.user, branch=form.cleaned_data["branch"], date=form.cleaned_data["date"], person=person
                )
            except RuleViolation as violation:
                form.add_violation(violation.errors)
            else:
                messages.success(request, _("Your application has been handed in."))
                return redirect("web:my_application")
    context = {"person": person, "form": form, **(_timeline(process) if process else {})}
    return render(request, "workflows/my_application.html", context)


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    """The county's (or a committee's) admission pipeline: people per stage, overdue tasks, plan against actual."""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else today().year
    rows = selectors.pipeline(request.user, year)
    stages = [(stage, Stage(stage).label) for stage in selectors.PIPELINE_STAGES]
    for row in rows:
        row["stage_counts"] = [row["stages"][stage] for stage, _label in stages]
    return render(request, "workflows/pipeline.html", {"rows": rows, "year": year, "stages": stages})
