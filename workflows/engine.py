"""The generic task layer every flow is built from.

A flow is a viewflow Flow whose human steps are `Step` nodes. Each step names who acts on it
(`Actor`: the person's branch, the primary committee above it, the county, or the person), the
decisions it takes, the fields of its record, when it falls due, and the rules its record must
meet. The services in `workflows.services.tasks` drive the nodes through viewflow's activations;
whether a user may act is asked of `orgs.access`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import nodes
from viewflow.workflow.status import STATUS

from orgs.access import AnyOf, can, scope_ids
from orgs.models import Organization
from orgs.selectors import primary_committee_of, root_organization

from .models import Actor, StepRecord, StepTask, WorkflowProcess

# viewflow's statuses of a task still waiting for its actor.
OPEN_STATUSES = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)

APPROVE = "approve"
REJECT = "reject"
SUBMIT = "submit"
CONTINUE = "continue"
PROPOSE = "propose"
CONVERT = "convert"
EXTEND = "extend"
CANCEL = "cancel"
# Disposition (DOMAIN.md §6): the member is told (or refuses advised withdrawal), the rectification's
# result, and the answer to an appeal.
NOTIFIED = "notified"
REFUSED = "refused"
IMPROVED = "improved"
UNCHANGED = "unchanged"
DISMISS = "dismiss"
GRANT = "grant"
# Relation transfers (DOMAIN.md §5): how a letter out of the county came back.
RECEIPTED = "receipted"
RETURNED = "returned"
EXPIRED = "expired"

DECISION_LABELS = {
    APPROVE: _("Approve"),
    REJECT: _("Reject"),
    SUBMIT: _("Submitted"),
    CONTINUE: _("Continue"),
    PROPOSE: _("Propose"),
    CONVERT: _("Convert to full member"),
    EXTEND: _("Extend the probation"),
    CANCEL: _("Cancel the probation"),
    NOTIFIED: _("The member has been told"),
    REFUSED: _("The member refuses to withdraw"),
    IMPROVED: _("Corrected within the period"),
    UNCHANGED: _("No change within the period"),
    DISMISS: _("Appeal dismissed"),
    GRANT: _("Appeal granted"),
    RECEIPTED: _("Receipt received"),
    RETURNED: _("Letter returned"),
    EXPIRED: _("Letter expired unused"),
}

# The record field in which a decision that ends or turns back a process gives its reason.
REASON_FIELD = "reason"

# The capability of orgs.access that lets a role holder act on a step of each level.
ACT_CAPABILITY = {
    Actor.BRANCH: "act_branch_step",
    Actor.COMMITTEE: "act_committee_step",
    Actor.COUNTY: "act_county_step",
}


@dataclass(frozen=True)
class RecordField:
    """One field of a step's record (`data`): shown on the step form, required unless said otherwise."""

    name: str
    label: Any
    kind: str = "text"  # text · integer · boolean · date · list · people (a list of person ids) · org (an id)
    required: bool = True
    # The allowed values (of a text field, or of each item of a list), as (value, label) pairs.
    choices: tuple[tuple[str, Any], ...] = ()

    @property
    def values(self) -> frozenset[str]:
        return frozenset(value for value, _label in self.choices)


@dataclass(frozen=True)
class Submission:
    """What an actor submits to complete a step, its record fields already cleaned."""

    decision: str
    date: datetime.date
    comment: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    due_date: datetime.date | None = None

    late_reason_field: str = "late_reason"

    @property
    def late(self) -> bool:
        return self.due_date is not None and self.date > self.due_date

    @property
    def late_reason(self) -> str:
        """The reason for a late record: the comment or `data.late_reason`, or only the step's own field when it names one."""
        if self.late_reason_field != "late_reason":
            return str(self.data.get(self.late_reason_field) or "").strip()
        return str(self.data.get("late_reason") or self.comment or "").strip()

    @property
    def reason(self) -> str:
        return str(self.data.get(REASON_FIELD) or "").strip()


class StepMixin:
    """What the engine needs to know about a step beyond viewflow's graph."""

    actor: Actor
    decisions: tuple[str, ...]
    fields: tuple[RecordField, ...] = ()

    def _set_step(self, *, actor: Actor, title, decisions: tuple[str, ...], fields: tuple[RecordField, ...]) -> None:
        self.actor = actor
        self.decisions = decisions
        self.fields = fields
        self.task_title = title

    @property
    def code(self) -> str:
        """The step code of DOMAIN.md (the node's name in the flow)."""
        return self.name


class Begin(StepMixin, nodes.StartHandle):
    """The step that starts a process. The flow's start service writes its record."""

    def __init__(self, func, *, actor: Actor, title, fields: tuple[RecordField, ...] = ()):
        super().__init__(func)
        self._set_step(actor=actor, title=title, decisions=(SUBMIT,), fields=fields)


