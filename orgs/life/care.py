"""Care and duties beyond meetings (seeds 000, 003, 004).

- Care visits (党内关怀帮扶): members in difficulty, elderly or sick members, and the families of
  members who died on duty are visited at least once a year (a county setting); `care_due` lists who
  is still due.
- Political birthdays (政治生日): the anniversaries of members' party standing in a period.
- Posts for members without a post (设岗定责), each with the member's commitment, and the work done on
  them (践诺): six months without any is a self-lapse ground the disposition proposals read.
- On-the-job members' registration with their residential community (双报到): the registration card,
  the service record and the community's yearly feedback, which scoring's on-the-job indicators read.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import Conflict, RuleViolation
from members.models import Person, Status
from orgs.county_settings import setting
from orgs.models import Organization
from orgs.selectors import branch_of

from .meetings import BRANCH_LEVEL
from .models import (
    CareReason,
    CareRecipient,
    CareVisit,
    CommunityFeedback,
    CommunityRegistration,
    CommunityService,
    ElectedOfficer,
    Election,
    FeedbackRating,
    Post,
    PostWork,
)
from .selectors import MEMBER_STAGES, TAKING_PART_STATUSES, members_of

MAX_SERVICE_HOURS = Decimal(24)


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message, field=field)
    return value


def _is_member_taking_part(person: Person) -> bool:
    return person.stage in MEMBER_STAGES and person.status in TAKING_PART_STATUSES


# --- Care visits -------------------------------------------------------------------------------


def add_care_recipient(
    *, actor, person: Person, reason: str, since: datetime.date, family_contact: str = "", note: str = ""
) -> CareRecipient:
    if reason not in CareReason.values:
        raise RuleViolation(_("“%(reason)s” is not a reason for care.") % {"reason": reason}, field="reason")
    check_event_date(since, field="since")
    family_contact = (family_contact or "").strip()
    if reason == CareReason.FAMILY_OF_FALLEN:
        if person.status != Status.DECEASED:
            raise RuleViolation(
                _("The family is cared for after the member has died; record the death first."), field="person"
            )
        _required_text(family_contact, "family_contact", _("Name the family member who is visited."))
    elif not _is_member_taking_part(person):
        raise RuleViolation(_("Care is recorded for a member on the organization's roll."), field="person")
    if CareRecipient.objects.filter(person=person, reason=reason, ended_on__isnull=True).exists():
        raise RuleViolation(_("This person is already cared for on this ground."), field="reason")
    with action(actor):
        return CareRecipient.objects.create(
            person=person, reason=reason, since=since, family_contact=family_contact, note=note or ""
        )


def end_care(*, actor, recipient: CareRecipient, date: datetime.date) -> CareRecipient:
    if recipient.ended_on is not None:
        raise Conflict(_("This care has already ended."))
    check_event_date(date)
    if date < recipient.since:
        raise RuleViolation(_("Care ends after it began."), field="date")
    with action(actor):
        recipient.ended_on = date
        recipient.save(update_fields=["ended_on"])
    return recipient


def record_care_visit(
    *, actor, recipient: CareRecipient, date: datetime.date, visitors: str, support: str = "", note: str = ""
) -> CareVisit:
    check_event_date(date)
    if date < recipient.since or (recipient.ended_on is not None and date > recipient.ended_on):
        raise RuleViolation(_("The visit falls outside the period of care."), field="date")
    visitors = _required_text(visitors, "visitors", _("Name who visited."))
    with action(actor):
        return CareVisit.objects.create(
            recipient=recipient, date=date, visitors=visitors, support=support or "", note=note or "", recorded_by=actor
        )


@dataclass(frozen=True)
class CareDue:
    recipient: CareRecipient
    visits: int
    required: int
    last_visit: datetime.date | None


def care_due(year: int, recipients: QuerySet[CareRecipient] | None = None) -> list[CareDue]:
    """Recipients still cared for who have had fewer visits in the year than the county requires."""
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    required = setting("care.visits_per_year", on=min(today(), year_end))
    rows = (
        (recipients if recipients is not None else CareRecipient.objects.all())
        .filter(since__lte=year_end, ended_on__isnull=True)
        .select_related("person", "person__org")
        .annotate(
            visits_in_year=Count("visits", filter=Q(visits__date__range=(year_start, year_end))),
            last_visit=Max("visits__date"),
        )
        .order_by("person__org__path", "person_id")
    )
    return [
        CareDue(recipient=row, visits=row.visits_in_year, required=required, last_visit=row.last_visit)
        for row in rows
        if row.visits_in_year < required
    ]


# --- Political birthdays -------------------------------------------------------------------------


@dataclass(frozen=True)
class PoliticalBirthday:
    person: Person
    admitted_on: datetime.date
    anniversary: datetime.date
    years: int


def _anniversary(day: datetime.date, year: int) -> datetime.date:
    # A 29 February standing is celebrated on 28 February in common years.
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def political_birthdays(
    start: datetime.date, end: datetime.date, people: QuerySet[Person] | None = None
) -> list[PoliticalBirthday]:
    """Members whose party standing has an anniversary in [start, end] (Person.party_standing_since)."""
    people = (people if people is not None else Person.objects.all()).filter(
        stage__in=MEMBER_STAGES, status__in=TAKING_PART_STATUSES, party_standing_since__isnull=False
    )
    found = []
    for person in people.select_related("org"):
        since = person.party_standing_since
        for year in range(max(start.year, since.year + 1), end.year + 1):
            anniversary = _anniversary(since, year)
            if start <= anniversary <= end:
                found.append(PoliticalBirthday(person, since, anniversary, year - since.year))
    return sorted(found, key=lambda birthday: (birthday.anniversary, birthday.person.pk))


# --- Posts for members without a post (设岗定责) ------------------------------------------------------


def assign_post(
    *, actor, person: Person, title: str, commitment: str, assigned_on: datetime.date, duties: str = ""
) -> Post:
    if not _is_member_taking_part(person):
        raise RuleViolation(_("A post is set for a member on the organization's roll."), field="person")
    title = _required_text(title, "title", _("Name the post."))
    commitment = _required_text(commitment, "commitment", _("Record the member's commitment for the post."))
    check_event_date(assigned_on, field="assigned_on")
    if Post.objects.filter(person=person, title=title, ended_on__isnull=True).exists():
        raise RuleViolation(_("The member already holds this post."), field="title")
    with action(actor):
        return Post.objects.create(
            org=branch_of(person.org) or person.org,
            person=person,
            title=title,
            duties=duties or "",
            commitment=commitment,
            assigned_on=assigned_on,
        )


def end_post(*, actor, post: Post, date: datetime.date) -> Post:
    if post.ended_on is not None:
        raise Conflict(_("This post has already ended."))
    check_event_date(date)
    if date < post.assigned_on:
        raise RuleViolation(_("A post ends after it was assigned."), field="date")
    with action(actor):
        post.ended_on = date
        post.save(update_fields=["ended_on"])
    return post


def record_post_work(*, actor, post: Post, date: datetime.date, description: str) -> PostWork:
    """Record work the member did on the post (践诺); months without any are a self-lapse ground."""
    check_event_date(date)
    if date < post.assigned_on or (post.ended_on is not None and date > post.ended_on):
        raise RuleViolation(_("The work falls outside the time the member held the post."), field="date")
    description = _required_text(description, "description", _("Describe the work done."))
    with action(actor):
        return PostWork.objects.create(post=post, date=date, description=description, recorded_by=actor)


def members_without_post(org: Organization) -> QuerySet[Person]:
    """Members of org's subtree holding neither a post nor an office from their organization's latest election."""
    latest = {}
    for election in Election.objects.filter(org__path__startswith=org.path).order_by("org_id", "held_on", "id"):
        latest[election.org_id] = election.pk
    officers = ElectedOfficer.objects.filter(election_id__in=latest.values()).values("person_id")
    with_post = Post.objects.filter(ended_on__isnull=True).values("person_id")
    return members_of(org, TAKING_PART_STATUSES).exclude(pk__in=officers).exclude(pk__in=with_post)


# --- Registration with the residential community (双报到) ---------------------------------------------


def register_with_community(
    *, actor, person: Person, community: Organization, registered_on: datetime.date, card_number: str = ""
) -> CommunityRegistration:
    if not _is_member_taking_part(person):
        raise RuleViolation(_("A member on the organization's roll registers with a community."), field="person")
    if community.kind not in BRANCH_LEVEL:
        raise RuleViolation(_("Choose the party branch of the residential community."), field="community")
    if person.org.path.startswith(community.path):
        raise RuleViolation(
            _("The member already belongs to this organization; registration is with another community."),
            field="community",
        )
    check_event_date(registered_on, field="registered_on")
    if CommunityRegistration.objects.filter(person=person, ended_on__isnull=True).exists():
        raise RuleViolation(
            _("The member is already registered with a community; end that registration first."), field="person"
        )
    with action(actor):
        return CommunityRegistration.objects.create(
            person=person, community=community, registered_on=registered_on, card_number=(card_number or "").strip()
        )


def end_registration(*, actor, registration: CommunityRegistration, date: datetime.date) -> CommunityRegistration:
    if registration.ended_on is not None:
        raise Conflict(_("This registration has already ended."))
    check_event_date(date)
    if date < registration.registered_on:
        raise RuleViolation(_("A registration ends after it began."), field="date")
    with action(actor):
        registration.ended_on = date
        registration.save(update_fields=["ended_on"])
    return registration


def record_community_service(
    *, actor, registration: CommunityRegistration, date: datetime.date, activity: str, hours: Decimal = Decimal(0)
) -> CommunityService:
    check_event_date(date)
    if date < registration.registered_on or (registration.ended_on is not None and date > registration.ended_on):
        raise RuleViolation(_("The service falls outside the registration."), field="date")
    activity = _required_text(activity, "activity", _("Describe the service."))
    hours = Decimal(hours)
    if not Decimal(0) <= hours <= MAX_SERVICE_HOURS:
        raise RuleViolation(_("Hours of one service are between 0 and 24."), field="hours")
    with action(actor):
        return CommunityService.objects.create(
            registration=registration, date=date, activity=activity, hours=hours, recorded_by=actor
        )


def record_community_feedback(
    *, actor, registration: CommunityRegistration, year: int, rating: str, given_on: datetime.date, comment: str = ""
) -> CommunityFeedback:
    if rating not in FeedbackRating.values:
        raise RuleViolation(_("“%(rating)s” is not a rating.") % {"rating": rating}, field="rating")
    check_event_date(given_on, field="given_on")
    if not registration.registered_on.year <= year <= given_on.year:
        raise RuleViolation(_("Feedback covers a year of the registration, given during or after it."), field="year")
    if registration.feedback.filter(year=year).exists():
        raise RuleViolation(
            _("The community has already given its feedback for %(year)d.") % {"year": year}, field="year"
        )
    with action(actor):
        return CommunityFeedback.objects.create(
            registration=registration, year=year, rating=rating, comment=comment or "", given_on=given_on
        )


def community_service_summary(person: Person, year: int) -> dict:
    """What scoring's on-the-job indicators read: services and hours in the year, and the community's rating."""
    services = CommunityService.objects.filter(registration__person=person, date__year=year).aggregate(
        count=Count("id"), hours=Sum("hours")
    )
    feedback = (
        CommunityFeedback.objects.filter(registration__person=person, year=year)
        .values_list("rating", flat=True)
        .first()
    )
    return {"services": services["count"], "hours": services["hours"] or Decimal(0), "feedback": feedback}
