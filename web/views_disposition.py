"""Disposition pages: the proposals and cases of my scope, opening a case from a proposal, and the case page
with its timeline and appeals. Steps are recorded in the inbox like any other task.

They read through workflows' selectors and write through workflows.services.disposition; orgs.access decides who may.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.dates import today
from core.exceptions import Conflict, RuleViolation
from lists.filters import ACTIVE_OR_DONE, CaseFilter
from lists.models import ListPage
from orgs.access import can
from workflows import disposition_rules, selectors
from workflows.models import DispositionCase, Grounds, Measure, WorkflowProcess
from workflows.services.disposition import appeals_of, cases_visible_to, file_appeal, start_case
from workflows.services.disposition_proposals import proposals_visible_to

from .views_lists import filtered_list, org_choices


class OpenCaseForm(forms.Form):
    measure = forms.ChoiceField(label=gettext_lazy("Proposed measure"), choices=Measure.choices)
    date = forms.DateField(
        label=gettext_lazy("Date of the initial determination"),
        initial=today,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    rectification_months = forms.IntegerField(
        label=gettext_lazy("Rectification period (months, 6 unless said)"), required=False, min_value=0
    )


class AppealForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date of the appeal"), initial=today, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    text = forms.CharField(label=gettext_lazy("Appeal"), widget=forms.Textarea(attrs={"rows": 4}))


def _violation_messages(request: HttpRequest, violation: RuleViolation) -> None:
    for field_messages in violation.errors.values():
        for message in field_messages:
            messages.error(request, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The proposals from data waiting for a decision, and the cases of my scope."""
    proposals = [
        {"proposal": proposal, "may_open": can(request.user, "open_disposition", proposal.person.org)}
        for proposal in proposals_visible_to(request.user).order_by("since", "pk")[:200]
    ]
    cases = cases_visible_to(request.user).order_by("-disposition__opened_on", "-pk")
    listing = filtered_list(request, ListPage.CASES, CaseFilter, cases)
    context = {
        **listing,
        "proposals": proposals,
        # One form per proposal row: no element ids to repeat.
        "form": OpenCaseForm(auto_id=False),
        "cases": [{"process": process, "status": selectors.process_status(process)} for process in listing["page_obj"]],
        "case_statuses": ACTIVE_OR_DONE,
        "measures": Measure.choices,
        "grounds": Grounds.choices,
        "orgs": org_choices(request.user, "view_dispositions"),
    }
    return render(request, "disposition/index.html", context)


@login_required
@require_POST
def open_from_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = get_object_or_404(proposals_visible_to(request.user), pk=pk)
    form = OpenCaseForm(request.POST)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("web:dispositions")
    try:
        process = start_case(
            actor=request.user,
            person=proposal.person,
            grounds=proposal.grounds,
            measure=form.cleaned_data["measure"],
            date=form.cleaned_data["date"],
            rectification_months=form.cleaned_data["rectification_months"],
            proposal=proposal,
        )
    except PermissionDenied:
        messages.error(request, _("A case is opened by the member's branch."))
    except RuleViolation as violation:
        _violation_messages(request, violation)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("The case has been opened and filed with the primary committee."))
        return redirect("web:disposition", pk=process.pk)
    return redirect("web:dispositions")


def _may_appeal(user, case: DispositionCase) -> bool:
    own = case.person.user_id is not None and case.person.user_id == user.pk
    decided = case.outcome in disposition_rules.DECIDED_OUTCOMES
    return decided and (own or can(user, "record_appeal", case.process.org))


def _case_page(request: HttpRequest, process: WorkflowProcess, appeal_form: AppealForm | None = None, status=200):
    case = process.disposition
    context = {
        "process": process,
        "case": case,
        "status": selectors.process_status(process),
        "history": [
            {
                "record": record,
                "title": selectors.step_title(process, record.step),
                "decision": selectors.decision_label(record.decision),
            }
            for record in selectors.history(process)
        ],
        "upcoming": [
            {
                "task": step_task,
                "title": selectors.step_node(step_task).task_title,
                "overdue": selectors.is_overdue(step_task),
            }
            for step_task in selectors.open_steps(process)
        ],
        "appeals": [
            {
                "appeal": appeal,
                "waiting": [selectors.step_node(task).task_title for task in selectors.open_steps(appeal.process)],
            }
            for appeal in appeals_of(case)
        ],
        "appeal_form": appeal_form or (AppealForm() if _may_appeal(request.user, case) else None),
    }
    return render(request, "disposition/case.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, get_object_or_404(cases_visible_to(request.user), pk=pk))


@login_required
@require_POST
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    process = get_object_or_404(cases_visible_to(request.user), pk=pk)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            file_appeal(actor=request.user, case=process.disposition, **form.cleaned_data)
        except PermissionDenied:
            form.add_error(None, _("The member appeals, or an organization above records the appeal it received."))
        except RuleViolation as violation:
            for name, field_messages in violation.errors.items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, message)
        except Conflict as conflict:
            form.add_error(None, conflict.message)
        else:
            messages.success(request, _("The appeal has been filed with the upper organization."))
            return redirect("web:disposition", pk=process.pk)
    return _case_page(request, process, appeal_form=form, status=400)
