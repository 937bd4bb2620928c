"""Admission: from the written application to full membership (DOMAIN.md §4, the 2014 Detailed Rules).

Node names are the step codes of DOMAIN.md. The process starts with the written application
(`workflows.services.admission.start_admission`); each later step is a task of its actor, with its
record fields, its deadline and its rule (workflows.services.admission_rules). Every recorded step
runs `on_recorded` (workflows.services.admission_effects): the stage moves, the dates, the archive.

Gateways (`after_*`) route on the decision just recorded:
- `talk`, `activist_decision`, `political_review` rejected: the process ends (status `rejected`);
- `cultivation` repeats every 6 months until the branch proposes the activist (`propose`);
- `candidate_decision` rejected: cultivation goes on;
- `admission_vote` or `admission_approval` not passed: the candidate stays an activist, back to cultivation;
- `probation_assessment` repeats each quarter until the probation (as extended) ends;
- `conversion_vote` takes `convert`, `extend` or `cancel`; after the approval an extension returns to
  the assessments, the others go on to the archive.

County gates (workflows.county), each a step of its own where the county has switched it on for the
day the process reaches it: `written_test` before `activist_decision`; `second_recommendation` and
`onsite_evaluation` before `candidate_decision`; `county_joint_review` and, for a close relative of an
official in the approval chain, `close_relative_review` after the public notice; `public_defense`
before `admission_vote`; `second_political_review` before `conversion_vote`.
"""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import nodes
from viewflow.workflow.flow import Flow
from viewflow.workflow.lock import select_for_update_lock

from ..engine import (
    APPROVE,
    CANCEL,
    CONTINUE,
    CONVERT,
    EXTEND,
    PROPOSE,
    REJECT,
    Begin,
    RecordField,
    Step,
    all_of,
    decided,
)
from ..models import Actor, WorkflowProcess
from ..services import admission_rules as rule
from ..services.admission_effects import on_recorded

APPROVE_OR_REJECT = (APPROVE, REJECT)

RECOMMENDERS = (("members", _("Party members")), ("league", _("The Youth League")), ("masses", _("The masses")))
VOTE = (
    RecordField("eligible", _("Full members expected to vote"), kind="integer"),
    RecordField("present", _("Full members with a vote present"), kind="integer"),
    RecordField("in_favour", _("In favour"), kind="integer"),
    RecordField("against", _("Against"), kind="integer"),
    RecordField("abstain", _("Abstentions"), kind="integer"),
)
ARCHIVE_KEEPERS = (
    ("unit", _("The personnel file of the member's unit")),
    ("committee", _("The primary committee")),
    ("county", _("The county organization department")),
)


# Where a pipeline imported from a spreadsheet may resume (workflows.services.admission_import).
RESUMABLE_STEPS = (
    "talk", "activist_decision", "activist_filing", "mentors", "cultivation", "candidate_decision",
    "candidate_filing", "sponsors", "political_review", "training", "branch_review", "public_notice",
    "pre_review", "admission_form", "admission_vote", "committee_talk", "admission_approval", "county_filing",
    "join_branch", "oath", "probation_assessment", "conversion_application", "conversion_vote",
)  # fmt: skip


def resumes_at(code: str):
    """A gateway condition: the imported process resumes at this step."""
    return lambda activation: activation.process.data.get("resume_at") == code


def resume_switch() -> nodes.Switch:
    switch = nodes.Switch()
    for code in RESUMABLE_STEPS:
        switch.Case(getattr(this, code), resumes_at(code))
    return switch


def step(actor: Actor, title, **kwargs) -> Step:
    """An admission step: due after the county's handling period unless its rule sets a deadline; archived as recorded."""
    kwargs.setdefault("due", rule.handling_due)
    return Step(actor=actor, title=title, effect=on_recorded, **kwargs)


