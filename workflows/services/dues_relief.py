"""Relief as a process: the branch's proposal starts it, the decision is a task of the inbox (DOMAIN.md §8)."""

import datetime
from decimal import Decimal

from core.actions import action
from dues import services as dues_services
from dues.models import Relief
from members.models import Person

from ..engine import APPROVE, REASON_FIELD, REJECT, SUBMIT
from ..flows.dues import DuesFlow
from ..models import StepRecord, StepTask, WorkflowProcess
from .tasks import complete_task, track_open_tasks


def propose_relief(
    *,
    actor,
    person: Person,
    kind: str,
    start_month: datetime.date,
    end_month: datetime.date,
    reason: str,
    reduced_amount: Decimal | None = None,
    proposed_on: datetime.date | None = None,
) -> Relief:
    """The branch proposes a relief (the dues service checks it) and its decision goes to the inbox of the
    upper committee, or of the branch itself for a retiree."""
    with action(actor):
        relief = dues_services.propose_relief(
            actor=actor,
            person=person,
            kind=kind,
            start_month=start_month,
            end_month=end_month,
            reason=reason,
            reduced_amount=reduced_amount,
            proposed_on=proposed_on,
        )
        process = DuesFlow.relief_proposal.run(relief=relief)
        StepRecord.objects.create(
            process=process,
            task=process.task_set.get(flow_task=DuesFlow.relief_proposal),
            step=DuesFlow.relief_proposal.code,
            decision=SUBMIT,
            event_date=relief.proposed_on,
            actor=actor,
            on_behalf_of_org=relief.org,
            data={
                "relief": relief.pk,
                "kind": relief.kind,
                "reduced_amount": None if relief.reduced_amount is None else f"{relief.reduced_amount:.2f}",
                "start_month": f"{relief.start_month:%Y-%m}",
                "end_month": f"{relief.end_month:%Y-%m}",
                "reason": relief.reason,
            },
        )
        track_open_tasks(process)
    return relief


def relief_process(relief: Relief) -> WorkflowProcess | None:
    return WorkflowProcess.objects.filter(flow_class=DuesFlow, data__relief=relief.pk).first()


def decide_relief(
    *, actor, relief: Relief, decision: str, date: datetime.date | None = None, comment: str = ""
) -> Relief:
    """Approve or reject a relief by completing its decision task (the task's rules and effect apply).

    A relief proposed before reliefs ran as processes has no task: the dues service decides it directly.
    """
    process = relief_process(relief)
    if process is None:
        decide = dues_services.approve_relief if decision == APPROVE else dues_services.reject_relief
        return decide(actor=actor, relief=relief, decided_on=date, comment=comment)
    # A relief's process has one task besides its start: the decision.
    step_task = StepTask.objects.get(process=process)
    data = {REASON_FIELD: comment} if decision == REJECT else {}
    complete_task(actor=actor, step_task=step_task, decision=decision, date=date, comment=comment, data=data)
    relief.refresh_from_db()
    return relief
