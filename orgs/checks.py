"""Structure warnings of DOMAIN.md §2. The system warns; it never blocks a change because of them."""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from core.dates import today

from . import rules
from .models import Organization, OrgKind
from .selectors import branch_officer_count, full_member_count, group_member_counts

WARNING = "warning"
INFO = "info"

# Temporary branches gather members whose membership stays with their own branch, and are not
# elected: size, committee and term rules do not apply to them.
ELECTED_BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH)
TERM_YEARS = {
    OrgKind.BRANCH: rules.BRANCH_TERM_YEARS,
    OrgKind.JOINT_BRANCH: rules.BRANCH_TERM_YEARS,
    OrgKind.GENERAL_BRANCH: rules.BRANCH_TERM_YEARS,
    OrgKind.COMMITTEE: rules.COMMITTEE_TERM_YEARS,
}


def _warning(code: str, message: str, level: str = WARNING) -> dict[str, str]:
    return {"code": code, "message": message, "level": level}


def _size_warnings(org: Organization, full: int) -> list[dict[str, str]]:
    warnings = []
    if full > rules.COMMITTEE_ABOVE_FULL_MEMBERS:
        warnings.append(
            _warning(
                "committee_expected",
                _("%(count)d full members: over %(limit)d, a primary committee is expected.")
                % {"count": full, "limit": rules.COMMITTEE_ABOVE_FULL_MEMBERS},
            )
        )
    elif full > rules.GENERAL_BRANCH_ABOVE_FULL_MEMBERS and org.kind != OrgKind.GENERAL_BRANCH:
        warnings.append(
            _warning(
                "general_branch_expected",
                _("%(count)d full members: over %(limit)d, a general branch is expected.")
                % {"count": full, "limit": rules.GENERAL_BRANCH_ABOVE_FULL_MEMBERS},
            )
        )
    return warnings


def _branch_warnings(org: Organization, full: int) -> list[dict[str, str]]:
    warnings = []
    if full < rules.BRANCH_MIN_FULL_MEMBERS:
        warnings.append(
            _warning(
                "too_few_full_members",
                _("%(count)d full members: a branch needs at least %(minimum)d.")
                % {"count": full, "minimum": rules.BRANCH_MIN_FULL_MEMBERS},
            )
        )
    officers, has_secretary = branch_officer_count(org)
    if not has_secretary:
        warnings.append(_warning("no_secretary", _("The branch has no secretary.")))
    if full < rules.BRANCH_COMMITTEE_MIN_FULL_MEMBERS:
        if officers > rules.SECRETARY_ONLY_MAX_OFFICERS:
            warnings.append(
                _warning(
                    "committee_not_expected",
                    _(
                        "Fewer than %(minimum)d full members: no branch committee is expected, "
                        "only a secretary (and a deputy if needed)."
                    )
                    % {"minimum": rules.BRANCH_COMMITTEE_MIN_FULL_MEMBERS},
                )
            )
    elif not rules.BRANCH_COMMITTEE_MIN_SIZE <= officers <= rules.BRANCH_COMMITTEE_MAX_SIZE:
        warnings.append(
            _warning(
                "committee_size",
                _(
                    "%(count)d full members: a branch committee of %(low)d to %(high)d members is expected; it has %(size)d."
                )
                % {
                    "count": full,
                    "low": rules.BRANCH_COMMITTEE_MIN_SIZE,
                    "high": rules.BRANCH_COMMITTEE_MAX_SIZE,
                    "size": officers,
                },
            )
        )
    if org.kind == OrgKind.JOINT_BRANCH and org.units > rules.JOINT_BRANCH_MAX_UNITS:
        warnings.append(
            _warning(
                "joint_branch_too_many_units",
                _("A joint branch covers at most %(maximum)d units; this one covers %(units)d.")
                % {"maximum": rules.JOINT_BRANCH_MAX_UNITS, "units": org.units},
            )
        )
    return warnings


def _group_warnings(org: Organization) -> list[dict[str, str]]:
    members, full = group_member_counts(org)
    warnings = []
    if members < rules.PARTY_GROUP_MIN_MEMBERS:
        warnings.append(
            _warning(
                "group_too_small",
                _("A party group has at least %(minimum)d members; this one has %(count)d.")
                % {"minimum": rules.PARTY_GROUP_MIN_MEMBERS, "count": members},
            )
        )
    if full < rules.PARTY_GROUP_MIN_FULL_MEMBERS:
        warnings.append(_warning("group_without_full_member", _("A party group needs at least one full member.")))
    return warnings


def term_ends_on(org: Organization) -> datetime.date | None:
    years = TERM_YEARS.get(OrgKind(org.kind))
    if years is None or org.term_started_on is None:
        return None
    return org.term_started_on + relativedelta(years=years)


def _term_warnings(org: Organization, on: datetime.date) -> list[dict[str, str]]:
    if OrgKind(org.kind) not in TERM_YEARS:
        return []
    ends_on = term_ends_on(org)
    if ends_on is None:
        return [_warning("term_start_unknown", _("The start of the current term is not recorded."), INFO)]
    if on >= ends_on:
        return [
            _warning(
                "term_overdue", _("The term ended on %(date)s: an election is overdue.") % {"date": ends_on.isoformat()}
            )
        ]
    if on >= ends_on - relativedelta(months=rules.TERM_WARNING_MONTHS):
        return [
            _warning(
                "term_ending",
                _("The term ends on %(date)s: prepare the election (it needs the upper committee's approval).")
                % {"date": ends_on.isoformat()},
            )
        ]
    return []


def structure_warnings(org: Organization, on: datetime.date | None = None) -> list[dict[str, str]]:
    """The warnings of DOMAIN.md §2 for one organization, as [{"code", "message", "level"}]."""
    on = on or today()
    kind = OrgKind(org.kind)
    warnings: list[dict[str, str]] = []
    if kind in ELECTED_BRANCH_KINDS:
        full = full_member_count(org)
        warnings += _branch_warnings(org, full)
        warnings += _size_warnings(org, full)
    elif kind == OrgKind.GENERAL_BRANCH:
        warnings += _size_warnings(org, full_member_count(org))
    elif kind == OrgKind.GROUP:
        warnings += _group_warnings(org)
    warnings += _term_warnings(org, on)
    return warnings
