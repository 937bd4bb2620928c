"""Cases proposed from data (DOMAIN.md §6), each with its evidence; a person decides whether to open one.

Each ground has sources: functions of a day answering the members it applies to, with the day the
facts began and the evidence. The built-in sources read organizational life, dues, the work done on
members' posts (设岗定责), lost contact, the democratic appraisal and rectifications that ended without
change. Other modules register theirs without this module importing them:

- `score_unqualified`: scoring registers the source of the members whose score triggers a disposition
  consequence (scoring.proposals, from ScoringConfig.ready);
- lost contact: a module with contact records (mobile members, transfers) registers the day of the
  last contact with `register_last_contact`; without one, the day the status became `lost_contact`.

`refresh_proposals` stores what the sources find in DispositionProposal, idempotently: a Celery beat
task runs it daily in every county, a county admin runs it on demand.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet

from core.actions import action
from core.dates import today
from dues.selectors import persons_with_consecutive_unpaid
from members.models import Person, Status
from members.statuses import status_since
from orgs.access import scope
from orgs.life.selectors import people_without_assigned_work, people_without_org_life, unqualified_in_appraisal

from .. import disposition_rules as rule
from ..models import DispositionCase, DispositionProposal, Grounds, RectificationResult


@dataclass(frozen=True)
class Finding:
    """A member a ground applies to: since when, and the evidence shown with the proposal."""

    person: Person
    since: datetime.date
    evidence: dict[str, Any] = field(default_factory=dict)


ProposalSource = Callable[[datetime.date], Iterable[Finding]]
LastContact = Callable[[Person], datetime.date | None]

_sources: dict[str, list[ProposalSource]] = {}
_last_contacts: list[LastContact] = []


def register_source(grounds: str, source: ProposalSource) -> None:
    """Add a source of proposals on these grounds (e.g. scoring's unqualified grades)."""
    if grounds not in Grounds.values:
        raise ValueError(f"Unknown disposition grounds {grounds!r}.")
    sources = _sources.setdefault(grounds, [])
    if source not in sources:
        sources.append(source)


def unregister_source(grounds: str, source: ProposalSource) -> None:
    if source in _sources.get(grounds, []):
        _sources[grounds].remove(source)


def register_last_contact(source: LastContact) -> None:
    """Add a reader of the day a member was last reached (contact records of mobile members)."""
    if source not in _last_contacts:
        _last_contacts.append(source)


def unregister_last_contact(source: LastContact) -> None:
    if source in _last_contacts:
        _last_contacts.remove(source)


def _months_between(start: datetime.date, end: datetime.date) -> int:
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


# --- Built-in sources --------------------------------------------------------------------------------


def no_org_life(on: datetime.date) -> Iterable[Finding]:
    """党章第三十八条: 6 consecutive months without organizational life (orgs.life)."""
    for gap in people_without_org_life(rule.SELF_LAPSE_MONTHS, as_of=on):
        last = gap.last_org_life.isoformat() if gap.last_org_life else None
        yield Finding(gap.person, gap.since, {"months": gap.months, "last_org_life": last})


def dues_unpaid(on: datetime.date) -> Iterable[Finding]:
    """党章第三十八条: 6 consecutive months without paying dues (the dues module's last arrears computation)."""
    for person in persons_with_consecutive_unpaid(rule.SELF_LAPSE_MONTHS).select_related("dues_arrears"):
        arrears = person.dues_arrears
        evidence = {
            "consecutive_unpaid": arrears.consecutive_unpaid,
            "months_unpaid": arrears.months_unpaid,
            "as_of": arrears.as_of.isoformat(),
        }
        yield Finding(person, arrears.since, evidence)


def no_assigned_work(on: datetime.date) -> Iterable[Finding]:
    """党章第三十八条: 6 consecutive months without doing the work the party assigned: a post (设岗定责) on which
    no work was recorded for 6 whole months (orgs.life)."""
    for gap in people_without_assigned_work(rule.SELF_LAPSE_MONTHS, as_of=on):
        posts = [
            {
                "post": idle.post.title,
                "assigned_on": idle.post.assigned_on.isoformat(),
                "last_work": idle.last_work.isoformat() if idle.last_work else None,
                "months": idle.months,
            }
            for idle in gap.posts
        ]
        yield Finding(gap.person, gap.since, {"months": gap.months, "posts": posts})


def lost_contact_since(person: Person) -> datetime.date:
    """The day of the last contact a registered reader knows of, else the day the status became `lost_contact`."""
    known = [day for day in (source(person) for source in _last_contacts) if day is not None]
    return max(known) if known else status_since(person)


def _lost_contact(on: datetime.date, at_least: int, below: int | None) -> Iterable[Finding]:
    for person in Person.objects.filter(status=Status.LOST_CONTACT, stage__in=rule.MEMBER_STAGES):
        since = lost_contact_since(person)
        months = _months_between(since, on)
        if months >= at_least and (below is None or months < below):
            yield Finding(person, since, {"months": months, "lost_contact_since": since.isoformat()})


def lost_contact_6m(on: datetime.date) -> Iterable[Finding]:
    """DOMAIN.md §5: lost contact 6 months (suspension); the 2-year ground takes over from 24 months."""
    return _lost_contact(on, rule.LOST_CONTACT_SUSPENSION_MONTHS, rule.LOST_CONTACT_REMOVAL_MONTHS)


def lost_contact_2y(on: datetime.date) -> Iterable[Finding]:
    """DOMAIN.md §5: still unreachable after 2 years, removed as self-lapsed."""
    return _lost_contact(on, rule.LOST_CONTACT_REMOVAL_MONTHS, None)


def appraisal_unqualified(on: datetime.date) -> Iterable[Finding]:
    """Unqualified in a democratic appraisal decided this year or the last (orgs.life)."""
    years = (on.year - 1, on.year)
    unqualified = {year: list(unqualified_in_appraisal(year)) for year in years}
    last_year_ids = {result.person_id for result in unqualified[years[0]]}
    for year in years:
        for result in unqualified[year]:
            appraisal = result.appraisal
            if appraisal.decided_on > on:
                continue
            evidence = {
                "year": year,
                "appraisal": appraisal.pk,
                "org": appraisal.org.name,
                "two_years_running": year == years[1] and result.person_id in last_year_ids,
            }
            yield Finding(result.person, appraisal.decided_on, evidence)


def rectification_unchanged(on: datetime.date) -> Iterable[Finding]:
    """A rectification whose period ended without change comes back as a new case."""
    cases = DispositionCase.objects.filter(
        rectification_result=RectificationResult.UNCHANGED, person__status=Status.RECTIFYING, ended_on__lte=on
    ).select_related("person")
    for case in cases:
        evidence = {"case": case.process_id, "rectification_deadline": case.rectification_deadline.isoformat()}
        yield Finding(case.person, case.ended_on, evidence)


for _grounds, _source in (
    (Grounds.NO_ORG_LIFE_6M, no_org_life),
    (Grounds.DUES_UNPAID_6M, dues_unpaid),
    (Grounds.NO_ASSIGNED_WORK_6M, no_assigned_work),
    (Grounds.LOST_CONTACT_6M, lost_contact_6m),
    (Grounds.LOST_CONTACT_2Y, lost_contact_2y),
    (Grounds.APPRAISAL_UNQUALIFIED, appraisal_unqualified),
    (Grounds.RECTIFICATION_UNCHANGED, rectification_unchanged),
):
    register_source(_grounds, _source)


# --- Refresh -----------------------------------------------------------------------------------------


def _under_way() -> set[int]:
    return set(DispositionCase.objects.filter(process__finished__isnull=True).values_list("person_id", flat=True))


def findings(on: datetime.date) -> dict[tuple[int, str, datetime.date], Finding]:
    """What every source finds on the day, for members on the roll without a case under way."""
    skip = _under_way()
    found: dict[tuple[int, str, datetime.date], Finding] = {}
    for grounds, sources in _sources.items():
        for source in sources:
            for finding in source(on):
                person = finding.person
                if person.pk in skip or person.stage not in rule.MEMBER_STAGES or person.status in rule.ENDED_STATUSES:
                    continue
                found.setdefault((person.pk, grounds, finding.since), finding)
    return found


def refresh_proposals(*, actor=None, on: datetime.date | None = None) -> dict[str, int]:
    """Bring the stored proposals in line with the data: new ones added, changed evidence updated, the ones
    whose facts are gone removed. Proposals a case was opened from stay, linked to their case.

    Running it twice, or twice at once, leaves the same rows: the facts (person, grounds, since) are unique.
    """
    on = on or today()
    found = findings(on)
    new, updated = [], 0
    with action(actor):
        existing = {
            (proposal.person_id, proposal.grounds, proposal.since): proposal
            for proposal in DispositionProposal.objects.all()
        }
        for key, finding in found.items():
            proposal = existing.get(key)
            if proposal is None:
                new.append(
                    DispositionProposal(
                        person=finding.person, grounds=key[1], since=finding.since, evidence=finding.evidence
                    )
                )
            elif proposal.case_id is None and proposal.evidence != finding.evidence:
                proposal.evidence = finding.evidence
                proposal.save(update_fields=["evidence", "refreshed_at"])
                updated += 1
        DispositionProposal.objects.bulk_create(new, ignore_conflicts=True)
        gone = [proposal.pk for key, proposal in existing.items() if proposal.case_id is None and key not in found]
        DispositionProposal.objects.filter(pk__in=gone).delete()
    return {"created": len(new), "updated": updated, "removed": len(gone), "open": open_proposals().count()}


# --- Reads -------------------------------------------------------------------------------------------


def open_proposals() -> QuerySet[DispositionProposal]:
    """Proposals no case has been opened from, for people without a case under way."""
    return (
        DispositionProposal.objects.filter(case__isnull=True)
        .exclude(person_id__in=DispositionCase.objects.filter(process__finished__isnull=True).values("person_id"))
        .select_related("person", "person__org")
    )


def proposals_visible_to(user) -> QuerySet[DispositionProposal]:
    if not getattr(user, "is_authenticated", False):
        return DispositionProposal.objects.none()
    return open_proposals().filter(scope(user, "view_dispositions", "person__org__"))