class Step(StepMixin, nodes.View):
    """A human step, completed through the task API or the inbox with a decision, a date and a record.

    `due(process)` gives the due date of a new task; `check(process, submission)` raises
    RuleViolation when the record breaks a rule of the step; `effect(process, record)` writes the
    step's consequences (a stage, an archive entry) through the domain services. A step recorded
    after its due date needs a reason (the comment, `data.late_reason` or the step's own
    `late_reason_field`) unless late is refused. The decisions in `reasoned` (ending or turning the
    process back) need `data.reason`.
    """

    def __init__(
        self,
        *,
        actor: Actor,
        title,
        decisions: tuple[str, ...] = (APPROVE,),
        fields: tuple[RecordField, ...] = (),
        due: Callable[[WorkflowProcess], datetime.date | None] | None = None,
        check: Callable[[WorkflowProcess, Submission], None] | None = None,
        effect: Callable[[WorkflowProcess, Any], None] | None = None,
        late_allowed: bool = True,
        late_reason_field: str = "late_reason",
        reasoned: tuple[str, ...] = (REJECT, CANCEL),
    ):
        super().__init__(view=None)
        reasoned = tuple(decision for decision in reasoned if decision in decisions)
        if reasoned and all(field.name != REASON_FIELD for field in fields):
            fields = (*fields, RecordField(REASON_FIELD, _("Reason (when not approved)"), required=False))
        self._set_step(actor=actor, title=title, decisions=decisions, fields=fields)
        self._due, self._check, self._effect = due, check, effect
        self.late_allowed = late_allowed
        self.late_reason_field = late_reason_field
        self.reasoned = reasoned

    def _resolve(self, instance) -> None:
        super()._resolve(instance)
        self._due = this.resolve(instance, self._due)
        self._check = this.resolve(instance, self._check)
        self._effect = this.resolve(instance, self._effect)

    @property
    def has_next(self) -> bool:
        return self._next is not None

    def due_date(self, process: WorkflowProcess) -> datetime.date | None:
        return self._due(process) if self._due else None

    def check(self, process: WorkflowProcess, submission: Submission) -> None:
        if self._check:
            self._check(process, submission)

    def effect(self, process: WorkflowProcess, record) -> None:
        if self._effect:
            self._effect(process, record)


def approving_committee(org: Organization) -> Organization:
    """The nearest primary committee with approval authority above org; the county where there is none."""
    return primary_committee_of(org) or root_organization()


def acting_org(actor: Actor, process: WorkflowProcess) -> Organization:
    """The organization whose role holders act on a step of this level in this process."""
    if actor == Actor.COMMITTEE:
        return approving_committee(process.org)
    if actor == Actor.COUNTY:
        return root_organization()
    return process.org


def may_act(user, step_task: StepTask) -> bool:
    """The person acts on their own steps; their branch may record them on the person's behalf (a paper form)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if step_task.actor == Actor.APPLICANT:
        person = step_task.process.person
        own = person is not None and person.user_id == user.pk
        return own or can(user, ACT_CAPABILITY[Actor.BRANCH], step_task.org)
    return can(user, ACT_CAPABILITY[step_task.actor], step_task.org)


def actionable(user) -> Q:
    """A filter on StepTask: the steps whose level and organization the user may act on."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    # Every branch is a condition on the step task's own columns (scope_ids), so PostgreSQL reads the few
    # matching rows through its indexes instead of joining every task of the county first.
    own = WorkflowProcess.objects.filter(person__user_id=user.pk).order_by().values("pk")
    condition = Q(actor=Actor.APPLICANT) & Q(AnyOf(F("process_id"), ArraySubquery(own)))
    condition |= Q(actor=Actor.APPLICANT) & scope_ids(user, ACT_CAPABILITY[Actor.BRANCH])
    for actor, capability in ACT_CAPABILITY.items():
        condition |= Q(actor=actor) & scope_ids(user, capability)
    return condition


def last_record(process: WorkflowProcess, *steps: str) -> StepRecord | None:
    """The latest record of any of these steps in the process (of any step when none is named)."""
    records = StepRecord.objects.filter(process_id=process.pk)
    if steps:
        records = records.filter(step__in=steps)
    return records.order_by("-id").first()


def decided(step: str, *decisions: str) -> Callable[[Any], bool]:
    """A gateway condition: the step's latest record took one of these decisions."""

    def condition(activation) -> bool:
        record = last_record(activation.process, step)
        return record is not None and record.decision in decisions

    return condition


def all_of(*conditions: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """A gateway condition met when every one of these is."""
    return lambda activation: all(condition(activation) for condition in conditions)
