"""The annual development plan (发展党员计划): quotas per primary committee and structure targets, set by the county.

An admission vote that passes beyond the committee's quota for the year needs the county's recorded
approval of places beyond it (seeds 000 and 003: 指标倾斜, 对年龄、性别、学历等方面提出刚性要求).
"""

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import action
from core.dates import check_event_date
from core.exceptions import RuleViolation
from members.models import Category, Person, Sex
from orgs.access import can
from orgs.models import Organization, OrgKind

from ..engine import APPROVE
from ..models import DevelopmentPlan, QuotaApproval, StepRecord

YOUTH_MAX_AGE = 35  # 35岁以下 (以下 includes 35): the age target of the seeds
# Education at college level or above (大专及以上), as the education field is written.
COLLEGE_LEVELS = ("大专", "专科", "本科", "学士", "研究生", "硕士", "博士")

# The structure targets: each the least number of the year's admissions (by vote date) in a group.
STRUCTURE_TARGETS: dict[str, Any] = {
    "youth": gettext_lazy("Aged 35 or under"),
    "female": gettext_lazy("Women"),
    "college": gettext_lazy("College education or above"),
    "young_farmers": gettext_lazy("Young farmers"),
    "graduates": gettext_lazy("Young graduates"),
    "non_public_enterprise": gettext_lazy("Non-public enterprises"),
}


def _age_on(person: Person, day: datetime.date) -> int:
    return relativedelta(day, person.birth_date).years


def _college(person: Person) -> bool:
    return any(level in (person.education or "") for level in COLLEGE_LEVELS)


def in_group(group: str, person: Person, on: datetime.date) -> bool:
    """Whether a person admitted on a day counts towards a structure target."""
    young = _age_on(person, on) <= YOUTH_MAX_AGE
    return {
        "youth": young,
        "female": person.sex == Sex.FEMALE,
        "college": _college(person),
        "young_farmers": young and person.category == Category.VILLAGE,
        "graduates": young and (_college(person) or person.category == Category.STUDENT),
        "non_public_enterprise": person.category == Category.NON_PUBLIC_ENTERPRISE,
    }[group]


def _require_county(actor, committee: Organization) -> None:
    if not can(actor, "act_county_step", committee):
        raise PermissionDenied


def _check_committee(committee: Organization) -> None:
    if committee.kind != OrgKind.COMMITTEE or not committee.approval_authority:
        raise RuleViolation(_("Plans are set for primary committees that approve admissions."), field="committee")


def _clean_targets(targets: Any) -> dict[str, int]:
    if not isinstance(targets, dict):
        raise RuleViolation(_("The targets are an object of groups and numbers."), field="targets")
    unknown = set(targets) - set(STRUCTURE_TARGETS)
    if unknown:
        raise RuleViolation(
            _("Unknown targets: %(names)s; the targets are %(known)s.")
            % {"names": ", ".join(sorted(unknown)), "known": ", ".join(STRUCTURE_TARGETS)},
            field="targets",
        )
    if any(isinstance(value, bool) or not isinstance(value, int) or value < 0 for value in targets.values()):
        raise RuleViolation(_("Each target is a whole number of admissions."), field="targets")
    return dict(targets)


def set_development_plan(*, actor, year: int, committee: Organization, quota: int, targets: Any = None) -> DevelopmentPlan:
    """The county sets (or revises) a committee's quota and structure targets for a year."""
    _require_county(actor, committee)
    _check_committee(committee)
    cleaned = _clean_targets(targets or {})
    if sum(cleaned.values()) and max(cleaned.values()) > quota:
        raise RuleViolation(_("A target cannot exceed the quota."), field="targets")
    with action(actor):
        plan, _created = DevelopmentPlan.objects.update_or_create(
            year=year, committee=committee, defaults={"quota": quota, "targets": cleaned, "set_by": actor}
        )
    return plan


def approve_places_beyond_quota(
    *, actor, year: int, committee: Organization, places: int, reason: str, approved_on: datetime.date
) -> QuotaApproval:
    """The county's recorded approval of admissions beyond a committee's quota."""
    _require_county(actor, committee)
    _check_committee(committee)
    check_event_date(approved_on, field="approved_on")
    if places < 1:
        raise RuleViolation(_("Approve at least one place."), field="places")
    if not (reason or "").strip():
        raise RuleViolation(_("Record the reason for the places beyond the quota."), field="reason")
    with action(actor):
        return QuotaApproval.objects.create(
            year=year, committee=committee, places=places, reason=reason.strip(), approved_on=approved_on, approved_by=actor
        )


def admissions_voted(committee: Organization, year: int) -> QuerySet[StepRecord]:
    """The admission votes passed in the committee's subtree in the year (the year's admissions)."""
    return StepRecord.objects.filter(
        Q(process__org__path__startswith=committee.path),
        step="admission_vote",
        decision=APPROVE,
        event_date__year=year,
    )


def places_for(committee: Organization, year: int) -> int | None:
    """The quota plus the places the county approved beyond it; None where the year has no plan."""
    plan = DevelopmentPlan.objects.filter(committee=committee, year=year).first()
    if plan is None:
        return None
    extra = QuotaApproval.objects.filter(committee=committee, year=year).aggregate(total=Sum("places"))["total"] or 0
    return plan.quota + extra


def plan_against_actual(committee: Organization, year: int) -> dict[str, Any]:
    """The plan of a committee for a year beside what its branches have admitted so far."""
    plan = DevelopmentPlan.objects.filter(committee=committee, year=year).first()
    votes = list(admissions_voted(committee, year).select_related("process__person"))
    actual = {group: sum(in_group(group, vote.process.person, vote.event_date) for vote in votes) for group in STRUCTURE_TARGETS}
    return {
        "committee": committee.pk,
        "committee_name": committee.name,
        "year": year,
        "quota": plan.quota if plan else None,
        "places": places_for(committee, year),
        "admitted": len(votes),
        "targets": [
            {"group": group, "label": str(label), "target": (plan.targets.get(group) if plan else None), "actual": actual[group]}
            for group, label in STRUCTURE_TARGETS.items()
        ],
    }
