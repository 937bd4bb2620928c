"""The member's own pages: the home of /me/ with the to-do list, and the mobile registration with its
certificate. They read the signed-in user's own person record only (members.self_service)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from core.dates import today
from members import self_service
from members.mobile.selectors import last_contact, reports_per_year
from members.models_mobile import MobileRegistration
from workflows.selectors import person_of


def notifications_url() -> str:
    """The notifications page of the notifications app, at its agreed path until its route is named."""
    try:
        return reverse("web:my_notifications")
    except NoReverseMatch:
        return "/me/notifications/"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    context: dict = {"person": person, "notifications_url": notifications_url()}
    if person is not None:
        context["todo"] = self_service.todo_for(person)
        context.update(self_service.overview(person))
    return render(request, "me/home.html", context)


@login_required
def my_mobile(request: HttpRequest) -> HttpResponse:
    """The member's mobile registrations (open first) with the certificate, contacts and reports; read-only."""
    person = person_of(request.user)
    registrations = []
    if person is not None:
        rows = (
            MobileRegistration.objects.filter(person=person)
            .select_related("org", "host_org", "contact_person")
            .prefetch_related("reports", "contacts", "reviews")
            .order_by("ended_on", "-left_on")
        )
        registrations = [{"registration": row, "last_contact": last_contact(row)} for row in rows]
    on = today()
    context = {"person": person, "registrations": registrations, "reports_per_year": reports_per_year(on), "year": on.year}
    return render(request, "me/mobile.html", context)
