"""Disposition of unqualified members (DOMAIN.md §6, the 2024 measures and 党章第九条、第三十八条).

Node names are step codes. A case starts with the branch's initial determination, which files it
with the primary committee (`workflows.services.disposition.start_case`); then:
1. `investigation` — two party members talk with the member; the member's own statement, the
   verification record and the proposed measure (branch);
2. `pre_review` by the primary committee, and `higher_pre_review` by the county organization
   department for withdrawal and removal;
3. `general_meeting_vote` — the branch general meeting hears the member's defence and votes by secret
   ballot (双过半);
4. `approval` by the primary committee, then `county_approval` where the county asks for it for
   withdrawal and removal;
5. `notification` — the member is told; the decision goes into the archive. A member who refuses
   advised withdrawal (`refused`) is removed: the general meeting votes on removal and it is approved again.
A rectification then waits for its result at the deadline (`rectification_review`): corrected, the member
is active again; unchanged, the case comes back as a proposal (workflows.services.disposition_proposals).
A rejected pre-review, vote or approval ends the case with its reason.

An appeal (申诉) against a decision carried out is a process of this flow of its own, started at
`appeal` (workflows.services.disposition.file_appeal) and answered by the organization above the one
that approved: `appeal_review` by the primary committee, `county_appeal_review` by the county.
Every recorded step runs `on_recorded` (workflows.services.disposition_effects).
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import nodes
from viewflow.workflow.flow import Flow
from viewflow.workflow.lock import select_for_update_lock

from .. import disposition_rules as rule
from ..engine import (
    APPROVE,
    DISMISS,
    GRANT,
    IMPROVED,
    NOTIFIED,
    REFUSED,
    REJECT,
    UNCHANGED,
    Begin,
    RecordField,
    Step,
    decided,
)
from ..models import Actor, Grounds, Measure, WorkflowProcess
from ..services.disposition_effects import on_recorded

APPROVE_OR_REJECT = (APPROVE, REJECT)
VOTE = (
    RecordField("eligible", _("Full members expected to vote"), kind="integer"),
    RecordField("present", _("Full members with a vote present"), kind="integer"),
    RecordField("in_favour", _("In favour"), kind="integer"),
    RecordField("against", _("Against"), kind="integer"),
    RecordField("abstain", _("Abstentions"), kind="integer"),
)


def step(actor: Actor, title, **kwargs) -> Step:
    """A disposition step: due after the county's handling period unless its rule sets a deadline; archived as recorded."""
    kwargs.setdefault("due", rule.handling_due)
    return Step(actor=actor, title=title, effect=on_recorded, **kwargs)


