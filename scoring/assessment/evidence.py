"""Automatic evidence: what the system already knows about an organization's year, for the criteria that
name a source. Each source reads another module's own rules (orgs.checks, orgs.life.compliance, dues,
the admissions and the member archive) and answers a share and a count:

- the share (0 to 1) of what was due that was done: an `award` suggests its points times the share;
- the count of faults found: a `deduct` suggests that many occurrences (at most its `max`).

A source declared on a criterion is `{"code": ..., params}`. The suggestion is what the sheet shows
first; the assessor confirms it or overrides it with a reason (scoring.assessment.services).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from dues.assessment import owing_people
from dues.models import Remittance
from dues.months import year_months
from dues.selectors import MonthStatus, month_lines, quarter_collected, remittance_deadline
from dues.services import REMITTING_KINDS
from members.models import ArchiveEntry, ArchiveKind, Person, Stage, Status
from orgs import rules as org_rules
from orgs.checks import TERM_YEARS, structure_warnings
from orgs.life.compliance import compliance
from orgs.life.models import Election
from orgs.models import Organization, OrgKind
from orgs.selectors import branch_officer_count, full_member_count
from workflows.models import AdmissionRecord, Outcome

from . import rules

SCOPES = ("self", "branches", "subtree", "groups")
STRUCTURE_CODES = (
    "committee_expected",
    "general_branch_expected",
    "too_few_full_members",
    "no_secretary",
    "committee_not_expected",
    "committee_size",
    "joint_branch_too_many_units",
    "group_too_small",
    "group_without_full_member",
    "term_overdue",
    "term_ending",
    "term_start_unknown",
)
MEETING_KINDS = (
    "general_meeting",
    "committee_meeting",
    "group_meeting",
    "lecture",
    "themed_day",
    "life_meeting",
    "appraisal",
)
POINTS = Decimal("0.01")


@dataclass(frozen=True)
class Reading:
    """What a source found: the share done (None when nothing was due) and the faults counted."""

    ratio: Decimal | None
    count: int | None
    text: str
    detail: dict = field(default_factory=dict)


def _share(done: int, due: int) -> Decimal | None:
    return Decimal(done) / Decimal(due) if due else None


def _orgs(org: Organization, scope: str) -> list[Organization]:
    """The organizations a source looks at: the assessed one, its branches, every elected one, or its party groups."""
    if scope == "self":
        return [org]
    subtree = list(org.subtree().order_by("path"))
    if scope == "branches":
        return [o for o in subtree if o.kind in (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)]
    if scope == "groups":
        return [o for o in subtree if o.kind == OrgKind.GROUP]
    return [o for o in subtree if OrgKind(o.kind) in TERM_YEARS]


def _names(rows: list[dict]) -> str:
    return "；".join(f"{row['name']}: {row['message']}" for row in rows)


# --- the sources ----------------------------------------------------------------------------------------


def structure(org: Organization, year: int, as_of: datetime.date, params: dict) -> Reading:
    """The structure warnings of DOMAIN.md §2 (orgs.checks) named by `checks`, over the scope's organizations."""
    checked = _orgs(org, params.get("scope", "self"))
    faults = []
    for each in checked:
        found = [w for w in structure_warnings(each, as_of) if w["code"] in params["checks"]]
        if found:
            faults.append({"org": each.pk, "name": each.name, "code": found[0]["code"], "message": found[0]["message"]})
    text = _("%(faults)d of %(checked)d organizations with these warnings.") % {"faults": len(faults), "checked": len(checked)}
    if faults:
        text += " " + _names(faults)
    return Reading(_share(len(checked) - len(faults), len(checked)), len(faults), text, {"checked": len(checked), "faults": faults})


def _with_committee_due(org: Organization) -> list[tuple[Organization, int]]:

    branches = [(branch, full_member_count(branch)) for branch in _orgs(org, "branches")]
    return [(branch, full) for branch, full in branches if full >= org_rules.BRANCH_COMMITTEE_MIN_FULL_MEMBERS]


def branch_committee(org: Organization, year: int, as_of: datetime.date, params: dict) -> Reading:
    """Branches of 7 full members or more without a branch committee (fewer than 3 on it)."""

    due = _with_committee_due(org)
    faults = []
    for branch, full in due:
        officers, _secretary = branch_officer_count(branch)
        if officers < org_rules.BRANCH_COMMITTEE_MIN_SIZE:
            faults.append({"org": branch.pk, "name": branch.name, "message": _(
                "%(full)d full members and %(officers)d on the committee.") % {"full": full, "officers": officers}})
    text = _("%(faults)d of %(due)d branches that need a committee have none.") % {"faults": len(faults), "due": len(due)}
    if faults:
        text += " " + _names(faults)
    return Reading(_share(len(due) - len(faults), len(due)), len(faults), text, {"due": len(due), "faults": faults})


