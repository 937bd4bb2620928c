"""Writes of scoring: schemes and their versions, entries from declaration to final, objections,
feeds, results and publications. Each runs in one audited action; a rule violation writes nothing."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import Conflict, RuleViolation
from members.models import Person
from orgs.access import can, is_county_admin
from orgs.models import Organization
from orgs.selectors import branch_of, root_organization
from workflows.engine import OPEN_STATUSES, REASON_FIELD, SUBMIT
from workflows.flows.scoring import ScoringReviewFlow
from workflows.models import StepRecord, StepTask
from workflows.rules import is_official_workday
from workflows.services.tasks import complete_task, track_open_tasks

from . import rules
from .compute import compute_results, scheme_for_category, schemes_in_force
from .config import ConfigError, Item, SchemeConfig, parse_config
from .feeds import FEEDS
from .models import (
    ApprovalLevel,
    Entry,
    EntryDecision,
    EntryStatus,
    Objection,
    Period,
    PostHolding,
    Publication,
    Responsibility,
    Result,
    Scheme,
    SchemeVersion,
)
from .presets import PRESETS, preset_config

APPROVE, REJECT = "approve", "reject"
DECISIONS = (APPROVE, REJECT)


# --- schemes ------------------------------------------------------------------------------------------


def read_config(config: Any) -> SchemeConfig:
    """The configuration read and checked, or a RuleViolation naming each problem under `config.`."""
    try:
        return parse_config(config)
    except ConfigError as error:
        errors = {f"config.{path}" if path else "config": messages for path, messages in error.errors.items()}
        raise RuleViolation(_("The scheme's configuration is not valid."), errors=errors) from error


def _require_scheme_manager(actor) -> None:
    if not can(actor, "manage_schemes", root_organization()):
        raise PermissionDenied


def create_scheme(
    *,
    actor,
    year: int,
    name: str,
    preset: str = "",
    config: dict | None = None,
    category: str = "",
    profile: str = "",
) -> Scheme:
    """A county picks a scheme for a year (and a member category): a preset fills the configuration."""
    _require_scheme_manager(actor)
    if preset and preset not in PRESETS:
        raise RuleViolation(_("Choose one of the presets."), field="preset")
    if config is None:
        if not preset:
            raise RuleViolation(_("Choose a preset or give a configuration."), field="config")
        config = preset_config(preset, category=category, profile=profile)
    read_config(config)
    if Scheme.objects.filter(year=year, category=category).exists():
        raise RuleViolation(_("The county already has a scheme for this year and category; edit it."), field="year")
    with action(actor):
        scheme = Scheme.objects.create(
            year=year, category=category, preset=preset, name=name, config=config, created_by=actor
        )
        SchemeVersion.objects.create(scheme=scheme, version=1, name=name, config=config, changed_by=actor)
        compute_results(year)
    return scheme


def update_scheme(*, actor, scheme: Scheme, name: str | None = None, config: dict | None = None, note: str = "") -> Scheme:
    """Edit a scheme: the version before stays on record, and the year's results are recomputed."""
    _require_scheme_manager(actor)
    if config is not None:
        new = read_config(config)
        used = set(Entry.objects.filter(scheme=scheme).values_list("item", flat=True).distinct())
        missing = sorted(used - set(new.items))
        if missing:
            raise RuleViolation(
                _("Items with entries cannot be removed: %(items)s.") % {"items": ", ".join(missing)}, field="config"
            )
    with action(actor):
        scheme.name = name or scheme.name
        scheme.config = scheme.config if config is None else config
        scheme.version += 1
        scheme.save()
        SchemeVersion.objects.create(
            scheme=scheme, version=scheme.version, name=scheme.name, config=scheme.config, note=note, changed_by=actor
        )
        compute_results(scheme.year)
    return scheme


# --- entries ------------------------------------------------------------------------------------------


def scheme_in_force_for(person: Person, year: int) -> tuple[Scheme, SchemeConfig]:
    in_force = scheme_for_category(schemes_in_force(year), person.category)
    if in_force is None:
        raise RuleViolation(_("The county has no scoring scheme for %(year)s.") % {"year": year}, field="date")
    return in_force.scheme, in_force.config


