"""Reads of organizational life, including the evidence that disposition proposals and scoring read."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from core.dates import today
from members.models import Person, Stage, Status
from orgs import rules
from orgs.access import scope
from orgs.models import Organization

from .models import Appraisal, AppraisalResult, Attendance, AttendanceStatus, Grade, Meeting, Post

MEMBER_STAGES = (Stage.PROBATIONARY, Stage.FULL)
# Members whose organizational life their organization keeps: still on its roll, reachable or not.
ROLL_STATUSES = (Status.ACTIVE, Status.MOBILE, Status.RECTIFYING, Status.LOST_CONTACT, Status.IN_TRANSIT)
# Members expected to take part now: appraised each year, and checked for six months without organizational life.
# Lost contact and suspension have grounds of their own.
TAKING_PART_STATUSES = (Status.ACTIVE, Status.MOBILE, Status.RECTIFYING)
# Being present, or excused with a recorded reason, is organizational life; an unexcused absence is not.
ORG_LIFE_ATTENDANCE = (AttendanceStatus.PRESENT, AttendanceStatus.EXCUSED)


def members_of(org: Organization, statuses=ROLL_STATUSES) -> QuerySet[Person]:
    """Party members (probationary and full) on the roll of org's subtree."""
    return Person.objects.filter(org__path__startswith=org.path, stage__in=MEMBER_STAGES, status__in=statuses)


# People who take part in an organization's life without being on its roll. Mobile members holding a
# certificate join the host organization's life (DOMAIN.md §5): the module that registers mobile
# members adds a source answering, for a host organization, the members it hosts.
AttendeeSource = Callable[[Organization], QuerySet[Person]]
_attendee_sources: list[AttendeeSource] = []


def register_attendee_source(source: AttendeeSource) -> None:
    if source not in _attendee_sources:
        _attendee_sources.append(source)


def attendee_candidates(org: Organization) -> QuerySet[Person]:
    """Who may be recorded at a meeting of org: its members, and those its registered sources add."""
    condition = Q(pk__in=members_of(org).values("pk"))
    for source in _attendee_sources:
        condition |= Q(pk__in=source(org).values("pk"))
    return Person.objects.filter(condition)


def meetings_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(scope(user, "view_org_life")).select_related("org")


def appraisals_visible_to(user) -> QuerySet[Appraisal]:
    return Appraisal.objects.filter(scope(user, "view_org_life")).select_related("org")


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _months_between(first: datetime.date, last: datetime.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _on_roll_since(person: Person) -> datetime.date:
    return timezone.localtime(person.created_at).date()


def _gap_months(last_org_life: datetime.date | None, on_roll_since: datetime.date, current: datetime.date) -> int:
    # Whole calendar months after the last month with organizational life (or after the month the record
    # was created), up to the month before `current`: the running month is not over yet. Organizational
    # life in the running month leaves no gap at all.
    base = last_org_life or on_roll_since
    first_without = _month_start(base) + relativedelta(months=1)
    return max(0, _months_between(first_without, current))


def last_org_life(person: Person, as_of: datetime.date | None = None) -> datetime.date | None:
    """The date of the person's last meeting attended or excused from, up to a day."""
    attended = Attendance.objects.filter(person=person, status__in=ORG_LIFE_ATTENDANCE)
    if as_of is not None:
        attended = attended.filter(meeting__date__lte=as_of)
    return attended.aggregate(last=Max("meeting__date"))["last"]


def months_without_org_life(person: Person, as_of: datetime.date | None = None) -> int:
    """Consecutive whole months before as_of's month in which the person attended no meeting (党章第三十八条)."""
    as_of = as_of or today()
    return _gap_months(last_org_life(person, as_of=as_of), _on_roll_since(person), _month_start(as_of))


@dataclass(frozen=True)
class OrgLifeGap:
    person: Person
    months: int
    last_org_life: datetime.date | None
    since: datetime.date  # the first month without organizational life


def people_without_org_life(
    months: int = rules.ORG_LIFE_LAPSE_MONTHS, as_of: datetime.date | None = None, org: Organization | None = None
) -> list[OrgLifeGap]:
    """Members taking part in organizational life who have gone `months` or more whole months without it."""
    as_of = as_of or today()
    current = _month_start(as_of)
    people = Person.objects.filter(stage__in=MEMBER_STAGES, status__in=TAKING_PART_STATUSES)
    if org is not None:
        people = people.filter(org__path__startswith=org.path)
    people = people.select_related("org").annotate(
        last_org_life=Max(
            "attendance__meeting__date",
            filter=Q(attendance__status__in=ORG_LIFE_ATTENDANCE, attendance__meeting__date__lte=as_of),
        )
    )
    gaps = []
    for person in people:
        gap = _gap_months(person.last_org_life, _on_roll_since(person), current)
        if gap >= months:
            gaps.append(
                OrgLifeGap(
                    person=person,
                    months=gap,
                    last_org_life=person.last_org_life,
                    since=current - relativedelta(months=gap),
                )
            )
    return gaps


@dataclass(frozen=True)
class IdlePost:
    post: Post
    months: int
    last_work: datetime.date | None
    since: datetime.date  # the first month without work done on the post


@dataclass(frozen=True)
class AssignedWorkGap:
    person: Person
    posts: list[IdlePost]

    @property
    def since(self) -> datetime.date:
        return min(idle.since for idle in self.posts)

    @property
    def months(self) -> int:
        return max(idle.months for idle in self.posts)


def people_without_assigned_work(
    months: int = rules.ORG_LIFE_LAPSE_MONTHS, as_of: datetime.date | None = None
) -> list[AssignedWorkGap]:
    """Members taking part who hold a post (设岗定责) on which no work was recorded for `months` or more whole
    months (党章第三十八条: 不做党所分配的工作): counted like organizational life, from the month of the last
    work done, or of the assignment when none was recorded; the running month is not over yet."""
    as_of = as_of or today()
    current = _month_start(as_of)
    posts = (
        Post.objects.filter(
            ended_on__isnull=True,
            assigned_on__lte=as_of,
            person__stage__in=MEMBER_STAGES,
            person__status__in=TAKING_PART_STATUSES,
        )
        .select_related("person", "person__org")
        .annotate(last_work=Max("work__date", filter=Q(work__date__lte=as_of)))
        .order_by("person_id", "assigned_on", "id")
    )
    idle: dict[int, list[IdlePost]] = {}
    people: dict[int, Person] = {}
    for post in posts:
        gap = _gap_months(post.last_work, post.assigned_on, current)
        if gap >= months:
            people[post.person_id] = post.person
            idle.setdefault(post.person_id, []).append(
                IdlePost(post=post, months=gap, last_work=post.last_work, since=current - relativedelta(months=gap))
            )
    return [AssignedWorkGap(person=people[person_id], posts=found) for person_id, found in idle.items()]


def unqualified_in_appraisal(year: int) -> QuerySet[AppraisalResult]:
    """Members graded unqualified in a decided democratic appraisal of that year, with their appraisal."""
    return AppraisalResult.objects.filter(
        appraisal__year=year, appraisal__decided_on__isnull=False, grade=Grade.UNQUALIFIED
    ).select_related("person", "appraisal", "appraisal__org")


def appraisal_grade(person: Person, year: int) -> str | None:
    """The grade decided for a member in that year's appraisal, if any (scoring reads it)."""
    return (
        AppraisalResult.objects.filter(person=person, appraisal__year=year, appraisal__decided_on__isnull=False)
        .exclude(grade="")
        .values_list("grade", flat=True)
        .first()
    )