def committee_posts(org: Organization, year: int, as_of: datetime.date, params: dict) -> Reading:
    """The organization, propaganda and discipline members missing from the last election of each branch
    that needs a committee."""

    due = _with_committee_due(org)
    missing = []
    for branch, _full in due:
        election = Election.objects.filter(org=branch, held_on__lte=as_of).order_by("-held_on", "-id").first()
        filled = set(election.officers.values_list("position", flat=True)) if election else set()
        missing += [{"org": branch.pk, "name": branch.name, "message": post} for post in rules.COMMITTEE_POSTS if post not in filled]
    posts = len(due) * len(rules.COMMITTEE_POSTS)
    text = _("%(missing)d of %(posts)d committee posts (organization, propaganda, discipline) not filled.") % {
        "missing": len(missing), "posts": posts}
    if missing:
        text += " " + _names(missing)
    return Reading(_share(posts - len(missing), posts), len(missing), text, {"posts": posts, "missing": missing})


def elections(org: Organization, year: int, as_of: datetime.date, params: dict) -> Reading:
    """Elections held in the year in the organization's subtree and not yet filed with the upper committee
    (every election recorded here had the upper committee's approval before it: orgs.life.elections)."""

    held = list(Election.objects.filter(org__path__startswith=org.path, held_on__year=year, held_on__lte=as_of).select_related("org"))
    unfiled = [e for e in held if e.filed_on is None or e.filed_on > as_of]
    text = _("%(held)d elections held in %(year)d, %(unfiled)d not filed with the upper committee.") % {
        "held": len(held), "year": year, "unfiled": len(unfiled)}
    detail = {"held": len(held), "unfiled": [{"org": e.org_id, "name": e.org.name, "held_on": e.held_on.isoformat()} for e in unfiled]}
    return Reading(_share(len(held) - len(unfiled), len(held)), len(unfiled), text, detail)


def org_life(org: Organization, year: int, as_of: datetime.date, params: dict) -> Reading:
    """Meetings due and missing in the year (orgs.life.compliance), of the kinds named (all by default)."""

    kinds = set(params.get("kinds") or MEETING_KINDS)
    # Judged at the end of `as_of`: a period ending that day (December, the fourth quarter, the year) is due.
    found = compliance(org, datetime.date(year, 1, 1), datetime.date(year, 12, 31), on=as_of + datetime.timedelta(days=1))
    due = missing = 0
    short = []
    for each in found["organizations"]:
        for requirement in each["requirements"]:
            if requirement["kind"] in kinds:
                due += requirement["due"]
                missing += requirement["missing"]
                if requirement["missing"]:
                    short.append({"org": each["org"], "name": each["name"], "message": _(
                        "%(label)s: %(missing)d of %(due)d missing") % {**requirement}})
    text = _("%(missing)d of %(due)d meetings due in %(year)d were not held.") % {"missing": missing, "due": due, "year": year}
    if short:
        text += " " + _names(short)
    return Reading(_share(due - missing, due), missing, text, {"due": due, "missing": missing, "short": short})


def dues(org: Organization, year: int, as_of: datetime.date, params: dict) -> Reading:
    """Dues collected in full (the members' owed months paid) and remitted on time (each quarter with
    collections remitted by its deadline); the share is the lesser of the two."""

    people = owing_people().filter(org__path__startswith=org.path)
    owed = paid = 0
    for lines in month_lines(people, year_months(year), as_of).values():
        paid += sum(1 for line in lines if line.status == MonthStatus.PAID)
        owed += sum(1 for line in lines if line.status in (MonthStatus.PAID, MonthStatus.OVERDUE))
    remitting = [o for o in org.subtree().order_by("path") if o.kind in REMITTING_KINDS and o.parent_id]
    remitted = {(r.org_id, r.quarter): r for r in Remittance.objects.filter(org__in=remitting, year=year)}
    expected = on_time = 0
    late = []
    for each in remitting:
        for quarter in (1, 2, 3, 4):
            remittance = remitted.get((each.pk, quarter))
            deadline = remittance_deadline(year, quarter)
            if remittance is None and (deadline >= as_of or quarter_collected(each, year, quarter) <= 0):
                continue  # nothing collected, or not yet due
            expected += 1
            if remittance is not None and remittance.remitted_on <= deadline:
                on_time += 1
            else:
                late.append({"org": each.pk, "name": each.name, "message": f"{year}Q{quarter}"})
    shares = [share for share in (_share(paid, owed), _share(on_time, expected)) if share is not None]
    text = _("%(paid)d of %(owed)d owed months paid; %(on_time)d of %(expected)d quarterly remittances on time.") % {
        "paid": paid, "owed": owed, "on_time": on_time, "expected": expected}
    if late:
        text += " " + _("Late or missing: %(quarters)s") % {"quarters": _names(late)}
    detail = {"owed": owed, "paid": paid, "remittances_due": expected, "on_time": on_time, "late": late}
    return Reading(min(shares) if shares else None, (owed - paid) + len(late), text, detail)