def _quantity(item: Item, quantity: Any) -> Decimal:
    try:
        value = Decimal(str(quantity))
    except InvalidOperation as exc:
        raise RuleViolation(_("Enter a number."), field="quantity") from exc
    if not value.is_finite() or value <= 0:
        raise RuleViolation(_("The quantity must be greater than 0."), field="quantity")
    if value.as_tuple().exponent < -2:
        raise RuleViolation(_("Enter the quantity to two decimal places at most."), field="quantity")
    if (item.veto or item.counts_occurrences or item.per) and value != value.to_integral_value():
        raise RuleViolation(_("This item counts whole occurrences: enter a whole number."), field="quantity")
    return value


def _check_entry(person: Person, config: SchemeConfig, item_code: str, evidence: list) -> Item:
    item = config.items.get(item_code)
    if item is None:
        raise RuleViolation(_("The scheme has no item with this code."), field="item")
    if person.stage not in config.scored_stages:
        raise RuleViolation(_("The scheme does not score this person's stage."), field="person")
    if item.evidence and not evidence:
        raise RuleViolation(_("This item needs evidence."), field="evidence")
    return item


def _clean_evidence(evidence: Any) -> list[str]:
    if evidence in (None, ""):
        return []
    if isinstance(evidence, str):
        evidence = [evidence]
    if not isinstance(evidence, list) or not all(isinstance(part, str) for part in evidence):
        raise RuleViolation(_("Evidence is a list of document references."), field="evidence")
    return [part.strip() for part in evidence if part.strip()]


def _decide(entry: Entry, step: str, decision: str, date: datetime.date, actor, comment: str = "") -> None:
    EntryDecision.objects.create(entry=entry, step=step, decision=decision, event_date=date, actor=actor, comment=comment)


def _start_review(entry: Entry, actor) -> None:
    """Start the entry's review process: its tasks wait in the branch's (then the approver's) inbox."""
    process = ScoringReviewFlow.declaration.run(entry=entry, actor=actor)
    StepRecord.objects.create(
        process=process,
        task=process.task_set.get(flow_task=ScoringReviewFlow.declaration),
        step=ScoringReviewFlow.declaration.code,
        decision=SUBMIT,
        event_date=entry.date,
        actor=actor,
        on_behalf_of_person=None if entry.source == "member" else entry.person,
        data={"entry": entry.pk, "item": entry.item, "quantity": str(entry.quantity), "source": entry.source},
    )
    track_open_tasks(process)
    entry.process = process
    entry.save(update_fields=["process"])


def declare_entry(
    *,
    actor,
    person: Person,
    item: str,
    date: datetime.date,
    quantity: Any = 1,
    note: str = "",
    evidence: Any = None,
) -> Entry:
    """An entry declared by the member, or recorded by the branch (or a level above) for the member."""
    own = person.user_id is not None and person.user_id == actor.pk
    if not own and not can(actor, "record_score", person.org):
        raise PermissionDenied
    check_event_date(date)
    scheme, config = scheme_in_force_for(person, date.year)
    evidence = _clean_evidence(evidence)
    definition = _check_entry(person, config, item, evidence)
    amount = _quantity(definition, quantity)
    with action(actor):
        entry = Entry.objects.create(
            scheme=scheme,
            year=date.year,
            person=person,
            org=person.org,
            item=item,
            date=date,
            quantity=amount,
            note=(note or "").strip(),
            evidence=evidence,
            approval_level=definition.approval_level(definition.points * amount),
            source="member" if own else "branch",
            declared_by=actor,
        )
        _decide(entry, EntryDecision.Step.DECLARATION, "submit", date, actor)
        _start_review(entry, actor)
    return entry


def _lock(entry_id: int) -> Entry:
    return Entry.objects.select_for_update().select_related("person", "org").get(pk=entry_id)


def _check_decision(decision: str, comment: str) -> None:
    if decision not in DECISIONS:
        raise RuleViolation(_("Decide approve or reject."), field="decision")
    if decision == REJECT and not (comment or "").strip():
        raise RuleViolation(_("Give the reason for the rejection."), field="comment")


