"""Writes of mobile members (DOMAIN.md §5). Status changes go through members.statuses.set_status."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import Conflict, RuleViolation
from orgs.access import can
from orgs.models import Organization
from orgs.selectors import branch_of
from workflows.disposition_rules import LOST_CONTACT_SUSPENSION_MONTHS

from .. import rules
from ..models import (
    CertificateReview,
    CertificateSequence,
    ContactChannel,
    MobileContact,
    MobileRegistration,
    MobileReport,
    Person,
    RegistrationStatus,
    Stage,
    Status,
)
from ..statuses import set_status
from .selectors import last_contact

MEMBER_STAGES = (Stage.PROBATIONARY, Stage.FULL)
# Away and not yet suspended: a contact brings a lost-contact member back to `mobile`.
AWAY_STATUSES = (Status.MOBILE, Status.LOST_CONTACT)


def _require(actor, capability: str, org: Organization) -> None:
    if not can(actor, capability, org):
        raise PermissionDenied


def _text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message, field=field)
    return value


def _require_open(registration: MobileRegistration) -> None:
    if registration.status != RegistrationStatus.OPEN:
        raise Conflict(_("This registration has ended: the member is no longer away."))


def months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from start to end (3 months from 5 January is reached on 5 April)."""
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


# --- Certificate numbers -------------------------------------------------------------------------------


