"""Dues pages: the branch's monthly collection sheet, the member's own dues, relief requests, the ledgers
and the annual publication. They read through dues.selectors; a relief is decided through its task
(workflows.services.dues_relief)."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.dates import today
from core.exceptions import Conflict, RuleViolation
from dues import selectors
from dues.models import LargeVoluntaryPayment, Payment, ReliefStatus
from dues.months import first_of, format_month, parse_month
from members.models import Person
from orgs.access import can
from orgs.models import BRANCH_KINDS, Organization
from workflows.engine import APPROVE, REJECT
from workflows.services.dues_relief import decide_relief


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year") or today().year)
    except ValueError as exc:
        raise Http404 from exc


def _org_choice(request: HttpRequest) -> tuple[Organization | None, list[Organization]]:
    """The organization picked by ?org= among those the user may see, or the first branch they cover."""
    visible = selectors.orgs_with_dues_visible_to(request.user)
    branches = list(visible.filter(kind__in=BRANCH_KINDS).order_by("path"))
    if request.GET.get("org"):
        try:
            return get_object_or_404(visible, pk=int(request.GET["org"])), branches
        except ValueError as exc:
            raise Http404 from exc
    return (branches[0] if branches else None), branches


def _collection_context(request: HttpRequest) -> dict:
    org, branches = _org_choice(request)
    try:
        month = parse_month(request.GET["month"]) if request.GET.get("month") else first_of(today())
    except RuleViolation as exc:
        raise Http404 from exc
    rows = selectors.collection_sheet(org, month, today()) if org else []
    lines = [line for _person, line in rows if line is not None]
    context = {
        "org": org,
        "branches": branches,
        "month": format_month(month),
        "rows": rows,
        "due_total": sum((line.due for line in lines), Decimal("0.00")),
        "paid_total": sum((line.paid for line in lines), Decimal("0.00")),
        "paid_count": sum(1 for line in lines if line.status == selectors.MonthStatus.PAID),
        "owing_count": sum(
            1 for line in lines if line.status in (selectors.MonthStatus.DUE, selectors.MonthStatus.OVERDUE)
        ),
        "no_base_count": sum(1 for _person, line in rows if line is None),
    }
    return context


@login_required
def collection_sheet(request: HttpRequest) -> HttpResponse:
    """Who of the branch has paid the month's dues, and who still owes."""
    return render(request, "dues/collection.html", _collection_context(request))


@login_required
def collection_sheet_print(request: HttpRequest) -> HttpResponse:
    """The month's collection sheet of a branch on A4, for the paper ledger, with a column to sign."""
    context = _collection_context(request)
    if context["org"] is None:
        raise Http404
    return render(request, "print/dues_collection.html", context)


@login_required
def my_dues(request: HttpRequest) -> HttpResponse:
    """The signed-in member's months, payments and arrears."""
    person = Person.objects.filter(user=request.user).select_related("org").first()
    year = _year(request)
    context = {"person": person, "year": year, "years": [year - 1, year + 1]}
    if person is not None:
        account = selectors.account(person, year, today())
        context.update(
            months=account["months"],
            arrears_months=account["arrears_months"],
            payments=Payment.objects.filter(person=person, paid_on__year=year).prefetch_related("months"),
            collecting_org=selectors.collecting_org(person),
        )
    return render(request, "dues/my_dues.html", context)


@login_required
def reliefs(request: HttpRequest) -> HttpResponse:
    """Relief requests in the user's scope, with the decision where the user may take it."""
    items = []
    for relief in selectors.reliefs_visible_to(request.user).order_by("-proposed_on", "-id")[:200]:
        capability = "approve_retiree_relief" if relief.retiree else "approve_relief"
        items.append(
            {
                "relief": relief,
                "decidable": relief.status == ReliefStatus.PROPOSED and can(request.user, capability, relief.org),
            }
        )
    return render(request, "dues/reliefs.html", {"items": items})


@login_required
@require_POST
def relief_decide(request: HttpRequest, pk: int) -> HttpResponse:
    relief = get_object_or_404(selectors.reliefs_visible_to(request.user), pk=pk)
    decision = APPROVE if request.POST.get("decision") == APPROVE else REJECT
    try:
        decide_relief(actor=request.user, relief=relief, decision=decision, comment=request.POST.get("comment", ""))
    except (RuleViolation, Conflict) as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        messages.error(
            request, _("Only the committee above the branch, or for a retiree the branch, decides on relief.")
        )
    else:
        messages.success(request, _("The decision is recorded."))
    return redirect("web:dues_reliefs")


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """The collection and use ledgers of an organization for a year, with the Excel export."""
    org, branches = _org_choice(request)
    year = _year(request)
    context = {"org": org, "branches": branches, "year": year}
    if org is not None:
        context["ledger"] = selectors.ledger(org, year)
        context["large"] = LargeVoluntaryPayment.objects.filter(org__path__startswith=org.path, paid_on__year=year)
    return render(request, "dues/ledger.html", context)


@login_required
def publication(request: HttpRequest) -> HttpResponse:
    """The annual publication of collection and use, as a branch's members see it."""
    year = _year(request)
    rows = selectors.publications_visible_to(request.user).filter(year=year).order_by("org__path")
    return render(request, "dues/publication.html", {"publications": rows, "year": year})