def _complete(actor, entry: Entry, steps: tuple[str, ...], decision: str, date, comment: str) -> Entry:
    """Record the entry's open review step through the workflow engine (its rules, lock and inbox)."""
    _check_decision(decision, comment)
    step_task = StepTask.objects.filter(
        process_id=entry.process_id, step__in=steps, task__status__in=OPEN_STATUSES
    ).first()
    if step_task is None:
        raise Conflict(_("This entry is not waiting for this step."))
    data = {REASON_FIELD: comment.strip()} if decision == REJECT else {}
    complete_task(actor=actor, step_task=step_task, decision=decision, date=date or today(), comment=comment, data=data)
    entry.refresh_from_db()
    return entry


def review_entry(*, actor, entry: Entry, decision: str, date: datetime.date | None = None, comment: str = "") -> Entry:
    """The branch committee's review (支委初评): approve sends it on to its approval, reject ends it."""
    return _complete(actor, entry, (ScoringReviewFlow.branch_review.code,), decision, date, comment)


def approve_entry(*, actor, entry: Entry, decision: str, date: datetime.date | None = None, comment: str = "") -> Entry:
    """The approval by the general meeting (大会审定), or by the committee secretary or meeting by amount."""
    steps = (ScoringReviewFlow.meeting_approval.code, ScoringReviewFlow.committee_approval.code)
    return _complete(actor, entry, steps, decision, date, comment)


def needs_committee(entry_id: int) -> bool:
    """Whether the committee (its secretary or its meeting) approves the entry, rather than the general meeting."""
    return Entry.objects.get(pk=entry_id).approval_level != ApprovalLevel.GENERAL_MEETING


def _reason(record: StepRecord) -> str:
    return str(record.data.get(REASON_FIELD) or record.comment or "")


def record_review(entry_id: int, record: StepRecord) -> None:
    """The effect of the `branch_review` step on the entry (called by the review flow, inside its action)."""
    entry = _lock(entry_id)
    if entry.status != EntryStatus.DECLARED:
        raise Conflict(_("This entry has already been reviewed."))
    entry.status = EntryStatus.BRANCH_REVIEWED if record.decision == APPROVE else EntryStatus.REJECTED
    entry.save(update_fields=["status", "updated_at"])
    _decide(entry, EntryDecision.Step.BRANCH_REVIEW, record.decision, record.event_date, record.actor, _reason(record))


def record_approval(entry_id: int, record: StepRecord) -> None:
    """The effect of an approval step on the entry: once approved it counts, and the results are recomputed."""
    entry = _lock(entry_id)
    if entry.status != EntryStatus.BRANCH_REVIEWED:
        raise Conflict(_("Only an entry reviewed by the branch committee, and not yet decided, can be approved."))
    entry.status = EntryStatus.APPROVED if record.decision == APPROVE else EntryStatus.REJECTED
    entry.save(update_fields=["status", "updated_at"])
    _decide(entry, EntryDecision.Step.APPROVAL, record.decision, record.event_date, record.actor, _reason(record))
    if record.decision == APPROVE:
        compute_results(entry.year, [entry.person_id])


def notice_end(start: datetime.date) -> datetime.date:
    """The last day of a public notice of NOTICE_WORKING_DAYS working days starting on `start`."""
    day, counted = start, 0
    while True:
        workday = is_official_workday(day)
        if workday is None:
            workday = day.weekday() < 5
        counted += workday
        if counted == rules.NOTICE_WORKING_DAYS:
            return day
        day += datetime.timedelta(days=1)


def start_notice(*, actor, org: Organization, date: datetime.date | None = None) -> int:
    """Put the approved entries of an organization's members under public notice (公开公示); returns how many."""
    date = date or today()
    check_event_date(date)
    if not can(actor, "review_score", org):
        raise PermissionDenied
    ends = notice_end(date)
    with action(actor):
        entries = list(
            Entry.objects.select_for_update().filter(org__path__startswith=org.path, status=EntryStatus.APPROVED)
        )
        for entry in entries:
            entry.status, entry.notice_ends_on = EntryStatus.NOTICED, ends
            _decide(entry, EntryDecision.Step.PUBLIC_NOTICE, "start", date, actor, ends.isoformat())
        Entry.objects.bulk_update(entries, ["status", "notice_ends_on"])
    return len(entries)


def _may_object(user, entry: Entry) -> bool:
    """The member concerned, or a member of the branch where the notice is posted."""
    if entry.person.user_id == user.pk:
        return True
    person = Person.objects.filter(user_id=user.pk).select_related("org").first()
    branch = branch_of(entry.org) or entry.org
    return person is not None and person.org.path.startswith(branch.path)


