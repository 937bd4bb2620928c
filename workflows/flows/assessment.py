"""Assessing an organization for a year (DOMAIN.md §10, seed 001 篇一 第六条 to 第十条).

The county (or a primary committee, for the branches below it) opens the assessment
(scoring.assessment.services.open_assessment); then, each a task of the inbox:
1. `self_assessment` — the organization scores itself against the indicator system and writes its
   self-report (a committee's own reviewers: `committee_self_assessment`);
2. `onsite_check` — the assessment group checks on site, scoring every indicator; the evidence the
   system found is confirmed or overridden with a reason;
3. `report_appraisal` — the secretary reports and the appraisal meeting scores the report;
4. `satisfaction_survey` — the masses' satisfaction ballots;
5. `result_confirmation` — the assessing organization confirms the weighted result, its grade and stars;
   two unqualified results in one term then open `secretary_adjustment` for the county.
Steps 2 to 5 belong to the organization above: the primary committee for a branch or general branch,
the county for a primary committee (the `county_…` nodes). A committee without approval authority (a
village or enterprise committee) is assessed by the township committee above it, whose reviewers also
record its self-assessment on its behalf. A stage the indicator system weighs at 0 is skipped. Each
step's check and effect are calls into scoring.assessment.services.
"""

import datetime

from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import nodes
from viewflow.workflow.flow import Flow
from viewflow.workflow.lock import select_for_update_lock

from orgs.models import Organization, OrgKind

from ..engine import APPROVE, SUBMIT, Begin, RecordField, Step, all_of, approving_committee
from ..models import Actor, StepRecord, WorkflowProcess

SELF_STEPS = ("self_assessment", "committee_self_assessment")
ONSITE_STEPS = ("onsite_check", "county_onsite_check")
REPORT_STEPS = ("report_appraisal", "county_report_appraisal")
SURVEY_STEPS = ("satisfaction_survey", "county_satisfaction_survey")
CONFIRMATION_STEPS = ("result_confirmation", "county_result_confirmation")
# The steps of each stage of the indicator system (scoring.assessment.config.STAGES).
STAGE_STEPS = {"self": SELF_STEPS, "onsite": ONSITE_STEPS, "report": REPORT_STEPS, "satisfaction": SURVEY_STEPS}


def assessed_by_county(org: Organization) -> bool:
    """A primary committee with approval authority is assessed by the county; everything below it by its committee."""
    return approving_committee(org).pk == org.pk


def self_actor(org: Organization) -> Actor:
    return Actor.COMMITTEE if org.kind == OrgKind.COMMITTEE else Actor.BRANCH


def assessor_actor(org: Organization) -> Actor:
    return Actor.COUNTY if assessed_by_county(org) else Actor.COMMITTEE


def _services():
    from scoring.assessment import services

    return services


def due(process: WorkflowProcess) -> datetime.date | None:
    """Every stage is due by the day the assessment was opened with, if any."""
    return parse_date(process.data["due_on"]) if process.data.get("due_on") else None


def weighs(stage: str):
    """A gateway condition: the indicator system gives the stage a weight."""
    return lambda activation: _services().stage_weighed(activation.process, stage)


def by_county(activation) -> bool:
    return assessor_actor(activation.process.org) == Actor.COUNTY


def self_by_committee(activation) -> bool:
    return self_actor(activation.process.org) == Actor.COMMITTEE


def flagged(activation) -> bool:
    return _services().secretary_flagged(activation.process)


def check_sheet(stage: str):
    return lambda process, submission: _services().check_sheet(process, submission, stage)


def freeze_sheet(process: WorkflowProcess, record: StepRecord) -> None:
    _services().freeze_sheet(process, record)


def check_report(process: WorkflowProcess, submission) -> None:
    _services().check_report(process, submission)


def record_report(process: WorkflowProcess, record: StepRecord) -> None:
    _services().record_report(process, record)


def check_survey(process: WorkflowProcess, submission) -> None:
    _services().check_survey(process, submission)


def record_survey(process: WorkflowProcess, record: StepRecord) -> None:
    _services().record_survey(process, record)


def check_confirmation(process: WorkflowProcess, submission) -> None:
    _services().check_confirmation(process, submission)


def confirm_result(process: WorkflowProcess, record: StepRecord) -> None:
    _services().confirm_result(process, record)


def record_measure(process: WorkflowProcess, record: StepRecord) -> None:
    _services().record_secretary_measure(process, record)


SELF_FIELDS = (RecordField("report", _("Self-report (the year's party-building work, reviewed against the indicators)")),)
ONSITE_FIELDS = (RecordField("summary", _("Findings of the on-site check"), required=False),)
REPORT_FIELDS = (
    RecordField("meeting_on", _("Date of the appraisal meeting"), kind="date"),
    RecordField("report", _("The secretary's report on the year's party-building work")),
    RecordField("appraisers", _("Appraisers who scored the report"), kind="integer"),
    RecordField("score", _("Appraisal score of the report (0 to 100, the appraisers' mean)")),
)
SURVEY_FIELDS = (
    RecordField("satisfied", _("Ballots “satisfied”"), kind="integer"),
    RecordField("basically_satisfied", _("Ballots “basically satisfied”"), kind="integer"),
    RecordField("unsatisfied", _("Ballots “unsatisfied”"), kind="integer"),
)