class AdmissionFlow(Flow):
    """Admission

    From the written application (入党申请书) to full membership.
    """

    # The title pages show, translated: viewflow would take the docstring's first line as it is.
    process_title = _("Admission")

    code = "admission"
    process_class = WorkflowProcess
    # A row lock on the process: process ids repeat across county schemas, so a cache key would collide.
    lock_impl = select_for_update_lock

    # Stage 1: the application.
    application = Begin(this.begin, actor=Actor.APPLICANT, title=_("Written application")).Next(this.talk)
    # A pipeline under way, imported with its history: it resumes at the step the import names.
    imported = Begin(this.begin_imported, actor=Actor.BRANCH, title=_("Imported with its history")).Next(this.resume)
    resume = resume_switch()
    talk = step(
        Actor.BRANCH,
        _("Talk with the applicant"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("talker", _("Who held the talk")),),
        due=rule.talk_due,
    ).Next(this.after_talk)
    after_talk = (
        nodes.Switch()
        .Case(this.end, decided("talk", REJECT))
        .Case(this.written_test, rule.gate_applies("written_test"))
        .Default(this.activist_decision)
    )
    written_test = step(
        Actor.COMMITTEE,
        _("Written test (county gate)"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("score", _("Score"), kind="integer", required=False),),
    ).Next(this.after_written_test)
    after_written_test = nodes.Switch().Case(this.end, decided("written_test", REJECT)).Default(this.activist_decision)

    # Stage 2: the activist.
    activist_decision = step(
        Actor.BRANCH,
        _("Decide the activist"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("recommended_by", _("Recommended by"), kind="list", choices=RECOMMENDERS),),
    ).Next(this.after_activist_decision)
    after_activist_decision = (
        nodes.Switch().Case(this.end, decided("activist_decision", REJECT)).Default(this.activist_filing)
    )
    activist_filing = step(Actor.COMMITTEE, _("File the activist with the primary committee")).Next(this.mentors)
    mentors = step(
        Actor.BRANCH,
        _("Assign mentors"),
        fields=(RecordField("mentors", _("Mentors (1 or 2 full members)"), kind="people"),),
        check=rule.check_mentors_one_or_two_full_members,
    ).Next(this.cultivation)
    cultivation = step(
        Actor.BRANCH,
        _("Cultivation and assessment"),
        decisions=(CONTINUE, PROPOSE),
        fields=(RecordField("assessment", _("Assessment")),),
        due=rule.cultivation_due,
    ).Next(this.after_cultivation)
    after_cultivation = (
        nodes.Switch()
        .Case(this.second_recommendation, all_of(decided("cultivation", PROPOSE), rule.gate_applies("second_recommendation")))
        .Case(this.onsite_evaluation, all_of(decided("cultivation", PROPOSE), rule.gate_applies("onsite_evaluation")))
        .Case(this.candidate_decision, decided("cultivation", PROPOSE))
        .Default(this.cultivation)
    )
    second_recommendation = step(
        Actor.BRANCH,
        _("Second recommendation by the masses (county gate)"),
        decisions=APPROVE_OR_REJECT,
        fields=(
            RecordField("participants", _("People taking part"), kind="integer"),
            RecordField("in_favour", _("Recommending"), kind="integer"),
        ),
    ).Next(this.after_second_recommendation)
    after_second_recommendation = (
        nodes.Switch()
        .Case(this.cultivation, decided("second_recommendation", REJECT))
        .Case(this.onsite_evaluation, rule.gate_applies("onsite_evaluation"))
        .Default(this.candidate_decision)
    )
    onsite_evaluation = step(
        Actor.COMMITTEE,
        _("On-site evaluation (county gate)"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("evaluation", _("Evaluation")),),
    ).Next(this.after_onsite_evaluation)
    after_onsite_evaluation = (
        nodes.Switch().Case(this.cultivation, decided("onsite_evaluation", REJECT)).Default(this.candidate_decision)
    )

    # Stage 3: the candidate.
    candidate_decision = step(
        Actor.BRANCH,
        _("Decide the candidate"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("prior_activist_days", _("Days as an activist in another unit"), kind="integer", required=False),),
        due=rule.candidate_decision_due,
        check=rule.check_candidate_after_one_year_as_activist,
    ).Next(this.after_candidate_decision)
    after_candidate_decision = (
        nodes.Switch().Case(this.cultivation, decided("candidate_decision", REJECT)).Default(this.candidate_filing)
    )
    candidate_filing = step(Actor.COMMITTEE, _("File the candidate with the primary committee")).Next(this.sponsors)
    sponsors = step(
        Actor.BRANCH,
        _("Name the sponsors"),
        fields=(RecordField("sponsors", _("Sponsors (2 full members)"), kind="people"),),
        check=rule.check_two_full_member_sponsors_not_under_party_probation,
    ).Next(this.political_review)
    political_review = step(
        Actor.BRANCH,
        _("Political review"),
        decisions=APPROVE_OR_REJECT,
        fields=(
            RecordField("conclusion", _("Written conclusion")),
            RecordField(
                "close_relative_of", _("Close relative of an official in the approval chain (who)"), required=False
            ),
        ),
    ).Next(this.after_political_review)
    after_political_review = nodes.Switch().Case(this.end, decided("political_review", REJECT)).Default(this.training)
    training = step(
        Actor.COMMITTEE,
        _("Concentrated training"),
        fields=(
            RecordField("hours", _("Class hours"), kind="integer"),
            RecordField("days", _("Days"), kind="integer", required=False),
            RecordField("passed", _("Passed"), kind="boolean"),
        ),
        check=rule.check_training_three_days_or_24_hours,
    ).Next(this.branch_review)
    branch_review = step(Actor.BRANCH, _("Branch committee review of the materials")).Next(this.public_notice)
    public_notice = step(
        Actor.BRANCH,
        _("Public notice"),
        fields=(
            RecordField("start", _("Notice from"), kind="date"),
            RecordField("end", _("Notice until"), kind="date"),
            RecordField("objections", _("Objections, each with its resolution"), kind="list", required=False),
        ),
        check=rule.check_public_notice_five_working_days,
    ).Next(this.after_public_notice)
    after_public_notice = (
        nodes.Switch()
        .Case(this.county_joint_review, rule.gate_applies("county_joint_review"))
        .Case(this.close_relative_review, all_of(rule.gate_applies("close_relative_review"), rule.close_relative_of_an_official))
        .Default(this.pre_review)
    )
    county_joint_review = step(
        Actor.COUNTY,
        _("Joint review by county departments (county gate)"),
        decisions=APPROVE_OR_REJECT,
        fields=(
            RecordField("departments", _("Departments consulted"), kind="list"),
            RecordField("conclusion", _("Conclusion")),
        ),
    ).Next(this.after_county_joint_review)
    after_county_joint_review = (
        nodes.Switch()
        .Case(this.end, decided("county_joint_review", REJECT))
        .Case(this.close_relative_review, all_of(rule.gate_applies("close_relative_review"), rule.close_relative_of_an_official))
        .Default(this.pre_review)
    )
    close_relative_review = step(
        Actor.COUNTY,
        _("Special review of a close relative's admission (county gate)"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("conclusion", _("Conclusion")),),
    ).Next(this.after_close_relative_review)
    after_close_relative_review = (
        nodes.Switch().Case(this.end, decided("close_relative_review", REJECT)).Default(this.pre_review)
    )

    # Stage 4: the probationary member.
    pre_review = step(
        Actor.COMMITTEE,
        _("Pre-review by the primary committee; issue the admission form"),
        fields=(
            RecordField(
                "leaves_unit_within_3_months",
                _("The candidate leaves their work or study unit within 3 months"),
                kind="boolean",
                required=False,
            ),
        ),
        check=rule.check_pre_review_not_when_leaving_the_unit_within_three_months,
    ).Next(this.admission_form)
    admission_form = step(Actor.APPLICANT, _("Fill in the admission form")).Next(this.after_admission_form)
    after_admission_form = (
        nodes.Switch().Case(this.public_defense, rule.gate_applies("public_defense")).Default(this.admission_vote)
    )
    public_defense = step(
        Actor.BRANCH,
        _("Public defense (county gate)"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("result", _("Result of the defense")),),
    ).Next(this.after_public_defense)
    after_public_defense = (
        nodes.Switch().Case(this.cultivation, decided("public_defense", REJECT)).Default(this.admission_vote)
    )
    admission_vote = step(
        Actor.BRANCH,
        _("Branch general meeting vote on the admission"),
        decisions=APPROVE_OR_REJECT,
        fields=VOTE,
        check=rule.check_admission_vote,
    ).Next(this.after_admission_vote)
    after_admission_vote = (
        nodes.Switch().Case(this.cultivation, decided("admission_vote", REJECT)).Default(this.committee_talk)
    )
    committee_talk = step(
        Actor.COMMITTEE,
        _("Talk by a committee member or organizer"),
        fields=(RecordField("talker", _("Who held the talk")),),
        due=rule.admission_approval_due,
    ).Next(this.admission_approval)
    admission_approval = step(
        Actor.COMMITTEE,
        _("Approval by the primary committee"),
        decisions=APPROVE_OR_REJECT,
        fields=(RecordField("special_reason", _("Special reason (after 3 months)"), required=False),),
        due=rule.admission_approval_due,
        check=rule.check_admission_approval_within_three_months,
        late_reason_field="special_reason",
    ).Next(this.after_admission_approval)
    after_admission_approval = (
        nodes.Switch().Case(this.cultivation, decided("admission_approval", REJECT)).Default(this.county_filing)
    )
    county_filing = step(Actor.COUNTY, _("File with the county organization department")).Next(this.join_branch)
    join_branch = step(
        Actor.BRANCH,
        _("Join a branch and a party group"),
        fields=(RecordField("group", _("Party group"), required=False),),
    ).Next(this.oath)
    oath = step(Actor.BRANCH, _("Oath of admission")).Next(this.probation_assessment)
    probation_assessment = step(
        Actor.BRANCH,
        _("Assessment during the probation"),
        fields=(RecordField("assessment", _("Assessment")),),
        due=rule.probation_assessment_due,
    ).Next(this.after_probation_assessment)
    after_probation_assessment = (
        nodes.Switch()
        .Case(this.probation_assessment, lambda activation: rule.more_probation_assessments_due(activation.process))
        .Default(this.conversion_application)
    )

    # Stage 5: the full member.
    conversion_application = step(
        Actor.APPLICANT, _("Written application for conversion"), due=rule.conversion_application_due
    ).Next(this.after_conversion_application)
    after_conversion_application = (
        nodes.Switch()
        .Case(this.second_political_review, rule.gate_applies("second_political_review"))
        .Default(this.conversion_vote)
    )
    second_political_review = step(
        Actor.BRANCH,
        _("Second political review at conversion (county gate)"),
        fields=(RecordField("conclusion", _("Written conclusion")),),
    ).Next(this.conversion_vote)
    conversion_vote = step(
        Actor.BRANCH,
        _("Branch general meeting vote on the conversion"),
        decisions=(CONVERT, EXTEND, CANCEL),
        fields=(*VOTE, RecordField("months", _("Extension (months)"), kind="integer", required=False)),
        due=rule.conversion_vote_due,
        check=rule.check_conversion_vote,
    ).Next(this.conversion_approval)
    conversion_approval = step(
        Actor.COMMITTEE, _("Approval of the conversion by the primary committee"), due=rule.conversion_approval_due
    ).Next(this.after_conversion_approval)
    after_conversion_approval = (
        nodes.Switch().Case(this.probation_assessment, decided("conversion_vote", EXTEND)).Default(this.archive)
    )
    archive = step(
        Actor.COMMITTEE,
        _("File the materials into the member archive"),
        fields=(RecordField("keeper", _("Kept by"), choices=ARCHIVE_KEEPERS),),
    ).Next(this.end)

    end = nodes.End()

    def begin(self, activation, *, person, branch, actor) -> WorkflowProcess:
        activation.process.person = person
        activation.process.org = branch
        activation.task.owner = actor
        return activation.process

    def begin_imported(self, activation, *, person, branch, actor, resume_at: str) -> WorkflowProcess:
        activation.process.data = {"resume_at": resume_at}
        return self.begin(activation, person=person, branch=branch, actor=actor)