def next_certificate_number(year: int) -> str:
    """The next number of the county's sequence for that year, gap-free: the row is locked while it is taken.

    The county organization department numbers the certificates (DOMAIN.md §5); each county's sequence
    lives in its own schema, and the number carries the county's code so two counties never share one.
    """
    with action(None):
        CertificateSequence.objects.bulk_create([CertificateSequence(year=year)], ignore_conflicts=True)
        sequence = CertificateSequence.objects.select_for_update().get(year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    code = getattr(connection.tenant, "slug", connection.schema_name).upper()
    return f"{code}-{year}-{sequence.last:05d}"


# --- Registration ---------------------------------------------------------------------------------------


def _check_duration(left_on: datetime.date, expected_return: datetime.date | None, has_host: bool) -> None:
    if expected_return is None:
        return
    if expected_return <= left_on:
        raise RuleViolation(_("The expected return comes after the day of leaving."), field="expected_return")
    months = months_between(left_on, expected_return)
    if months < rules.MOBILE_MIN_MONTHS:
        raise RuleViolation(
            _("A member away for less than %(months)d months is not registered as a mobile member.")
            % {"months": rules.MOBILE_MIN_MONTHS},
            field="expected_return",
        )
    if months >= rules.TRANSFER_INSTEAD_FROM_MONTHS and has_host:
        raise RuleViolation(
            _(
                "A member away %(months)d months or more at a place with a party organization transfers "
                "the organizational relation there instead of registering as a mobile member."
            )
            % {"months": rules.TRANSFER_INSTEAD_FROM_MONTHS},
            field="expected_return",
        )


def _check_contact_person(person: Person, contact_person: Person) -> None:
    branch = branch_of(person.org) or person.org
    if (
        contact_person.pk == person.pk
        or contact_person.stage not in MEMBER_STAGES
        or contact_person.status != Status.ACTIVE
        or not contact_person.org.path.startswith(branch.path)
    ):
        raise RuleViolation(
            _("The contact person is another party member of the member's own branch."), field="contact_person"
        )


def register_outflow(
    *,
    actor,
    person: Person,
    destination: str,
    left_on: datetime.date,
    contact_person: Person,
    expected_return: datetime.date | None = None,
    host_org: Organization | None = None,
    host_org_name: str = "",
    phone: str = "",
) -> MobileRegistration:
    """Register a member going away (流出登记): the origin records where and until when, names a contact
    person and issues the certificate, numbered by the county; the member's status becomes `mobile`."""
    _require(actor, "manage_mobile_members", person.org)
    if person.stage not in MEMBER_STAGES:
        raise RuleViolation(
            _("Only a party member (probationary or full) registers as a mobile member."), field="person"
        )
    if MobileRegistration.objects.filter(person=person, status=RegistrationStatus.OPEN).exists():
        raise RuleViolation(_("This member is already registered as away."), field="person")
    if person.status != Status.ACTIVE:
        raise RuleViolation(
            _("Only a member with the status active can go away (now: %(status)s).")
            % {"status": Status(person.status).label},
            field="person",
        )
    destination = _text(destination, "destination", _("Enter where the member is going."))
    check_event_date(left_on, field="left_on")
    host_org_name = (host_org_name or "").strip()
    if host_org is not None:
        if host_org.path.startswith((branch_of(person.org) or person.org).path):
            raise RuleViolation(_("The host organization is not the member's own branch."), field="host_org")
        host_org_name = host_org_name or host_org.name
    _check_duration(left_on, expected_return, has_host=bool(host_org_name))
    _check_contact_person(person, contact_person)
    with action(actor):
        try:
            registration = MobileRegistration.objects.create(
                person=person,
                org=person.org,
                destination=destination,
                left_on=left_on,
                expected_return=expected_return,
                host_org=host_org,
                host_org_name=host_org_name,
                contact_person=contact_person,
                phone=(phone or "").strip(),
                certificate_number=next_certificate_number(today().year),
                certificate_issued_on=today(),
                registered_by=actor,
            )
        except IntegrityError as duplicate:  # a second registration sent at the same moment
            raise Conflict(_("This member is already registered as away.")) from duplicate
        set_status(
            actor=actor,
            person=person,
            status=Status.MOBILE,
            on=left_on,
            reason=_("Registered as a mobile member (%(destination)s)") % {"destination": destination},
        )
    return registration


def review_certificate(
    *, actor, registration: MobileRegistration, on: datetime.date, note: str = ""
) -> CertificateReview:
    """The yearly review of the certificate (审验), once a calendar year."""
    _require(actor, "manage_mobile_members", registration.org)
    _require_open(registration)
    check_event_date(on, field="date")
    if on < registration.certificate_issued_on:
        raise RuleViolation(_("A certificate is reviewed after it was issued."), field="date")
    with action(actor):
        review, created = CertificateReview.objects.get_or_create(
            registration=registration,
            year=on.year,
            defaults={"reviewed_on": on, "note": (note or "").strip(), "reviewed_by": actor},
        )
    if not created:
        raise Conflict(_("The certificate has already been reviewed in %(year)d.") % {"year": on.year})
    return review


# --- Contacts and reports -------------------------------------------------------------------------------


def _check_away_date(registration: MobileRegistration, date: datetime.date) -> None:
    check_event_date(date, field="date")
    if date < registration.left_on:
        raise RuleViolation(_("The date falls before the member left."), field="date")


def _reached(actor, registration: MobileRegistration) -> None:
    """A lost-contact member reached again is `mobile` again, unless the contact is older than 3 months."""
    person = Person.objects.get(pk=registration.person_id)
    reached_on = last_contact(registration)
    if person.status == Status.LOST_CONTACT and months_between(reached_on, today()) < rules.LOST_CONTACT_FLAG_MONTHS:
        set_status(actor=actor, person=person, status=Status.MOBILE, on=reached_on, reason=_("Contact regained"))


def record_contact(
    *, actor, registration: MobileRegistration, date: datetime.date, channel: str, note: str = ""
) -> MobileContact:
    """One contact of the origin with the member (by the contact person or the branch)."""
    _require(actor, "manage_mobile_members", registration.org)
    _require_open(registration)
    _check_away_date(registration, date)
    if channel not in ContactChannel.values:
        raise RuleViolation(_("“%(value)s” is not a channel of contact.") % {"value": channel}, field="channel")
    with action(actor):
        contact = MobileContact.objects.create(
            registration=registration, date=date, channel=channel, note=(note or "").strip(), recorded_by=actor
        )
        _reached(actor, registration)
    return contact


def record_report(*, actor, registration: MobileRegistration, date: datetime.date, text: str) -> MobileReport:
    """A report from the member while away: sent by the member, or recorded by the origin when it came by other means."""
    own = getattr(actor, "is_authenticated", False) and registration.person.user_id == actor.pk
    if not own:
        _require(actor, "manage_mobile_members", registration.org)
    _require_open(registration)
    _check_away_date(registration, date)
    text = _text(text, "text", _("Write the report."))
    with action(actor):
        report = MobileReport.objects.create(registration=registration, date=date, text=text, recorded_by=actor)
        _reached(actor, registration)
    return report


# --- The end of an outflow, and the suspension after lost contact --------------------------------------


def record_return(*, actor, registration: MobileRegistration, on: datetime.date, note: str = "") -> MobileRegistration:
    """The member is back (返回): the registration ends and a member away is active again.

    A suspended member stays suspended: restoring membership is a decision of its own.
    """
    _require(actor, "manage_mobile_members", registration.org)
    _require_open(registration)
    _check_away_date(registration, on)
    with action(actor):
        registration.status = RegistrationStatus.RETURNED
        registration.ended_on = on
        registration.end_reason = (note or "").strip() or str(_("Returned"))
        registration.save(update_fields=["status", "ended_on", "end_reason"])
        person = Person.objects.get(pk=registration.person_id)
        if person.status in AWAY_STATUSES:
            set_status(actor=actor, person=person, status=Status.ACTIVE, on=on, reason=_("Returned from away"))
    return registration


def suspend_for_lost_contact(
    *, actor, registration: MobileRegistration, on: datetime.date, reason: str
) -> MobileRegistration:
    """The primary committee's decision on the proposal: lost contact 6 months, membership suspended (停止党籍)."""
    _require(actor, "suspend_lost_contact", registration.org)
    _require_open(registration)
    check_event_date(on, field="date")
    reason = _text(reason, "reason", _("Record the decision and why."))
    person = Person.objects.get(pk=registration.person_id)
    if person.status != Status.LOST_CONTACT:
        raise RuleViolation(_("Only a member flagged as lost contact is suspended for it."), field="person")
    since = last_contact(registration)
    if months_between(since, on) < LOST_CONTACT_SUSPENSION_MONTHS:
        raise RuleViolation(
            _("Membership is suspended after %(months)d months of lost contact; the last contact was on %(date)s.")
            % {"months": LOST_CONTACT_SUSPENSION_MONTHS, "date": since.isoformat()},
            field="date",
        )
    set_status(actor=actor, person=person, status=Status.SUSPENDED, on=on, reason=reason)
    return registration
