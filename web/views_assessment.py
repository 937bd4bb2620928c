"""Organization assessment pages: the year's assessments and rounds, the assessment form per indicator with
its evidence, the county's league table with its chart, the indicator systems, and the weak and lax
organizations' rectification. They read through scoring.assessment.selectors and write through its services."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.dates import today
from core.exceptions import Conflict, RuleViolation
from orgs.access import can, roots, scope
from orgs.models import Organization
from orgs.selectors import root_organization
from scoring.assessment import selectors, services
from scoring.assessment.config import SHEET_STAGES, read_system
from scoring.assessment.models import AssessmentScheme, RectificationTask
from scoring.assessment.presets import PRESETS
from workflows.flows.assessment import CONFIRMATION_STEPS, REPORT_STEPS, STAGE_STEPS, SURVEY_STEPS

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or today().year)
    except ValueError as exc:
        raise Http404 from exc


def _org(request: HttpRequest) -> tuple[Organization | None, list[Organization]]:
    choices = list(selectors.orgs_with_assessments(request.user).order_by("path"))
    if request.GET.get("org"):
        try:
            return get_object_or_404(selectors.orgs_with_assessments(request.user), pk=int(request.GET["org"])), choices
        except ValueError as exc:
            raise Http404 from exc
    return (choices[0] if choices else None), choices


def _violation(form: forms.Form, violation: RuleViolation | Conflict) -> None:
    for field, errors in getattr(violation, "errors", {None: [violation.message]}).items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


# --- the year's assessments -----------------------------------------------------------------------------


class RoundForm(forms.Form):
    scheme = forms.ModelChoiceField(label=gettext_lazy("Indicator system"), queryset=AssessmentScheme.objects.none())
    org = forms.ModelChoiceField(label=gettext_lazy("Under the organization"), queryset=Organization.objects.none())
    due_on = forms.DateField(label=gettext_lazy("Stages due by"), required=False, widget=DATE)

    def __init__(self, *args, user=None, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = selectors.schemes_visible_to(user).filter(year=year)
        self.fields["org"].queryset = Organization.objects.filter(scope(user, "open_assessments", field="")).exclude(kind="group")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The year's assessments in the user's subtrees, the steps waiting for them, and opening a round."""
    year = _year(request)
    opener = bool(roots(request.user, "open_assessments"))
    form = RoundForm(request.POST or None, user=request.user, year=year) if opener else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                opened = services.open_round(
                    actor=request.user, scheme=form.cleaned_data["scheme"], root=form.cleaned_data["org"],
                    due_on=form.cleaned_data["due_on"],
                )
            except (RuleViolation, Conflict) as violation:
                _violation(form, violation)
            else:
                messages.success(request, _("%(count)d assessments opened.") % {"count": len(opened)})
                return redirect(f"{request.path}?year={year}")
    assessments = selectors.assessments_visible_to(request.user).filter(year=year).order_by("org__path")
    rows = [
        {"assessment": a, "grade_label": selectors.grade_label(a), "steps": selectors.open_steps(a),
         "mine": bool(selectors.actionable_steps(request.user, a))}
        for a in assessments
    ]
    context = {"year": year, "rows": rows, "form": form}
    return render(request, "assessment/index.html", context, status=400 if form is not None and form.errors else 200)


# --- one assessment --------------------------------------------------------------------------------------


class SubmitForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date of the event"), initial=today, widget=DATE)
    text = forms.CharField(label=gettext_lazy("Self-report"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ReportForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date of the event"), initial=today, widget=DATE)
    meeting_on = forms.DateField(label=gettext_lazy("Date of the appraisal meeting"), widget=DATE)
    report = forms.CharField(label=gettext_lazy("The secretary's report"), widget=forms.Textarea(attrs={"rows": 3}))
    appraisers = forms.IntegerField(label=gettext_lazy("Appraisers"), min_value=1)
    score = forms.DecimalField(label=gettext_lazy("Appraisal score (0 to 100)"), min_value=0, max_value=100, decimal_places=2)


class SurveyForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date of the event"), initial=today, widget=DATE)
    satisfied = forms.IntegerField(label=gettext_lazy("Satisfied"), min_value=0)
    basically_satisfied = forms.IntegerField(label=gettext_lazy("Basically satisfied"), min_value=0)
    unsatisfied = forms.IntegerField(label=gettext_lazy("Unsatisfied"), min_value=0)


class ConfirmForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date of the event"), initial=today, widget=DATE)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False)


class FindingForm(forms.Form):
    code = forms.ChoiceField(label=gettext_lazy("Finding"))
    reason = forms.CharField(label=gettext_lazy("Facts"), widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label=gettext_lazy("Evidence"), required=False)
    date = forms.DateField(label=gettext_lazy("Date of the event"), initial=today, widget=DATE)

    def __init__(self, *args, system=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [(f.code, f.label) for f in (*system.vetoes, *system.exclusions)]


def _sheet_lines(request: HttpRequest, system) -> list[dict]:
    """The sheet form's values: `value_<criterion>`, `reason_<criterion>`, `note_<criterion>`; blank values are left out."""
    lines = []
    for code in system.criteria:
        value = request.POST.get(f"value_{code}", "").strip()
        if value:
            lines.append({"criterion": code, "value": value, "reason": request.POST.get(f"reason_{code}", ""),
                          "note": request.POST.get(f"note_{code}", "")})
    return lines


def _sheet_errors(violation: RuleViolation, lines: list[dict]) -> dict[str, list[str]]:
    """Errors of the sheet service by criterion code (its fields name the line: scores[3].reason)."""
    errors: dict[str, list[str]] = {}
    for field, found in violation.errors.items():
        code = "__all__"
        if field.startswith("scores[") and "]" in field:
            index = int(field[len("scores["): field.index("]")])
            code = lines[index]["criterion"] if index < len(lines) else code
        errors.setdefault(code, []).extend(found)
    return errors


def _post_sheet(request: HttpRequest, assessment, stage: str, system) -> tuple[dict, SubmitForm | None]:
    lines = _sheet_lines(request, system)
    submit = SubmitForm(request.POST, prefix=stage) if "submit" in request.POST else None
    try:
        services.save_sheet(actor=request.user, assessment=assessment, stage=stage, scores=lines)
        if submit is not None:
            if not submit.is_valid():
                return {}, submit
            key = "report" if stage == "self" else "summary"
            services.record_stage(actor=request.user, assessment=assessment, stage=stage, date=submit.cleaned_data["date"],
                                  data={key: submit.cleaned_data["text"]} if submit.cleaned_data["text"] else {})
    except (RuleViolation, Conflict) as violation:
        errors = _sheet_errors(violation, lines) if isinstance(violation, RuleViolation) else {"__all__": [violation.message]}
        return errors, submit
    return {}, None


def _post_stage(request: HttpRequest, assessment, stage: str, form: forms.Form) -> bool:
    if not form.is_valid():
        return False
    data = {key: value for key, value in form.cleaned_data.items() if key not in ("date", "comment")}
    data = {key: value.isoformat() if isinstance(value, datetime.date) else (str(value) if isinstance(value, Decimal) else value)
            for key, value in data.items()}
    try:
        services.record_stage(actor=request.user, assessment=assessment, stage=stage, date=form.cleaned_data["date"],
                              comment=form.cleaned_data.get("comment", ""), data=data)
    except (RuleViolation, Conflict) as violation:
        _violation(form, violation)
        return False
    return True


def _fill(criterion: dict, posted, errors: dict[str, list[str]]) -> None:
    """What the sheet form shows for a criterion: what was just posted, else the value saved, else the evidence's."""
    code = criterion["code"]
    suggested = criterion["evidence"]["suggested"] if criterion["evidence"] else None
    saved = criterion["value"] if criterion["value"] is not None else suggested
    criterion["input_value"] = posted.get(f"value_{code}", "") if posted is not None else ("" if saved is None else saved)
    criterion["input_reason"] = posted.get(f"reason_{code}", "") if posted is not None else criterion["reason"]
    criterion["errors"] = errors.get(code, [])


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment form per indicator with its evidence, the stages' forms, findings and the result."""
    assessment = get_object_or_404(selectors.assessments_visible_to(request.user), pk=pk)
    system = read_system(assessment.config)
    mine = selectors.actionable_steps(request.user, assessment)
    open_stage = {stage: any(step in mine for step in STAGE_STEPS[stage]) for stage in SHEET_STAGES}
    assessor = services.may_assess(request.user, assessment.org) and assessment.status == "open"
    forms_by_stage = {
        "report": ReportForm(request.POST if request.POST.get("stage") == "report" else None, prefix="report")
        if any(step in mine for step in REPORT_STEPS) else None,
        "satisfaction": SurveyForm(request.POST if request.POST.get("stage") == "satisfaction" else None, prefix="survey")
        if any(step in mine for step in SURVEY_STEPS) else None,
        "confirmation": ConfirmForm(request.POST if request.POST.get("stage") == "confirmation" else None, prefix="confirm")
        if any(step in mine for step in CONFIRMATION_STEPS) else None,
    }
    finding_form = FindingForm(request.POST if request.POST.get("stage") == "finding" else None, system=system, prefix="finding") \
        if assessor and (system.vetoes or system.exclusions) else None
    sheet_errors: dict[str, dict] = {}
    submit_forms: dict[str, SubmitForm] = {}
    if request.method == "POST":
        stage = request.POST.get("stage", "")
        done = False
        if stage in SHEET_STAGES and open_stage.get(stage):
            errors, bound = _post_sheet(request, assessment, stage, system)
            sheet_errors[stage] = errors
            if bound is not None:
                submit_forms[stage] = bound
            done = not errors and bound is None
        elif stage in forms_by_stage and forms_by_stage[stage] is not None:
            done = _post_stage(request, assessment, stage, forms_by_stage[stage])
        elif stage == "finding" and finding_form is not None:
            try:
                if not finding_form.is_valid():
                    raise RuleViolation(_("Correct the finding's fields."))
                services.record_finding(actor=request.user, assessment=assessment, code=finding_form.cleaned_data["code"],
                                        reason=finding_form.cleaned_data["reason"],
                                        evidence_text=finding_form.cleaned_data["evidence"], date=finding_form.cleaned_data["date"])
                done = True
            except (RuleViolation, Conflict) as violation:
                _violation(finding_form, violation)
        else:
            raise PermissionDenied
        if done:
            messages.success(request, _("Recorded."))
            return redirect("web:assessment", pk=assessment.pk)
    sheets = selectors.sheets(assessment)
    for stage in SHEET_STAGES:
        posted = request.POST if request.POST.get("stage") == stage else None
        errors = sheet_errors.get(stage, {})
        sheets[stage].update(open=open_stage[stage], errors=errors.get("__all__", []),
                             submit=submit_forms.get(stage) or SubmitForm(prefix=stage))
        for area in sheets[stage]["areas"]:
            for indicator in area["indicators"]:
                for criterion in indicator["criteria"]:
                    _fill(criterion, posted, errors)
    _system, provisional = services.outcome_of(assessment)
    context = {
        "assessment": assessment,
        "system": system,
        "sheets": sheets,
        "forms": forms_by_stage,
        "finding_form": finding_form,
        "findings": assessment.findings.all(),
        "provisional": provisional,
        "provisional_grade": system.grade_label(provisional.grade),
        "grade_label": selectors.grade_label(assessment),
        "steps": selectors.open_steps(assessment),
    }
    failed = any(sheet_errors.values()) or any(f is not None and f.errors for f in (*forms_by_stage.values(), finding_form))
    return render(request, "assessment/detail.html", context, status=400 if failed else 200)


# --- the league table -----------------------------------------------------------------------------------


@login_required
def league(request: HttpRequest) -> HttpResponse:
    """The county's (or a committee's) league table of a year, its chart, and its Excel export."""
    year = _year(request)
    org, orgs = _org(request)
    assessments = selectors.assessments_visible_to(request.user).filter(year=year)
    if org is not None:
        assessments = selectors.in_subtree(assessments, org)
    rows = selectors.league(assessments)
    context = {
        "year": year,
        "org": org,
        "orgs": orgs,
        "rows": rows,
        "grades": selectors.grade_counts(rows),
        # Built from escaped text only (scoring.assessment.selectors.chart_svg).
        "chart": mark_safe(selectors.chart_svg(rows)),
    }
    return render(request, "assessment/league.html", context)


# --- indicator systems ----------------------------------------------------------------------------------


class SchemeForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, initial=lambda: today().year)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    preset = forms.ChoiceField(label=gettext_lazy("Preset"), choices=[(code, preset.label) for code, preset in PRESETS.items()])


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    """The county's indicator systems, each shown as its table with its Excel export; a new one from a preset."""
    manager = can(request.user, "manage_assessment_schemes", root_organization())
    form = SchemeForm(request.POST or None) if manager else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.create_scheme(actor=request.user, **form.cleaned_data)
            except RuleViolation as violation:
                _violation(form, violation)
            else:
                return redirect("web:assessment_schemes")
    shown = [{"scheme": scheme, "system": read_system(scheme.config)} for scheme in selectors.schemes_visible_to(request.user)]
    context = {"schemes": shown, "form": form}
    return render(request, "assessment/schemes.html", context, status=400 if form is not None and form.errors else 200)


# --- weak and lax organizations -------------------------------------------------------------------------


class PlanForm(forms.Form):
    plan = forms.CharField(label=gettext_lazy("Rectification plan"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible = forms.CharField(label=gettext_lazy("Responsible"), required=False)
    deadline = forms.DateField(label=gettext_lazy("Deadline"), widget=DATE)
    tasks = forms.CharField(
        label=gettext_lazy("Tasks, one a line: deadline (YYYY-MM-DD), task"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean_tasks(self) -> list[dict]:
        tasks = []
        for number, line in enumerate(self.cleaned_data["tasks"].splitlines(), start=1):
            if not line.strip():
                continue
            deadline, _sep, title = line.partition(",")
            if not title.strip():
                raise forms.ValidationError(_("Line %(line)d: write the deadline, a comma, then the task.") % {"line": number})
            tasks.append({"deadline": deadline.strip(), "title": title.strip()})
        return tasks


class CloseForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Assessment of the rectification"), widget=forms.Textarea(attrs={"rows": 2}))


@login_required
def weak(request: HttpRequest) -> HttpResponse:
    """Weak and lax organizations with their plans, tasks and deadlines."""
    year = _year(request)
    listings = selectors.weak_visible_to(request.user).filter(year=year).order_by("org__path")
    rows = [
        {"weak": w, "manager": can(request.user, "manage_rectification", services.assessor_org(w.org)),
         "recorder": can(request.user, "record_rectification", w.org), "plan_form": PlanForm(prefix=f"plan-{w.pk}"),
         "close_form": CloseForm(prefix=f"close-{w.pk}")}
        for w in listings
    ]
    return render(request, "assessment/weak.html", {"year": year, "rows": rows, "today": today()})


def _weak_listing(request: HttpRequest, pk: int):
    return get_object_or_404(selectors.weak_visible_to(request.user), pk=pk)


def _back_to_weak(request: HttpRequest, listing, action) -> HttpResponse:
    try:
        action()
    except (RuleViolation, Conflict) as violation:
        messages.error(request, violation.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect(f"{reverse('web:assessment_weak')}?year={listing.year}")


@login_required
@require_POST
def weak_plan(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _weak_listing(request, pk)
    form = PlanForm(request.POST, prefix=f"plan-{pk}")

    def plan() -> None:
        if not form.is_valid():
            raise RuleViolation(next(iter(form.errors.values()))[0])
        services.set_plan(actor=request.user, weak=listing, plan=form.cleaned_data["plan"],
                          responsible=form.cleaned_data["responsible"], deadline=form.cleaned_data["deadline"],
                          tasks=form.cleaned_data["tasks"])

    return _back_to_weak(request, listing, plan)


@login_required
@require_POST
def weak_close(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _weak_listing(request, pk)
    note = request.POST.get(f"close-{pk}-note", "")
    return _back_to_weak(request, listing, lambda: services.close_rectification(actor=request.user, weak=listing, note=note))


@login_required
@require_POST
def weak_task_done(request: HttpRequest, pk: int, task: int) -> HttpResponse:
    listing = _weak_listing(request, pk)
    found = get_object_or_404(RectificationTask.objects.filter(weak=listing), pk=task)
    note = request.POST.get("note", "")
    return _back_to_weak(request, listing, lambda: services.complete_rectification_task(actor=request.user, task=found, note=note))
