"""Scoring review: a score entry from its declaration to its approval (DOMAIN.md §7).

The branch committee reviews the entry (支委初评); the branch general meeting approves it (大会审定),
or, where the scheme says so by amount, the primary committee's secretary or meeting does (seed 001:
3分(含)以内的由党委书记审批，大于3分的情况经党委会议定). The public notice and its objections follow
for all of a branch's approved entries at once, in scoring.services. Each step's effect is a call
into scoring.services, which changes the entry and recomputes the results.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import nodes
from viewflow.workflow.flow import Flow
from viewflow.workflow.lock import select_for_update_lock

from ..engine import APPROVE, REJECT, Begin, Step, decided
from ..models import Actor, WorkflowProcess

APPROVE_OR_REJECT = (APPROVE, REJECT)


class ScoringReviewFlow(Flow):
    """Scoring review

    A score entry reviewed by the branch committee and approved at its level.
    """

    # The title pages show, translated: viewflow would take the docstring's first line as it is.
    process_title = _("Scoring review")

    code = "scoring"
    process_class = WorkflowProcess
    # A row lock on the process: process ids repeat across county schemas, so a cache key would collide.
    lock_impl = select_for_update_lock

    declaration = Begin(this.begin, actor=Actor.APPLICANT, title=_("Score entry declared")).Next(this.branch_review)
    branch_review = Step(
        actor=Actor.BRANCH,
        title=_("Branch committee review of a score entry"),
        decisions=APPROVE_OR_REJECT,
        effect=this.reviewed,
    ).Next(this.after_review)
    after_review = (
        nodes.Switch()
        .Case(this.end, decided("branch_review", REJECT))
        .Case(this.committee_approval, this.by_committee)
        .Default(this.meeting_approval)
    )
    meeting_approval = Step(
        actor=Actor.BRANCH,
        title=_("Branch general meeting approval of a score entry"),
        decisions=APPROVE_OR_REJECT,
        effect=this.approved,
    ).Next(this.end)
    committee_approval = Step(
        actor=Actor.COMMITTEE,
        title=_("Primary committee approval of a score entry"),
        decisions=APPROVE_OR_REJECT,
        effect=this.approved,
    ).Next(this.end)
    end = nodes.End()

    def begin(self, activation, *, entry, actor) -> WorkflowProcess:
        activation.process.person = entry.person
        activation.process.org = entry.org
        activation.process.data = {"entry": entry.pk}
        activation.task.owner = actor
        return activation.process

    def by_committee(self, activation) -> bool:
        from scoring.services import needs_committee

        return needs_committee(activation.process.data["entry"])

    def reviewed(self, process: WorkflowProcess, record) -> None:
        from scoring.services import record_review

        record_review(process.data["entry"], record)

    def approved(self, process: WorkflowProcess, record) -> None:
        from scoring.services import record_approval

        record_approval(process.data["entry"], record)
