"""Scoring pages: the score board with its chart and export, the red-yellow list, entry forms, the
member's own score, and the scheme editor with its preview. They read through scoring.selectors and
write through scoring.services."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.dates import today
from core.exceptions import Conflict, RuleViolation
from members.models import Person
from orgs.access import can, scope
from orgs.models import BRANCH_KINDS, Organization
from orgs.selectors import root_organization
from scoring import selectors, services
from scoring.compute import simulate
from scoring.config import parse_config
from scoring.models import Entry, Publication, Result, Scheme

from .forms_scoring import EntryForm, NewSchemeForm, SchemeConfigForm


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or today().year)
    except ValueError as exc:
        raise Http404 from exc


def _org_choice(request: HttpRequest) -> tuple[Organization | None, list[Organization]]:
    """The organization picked by ?org= among those the user's roles cover, or the first of them."""
    visible = Organization.objects.filter(scope(request.user, "view_scores", field=""))
    choices = list(visible.exclude(kind="group").order_by("path"))
    if request.GET.get("org"):
        try:
            return get_object_or_404(visible, pk=int(request.GET["org"])), choices
        except ValueError as exc:
            raise Http404 from exc
    branches = [org for org in choices if org.kind in BRANCH_KINDS]
    return (choices[0] if choices else None), branches or choices


def _results(request: HttpRequest, org: Organization, year: int):
    return selectors.in_subtree(selectors.results_visible_to(request.user).filter(year=year), org)


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """An organization's score board: every member's total, components and grade, and the grade chart."""
    year = _year(request)
    org, orgs = _org_choice(request)
    if org is None:
        return redirect("web:my_scores")
    results = _results(request, org, year)
    context = {
        "year": year,
        "org": org,
        "orgs": orgs,
        "rows": selectors.result_rows(results),
        "chart": selectors.grade_chart(results),
    }
    return render(request, "scoring/board.html", context)


@login_required
def red_yellow(request: HttpRequest) -> HttpResponse:
    """The red and yellow lists: the current results for role holders, and the published half-year notices."""
    year = _year(request)
    org, orgs = _org_choice(request)
    context = {"year": year, "org": org, "orgs": orgs}
    if org is not None:
        rows = selectors.result_rows(_results(request, org, year))
        context.update(
            red=[row for row in rows if row["list"] == "red"],
            yellow=[row for row in rows if row["list"] == "yellow"],
            vetoed=[row for row in rows if row["vetoed_by"]],
        )
    notices = selectors.publications_visible_to(request.user).filter(year=year, kind=Publication.Kind.NOTICE)
    context["notices"] = [
        {
            "publication": notice,
            "red": [row for row in notice.rows if row["list"] == "red"],
            "yellow": [row for row in notice.rows if row["list"] == "yellow"],
            "vetoed": [row for row in notice.rows if row["vetoed_by"]],
        }
        for notice in notices.order_by("org__path", "-period")
    ]
    return render(request, "scoring/red_yellow.html", context)


def _items() -> list[tuple[str, str]]:
    """The items of this year's and last year's schemes (entries are often recorded after the fact), with their points."""
    items: dict[str, str] = {}
    for scheme in Scheme.objects.filter(year__gte=today().year - 1).order_by("-year"):
        for item in parse_config(scheme.config).items.values():
            sign = "" if item.veto else ("+" if item.sign > 0 else "−")
            points = _("veto") if item.veto else f"{sign}{item.points}"
            items.setdefault(item.code, f"{item.label} ({points})")
    return sorted(items.items(), key=lambda pair: pair[1])


