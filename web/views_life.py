"""Organizational life pages: meeting entry with its attendance grid, the compliance calendar of a branch
(or of every branch under a committee), and the democratic appraisal's ballot sheet.

They read through orgs.life's selectors and write through its services; orgs.access decides who may.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import today
from core.exceptions import Conflict, RuleViolation
from orgs.access import can, scope
from orgs.life import appraisal as appraisals
from orgs.life.compliance import CHECKED_KINDS, compliance
from orgs.life.meetings import HOSTS, record_meeting
from orgs.life.models import Appraisal, AttendanceStatus, Grade, MassesOpinion, MeetingKind
from orgs.life.reminders import reminders_for
from orgs.life.selectors import appraisals_visible_to, attendee_candidates, meetings_visible_to
from orgs.models import Organization

# The grid's "not recorded" choice: the person is left off the meeting's attendance.
NOT_RECORDED = ""


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError as exc:
        raise Http404 from exc


def _orgs_for(user, capability: str, kinds) -> list[Organization]:
    return list(Organization.objects.filter(scope(user, capability, field=""), kind__in=kinds).order_by("path"))


def _chosen_org(request: HttpRequest, capability: str, kinds) -> tuple[Organization | None, list[Organization]]:
    """The ?org= organization among those the user's capability covers (404 otherwise), or the first of them."""
    choices = _orgs_for(request.user, capability, kinds)
    org_id = _int(request.GET.get("org"))
    if org_id is None:
        return (choices[0] if choices else None), choices
    org = get_object_or_404(Organization, pk=org_id)
    if not can(request.user, capability, org):
        raise Http404
    return org, choices


# --- Meeting entry ------------------------------------------------------------------------------------


def _meeting_context(org: Organization | None, choices: list[Organization], posted=None, errors=None) -> dict:
    kinds = [(kind, label) for kind, label in MeetingKind.choices if org is not None and org.kind in HOSTS[kind]]
    posted = posted or {}
    people = list(attendee_candidates(org).select_related("org").order_by("org__path", "name", "id")) if org else []
    grid = [
        {
            "person": person,
            "status": posted.get(f"status_{person.pk}", NOT_RECORDED),
            "reason": posted.get(f"reason_{person.pk}", ""),
        }
        for person in people
    ]
    return {
        "org": org,
        "choices": choices,
        "kinds": kinds,
        "statuses": AttendanceStatus.choices,
        "grid": grid,
        "posted": posted,
        "errors": errors or {},
        "today": today(),
    }


@login_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    """Record a meeting of a branch or party group, marking each member present, excused (with a reason) or absent."""
    hosts = {kind for kinds in HOSTS.values() for kind in kinds}
    org, choices = _chosen_org(request, "record_meeting", hosts)
    if request.method != "POST" or org is None:
        return render(request, "life/meeting_form.html", _meeting_context(org, choices))
    attendance = [
        {
            "person": person.pk,
            "status": request.POST.get(f"status_{person.pk}"),
            "reason": request.POST.get(f"reason_{person.pk}", ""),
        }
        for person in attendee_candidates(org).order_by("id")
        if request.POST.get(f"status_{person.pk}", NOT_RECORDED) != NOT_RECORDED
    ]
    try:
        date = datetime.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        errors = {"date": [_("Give the date of the meeting.")]}
        return render(
            request, "life/meeting_form.html", _meeting_context(org, choices, request.POST, errors), status=400
        )
    try:
        meeting = record_meeting(
            actor=request.user,
            org=org,
            kind=request.POST.get("kind", ""),
            date=date,
            topic=request.POST.get("topic", ""),
            minutes=request.POST.get("minutes", ""),
            lecturer=request.POST.get("lecturer", ""),
            attendance=attendance,
        )
    except RuleViolation as violation:
        context = _meeting_context(org, choices, request.POST, violation.errors)
        return render(request, "life/meeting_form.html", context, status=400)
    messages.success(
        request,
        _("%(kind)s of %(date)s recorded with %(count)d attendance rows.")
        % {"kind": meeting.get_kind_display(), "date": meeting.date.isoformat(), "count": len(attendance)},
    )
    return redirect(f"{reverse('web:life_compliance')}?org={org.pk}&year={meeting.date.year}")


# --- Compliance calendar -----------------------------------------------------------------------------------


def _calendar_row(requirement: dict, year: int) -> list[dict]:
    """One cell per period, spanning its months within the year."""
    cells = []
    for period in requirement["periods"]:
        first = max(period["start"], datetime.date(year, 1, 1))
        last = min(period["end"], datetime.date(year, 12, 31))
        cells.append({**period, "span": last.month - first.month + 1})
    return cells