def object_to_entry(*, actor, entry: Entry, text: str, date: datetime.date | None = None) -> Objection:
    """An objection during the public notice; the entry waits for its answer before it becomes final."""
    date = date or today()
    check_event_date(date)
    if not (text or "").strip():
        raise RuleViolation(_("Write the objection."), field="text")
    with action(actor):
        entry = _lock(entry.pk)
        if not _may_object(actor, entry):
            raise PermissionDenied
        if entry.status != EntryStatus.NOTICED or date > entry.notice_ends_on:
            raise RuleViolation(_("An objection is raised during the public notice."), field="date")
        return Objection.objects.create(entry=entry, raised_by=actor, raised_on=date, text=text.strip())


def answer_objection(
    *, actor, objection: Objection, upheld: bool, answer: str, date: datetime.date | None = None
) -> Objection:
    """The branch answers an objection; an objection upheld rejects the entry and the results change."""
    date = date or today()
    check_event_date(date)
    if not (answer or "").strip():
        raise RuleViolation(_("Write the answer."), field="answer")
    with action(actor):
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        entry = _lock(objection.entry_id)
        if not can(actor, "review_score", entry.org):
            raise PermissionDenied
        if objection.answered_on is not None:
            raise Conflict(_("This objection has already been answered."))
        if date < objection.raised_on:
            raise RuleViolation(_("An answer cannot come before the objection."), field="date")
        objection.upheld, objection.answer = upheld, answer.strip()
        objection.answered_by, objection.answered_on = actor, date
        objection.save()
        _decide(entry, EntryDecision.Step.OBJECTION, "upheld" if upheld else "dismissed", date, actor, answer.strip())
        if upheld and entry.status != EntryStatus.REJECTED:
            entry.status = EntryStatus.REJECTED
            entry.save(update_fields=["status", "updated_at"])
            compute_results(entry.year, [entry.person_id])
    return objection


def close_notices(*, as_of: datetime.date | None = None) -> int:
    """Entries whose public notice has ended without an open objection become final; returns how many."""
    as_of = as_of or today()
    with action(None):
        open_objection = Objection.objects.filter(entry=OuterRef("pk"), answered_on__isnull=True)
        entries = list(
            Entry.objects.select_for_update()
            .filter(status=EntryStatus.NOTICED, notice_ends_on__lt=as_of)
            .exclude(Exists(open_objection))
        )
        for entry in entries:
            entry.status = EntryStatus.FINAL
            _decide(entry, EntryDecision.Step.FINAL, "final", entry.notice_ends_on, None)
        Entry.objects.bulk_update(entries, ["status"])
    return len(entries)


# --- feeds --------------------------------------------------------------------------------------------


def run_feeds(*, actor, year: int, as_of: datetime.date | None = None) -> int:
    """Turn what other modules know into declared entries, once each; returns how many were proposed.

    Only items of the year's schemes that name a feed are filled, for people those schemes score.
    """
    as_of = as_of or today()
    if actor is not None and not is_county_admin(actor):
        raise PermissionDenied
    schemes = schemes_in_force(year)
    wanted: dict[str, list[tuple[Scheme, Item]]] = {}
    for in_force in schemes.values():
        for item in in_force.config.items.values():
            if item.feed:
                wanted.setdefault(item.feed, []).append((in_force.scheme, item))
    if not wanted:
        return 0
    people = {
        person_id: (stage, category, org_id)
        for person_id, stage, category, org_id in Person.objects.filter(status__in=rules.SCORED_STATUSES).values_list(
            "id", "stage", "category", "org_id"
        )
    }
    existing = set(Entry.objects.exclude(source_ref="").values_list("source_ref", flat=True))
    new = []
    for feed_code, targets in wanted.items():
        for proposal in FEEDS[feed_code].propose(year, as_of):
            if proposal.person_id not in people or proposal.date.year != year:
                continue
            stage, category, org_id = people[proposal.person_id]
            in_force = scheme_for_category(schemes, category)
            if in_force is None or stage not in in_force.config.scored_stages:
                continue
            for scheme, item in targets:
                ref = f"{proposal.source_ref}:{scheme.pk}:{item.code}"
                if scheme.pk != in_force.scheme.pk or ref in existing:
                    continue
                existing.add(ref)
                new.append(
                    Entry(
                        scheme=scheme,
                        year=year,
                        person_id=proposal.person_id,
                        org_id=org_id,
                        item=item.code,
                        date=proposal.date,
                        quantity=proposal.quantity,
                        note=proposal.note,
                        approval_level=item.approval_level(item.points * proposal.quantity),
                        source=feed_code,
                        source_ref=ref,
                        declared_by=actor,
                    )
                )
    with action(actor):
        Entry.objects.bulk_create(new, batch_size=2000)
        EntryDecision.objects.bulk_create(
            [EntryDecision(entry=entry, step=EntryDecision.Step.DECLARATION, decision="proposed", event_date=entry.date, actor=actor) for entry in new],
            batch_size=2000,
        )
        for entry in Entry.objects.filter(pk__in=[entry.pk for entry in new]).select_related("person", "org"):
            _start_review(entry, actor)
    return len(new)