def sheet_step(actor: Actor, title, fields, stage: str) -> Step:
    return Step(
        actor=actor, title=title, decisions=(SUBMIT,), fields=fields, due=due, check=check_sheet(stage), effect=freeze_sheet
    )


def report_step(actor: Actor) -> Step:
    return Step(
        actor=actor,
        title=_("The secretary's report and its appraisal meeting"),
        decisions=(SUBMIT,),
        fields=REPORT_FIELDS,
        due=due,
        check=check_report,
        effect=record_report,
    )


def survey_step(actor: Actor) -> Step:
    return Step(
        actor=actor,
        title=_("The masses' satisfaction survey"),
        decisions=(SUBMIT,),
        fields=SURVEY_FIELDS,
        due=due,
        check=check_survey,
        effect=record_survey,
    )


def confirmation_step(actor: Actor) -> Step:
    return Step(
        actor=actor,
        title=_("Confirm the assessment's result, grade and stars"),
        decisions=(APPROVE,),
        due=due,
        check=check_confirmation,
        effect=confirm_result,
    )


class AssessmentFlow(Flow):
    """Organization assessment

    An organization's yearly assessment: self-assessment, on-site check, the secretary's report,
    the masses' satisfaction, and the confirmed result.
    """

    # The title pages show, translated: viewflow would take the docstring's first line as it is.
    process_title = _("Organization assessment")

    code = "assessment"
    process_class = WorkflowProcess
    # A row lock on the process: process ids repeat across county schemas, so a cache key would collide.
    lock_impl = select_for_update_lock

    opened = Begin(this.begin, actor=Actor.COMMITTEE, title=_("Organization assessment opened")).Next(this.to_self)

    to_self = (
        nodes.Switch()
        .Case(this.committee_self_assessment, all_of(weighs("self"), self_by_committee))
        .Case(this.self_assessment, weighs("self"))
        .Default(this.to_onsite)
    )
    self_assessment = sheet_step(
        Actor.BRANCH, _("Self-assessment against the indicators, and the self-report"), SELF_FIELDS, "self"
    ).Next(this.to_onsite)
    committee_self_assessment = sheet_step(
        Actor.COMMITTEE, _("Self-assessment against the indicators, and the self-report"), SELF_FIELDS, "self"
    ).Next(this.to_onsite)

    to_onsite = (
        nodes.Switch()
        .Case(this.county_onsite_check, all_of(weighs("onsite"), by_county))
        .Case(this.onsite_check, weighs("onsite"))
        .Default(this.to_report)
    )
    onsite_check = sheet_step(Actor.COMMITTEE, _("On-site check by the assessment group"), ONSITE_FIELDS, "onsite").Next(
        this.to_report
    )
    county_onsite_check = sheet_step(Actor.COUNTY, _("On-site check by the assessment group"), ONSITE_FIELDS, "onsite").Next(
        this.to_report
    )

    to_report = (
        nodes.Switch()
        .Case(this.county_report_appraisal, all_of(weighs("report"), by_county))
        .Case(this.report_appraisal, weighs("report"))
        .Default(this.to_survey)
    )
    report_appraisal = report_step(Actor.COMMITTEE).Next(this.to_survey)
    county_report_appraisal = report_step(Actor.COUNTY).Next(this.to_survey)

    to_survey = (
        nodes.Switch()
        .Case(this.county_satisfaction_survey, all_of(weighs("satisfaction"), by_county))
        .Case(this.satisfaction_survey, weighs("satisfaction"))
        .Default(this.to_confirmation)
    )
    satisfaction_survey = survey_step(Actor.COMMITTEE).Next(this.to_confirmation)
    county_satisfaction_survey = survey_step(Actor.COUNTY).Next(this.to_confirmation)

    to_confirmation = nodes.Switch().Case(this.county_result_confirmation, by_county).Default(this.result_confirmation)
    result_confirmation = confirmation_step(Actor.COMMITTEE).Next(this.after_confirmation)
    county_result_confirmation = confirmation_step(Actor.COUNTY).Next(this.after_confirmation)

    after_confirmation = nodes.Switch().Case(this.secretary_adjustment, flagged).Default(this.end)
    secretary_adjustment = Step(
        actor=Actor.COUNTY,
        title=_("Two unqualified results in one term: decide on the secretary's adjustment"),
        decisions=(SUBMIT,),
        fields=(RecordField("measure", _("Measure taken (organizational adjustment of the secretary)")),),
        effect=record_measure,
    ).Next(this.end)

    end = nodes.End()

    def begin(self, activation, *, assessment, actor) -> WorkflowProcess:
        activation.process.org = assessment.org
        activation.process.data = {
            "assessment": assessment.pk,
            "year": assessment.year,
            "due_on": assessment.due_on.isoformat() if assessment.due_on else None,
        }
        activation.task.owner = actor
        return activation.process