@login_required
def compliance_calendar(request: HttpRequest) -> HttpResponse:
    """Month by month, the meetings each branch and party group owed in a year: held, missing or still open."""
    org, choices = _chosen_org(request, "view_org_life", (*CHECKED_KINDS, "committee", "general_branch", "county"))
    year = _int(request.GET.get("year")) or today().year
    if not 2000 <= year <= today().year + 1:
        raise Http404
    report = compliance(org, datetime.date(year, 1, 1), datetime.date(year, 12, 31)) if org else None
    rows = []
    for checked in report["organizations"] if report else []:
        for requirement in checked["requirements"]:
            rows.append({"org": checked, "requirement": requirement, "cells": _calendar_row(requirement, year)})
    appraisals_ = appraisals_visible_to(request.user).filter(year=year)
    if org is not None:
        appraisals_ = appraisals_.filter(org__path__startswith=org.path)
    context = {
        "org": org,
        "choices": choices,
        "year": year,
        "years": (year - 1, year + 1),
        "months": range(1, 13),
        "report": report,
        "rows": rows,
        "may_record": org is not None and can(request.user, "record_meeting", org),
        "may_appraise": org is not None and org.is_branch and can(request.user, "run_appraisal", org),
        "appraisals": list(appraisals_),
        # The year's meetings, each with its printable record.
        "meetings": list(
            meetings_visible_to(request.user)
            .filter(org__path__startswith=org.path if org else "/", date__year=year)
            .order_by("-date", "-pk")[:100]
        ),
        "reminders": list(
            reminders_for(request.user).filter(
                org__path__startswith=org.path if org else "/", due_on__gte=today() - datetime.timedelta(days=31)
            )[:50]
        ),
    }
    return render(request, "life/compliance.html", context)


# --- Democratic appraisal ---------------------------------------------------------------------------------


@login_required
@require_POST
def appraisal_open(request: HttpRequest) -> HttpResponse:
    org = get_object_or_404(Organization, pk=_int(request.POST.get("org")))
    if not can(request.user, "run_appraisal", org):
        raise Http404
    year = _int(request.POST.get("year")) or today().year
    try:
        appraisal = appraisals.open_appraisal(actor=request.user, org=org, year=year)
    except RuleViolation as violation:
        messages.error(request, violation.message)
        return redirect(f"{reverse('web:life_compliance')}?org={org.pk}&year={year}")
    return redirect("web:life_ballot", pk=appraisal.pk)


def _visible_appraisal(request: HttpRequest, pk: int) -> Appraisal:
    return get_object_or_404(appraisals_visible_to(request.user), pk=pk)


@login_required
def ballot_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The appraisal's ballot sheet: one voter's marks per submission; the counts so far below it."""
    appraisal = _visible_appraisal(request, pk)
    may_record = can(request.user, "run_appraisal", appraisal.org) and not appraisal.is_decided
    voter = request.POST.get("voter") or request.GET.get("voter") or appraisals.MEMBER
    if voter not in appraisals.VOTERS:
        raise Http404
    status = 200
    if request.method == "POST":
        if not may_record:
            raise Http404
        marks = [
            {"person": result.person_id, "choice": request.POST[f"choice_{result.person_id}"]}
            for result in appraisal.results.all()
            if request.POST.get(f"choice_{result.person_id}")
        ]
        try:
            appraisals.record_ballots(actor=request.user, appraisal=appraisal, voter=voter, sheets=[marks])
        except (RuleViolation, Conflict) as refused:
            messages.error(request, refused.message)
            status = 400
        else:
            messages.success(request, _("Ballot sheet recorded."))
            return redirect(f"{reverse('web:life_ballot', args=[appraisal.pk])}?voter={voter}")
    results = list(
        appraisal.results.select_related("person", "appraisal").order_by("person__org__path", "person__name")
    )
    context = {
        "appraisal": appraisal,
        "voter": voter,
        "voters": [(appraisals.MEMBER, _("Member ballot"))]
        + ([(appraisals.MASSES, _("Masses ballot"))] if appraisal.masses_ballots else []),
        "choices": (Grade if voter == appraisals.MEMBER else MassesOpinion).choices,
        "rows": [
            {
                "result": result,
                "member_total": appraisals.member_ballots(result),
                "masses_total": appraisals.masses_ballots(result),
                "suggested": appraisals.suggested_grade(result),
                "rule": appraisals.rule_makes_unqualified(result),
            }
            for result in results
        ],
        "grades": dict(Grade.choices),
        "may_record": may_record,
    }
    return render(request, "life/ballot_sheet.html", context, status=status)
