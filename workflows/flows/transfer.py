"""Relation transfer (组织关系转接, DOMAIN.md §5): a member's membership and archive move to another organization.

Node names are step codes. The sending branch requests the transfer
(`workflows.services.transfer.request_transfer`); then, by kind:
- within the county: the sending primary committee approves and issues the introduction letter, the
  receiving committee approves (each where the county asks for it), and the receiving branch takes the
  member in (`branch_acceptance`); a refusal carries its reason and goes back to the sender;
- to another county of the platform: the sending committee approves; the letter goes through the
  public-schema mailbox in the same transaction as the member becoming `in_transit`, and the process
  waits (`await_receipt`) for the receiving county's receipt or return, or for the letter to expire;
- to an organization outside the platform: the committee approves and prints the letter; the process
  waits for the paper receipt, registered by hand (`workflows.services.transfer.register_receipt`).
A returned or expired letter comes back to the sending committee (`reissue`): a new letter, or the
transfer closes.

The receiving county's side is a process of its own, started when the letter is delivered
(`incoming`, workflows.services.transfer_mailbox): the county organization department accepts the
member into one of its branches or returns the letter with a reason (`letter_acceptance`); the
receiving committee then checks the archive against the member (`archive_check`).
Every recorded step runs `on_recorded` (workflows.services.transfer_effects).
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import nodes
from viewflow.workflow.flow import Flow
from viewflow.workflow.lock import select_for_update_lock

from .. import transfer_rules as rule
from ..engine import APPROVE, REJECT, Begin, RecordField, Step, decided
from ..models import Actor, WorkflowProcess
from ..services.transfer_effects import on_recorded

APPROVE_OR_REJECT = (APPROVE, REJECT)
VALID_DAYS = RecordField(
    "valid_days", _("Days the letter is valid (30 unless said, at most 3 months)"), kind="integer", required=False
)


def step(actor: Actor, title, **kwargs) -> Step:
    """A transfer step: due after the county's handling period unless said otherwise; its effects as recorded."""
    kwargs.setdefault("due", rule.handling_due)
    return Step(actor=actor, title=title, effect=on_recorded, **kwargs)


class TransferFlow(Flow):
    """Relation transfer

    A member's membership and archive move to another branch, county or organization.
    """

    # The title pages show, translated: viewflow would take the docstring's first line as it is.
    process_title = _("Relation transfer")

    code = "transfer"
    process_class = WorkflowProcess
    # A row lock on the process: process ids repeat across county schemas, so a cache key would collide.
    lock_impl = select_for_update_lock

    # The sending side.
    request = Begin(this.begin, actor=Actor.BRANCH, title=_("Request the transfer")).Next(this.after_request)
    after_request = nodes.Switch().Case(this.approval, rule.needs_sending_approval).Default(this.after_letter)
    approval = step(
        Actor.COMMITTEE,
        _("Approve the transfer and issue the introduction letter"),
        decisions=APPROVE_OR_REJECT,
        fields=(VALID_DAYS,),
        check=rule.check_letter_validity_at_most_three_months,
    ).Next(this.after_approval)
    after_approval = nodes.Switch().Case(this.end, decided("approval", REJECT)).Default(this.after_letter)
    # Where an issued letter goes.
    after_letter = (
        nodes.Switch()
        .Case(this.await_receipt, rule.letter_leaves_the_county)
        .Case(this.receiving_approval, rule.needs_receiving_approval)
        .Default(this.branch_acceptance)
    )
    receiving_approval = step(
        Actor.COMMITTEE,
        _("Approval by the receiving primary committee"),
        decisions=APPROVE_OR_REJECT,
        due=None,
        check=rule.check_acceptance_while_letter_in_force,
    ).Next(this.after_receiving_approval)
    after_receiving_approval = (
        nodes.Switch().Case(this.reissue, decided("receiving_approval", REJECT)).Default(this.branch_acceptance)
    )
    branch_acceptance = step(
        Actor.BRANCH,
        _("Take the member into the branch, or return the letter"),
        decisions=APPROVE_OR_REJECT,
        due=None,
        check=rule.check_acceptance_while_letter_in_force,
    ).Next(this.after_branch_acceptance)
    after_branch_acceptance = nodes.Switch().Case(this.reissue, decided("branch_acceptance", REJECT)).Default(this.end)
    # The letter is out of the county: the receipt, the return or the expiry runs this task.
    await_receipt = nodes.Handle(task_title=_("Waiting for the receipt")).Next(this.after_receipt)
    after_receipt = nodes.Switch().Case(this.end, rule.transfer_completed).Default(this.reissue)
    reissue = step(
        Actor.COMMITTEE,
        _("The letter was returned or expired: reissue it (approve) or close the transfer (reject)"),
        decisions=APPROVE_OR_REJECT,
        fields=(VALID_DAYS,),
        check=rule.check_letter_validity_at_most_three_months,
    ).Next(this.after_reissue)
    after_reissue = nodes.Switch().Case(this.end, decided("reissue", REJECT)).Default(this.after_letter)

    # The receiving county's side of a letter from another county.
    incoming = Begin(
        this.begin_incoming, actor=Actor.COUNTY, title=_("Introduction letter received from another county")
    ).Next(this.letter_acceptance)
    letter_acceptance = step(
        Actor.COUNTY,
        _("Accept the member into a branch, or return the letter"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("org", _("Branch the member joins"), kind="org", required=False),),
        due=None,
        check=rule.check_acceptance_into_a_branch,
    ).Next(this.after_letter_acceptance)
    after_letter_acceptance = (
        nodes.Switch().Case(this.end, decided("letter_acceptance", REJECT)).Default(this.archive_check)
    )
    archive_check = step(
        Actor.COMMITTEE,
        _("Check the archive against the member (a talk)"),
        fields=(RecordField("talker", _("Who held the talk")),),
    ).Next(this.end)

    end = nodes.End()

    def begin(self, activation, *, person, org, actor, routing: dict) -> WorkflowProcess:
        activation.process.person = person
        activation.process.org = org
        # Read by the gateways before the transfer's own row exists.
        activation.process.data = routing
        activation.task.owner = actor
        return activation.process

    def begin_incoming(self, activation, *, county_org) -> WorkflowProcess:
        activation.process.org = county_org
        activation.process.data = {"kind": "incoming"}
        return activation.process
