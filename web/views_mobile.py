"""Mobile member pages: the register of my scope with overdue contacts highlighted, registering an outflow,
and a registration's page with its contact log, reports and certificate reviews.

They read through members.mobile.selectors and write through members.mobile.services; orgs.access decides who may.
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
from members.mobile import selectors, services
from members.models import ContactChannel, MobileRegistration, Person, RegistrationStatus, Stage, Status
from members.selectors import people_visible_to
from orgs.access import can, roots
from orgs.models import Organization


def _date_input():
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class OutflowForm(forms.Form):
    person = forms.ModelChoiceField(label=gettext_lazy("Member"), queryset=Person.objects.none())
    destination = forms.CharField(label=gettext_lazy("Destination"), max_length=200)
    left_on = forms.DateField(label=gettext_lazy("Left on"), widget=_date_input())
    expected_return = forms.DateField(label=gettext_lazy("Expected return"), required=False, widget=_date_input())
    host_org = forms.ModelChoiceField(
        label=gettext_lazy("Host organization in the county (it collects the dues)"),
        queryset=Organization.objects.order_by("path"),
        required=False,
    )
    host_org_name = forms.CharField(label=gettext_lazy("Host organization elsewhere"), max_length=200, required=False)
    contact_person = forms.ModelChoiceField(label=gettext_lazy("Contact person"), queryset=Person.objects.none())
    phone = forms.CharField(label=gettext_lazy("Phone while away"), max_length=20, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            people_visible_to(user).filter(stage__in=(Stage.PROBATIONARY, Stage.FULL)).order_by("org__path", "name")
        )
        self.fields["person"].queryset = members.filter(status=Status.ACTIVE)
        self.fields["contact_person"].queryset = members.filter(status=Status.ACTIVE)


class ContactForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), initial=today, widget=_date_input())
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=ContactChannel.choices)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), initial=today, widget=_date_input())
    text = forms.CharField(label=gettext_lazy("Report"), widget=forms.Textarea(attrs={"rows": 3}))


class DatedNoteForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date"), initial=today, widget=_date_input())
    note = forms.CharField(label=gettext_lazy("Note"), required=False)


class SuspensionForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Date of the decision"), initial=today, widget=_date_input())
    reason = forms.CharField(label=gettext_lazy("Decision and reason"))


def _errors_to_messages(request: HttpRequest, errors) -> None:
    for field_errors in errors.values():
        for message in field_errors:
            messages.error(request, message)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The mobile member register: members away first, overdue contacts and reviews highlighted."""
    show = request.GET.get("status", RegistrationStatus.OPEN)
    registrations = selectors.registrations_visible_to(request.user)
    if show in RegistrationStatus.values:
        registrations = registrations.filter(status=show)
    rows = selectors.register_rows(selectors.for_register(registrations).order_by("-left_on", "-pk")[:500])
    context = {
        "rows": rows,
        "show": show,
        "statuses": RegistrationStatus.choices,
        "overdue_count": sum(1 for row in rows if row.contact_overdue),
        "may_register": bool(roots(request.user, "manage_mobile_members")),
    }
    return render(request, "mobile/register.html", context)


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Register a member going away: destination, dates, host organization, contact person."""
    if not roots(request.user, "manage_mobile_members"):
        raise PermissionDenied
    form = OutflowForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            registration = services.register_outflow(actor=request.user, **data)
        except PermissionDenied:
            form.add_error("person", _("A member is registered by their own branch."))
        except (RuleViolation, Conflict) as problem:
            errors = getattr(problem, "errors", {"non_field_errors": [problem.message]})
            for name, field_messages in errors.items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(
                request,
                _("Registered. Certificate number: %(number)s.") % {"number": registration.certificate_number},
            )
            return redirect("web:mobile_member", pk=registration.pk)
    return render(request, "mobile/new.html", {"form": form}, status=400 if form.errors else 200)


def _registration(request: HttpRequest, pk: int) -> MobileRegistration:
    return get_object_or_404(selectors.registrations_visible_to(request.user), pk=pk)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    row = selectors.register_rows(selectors.for_register(MobileRegistration.objects.filter(pk=pk)))[0]
    is_open = registration.status == RegistrationStatus.OPEN
    manages = can(request.user, "manage_mobile_members", registration.org)
    own = registration.person.user_id == request.user.pk
    person = Person.objects.get(pk=registration.person_id)
    context = {
        "registration": registration,
        "row": row,
        "person": person,
        "contacts": registration.contacts.select_related("recorded_by"),
        "reports": registration.reports.select_related("recorded_by"),
        "reviews": registration.reviews.select_related("reviewed_by"),
        "reports_per_year": selectors.reports_per_year(today()),
        "reports_this_year": registration.reports.filter(date__year=today().year).count(),
        "contact_form": ContactForm(auto_id="contact-%s") if is_open and manages else None,
        "report_form": ReportForm(auto_id="report-%s") if is_open and (manages or own) else None,
        "review_form": DatedNoteForm(auto_id="review-%s") if is_open and manages and row.review_due else None,
        "return_form": DatedNoteForm(auto_id="return-%s") if is_open and manages else None,
        "suspension_form": SuspensionForm(auto_id="suspend-%s")
        if is_open
        and person.status == Status.LOST_CONTACT
        and can(request.user, "suspend_lost_contact", registration.org)
        else None,
        "may_read_archive": can(request.user, "request_archive_access", person.org),
    }
    return render(request, "mobile/detail.html", context)


def _post(request: HttpRequest, pk: int, form_class, write, done: str) -> HttpResponse:
    registration = _registration(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        _errors_to_messages(request, form.errors)
        return redirect("web:mobile_member", pk=pk)
    try:
        write(registration, form.cleaned_data)
    except PermissionDenied:
        messages.error(request, _("You may not do this for this member."))
    except RuleViolation as violation:
        _errors_to_messages(request, violation.errors)
    except Conflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, done)
    return redirect("web:mobile_member", pk=pk)


@login_required
@require_POST
def add_contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ContactForm,
        lambda registration, data: services.record_contact(actor=request.user, registration=registration, **data),
        _("The contact has been recorded."),
    )


@login_required
@require_POST
def add_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        ReportForm,
        lambda registration, data: services.record_report(actor=request.user, registration=registration, **data),
        _("The report has been recorded."),
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        DatedNoteForm,
        lambda registration, data: services.review_certificate(
            actor=request.user, registration=registration, on=data["date"], note=data["note"]
        ),
        _("The certificate's review has been recorded."),
    )


@login_required
@require_POST
def record_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        DatedNoteForm,
        lambda registration, data: services.record_return(
            actor=request.user, registration=registration, on=data["date"], note=data["note"]
        ),
        _("The member's return has been recorded."),
    )


@login_required
@require_POST
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    return _post(
        request,
        pk,
        SuspensionForm,
        lambda registration, data: services.suspend_for_lost_contact(
            actor=request.user, registration=registration, on=data["date"], reason=data["reason"]
        ),
        _("The membership has been suspended."),
    )