@login_required
def entry_new(request: HttpRequest) -> HttpResponse:
    """Declare one's own entry, or record one for a member of the branch."""
    people = selectors.people_scored_visible_to(request.user).order_by("org__path", "name")
    form = EntryForm(request.POST or None, people=people, items=_items())
    if request.method == "POST" and form.is_valid():
        try:
            services.declare_entry(actor=request.user, **form.cleaned_data)
        except RuleViolation as violation:
            for field, errors in violation.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        except PermissionDenied:
            form.add_error("person", _("You may not record entries for this member."))
        else:
            messages.success(request, _("The entry is declared; it counts once the branch has reviewed and approved it."))
            return redirect("web:scoring_entry_new")
    return render(request, "scoring/entry_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def my_scores(request: HttpRequest) -> HttpResponse:
    """The signed-in member's result and entries of a year."""
    person = selectors.person_of(request.user)
    year = _year(request)
    context: dict = {"person": person, "year": year}
    if person is not None:
        result = Result.objects.filter(person=person, year=year).select_related("scheme").first()
        context.update(
            result=result,
            grade_label=selectors.grade_label(result) if result else "",
            components=selectors.component_lines(result) if result else [],
            entries=Entry.objects.filter(person=person, year=year).order_by("date", "id"),
        )
    return render(request, "scoring/my_scores.html", context)


@login_required
def notice(request: HttpRequest) -> HttpResponse:
    """The entries of the member's branch under public notice, and an objection to one of them."""
    person = selectors.person_of(request.user)
    noticed = selectors.entries_under_notice_for(person, today()) if person is not None else Entry.objects.none()
    error, status = "", 200
    if request.method == "POST":
        entry = get_object_or_404(noticed, pk=request.POST.get("entry") or 0)  # only an entry on this list
        try:
            services.object_to_entry(actor=request.user, entry=entry, text=request.POST.get("text", ""))
        except RuleViolation as violation:
            error, status = violation.message, 400
        else:
            messages.success(request, _("Your objection is recorded; the branch answers it before the entry becomes final."))
            return redirect("web:scoring_notice")
    mine = set(
        selectors.objections_visible_to(request.user)
        .filter(raised_by=request.user, entry__in=noticed)
        .values_list("entry_id", flat=True)
    )
    context = {"person": person, "entries": noticed, "objected": mine, "error": error}
    return render(request, "scoring/notice.html", context, status=status)


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    """The county's schemes by year, and a new one from a preset."""
    manager = can(request.user, "manage_schemes", root_organization())
    form = NewSchemeForm(request.POST or None) if manager else None
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if form.is_valid():
            try:
                scheme = services.create_scheme(actor=request.user, **form.cleaned_data)
            except RuleViolation as violation:
                form.add_error(None, violation.message)
            else:
                return redirect("web:scoring_scheme", pk=scheme.pk)
    context = {"schemes": selectors.schemes_visible_to(request.user), "form": form}
    return render(request, "scoring/schemes.html", context, status=400 if form is not None and form.errors else 200)


def _preview(request: HttpRequest, scheme: Scheme, config: dict, year: int) -> dict:
    """What the configuration gives on the year's entries of the people the user's roles cover."""
    parsed = parse_config(config)
    outcomes = simulate(scheme, parsed, year, Person.objects.filter(scope(request.user, "view_scores")))
    labels = {band.code: band.label for band in parsed.bands}
    grades: dict[str, int] = {}
    for outcome in outcomes.values():
        grades[outcome.grade] = grades.get(outcome.grade, 0) + 1
    return {
        "year": year,
        "count": len(outcomes),
        "grades": [(labels.get(code, code or "—"), count) for code, count in sorted(grades.items())],
    }


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a scheme's configuration, preview it on a year's entries, and save it as a new version."""
    scheme = get_object_or_404(selectors.schemes_visible_to(request.user), pk=pk)
    manager = can(request.user, "manage_schemes", root_organization())
    initial = {"config": json.dumps(scheme.config, ensure_ascii=False, indent=2), "preview_year": scheme.year}
    form = SchemeConfigForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        config = form.cleaned_data["config"]
        try:
            services.read_config(config)
            if "save" in request.POST:
                if not manager:
                    raise PermissionDenied
                services.update_scheme(actor=request.user, scheme=scheme, config=config, note=form.cleaned_data["note"])
                messages.success(request, _("Saved as version %(version)s; the year's results are recomputed.") % {"version": scheme.version})
                return redirect("web:scoring_scheme", pk=scheme.pk)
            preview = _preview(request, scheme, config, form.cleaned_data["preview_year"] or scheme.year)
        except (RuleViolation, Conflict) as violation:
            for field, errors in getattr(violation, "errors", {"config": [violation.message]}).items():
                for error in errors:
                    form.add_error("config", f"{field}: {error}")
    context = {
        "scheme": scheme,
        "form": form,
        "manager": manager,
        "preview": preview,
        "versions": scheme.versions.order_by("-version"),
    }
    return render(request, "scoring/scheme.html", context, status=400 if form.errors else 200)
