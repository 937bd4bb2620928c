"""Opening a disposition case, filing an appeal, and the reads of cases through the caller's scope.

Nothing opens a case by itself: a branch role holder opens one, from a proposal or not
(workflows.services.disposition_proposals lists what the data suggests).
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date
from core.exceptions import Conflict, RuleViolation
from members.models import Person
from orgs.access import can, scope
from orgs.models import Organization
from orgs.selectors import branch_of

from .. import disposition_rules as rule
from ..engine import SUBMIT
from ..flows.disposition import DispositionFlow
from ..models import (
    DispositionAppeal,
    DispositionCase,
    DispositionProposal,
    Grounds,
    Measure,
    StepRecord,
    WorkflowProcess,
)
from .disposition_effects import file_record
from .tasks import track_open_tasks


def _choice(value: str, choices, field: str) -> str:
    if value not in choices.values:
        raise RuleViolation(
            _("Choose from: %(choices)s.") % {"choices": ", ".join(choices.values)},
            field=field,
        )
    return value


def case_branch(person: Person) -> Organization:
    """The branch whose general meeting decides: the person's branch (a party group's branch)."""
    branch = branch_of(person.org)
    if branch is None:
        raise RuleViolation(
            _("A case is opened by the branch of the member; this person is not in a branch."), field="person"
        )
    return branch


def _check_proposal(proposal: DispositionProposal, person: Person, grounds: str) -> None:
    if proposal.case_id is not None:
        raise Conflict(_("A case has already been opened from this proposal."))
    if proposal.person_id != person.pk or proposal.grounds != grounds:
        raise RuleViolation(_("The proposal is about another person or other grounds."), field="proposal")


def start_case(
    *,
    actor,
    person: Person,
    grounds: str,
    measure: str,
    date: datetime.date,
    rectification_months: Any = None,
    sanction_reference: str = "",
    evidence: dict | None = None,
    proposal: DispositionProposal | None = None,
) -> WorkflowProcess:
    """Step (1), `initial_determination`: the branch determines the case and files it with the primary committee."""
    check_event_date(date)
    branch = case_branch(person)
    if not can(actor, "open_disposition", branch):
        raise PermissionDenied
    _choice(grounds, Grounds, "grounds")
    _choice(measure, Measure, "measure")
    rule.check_may_be_disposed(person)
    rule.check_withdrawal_not_for_probationary_members(person, measure)
    months = rule.rectification_months(rectification_months)
    sanction_reference = (sanction_reference or "").strip()
    rule.check_measure_not_duplicating_a_sanction(person, sanction_reference)
    if proposal is not None:
        _check_proposal(proposal, person, grounds)
        evidence = {**proposal.evidence, **(evidence or {})}

    with action(actor):
        process = DispositionFlow.initial_determination.run(person=person, branch=branch, actor=actor)
        case = DispositionCase.objects.create(
            process=process,
            person=person,
            grounds=grounds,
            evidence=evidence or {},
            measure=measure,
            rectification_months=months,
            sanction_reference=sanction_reference,
            opened_on=date,
        )
        record_data = {
            "grounds": grounds,
            "measure": measure,
            "rectification_months": months,
            "evidence": case.evidence,
        }
        if proposal is not None:
            proposal.case = case
            proposal.save(update_fields=["case", "refreshed_at"])
            record_data["proposal"] = proposal.pk
        if sanction_reference:
            record_data["sanction_reference"] = sanction_reference
        record = StepRecord.objects.create(
            process=process,
            task=process.task_set.get(flow_task=DispositionFlow.initial_determination),
            step=DispositionFlow.initial_determination.code,
            decision=SUBMIT,
            event_date=date,
            actor=actor,
            on_behalf_of_org=branch,
            data=record_data,
        )
        file_record(process, record)
        track_open_tasks(process)
    return process


def _check_may_file_appeal(actor, case: DispositionCase) -> None:
    """The member appeals; any organization above records a paper appeal it receives."""
    own = case.person.user_id is not None and case.person.user_id == actor.pk
    if not own and not can(actor, "record_appeal", case.process.org):
        raise PermissionDenied


def file_appeal(*, actor, case: DispositionCase, date: datetime.date, text: str) -> DispositionAppeal:
    """The member's appeal (申诉) against the decision: a task for the organization above the one that approved."""
    check_event_date(date)
    _check_may_file_appeal(actor, case)
    text = (text or "").strip()
    if not text:
        raise RuleViolation(_("Write what the appeal is about."), field="text")
    rule.check_may_appeal(case, date)
    with action(actor):
        process = DispositionFlow.appeal.run(case=case, actor=actor)
        appeal = DispositionAppeal.objects.create(case=case, process=process, filed_on=date, text=text)
        own = case.person.user_id == actor.pk
        record = StepRecord.objects.create(
            process=process,
            task=process.task_set.get(flow_task=DispositionFlow.appeal),
            step=DispositionFlow.appeal.code,
            decision=SUBMIT,
            event_date=date,
            actor=actor,
            on_behalf_of_person=None if own else case.person,
            data={"text": text, "case": case.process_id},
        )
        file_record(process, record)
        track_open_tasks(process)
    return appeal


# --- Reads -------------------------------------------------------------------------------------------


def cases_visible_to(user) -> QuerySet[WorkflowProcess]:
    """Case processes in the subtrees the user's roles cover, and the user's own."""
    if not getattr(user, "is_authenticated", False):
        return WorkflowProcess.objects.none()
    return (
        WorkflowProcess.objects.filter(disposition__isnull=False)
        .filter(scope(user, "view_dispositions", "org__") | Q(person__user_id=user.pk))
        .select_related("person", "org", "disposition")
    )


def appeals_of(case: DispositionCase) -> QuerySet[DispositionAppeal] | list[DispositionAppeal]:
    prefetched = getattr(case, "appeals_prefetched", None)  # a list of cases prefetches them (api.dispositions)
    if prefetched is not None:
        return prefetched
    return case.appeals.select_related("process").order_by("filed_on", "id")
