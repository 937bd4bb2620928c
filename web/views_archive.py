"""Member archive pages: an archive with its access request, the requests to decide, and a document download.

Reading shows the entries only with an approval in force, and every read is logged (members.archive_access);
the page of a person outside my scope is not found.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.exceptions import Conflict, RuleViolation
from members import archive_access
from members.models import AccessStatus, ArchiveEntry, Person
from members.selectors import people_visible_to
from orgs.access import can, roots


class AccessRequestForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why you need to read it"), widget=forms.Textarea(attrs={"rows": 3}))


class PersonRequestForm(AccessRequestForm):
    person = forms.ModelChoiceField(label=gettext_lazy("Whose archive"), queryset=Person.objects.none())

    field_order = ["person", "reason"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_visible_to(user).order_by("org__path", "name")


def _person(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(people_visible_to(request.user), pk=pk)


def _violations(request: HttpRequest, violation: RuleViolation) -> None:
    for field_messages in violation.errors.values():
        for message in field_messages:
            messages.error(request, message)


@login_required
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    """The archive, read (and logged) with an approval in force; otherwise the request for one."""
    person = _person(request, pk)
    context = {
        "person": person,
        "barred": None,
        "approval": None,
        "entries": None,
        "form": None,
        "mine": archive_access.requests_visible_to(request.user).filter(person=person, requested_by=request.user),
        "reads": archive_access.reads_of(person)[:50] if archive_access.may_see_reads(request.user, person) else None,
    }
    try:
        archive_access.check_not_own_or_relative(request.user, person)
    except RuleViolation as violation:
        context["barred"] = violation.message
        return render(request, "archive/archive.html", context)
    if archive_access.approval_for(request.user, person) is not None:
        context["approval"], context["entries"] = archive_access.read_archive(actor=request.user, person=person)
    elif can(request.user, "request_archive_access", person.org):
        pending = context["mine"].filter(status=AccessStatus.PENDING).exists()
        context["form"] = None if pending else AccessRequestForm()
    return render(request, "archive/archive.html", context)


@login_required
@require_POST
def request_access(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    form = AccessRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you need to read the archive."))
        return redirect("web:person_archive", pk=pk)
    _ask(request, person, form.cleaned_data["reason"])
    return redirect("web:person_archive", pk=pk)


def _ask(request: HttpRequest, person: Person, reason: str) -> None:
    try:
        archive_access.request_access(actor=request.user, person=person, reason=reason)
    except PermissionDenied:
        messages.error(request, _("You may not ask to read this archive."))
    except RuleViolation as violation:
        _violations(request, violation)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("The request has been sent to the committee leader in charge."))


@login_required
def document(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    """One document of the archive, with an approval in force; the read is logged."""
    person = _person(request, pk)
    found = get_object_or_404(ArchiveEntry.objects.filter(person=person), pk=entry)
    try:
        opened = archive_access.open_document(actor=request.user, entry=found)
    except RuleViolation as violation:
        _violations(request, violation)
        return redirect("web:person_archive", pk=pk)
    return FileResponse(opened, as_attachment=True, filename=found.document.name.rsplit("/", 1)[-1])


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    """Requests waiting for my decision, my own requests, and asking to read an archive."""
    visible = archive_access.requests_visible_to(request.user)
    if request.method == "POST":
        form = PersonRequestForm(request.user, request.POST)
        if form.is_valid():
            _ask(request, form.cleaned_data["person"], form.cleaned_data["reason"])
            return redirect("web:archive_requests")
        messages.error(request, _("Choose whose archive and say why."))
    context = {
        "to_decide": [
            access
            for access in visible.filter(status=AccessStatus.PENDING).order_by("requested_at")
            if archive_access.may_decide(request.user, access)
        ],
        "mine": visible.filter(requested_by=request.user)[:100],
        "decided": visible.exclude(requested_by=request.user).exclude(status=AccessStatus.PENDING)[:100],
        "form": PersonRequestForm(request.user) if roots(request.user, "request_archive_access") else None,
    }
    return render(request, "archive/requests.html", context)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_object_or_404(archive_access.requests_visible_to(request.user), pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        archive_access.decide_access(
            actor=request.user, access=access, approve=approve, note=request.POST.get("note", "")
        )
    except PermissionDenied:
        messages.error(request, _("The committee leader in charge decides, never the requester."))
    except RuleViolation as violation:
        _violations(request, violation)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("Approved.") if approve else _("Refused."))
    return redirect("web:archive_requests")