class DispositionFlow(Flow):
    """Disposition

    The disposition of an unqualified member: rectification, advised withdrawal or removal.
    """

    # The title pages show, translated: viewflow would take the docstring's first line as it is.
    process_title = _("Disposition")

    code = "disposition"
    process_class = WorkflowProcess
    # A row lock on the process: process ids repeat across county schemas, so a cache key would collide.
    lock_impl = select_for_update_lock

    # (1) The branch committee's initial determination, filed with the primary committee.
    initial_determination = Begin(
        this.begin,
        actor=Actor.BRANCH,
        title=_("Initial determination; file the case with the primary committee"),
        fields=(
            RecordField("grounds", _("Grounds"), choices=tuple(Grounds.choices)),
            RecordField("measure", _("Proposed measure"), choices=tuple(Measure.choices)),
        ),
    ).Next(this.investigation)
    # (2) Investigation.
    investigation = step(
        Actor.BRANCH,
        _("Investigation: talk, the member's statement, verification, proposed measure"),
        fields=(
            RecordField("talkers", _("The two party members who talked with the member"), kind="people"),
            RecordField("statement", _("The member's own statement")),
            RecordField("verification", _("Verification record")),
            RecordField("measure", _("Proposed measure"), choices=tuple(Measure.choices)),
            RecordField(
                "rectification_months",
                _("Rectification period (months, 6 unless said)"),
                kind="integer",
                required=False,
            ),
            RecordField(
                "sanction_reference", _("Reference of the facts (discipline case or sanction)"), required=False
            ),
        ),
        check=rule.check_investigation,
    ).Next(this.pre_review)
    # (3) Pre-reviews.
    pre_review = step(Actor.COMMITTEE, _("Pre-review by the primary committee"), decisions=APPROVE_OR_REJECT).Next(
        this.after_pre_review
    )
    after_pre_review = (
        nodes.Switch()
        .Case(this.end, decided("pre_review", REJECT))
        .Case(this.higher_pre_review, rule.measure_ends_membership)
        .Default(this.general_meeting_vote)
    )
    higher_pre_review = step(
        Actor.COUNTY, _("Pre-review by the county organization department"), decisions=APPROVE_OR_REJECT
    ).Next(this.after_higher_pre_review)
    after_higher_pre_review = (
        nodes.Switch().Case(this.end, decided("higher_pre_review", REJECT)).Default(this.general_meeting_vote)
    )
    # (4) The branch general meeting.
    general_meeting_vote = step(
        Actor.BRANCH,
        _("Branch general meeting: the member's defence and the secret ballot"),
        decisions=APPROVE_OR_REJECT,
        fields=(*VOTE, RecordField("defence", _("The member's defence (or that they declined to speak)"))),
        check=rule.check_general_meeting_vote_double_majority,
    ).Next(this.after_general_meeting_vote)
    after_general_meeting_vote = (
        nodes.Switch().Case(this.end, decided("general_meeting_vote", REJECT)).Default(this.approval)
    )
    # (5) Approval, notification, and the rectification's result.
    approval = step(Actor.COMMITTEE, _("Approval by the primary committee"), decisions=APPROVE_OR_REJECT).Next(
        this.after_approval
    )
    after_approval = (
        nodes.Switch()
        .Case(this.end, decided("approval", REJECT))
        .Case(this.county_approval, rule.county_approval_required)
        .Default(this.notification)
    )
    county_approval = step(
        Actor.COUNTY, _("Approval by the county organization department"), decisions=APPROVE_OR_REJECT
    ).Next(this.after_county_approval)
    after_county_approval = nodes.Switch().Case(this.end, decided("county_approval", REJECT)).Default(this.notification)
    notification = step(
        Actor.BRANCH,
        _("Tell the member the decision; file it into the archive"),
        decisions=(NOTIFIED, REFUSED),
        fields=(RecordField("told_by", _("Who told the member, and how"), required=False),),
        check=rule.check_refusal_only_of_withdrawal,
    ).Next(this.after_notification)
    after_notification = (
        nodes.Switch()
        .Case(this.general_meeting_vote, decided("notification", REFUSED))
        .Case(this.rectification_review, rule.awaits_rectification)
        .Default(this.end)
    )
    rectification_review = step(
        Actor.BRANCH,
        _("Result of the rectification at its deadline"),
        decisions=(IMPROVED, UNCHANGED),
        fields=(RecordField("assessment", _("Assessment")),),
        due=rule.rectification_due,
        check=rule.check_no_change_only_after_the_deadline,
    ).Next(this.end)

    # An appeal against a decision carried out.
    appeal = Begin(
        this.begin_appeal,
        actor=Actor.APPLICANT,
        title=_("Appeal by the member"),
        fields=(RecordField("text", _("Appeal")),),
    ).Next(this.after_appeal)
    after_appeal = (
        nodes.Switch().Case(this.county_appeal_review, rule.appeal_goes_to_county).Default(this.appeal_review)
    )
    appeal_review = step(
        Actor.COMMITTEE,
        _("Answer to the appeal by the primary committee"),
        decisions=(DISMISS, GRANT),
        fields=(RecordField("answer", _("Answer")),),
        due=rule.appeal_due,
    ).Next(this.end)
    county_appeal_review = step(
        Actor.COUNTY,
        _("Answer to the appeal by the county organization department"),
        decisions=(DISMISS, GRANT),
        fields=(RecordField("answer", _("Answer")),),
        due=rule.appeal_due,
    ).Next(this.end)

    end = nodes.End()

    def begin(self, activation, *, person, branch, actor) -> WorkflowProcess:
        activation.process.person = person
        activation.process.org = branch
        activation.task.owner = actor
        return activation.process

    def begin_appeal(self, activation, *, case, actor) -> WorkflowProcess:
        activation.process.person = case.person
        activation.process.org = case.process.org
        # Read by the gateway that sends the appeal up, before the appeal's own row exists.
        activation.process.data = {"case": case.pk}
        activation.task.owner = actor
        return activation.process
