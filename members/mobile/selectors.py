"""Reads of mobile members: the register in scope, last contacts, what is overdue, and what other modules read."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import DateField, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Greatest

from core.dates import today
from orgs.access import scope
from orgs.county_settings import setting
from orgs.models import Organization

from .. import rules
from ..models import MobileContact, MobileRegistration, MobileReport, Person, RegistrationStatus


def _latest(model, field: str = "date") -> Subquery:
    rows = model.objects.filter(registration=OuterRef("pk")).order_by().values("registration")
    return Subquery(rows.annotate(latest=Max(field)).values("latest")[:1], output_field=DateField())


def with_last_contact(registrations: QuerySet[MobileRegistration]) -> QuerySet[MobileRegistration]:
    """Annotate `last_contact` (the latest contact or report; the day of leaving before any) and `last_contact_by_origin`."""
    return registrations.annotate(
        last_contact_by_origin=_latest(MobileContact),
        last_report=_latest(MobileReport),
    ).annotate(last_contact=Greatest(F("left_on"), F("last_contact_by_origin"), F("last_report")))


def last_contact(registration: MobileRegistration) -> datetime.date:
    """The last day the member was reached: a contact, a report, or the day they left."""
    return with_last_contact(MobileRegistration.objects.filter(pk=registration.pk)).values_list(
        "last_contact", flat=True
    )[0]


def last_contact_of(person: Person) -> datetime.date | None:
    """The last day a registration of the person knows them reached (the disposition proposals' reader)."""
    days = with_last_contact(MobileRegistration.objects.filter(person=person)).values_list("last_contact", flat=True)
    return max(days, default=None)


def open_registration(person: Person) -> MobileRegistration | None:
    return MobileRegistration.objects.filter(person=person, status=RegistrationStatus.OPEN).first()


def registrations_visible_to(user) -> QuerySet[MobileRegistration]:
    """Registrations of the caller's scope as origin or as host, and the caller's own."""
    if not getattr(user, "is_authenticated", False):
        return MobileRegistration.objects.none()
    visible = scope(user, "view_mobile_members", "org__") | scope(user, "view_mobile_members", "host_org__")
    return MobileRegistration.objects.filter(visible | Q(person__user_id=user.pk)).select_related(
        "person", "org", "host_org", "contact_person"
    )


# --- Frequencies (county settings) ---------------------------------------------------------------------


def contact_interval_days(on: datetime.date) -> int | None:
    """Days between contacts the county asks for: 4 a year by default (every 91 days); none when set to 0."""
    per_year = int(setting("mobile.contacts_per_year", on=on))
    return 365 // per_year if per_year else None


def reports_per_year(on: datetime.date) -> int:
    return int(setting("mobile.reports_per_year", on=on))


@dataclass(frozen=True)
class RegisterRow:
    registration: MobileRegistration
    last_contact: datetime.date
    next_contact_due: datetime.date | None
    contact_overdue: bool
    review_due: bool


def _review_due(registration: MobileRegistration, on: datetime.date, reviewed_years: set[int]) -> bool:
    # A certificate is reviewed every year after the year it was issued (每年审验).
    if registration.status != RegistrationStatus.OPEN:
        return False
    if on.year - registration.certificate_issued_on.year < rules.CERTIFICATE_REVIEW_EVERY_YEARS:
        return False
    return on.year not in reviewed_years


def review_due(registration: MobileRegistration, on: datetime.date) -> bool:
    return _review_due(registration, on, set(registration.reviews.values_list("year", flat=True)))


def for_register(registrations: QuerySet[MobileRegistration]) -> QuerySet[MobileRegistration]:
    """The registrations with what the register shows: last contacts, reviews, the people named."""
    return (
        with_last_contact(registrations)
        .select_related("person", "org", "host_org", "contact_person")
        .prefetch_related("reviews")
    )


def register_rows(registrations: Iterable[MobileRegistration], on: datetime.date | None = None) -> list[RegisterRow]:
    """The mobile member register (registrations read through `for_register`): what is overdue on the day."""
    on = on or today()
    interval = contact_interval_days(on)
    rows = []
    for registration in registrations:
        # Only the origin's own contacts meet its duty to contact; a report from the member counts as reached.
        duty_from = registration.last_contact_by_origin or registration.left_on
        due = duty_from + datetime.timedelta(days=interval) if interval else None
        is_open = registration.status == RegistrationStatus.OPEN
        rows.append(
            RegisterRow(
                registration=registration,
                last_contact=registration.last_contact,
                next_contact_due=due if is_open else None,
                contact_overdue=bool(is_open and due and due < on),
                review_due=_review_due(registration, on, {review.year for review in registration.reviews.all()}),
            )
        )
    return rows


# --- What other modules read ---------------------------------------------------------------------------


def collecting_host(person: Person) -> Organization | None:
    """The host organization of the county that collects the member's dues while they are away (DOMAIN.md §5)."""
    registration = (
        MobileRegistration.objects.filter(person=person, status=RegistrationStatus.OPEN, host_org__isnull=False)
        .select_related("host_org")
        .first()
    )
    return registration.host_org if registration else None


def hosted_by(org: Organization) -> QuerySet[Person]:
    """Members away whose host organization is org or one under it: they join its organizational life."""
    return Person.objects.filter(
        mobile_registrations__status=RegistrationStatus.OPEN, mobile_registrations__host_org__path__startswith=org.path
    )


def collected_by_hosts() -> QuerySet[Person]:
    """Members away whose dues a host organization of the county collects."""
    return Person.objects.filter(
        mobile_registrations__status=RegistrationStatus.OPEN, mobile_registrations__host_org__isnull=False
    )