# --- results, publications, responsibilities ----------------------------------------------------------


def recompute_county(*, actor, year: int) -> int:
    """Recompute every result of the year in one batch (after a scheme or the roll changed)."""
    if actor is not None and not is_county_admin(actor):
        raise PermissionDenied
    with action(actor):
        return compute_results(year)


PERIOD_ENDS = {
    Period.Q1: (3, 31),
    Period.Q2: (6, 30),
    Period.Q3: (9, 30),
    Period.Q4: (12, 31),
    Period.H1: (6, 30),
    Period.H2: (12, 31),
    Period.YEAR: (12, 31),
}
PERIOD_KINDS = {
    Period.Q1: Publication.Kind.SUMMARY,
    Period.Q2: Publication.Kind.SUMMARY,
    Period.Q3: Publication.Kind.SUMMARY,
    Period.Q4: Publication.Kind.SUMMARY,
    Period.H1: Publication.Kind.NOTICE,
    Period.H2: Publication.Kind.NOTICE,
    Period.YEAR: Publication.Kind.REPORT,
}


def publish(*, actor, org: Organization, year: int, period: str, date: datetime.date | None = None) -> Publication:
    """Publish the scores of an organization's members for a period: a snapshot of their results then.

    Quarterly summaries and the half-year notice (the red and yellow lists) are a branch's; the annual
    report goes from the branch to the primary committee. Rows are computed on the entries dated up to
    the period's end, by the scheme in force.
    """
    from .selectors import period_rows

    date = date or today()
    check_event_date(date)
    if period not in PERIOD_ENDS:
        raise RuleViolation(_("Choose a period."), field="period")
    if not can(actor, "publish_scores", org):
        raise PermissionDenied
    month, day = PERIOD_ENDS[period]
    if date < datetime.date(year, month, day) and period in (Period.H1, Period.H2, Period.YEAR, Period.Q4):
        raise RuleViolation(_("A period's list is published after the period has ended."), field="date")
    if Publication.objects.filter(org=org, year=year, period=period).exists():
        raise Conflict(_("This list has already been published."))
    rows = period_rows(org, year, datetime.date(year, month, day))
    with action(actor):
        return Publication.objects.create(
            org=org, year=year, period=period, kind=PERIOD_KINDS[period], rows=rows, published_by=actor, published_on=date
        )


def set_responsibility(*, actor, org: Organization, role: str, person: Person) -> Responsibility:
    """Name who answers for an organization's members under joint liability."""
    if not can(actor, "manage_orgs", org):
        raise PermissionDenied
    with action(actor):
        responsibility, _created = Responsibility.objects.update_or_create(org=org, role=role, defaults={"person": person})
    return responsibility


def record_post(
    *, actor, person: Person, title: str, kind: str, started_on: datetime.date, ended_on: datetime.date | None = None
) -> PostHolding:
    """Record a party or administrative post a member holds (their deductions cost 1.1 times)."""
    if not can(actor, "record_score", person.org):
        raise PermissionDenied
    if ended_on is not None and ended_on < started_on:
        raise RuleViolation(_("A post ends after it starts."), field="ended_on")
    with action(actor):
        post = PostHolding.objects.create(person=person, title=title, kind=kind, started_on=started_on, ended_on=ended_on)
        for year in Result.objects.filter(person=person, year__gte=started_on.year).values_list("year", flat=True):
            compute_results(year, [person.pk])
    return post