def conversion(org: Organization, year: int, as_of: datetime.date, params: dict) -> Reading:
    """Probationary members whose probation ended in the year: converted to full members, or cancelled."""

    records = AdmissionRecord.objects.filter(process__org__path__startswith=org.path)
    converted = records.filter(converted_on__year=year, converted_on__lte=as_of).count()
    cancelled = records.filter(outcome=Outcome.PROBATION_CANCELLED, ended_on__year=year, ended_on__lte=as_of).count()
    text = _("%(converted)d of %(ended)d probations ended in %(year)d were converted.") % {
        "converted": converted, "ended": converted + cancelled, "year": year}
    return Reading(_share(converted, converted + cancelled), cancelled, text, {"converted": converted, "cancelled": cancelled})


def archive(org: Organization, year: int, as_of: datetime.date, params: dict) -> Reading:
    """Members whose archive holds the application and the admission form, and for full members the
    application for conversion (DOMAIN.md §9)."""

    people = Person.objects.filter(
        org__path__startswith=org.path, status=Status.ACTIVE, stage__in=(Stage.PROBATIONARY, Stage.FULL)
    ).order_by("id")
    held: dict[int, set[str]] = {}
    for person_id, kind in ArchiveEntry.objects.filter(person__in=people, event_date__lte=as_of).values_list("person_id", "kind"):
        held.setdefault(person_id, set()).add(kind)
    incomplete = []
    for person_id, name, stage in people.values_list("id", "name", "stage"):
        needed = {ArchiveKind.APPLICATION, ArchiveKind.ADMISSION_FORM}
        if stage == Stage.FULL:
            needed.add(ArchiveKind.CONVERSION_APPLICATION)
        if not needed <= held.get(person_id, set()):
            incomplete.append({"person": person_id, "name": name, "message": ", ".join(sorted(needed - held.get(person_id, set())))})
    total = len(people)
    text = _("%(complete)d of %(total)d members' archives hold their admission documents.") % {
        "complete": total - len(incomplete), "total": total}
    return Reading(_share(total - len(incomplete), total), len(incomplete), text, {"total": total, "incomplete": incomplete})


@dataclass(frozen=True)
class Source:
    label: str
    read: Callable[[Organization, int, datetime.date, dict], Reading]
    params: frozenset[str] = frozenset()


SOURCES: dict[str, Source] = {
    "structure": Source(_("Structure checks"), structure, frozenset({"checks", "scope"})),
    "branch_committee": Source(_("Branch committees"), branch_committee),
    "committee_posts": Source(_("Committee posts"), committee_posts),
    "elections": Source(_("Terms and elections"), elections),
    "org_life": Source(_("Organizational life"), org_life, frozenset({"kinds"})),
    "dues": Source(_("Dues collection and remittance"), dues),
    "conversion": Source(_("Admission: conversion rate"), conversion),
    "archive": Source(_("Member archives"), archive),
}


def source_problems(source) -> list[str]:
    """Why a criterion's `source` cannot be read, if it cannot."""
    if not isinstance(source, dict) or not isinstance(source.get("code"), str) or source["code"] not in SOURCES:
        return [_("Choose a source from: %(choices)s.") % {"choices": ", ".join(SOURCES)}]
    known = SOURCES[source["code"]]
    problems = [_("Unknown setting: %(key)s.") % {"key": key} for key in sorted(set(source) - {"code"} - known.params)]
    if source["code"] == "structure":
        checks = source.get("checks")
        if not isinstance(checks, list) or not checks or not all(isinstance(c, str) and c in STRUCTURE_CODES for c in checks):
            problems.append(_("Name the checks from: %(choices)s.") % {"choices": ", ".join(STRUCTURE_CODES)})
        if source.get("scope", "self") not in SCOPES:
            problems.append(_("Choose a scope from: %(choices)s.") % {"choices": ", ".join(SCOPES)})
    kinds = source.get("kinds")
    if kinds is not None and (not isinstance(kinds, list) or not all(isinstance(k, str) and k in MEETING_KINDS for k in kinds)):
        problems.append(_("Name the meetings from: %(choices)s.") % {"choices": ", ".join(MEETING_KINDS)})
    return problems


def read(source: dict, org: Organization, year: int, as_of: datetime.date) -> Reading:
    return SOURCES[source["code"]].read(org, year, as_of, source)


def suggestion(kind: str, points: Decimal, maximum: Decimal | None, reading: Reading) -> Decimal | None:
    """The value a reading suggests for a criterion: an award's points by the share, a deduction's count."""
    if kind == "award":
        return None if reading.ratio is None else (points * reading.ratio).quantize(POINTS, rounding=ROUND_HALF_UP)
    if reading.count is None:
        return None
    count = Decimal(reading.count)
    return min(count, maximum) if maximum is not None else count
