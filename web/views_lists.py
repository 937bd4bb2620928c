"""Filtered lists (people here; tasks, transfers and cases on their own pages) and the user's saved filters.

A list page filters a queryset already limited to the user's scope with a django-filter FilterSet, pages it,
and offers the user's saved filters of that page; a saved filter is the page opened with its query string.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import RuleViolation
from lists import selectors, services
from lists.models import ListPage, SavedFilter
from members.disclosure import shown_id_number
from members.filters import PersonFilter
from members.models import Stage, Status
from members.selectors import people_visible_to
from orgs.access import scope
from orgs.models import Organization, OrgKind

PAGE_URLS = {
    ListPage.PEOPLE: "web:people",
    ListPage.TASKS: "web:tasks",
    ListPage.TRANSFERS: "web:transfers",
    ListPage.CASES: "web:dispositions",
}


def org_choices(user, capability: str = "view_person") -> list[Organization]:
    """The organizations (no party groups) a list may be narrowed to: those the user's roles cover."""
    rows = Organization.objects.filter(scope(user, capability, field="")).exclude(kind=OrgKind.GROUP)
    return list(rows.order_by("path")[:300])


def filtered_list(request: HttpRequest, page: str, filterset_class, rows) -> dict:
    """The context of a filtered, paged list: the filter set, the page of rows, the saved filters."""
    filterset = filterset_class(request.GET or None, queryset=rows, request=request)
    filtered = filterset.qs if filterset.is_bound and filterset.is_valid() else rows
    querystring = services.clean_querystring(request.GET.urlencode())
    return {
        "filterset": filterset,
        "filters": {key: value for key, value in request.GET.items() if key not in services.NOT_FILTERS},
        "page_obj": selectors.paginate(filtered, request.GET.get("page")),
        "list_page": page,
        "querystring": querystring,
        "saved_filters": selectors.saved_filters_of(request.user, page),
    }


@login_required
def people(request: HttpRequest) -> HttpResponse:
    rows = people_visible_to(request.user).order_by("org__path", "name", "pk")
    context = filtered_list(request, ListPage.PEOPLE, PersonFilter, rows)
    context["rows"] = [(person, shown_id_number(request.user, person)) for person in context["page_obj"]]
    context.update(orgs=org_choices(request.user), stages=Stage.choices, statuses=Status.choices)
    return render(request, "lists/people.html", context)


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    page = request.POST.get("page", "")
    querystring = request.POST.get("querystring", "")
    try:
        saved = services.save_filter(actor=request.user, page=page, name=request.POST.get("name", ""), querystring=querystring)
    except RuleViolation as violation:
        messages.error(request, violation.message)
        target = reverse(PAGE_URLS.get(page, "web:people"))
        return redirect(f"{target}?{services.clean_querystring(querystring)}")
    messages.success(request, _("The filter is saved."))
    return redirect(_applied(saved))


def _applied(saved: SavedFilter) -> str:
    return f"{reverse(PAGE_URLS[saved.page])}?{saved.querystring}"


@login_required
def saved_filter_apply(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect(_applied(get_object_or_404(SavedFilter, pk=pk, user_id=request.user.pk)))


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedFilter, pk=pk, user_id=request.user.pk)
    services.delete_filter(actor=request.user, saved=saved)
    messages.success(request, _("The filter is deleted."))
    return redirect(reverse(PAGE_URLS[saved.page]))
