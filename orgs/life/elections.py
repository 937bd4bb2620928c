"""Elections of branch committees (or secretaries) and primary committees (DOMAIN.md §2).

An election needs the upper committee's approval before it and is filed with it after. Recording
one starts the organization's new term; the 6-month warning before a term ends is orgs.checks'.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date
from core.exceptions import Conflict, RuleViolation
from members.models import Stage, Status
from orgs.checks import TERM_YEARS
from orgs.models import Organization, OrgKind

from .models import ElectedOfficer, Election, Position
from .selectors import members_of


def _clean_officers(org: Organization, officers: Iterable[Mapping[str, Any]]) -> list[tuple[int, str]]:
    rows = [(row.get("person"), row.get("position")) for row in officers]
    # Only full members may be elected (党章第四条: 预备党员没有表决权、选举权和被选举权).
    eligible = set(
        members_of(org, (Status.ACTIVE,))
        .filter(stage=Stage.FULL, pk__in=[person for person, _position in rows if isinstance(person, int)])
        .values_list("pk", flat=True)
    )
    problems, seen = [], set()
    for number, (person_id, position) in enumerate(rows, start=1):
        if person_id not in eligible:
            problems.append(
                _("Row %(row)d: only an active full member of this organization can be elected.") % {"row": number}
            )
        elif person_id in seen:
            problems.append(_("Row %(row)d: this person is already on the list.") % {"row": number})
        if position not in Position.values:
            problems.append(_("Row %(row)d: “%(position)s” is not a position.") % {"row": number, "position": position})
        seen.add(person_id)
    secretaries = sum(1 for _person, position in rows if position == Position.SECRETARY)
    if secretaries != 1:
        problems.append(_("Exactly one secretary is elected."))
    if problems:
        raise RuleViolation(problems[0], errors={"officers": problems})
    return rows


def record_election(
    *,
    actor,
    org: Organization,
    approved_on: datetime.date,
    held_on: datetime.date,
    officers: Iterable[Mapping[str, Any]],
    filed_on: datetime.date | None = None,
    note: str = "",
) -> Election:
    """Record an election held with the upper committee's prior approval, and start the new term from it."""
    if OrgKind(org.kind) not in TERM_YEARS:
        raise RuleViolation(_("This organization is not elected: it has no terms."), field="org")
    check_event_date(approved_on, field="approved_on")
    check_event_date(held_on, field="held_on")
    if approved_on > held_on:
        raise RuleViolation(
            _("The upper committee approves an election before it is held; this approval came after."),
            field="approved_on",
        )
    if filed_on is not None:
        _check_filing_date(held_on, filed_on)
    rows = _clean_officers(org, officers)
    with action(actor):
        election = Election.objects.create(
            org=org, approved_on=approved_on, held_on=held_on, filed_on=filed_on, note=note or "", recorded_by=actor
        )
        for person_id, position in rows:
            ElectedOfficer.objects.create(election=election, person_id=person_id, position=position)
        # An older election entered from paper does not move the current term back.
        if org.term_started_on is None or held_on > org.term_started_on:
            org.term_started_on = held_on
            org.save(update_fields=["term_started_on"])
    return election


def _check_filing_date(held_on: datetime.date, filed_on: datetime.date) -> None:
    check_event_date(filed_on, field="filed_on")
    if filed_on < held_on:
        raise RuleViolation(_("An election is filed with the upper committee after it is held."), field="filed_on")


def file_election(*, actor, election: Election, date: datetime.date) -> Election:
    """Record the filing of the election's result with the upper committee."""
    _check_filing_date(election.held_on, date)
    with action(actor):
        election = Election.objects.select_for_update().get(pk=election.pk)
        if election.filed_on is not None:
            raise Conflict(_("This election has already been filed."))
        election.filed_on = date
        election.save(update_fields=["filed_on"])
    return election
