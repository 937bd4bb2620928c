"""Disciplinary sanctions (党纪处分) of members, recorded as decided with the number of their decision.

The sanction is decided elsewhere (the discipline inspection commission, the party organization); the
county records it so that the rules reading it have it: a disposition measure does not duplicate it for
the same facts (workflows.disposition_rules), the member archive keeps it (DOMAIN.md §9), and scoring's
feeds read it (scoring.feeds: `heavy_sanction` zeroes the year, `minor_sanction` costs points).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date
from core.exceptions import RuleViolation
from members import archive
from members.models import ArchiveKind, Person
from orgs.access import can, scope

from .. import disposition_rules as rule
from ..models import DisciplinarySanction, SanctionKind


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise RuleViolation(message, field=field)
    return value


def check_probation_months(kind: str, months: int | None) -> int | None:
    """党章第四十二条: probation within the party lasts one year or two; other sanctions have no period."""
    if kind != SanctionKind.PARTY_PROBATION:
        if months is not None:
            raise RuleViolation(_("Only probation within the party has a period."), field="probation_months")
        return None
    if months not in rule.PARTY_PROBATION_MONTHS:
        raise RuleViolation(
            _("Probation within the party lasts one year or two (12 or 24 months)."), field="probation_months"
        )
    return months


def record_sanction(
    *,
    actor,
    person: Person,
    kind: str,
    reference: str,
    decided_on: datetime.date,
    decided_by: str,
    probation_months: int | None = None,
    note: str = "",
) -> DisciplinarySanction:
    """Record a sanction decided for a party member and file it into the member's archive."""
    if not can(actor, "record_sanction", person.org):
        raise PermissionDenied
    if person.stage not in rule.MEMBER_STAGES:
        raise RuleViolation(_("A disciplinary sanction is recorded for a party member."), field="person")
    if kind not in SanctionKind.values:
        raise RuleViolation(
            _("Choose from: %(choices)s.") % {"choices": ", ".join(SanctionKind.values)}, field="kind"
        )
    reference = _required(reference, "reference", _("Give the number of the decision."))
    decided_by = _required(decided_by, "decided_by", _("Name who decided the sanction."))
    check_event_date(decided_on, field="decided_on")
    probation_months = check_probation_months(kind, probation_months)
    if DisciplinarySanction.objects.filter(person=person, reference=reference).exists():
        raise RuleViolation(_("This decision is already recorded for this person."), field="reference")
    with action(actor):
        sanction = DisciplinarySanction.objects.create(
            person=person,
            kind=kind,
            reference=reference,
            decided_on=decided_on,
            decided_by=decided_by,
            probation_months=probation_months,
            note=note or "",
            recorded_by=actor,
        )
        archive.file_entry(
            actor=actor,
            person=person,
            kind=ArchiveKind.SANCTION,
            title=f"{SanctionKind(kind).label} {reference}",
            event_date=decided_on,
            data={"kind": kind, "reference": reference, "decided_by": decided_by, "probation_months": probation_months},
        )
    return sanction


def sanctions_visible_to(user) -> QuerySet[DisciplinarySanction]:
    if not getattr(user, "is_authenticated", False):
        return DisciplinarySanction.objects.none()
    return DisciplinarySanction.objects.filter(scope(user, "view_dispositions", "person__org__")).select_related(
        "person"
    )
