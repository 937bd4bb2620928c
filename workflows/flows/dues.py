"""Dues: a member's relief and a branch's quarterly remittance, as tasks of the inbox (DOMAIN.md §8).

Relief (减免): the branch proposes (`relief_proposal`, started by
workflows.services.dues_relief.propose_relief); the upper committee decides (`relief_approval`), or
for a retiree the branch alone (`retiree_relief_decision`). The decision's effect is the dues service's
approve_relief / reject_relief, so the rules and the re-assessment of the months stay in dues/.

Remittance (上缴): when a quarter ends, the county's schedule opens a `remittance` task for each branch
that collected dues in it (workflows.services.dues_remittance); it falls due on the regulation's
deadline and is marked overdue past it. Recording it records the remittance through dues.services.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import nodes
from viewflow.workflow.flow import Flow
from viewflow.workflow.lock import select_for_update_lock

from core.exceptions import RuleViolation
from dues import services as dues_services
from dues.models import Relief
from dues.selectors import remittance_deadline

from .. import county
from ..engine import APPROVE, REJECT, SUBMIT, Begin, RecordField, Step, Submission
from ..models import Actor, StepRecord, WorkflowProcess


def relief_of(process: WorkflowProcess) -> Relief:
    return Relief.objects.get(pk=process.data["relief"])


def relief_decision_due(process: WorkflowProcess) -> datetime.date:
    """No regulation sets a deadline for the decision: it is due a county handling period after the proposal."""
    proposed_on = relief_of(process).proposed_on
    return proposed_on + datetime.timedelta(days=county.step_handling_days(on=proposed_on))


def is_retiree_relief(activation) -> bool:
    return relief_of(activation.process).retiree


def decide_relief(process: WorkflowProcess, record: StepRecord) -> None:
    """The decision's effect, through the dues services (which also re-assess the relieved months)."""
    relief = Relief.objects.select_for_update().get(pk=process.data["relief"])
    if record.decision == APPROVE:
        dues_services.approve_relief(
            actor=record.actor, relief=relief, decided_on=record.event_date, comment=record.comment
        )
    else:
        dues_services.reject_relief(
            actor=record.actor, relief=relief, decided_on=record.event_date, comment=str(record.data["reason"])
        )


def remittance_due(process: WorkflowProcess) -> datetime.date:
    return remittance_deadline(process.data["year"], process.data["quarter"])


def _amount(value) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise RuleViolation(gettext("Write the amount in yuan, e.g. 270.00."), field="data.amount") from exc


def check_remittance_amount(process: WorkflowProcess, submission: Submission) -> None:
    if _amount(submission.data["amount"]) <= 0:
        raise RuleViolation(gettext("The amount must be more than zero."), field="data.amount")


def record_remittance(process: WorkflowProcess, record: StepRecord) -> None:
    dues_services.record_remittance(
        actor=record.actor,
        org=process.org,
        year=process.data["year"],
        quarter=process.data["quarter"],
        amount=_amount(record.data["amount"]),
        remitted_on=record.event_date,
    )


class DuesFlow(Flow):
    """Dues

    Relief of a member's dues, and the branches' quarterly remittances.
    """

    # The title pages show, translated: viewflow would take the docstring's first line as it is.
    process_title = _("Dues")

    code = "dues"
    process_class = WorkflowProcess
    # A row lock on the process: process ids repeat across county schemas, so a cache key would collide.
    lock_impl = select_for_update_lock

    relief_proposal = Begin(this.begin_relief, actor=Actor.BRANCH, title=_("Relief proposed by the branch")).Next(
        this.relief_route
    )
    # DOMAIN.md §8: approved by the upper committee; for retirees the branch may decide.
    relief_route = nodes.If(is_retiree_relief).Then(this.retiree_relief_decision).Else(this.relief_approval)
    relief_approval = Step(
        actor=Actor.COMMITTEE,
        title=_("Approval of the relief by the upper committee"),
        decisions=(APPROVE, REJECT),
        due=relief_decision_due,
        effect=decide_relief,
    ).Next(this.end)
    retiree_relief_decision = Step(
        actor=Actor.BRANCH,
        title=_("Decision on a retiree's relief by the branch"),
        decisions=(APPROVE, REJECT),
        due=relief_decision_due,
        effect=decide_relief,
    ).Next(this.end)

    remittance_opened = Begin(this.begin_remittance, actor=Actor.COUNTY, title=_("Quarter closed: dues to remit")).Next(
        this.remittance
    )
    remittance = Step(
        actor=Actor.BRANCH,
        title=_("Remit the quarter's dues to the organization above"),
        decisions=(SUBMIT,),
        fields=(RecordField("amount", _("Amount remitted (yuan)")),),
        due=remittance_due,
        check=check_remittance_amount,
        effect=record_remittance,
    ).Next(this.end)

    end = nodes.End()

    def begin_relief(self, activation, *, relief: Relief) -> WorkflowProcess:
        activation.process.person = relief.person
        activation.process.org = relief.org
        activation.process.data = {"relief": relief.pk}
        activation.task.owner = relief.proposed_by
        return activation.process

    def begin_remittance(self, activation, *, org, year: int, quarter: int, collected: Decimal) -> WorkflowProcess:
        activation.process.org = org
        activation.process.data = {"year": year, "quarter": quarter, "collected": f"{collected:.2f}"}
        return activation.process
