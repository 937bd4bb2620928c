"""Organization assessments (DOMAIN.md §10): indicator systems, the yearly cycle of an organization's
assessment as a flow of the inbox (workflows.flows.assessment), its sheets and automatic evidence,
vetoes, the confirmed result with its grade and stars, the secretary flagged after two unqualified
results in a term, and the weak and lax organizations' rectification.

Every write runs in `core.actions.action`; bad input raises RuleViolation and changes nothing.
"""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import Conflict, RuleViolation
from members.models import Person
from orgs.access import can
from orgs.checks import TERM_YEARS
from orgs.life.models import ElectedOfficer, Position
from orgs.models import Organization, OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from workflows.engine import ACT_CAPABILITY, OPEN_STATUSES, Submission, approving_committee, may_act
from workflows.flows.assessment import (
    CONFIRMATION_STEPS,
    SELF_STEPS,
    STAGE_STEPS,
    AssessmentFlow,
    assessed_by_county,
    assessor_actor,
)
from workflows.models import StepRecord, StepTask, WorkflowProcess
from workflows.services.tasks import complete_task, track_open_tasks

from ..config import ConfigError
from . import compute, evidence, rules
from .config import OPINIONS, SHEET_STAGES, IndicatorSystem, read_system
from .models import (
    Assessment,
    AssessmentFinding,
    AssessmentScheme,
    AssessmentStatus,
    Evidence,
    FindingKind,
    IndicatorScore,
    RectificationTask,
    SecretaryFlag,
    WeakOrganization,
    WeakStatus,
)
from .presets import PRESETS

ASSESSED_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.JOINT_BRANCH)
POINTS = Decimal("0.01")


# --- indicator systems -----------------------------------------------------------------------------------


def read_config(config: Any) -> IndicatorSystem:
    """An indicator system read and checked; its problems as a RuleViolation with their paths."""
    try:
        return read_system(config)
    except ConfigError as error:
        raise RuleViolation(next(iter(error.errors.values()))[0], errors={f"config.{k}" if k else "config": v for k, v in error.errors.items()}) from error


def _clean_kinds(kinds: Any) -> list[str]:
    if not isinstance(kinds, list | tuple) or not kinds or not set(kinds) <= set(ASSESSED_KINDS):
        raise RuleViolation(
            _("Name the kinds of organization assessed from: %(choices)s.") % {"choices": ", ".join(ASSESSED_KINDS)},
            field="org_kinds",
        )
    return [str(kind) for kind in kinds]


def _require_scheme_manager(actor) -> None:
    if not can(actor, "manage_assessment_schemes", root_organization()):
        raise PermissionDenied


def create_scheme(
    *, actor, year: int, name: str, preset: str = "", config: dict | None = None, org_kinds: list[str] | None = None
) -> AssessmentScheme:
    """A county's indicator system for a year, from a preset or its own configuration."""
    _require_scheme_manager(actor)
    if preset and preset not in PRESETS:
        raise RuleViolation(_("Choose a preset from: %(choices)s.") % {"choices": ", ".join(PRESETS)}, field="preset")
    if config is None:
        if not preset:
            raise RuleViolation(_("Start from a preset or give the indicator system."), field="config")
        config = PRESETS[preset].build()
    read_config(config)
    kinds = _clean_kinds(org_kinds if org_kinds is not None else list(PRESETS[preset].org_kinds if preset else ASSESSED_KINDS))
    if AssessmentScheme.objects.filter(year=year, name=name).exists():
        raise RuleViolation(_("The county already has an indicator system of this name for %(year)s.") % {"year": year}, field="name")
    with action(actor):
        return AssessmentScheme.objects.create(
            year=year, name=name, preset=preset, org_kinds=kinds, config=config, created_by=actor
        )


def update_scheme(
    *, actor, scheme: AssessmentScheme, name: str | None = None, config: dict | None = None, org_kinds: list[str] | None = None
) -> AssessmentScheme:
    """Edit an indicator system (its weights, points, vetoes…): a new version, for the assessments opened from now on."""
    _require_scheme_manager(actor)
    if config is not None:
        read_config(config)
    with action(actor):
        scheme = AssessmentScheme.objects.select_for_update().get(pk=scheme.pk)
        if name is not None:
            scheme.name = name
        if org_kinds is not None:
            scheme.org_kinds = _clean_kinds(org_kinds)
        if config is not None and config != scheme.config:
            scheme.config = config
            scheme.version += 1
        scheme.save()
    return scheme


def load_presets(*, year: int) -> list[AssessmentScheme]:
    """The loader: every preset as the county's indicator system for `year`, named by its label, unless the
    county already has one of that name. Run by the platform (no actor), e.g. before a new year."""
    created = []
    with action(None):
        for code, preset in PRESETS.items():
            if not AssessmentScheme.objects.filter(year=year, name=preset.label).exists():
                config = preset.build()
                read_config(config)
                created.append(
                    AssessmentScheme.objects.create(year=year, name=preset.label, preset=code,
                                                    org_kinds=list(preset.org_kinds), config=config)
                )
    return created


# --- opening ---------------------------------------------------------------------------------------------


def assessor_org(org: Organization) -> Organization:
    """The organization whose role holders assess `org`: the county for a primary committee, else its committee."""
    return root_organization() if assessed_by_county(org) else approving_committee(org)


def may_assess(user, org: Organization) -> bool:
    return can(user, ACT_CAPABILITY[assessor_actor(org)], assessor_org(org))


def system_of(assessment: Assessment) -> IndicatorSystem:
    return read_system(assessment.config)


def evidence_date(year: int, on: datetime.date | None = None) -> datetime.date:
    """Evidence is read as of the year's last day, or of today while the year runs."""
    return min(on or today(), datetime.date(year, 12, 31))


def _read_evidence(assessment: Assessment, system: IndicatorSystem, as_of: datetime.date) -> int:
    read = 0
    for code, (_indicator, criterion) in system.criteria.items():
        if criterion.source is None:
            continue
        reading = evidence.read(criterion.source, assessment.org, assessment.year, as_of)
        Evidence.objects.update_or_create(
            assessment=assessment,
            criterion=code,
            defaults={
                "source": criterion.source["code"],
                "suggested": evidence.suggestion(criterion.kind, criterion.points, criterion.max, reading),
                "text": reading.text,
                "detail": reading.detail,
                "as_of": as_of,
            },
        )
        read += 1
    return read


def open_assessment(
    *, actor, scheme: AssessmentScheme, org: Organization, due_on: datetime.date | None = None, on: datetime.date | None = None
) -> Assessment:
    """Open an organization's assessment for the scheme's year: its evidence read, its first task in the inbox."""
    if not can(actor, "open_assessments", assessor_org(org)):
        raise PermissionDenied
    if org.kind not in scheme.org_kinds:
        raise RuleViolation(_("This indicator system does not assess this kind of organization."), field="org")
    opened_on = on or today()
    check_event_date(opened_on, field="date")
    if due_on is not None and due_on < opened_on:
        raise RuleViolation(_("The stages cannot fall due before the assessment opens."), field="due_on")
    system = read_config(scheme.config)
    with action(actor):
        if Assessment.objects.select_for_update().filter(org=org, year=scheme.year).exists():
            raise Conflict(_("%(org)s is already assessed for %(year)s.") % {"org": org.name, "year": scheme.year})
        assessment = Assessment.objects.create(
            scheme=scheme,
            scheme_version=scheme.version,
            config=scheme.config,
            org=org,
            year=scheme.year,
            opened_on=opened_on,
            due_on=due_on,
            evidence_as_of=evidence_date(scheme.year, opened_on),
        )
        _read_evidence(assessment, system, assessment.evidence_as_of)
        process = AssessmentFlow.opened.run(assessment=assessment, actor=actor)
        assessment.process = process
        assessment.save(update_fields=["process"])
        track_open_tasks(process)
    return assessment


def open_round(
    *, actor, scheme: AssessmentScheme, root: Organization | None = None, due_on: datetime.date | None = None,
    on: datetime.date | None = None,
) -> list[Assessment]:
    """Open the year's assessments of every organization of the scheme's kinds under `root` that the actor
    assesses and that has none for the year yet."""
    root = root or root_organization()
    taken = Assessment.objects.filter(year=scheme.year).values("org_id")
    candidates = root.subtree().filter(kind__in=scheme.org_kinds).exclude(pk__in=taken).order_by("path")
    opened = []
    with action(actor):
        for org in candidates:
            if can(actor, "open_assessments", assessor_org(org)):
                opened.append(open_assessment(actor=actor, scheme=scheme, org=org, due_on=due_on, on=on))
    return opened


def refresh_evidence(*, actor, assessment: Assessment, on: datetime.date | None = None) -> int:
    """Read the automatic evidence again (while a sheet is still to be submitted)."""
    if not (may_assess(actor, assessment.org) or _open_sheet_task(assessment, "self", actor) is not None):
        raise PermissionDenied
    if assessment.sheets.get("onsite") is not None or assessment.status != AssessmentStatus.OPEN:
        raise Conflict(_("The on-site check is recorded: its evidence is kept as it was."))
    with action(actor):
        assessment.evidence_as_of = evidence_date(assessment.year, on)
        assessment.save(update_fields=["evidence_as_of"])
        return _read_evidence(assessment, system_of(assessment), assessment.evidence_as_of)


# --- sheets ----------------------------------------------------------------------------------------------


def assessment_of(process: WorkflowProcess) -> Assessment:
    return Assessment.objects.select_related("org").get(pk=process.data["assessment"])


def stage_weighed(process: WorkflowProcess, stage: str) -> bool:
    return system_of(assessment_of(process)).weight(stage) > 0


def open_task(assessment: Assessment, steps: tuple[str, ...]) -> StepTask | None:
    if assessment.process_id is None:
        return None
    return (
        StepTask.objects.filter(process_id=assessment.process_id, step__in=steps, task__status__in=OPEN_STATUSES)
        .select_related("task", "process", "org")
        .first()
    )


def _open_sheet_task(assessment: Assessment, stage: str, user) -> StepTask | None:
    """The open task of a sheet stage, if the user may act on it."""
    step_task = open_task(assessment, STAGE_STEPS[stage])
    return step_task if step_task is not None and may_act(user, step_task) else None


def _value(raw: Any, field: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, AttributeError) as exc:
        raise RuleViolation(_("Enter a number."), field=field) from exc
    if not value.is_finite():
        raise RuleViolation(_("Enter a number."), field=field)
    return value


def _check_value(criterion, value: Decimal, field: str) -> None:
    if criterion.kind == "award":
        if not Decimal(0) <= value <= criterion.points or value != value.quantize(POINTS):
            raise RuleViolation(
                _("Give from 0 to %(points)s points, to the hundredth.") % {"points": criterion.points}, field=field
            )
        return
    if value < 0 or value != value.to_integral_value():
        raise RuleViolation(_("Count the occurrences in whole numbers."), field=field)
    if criterion.max is not None and value > criterion.max:
        raise RuleViolation(_("At most %(max)s occurrences.") % {"max": criterion.max}, field=field)
    if criterion.kind == "penalty" and value and criterion.min is not None and value < criterion.min:
        raise RuleViolation(
            _("A penalty is 0, or from %(min)s to %(max)s points.") % {"min": criterion.min, "max": criterion.max}, field=field
        )


def save_sheet(*, actor, assessment: Assessment, stage: str, scores: list[dict]) -> list[IndicatorScore]:
    """Record values on a sheet while its task is open: `[{"criterion", "value", "reason", "note"}]`.

    A value other than the one the system found needs its reason; so does a penalty.
    """
    if stage not in SHEET_STAGES:
        raise RuleViolation(_("Sheets are the self-assessment and the on-site check."), field="stage")
    step_task = open_task(assessment, STAGE_STEPS[stage])
    if step_task is None:
        raise Conflict(_("This sheet is not open for scoring."))
    if not may_act(actor, step_task):
        raise PermissionDenied
    if not isinstance(scores, list):
        raise RuleViolation(_("Send the scores as a list."), field="scores")
    criteria = system_of(assessment).criteria
    found = {row.criterion: row.suggested for row in Evidence.objects.filter(assessment=assessment)}
    rows = []
    for index, raw in enumerate(scores):
        field = f"scores[{index}]"
        if not isinstance(raw, dict) or raw.get("criterion") not in criteria:
            raise RuleViolation(_("No criterion of this indicator system has this code."), field=f"{field}.criterion")
        code = raw["criterion"]
        _indicator, criterion = criteria[code]
        value = _value(raw.get("value"), f"{field}.value")
        _check_value(criterion, value, f"{field}.value")
        reason = str(raw.get("reason") or "").strip()
        suggested = found.get(code)
        overridden = suggested is not None and value != suggested
        if overridden and not reason:
            raise RuleViolation(
                _("The system found %(suggested)s for “%(label)s”: give the reason for another value.")
                % {"suggested": suggested, "label": criterion.label},
                field=f"{field}.reason",
            )
        if criterion.kind == "penalty" and value and not reason:
            raise RuleViolation(_("Give the facts behind a penalty."), field=f"{field}.reason")
        rows.append((code, value, suggested, criterion.source["code"] if criterion.source else "", overridden, reason,
                     str(raw.get("note") or "").strip()))
    saved = []
    with action(actor):
        for code, value, suggested, source, overridden, reason, note in rows:
            score, _created = IndicatorScore.objects.update_or_create(
                assessment=assessment,
                stage=stage,
                criterion=code,
                defaults={"value": value, "suggested": suggested, "source": source, "overridden": overridden,
                          "reason": reason, "note": note, "recorded_by": actor},
            )
            saved.append(score)
    return saved


def _stage_of(step: str) -> str:
    return "self" if step in SELF_STEPS else "onsite"


def _sheet_values(assessment: Assessment, stage: str, system: IndicatorSystem) -> tuple[dict[str, Decimal], list[str]]:
    """Each criterion's value on the sheet (a suggestion the assessor left is confirmed), and what is missing."""
    recorded = {row.criterion: row for row in IndicatorScore.objects.filter(assessment=assessment, stage=stage)}
    found = {row.criterion: row.suggested for row in Evidence.objects.filter(assessment=assessment)}
    values, problems = {}, []
    for code, (_indicator, criterion) in system.criteria.items():
        row = recorded.get(code)
        suggested = found.get(code)
        if row is not None:
            if suggested is not None and row.value != suggested and not row.reason:
                problems.append(
                    _("“%(label)s”: the system now finds %(suggested)s; confirm it or give the reason for %(value)s.")
                    % {"label": criterion.label, "suggested": suggested, "value": row.value}
                )
            values[code] = row.value
        elif suggested is not None:
            values[code] = suggested
        elif criterion.kind == "award":
            problems.append(_("Score “%(label)s”.") % {"label": criterion.label})
        else:
            values[code] = Decimal(0)
    return values, problems


def check_sheet(process: WorkflowProcess, submission: Submission, stage: str) -> None:
    """The sheet is complete: every award scored, every departure from the evidence explained."""
    assessment = assessment_of(process)
    _values, problems = _sheet_values(assessment, stage, system_of(assessment))
    if problems:
        raise RuleViolation(problems[0], field="scores", errors={"scores": problems})


def freeze_sheet(process: WorkflowProcess, record: StepRecord) -> None:
    """The sheet as submitted: confirmed suggestions written down, its score out of 100 computed by the engine."""
    assessment = Assessment.objects.select_for_update().get(pk=process.data["assessment"])
    stage = _stage_of(record.step)
    system = system_of(assessment)
    values, _problems = _sheet_values(assessment, stage, system)
    recorded = set(IndicatorScore.objects.filter(assessment=assessment, stage=stage).values_list("criterion", flat=True))
    found = {row.criterion: row for row in Evidence.objects.filter(assessment=assessment)}
    IndicatorScore.objects.bulk_create(
        IndicatorScore(
            assessment=assessment,
            stage=stage,
            criterion=code,
            value=value,
            suggested=found[code].suggested if code in found else None,
            source=found[code].source if code in found else "",
            recorded_by=record.actor,
        )
        for code, value in values.items()
        if code not in recorded
    )
    outcome = compute.sheet(system, assessment.year, values)
    assessment.sheets = {
        **assessment.sheets,
        stage: {"total": str(outcome.total), "indicators": {code: str(v) for code, v in outcome.components.items()},
                "submitted_on": record.event_date.isoformat()},
    }
    if stage == "self":
        assessment.self_score = outcome.total
        assessment.self_report = str(record.data.get("report", ""))
    else:
        assessment.onsite_score = outcome.total
    assessment.save()


# --- the report, the survey ------------------------------------------------------------------------------


def _score_0_100(raw: Any) -> Decimal:
    score = _value(raw, "data.score")
    if not Decimal(0) <= score <= Decimal(100) or score != score.quantize(POINTS):
        raise RuleViolation(_("Give the score from 0 to 100, to the hundredth."), field="data.score")
    return score


def check_report(process: WorkflowProcess, submission: Submission) -> None:
    _score_0_100(submission.data.get("score"))
    if submission.data.get("appraisers", 0) < 1:
        raise RuleViolation(_("At least one appraiser scores the report."), field="data.appraisers")
    if parse_date(submission.data["meeting_on"]) > submission.date:
        raise RuleViolation(_("The appraisal meeting is recorded on or after its day."), field="data.meeting_on")


def record_report(process: WorkflowProcess, record: StepRecord) -> None:
    assessment = Assessment.objects.select_for_update().get(pk=process.data["assessment"])
    assessment.report_meeting_on = parse_date(record.data["meeting_on"])
    assessment.report_summary = record.data["report"]
    assessment.report_appraisers = record.data["appraisers"]
    assessment.report_score = _score_0_100(record.data["score"])
    assessment.save()


def check_survey(process: WorkflowProcess, submission: Submission) -> None:
    if not sum(submission.data.get(opinion, 0) for opinion in OPINIONS):
        raise RuleViolation(_("Count at least one ballot."), field="data.satisfied")


def record_survey(process: WorkflowProcess, record: StepRecord) -> None:
    assessment = Assessment.objects.select_for_update().get(pk=process.data["assessment"])
    assessment.survey = {opinion: record.data.get(opinion, 0) for opinion in OPINIONS}
    outcome = compute.result(system_of(assessment), assessment.year, compute.Inputs(scores={}, ballots=assessment.survey))
    assessment.satisfaction_score = outcome.components["satisfaction"]
    assessment.save()


# --- findings and the result -----------------------------------------------------------------------------


def record_finding(
    *, actor, assessment: Assessment, code: str, reason: str, evidence_text: str = "", date: datetime.date | None = None
) -> AssessmentFinding:
    """A one-vote veto or an exclusion from awards, found by the assessing organization before it confirms."""
    if not may_assess(actor, assessment.org):
        raise PermissionDenied
    if assessment.status != AssessmentStatus.OPEN:
        raise Conflict(_("The result is confirmed."))
    system = system_of(assessment)
    found = system.finding(code)
    if found is None:
        raise RuleViolation(_("No veto or exclusion of this indicator system has this code."), field="code")
    if not str(reason or "").strip():
        raise RuleViolation(_("Give the facts of the finding."), field="reason")
    date = date or today()
    check_event_date(date, field="date")
    kind = FindingKind.VETO if found in system.vetoes else FindingKind.EXCLUSION
    with action(actor):
        if AssessmentFinding.objects.filter(assessment=assessment, code=code).exists():
            raise Conflict(_("This finding is already recorded."))
        return AssessmentFinding.objects.create(
            assessment=assessment, kind=kind, code=code, reason=reason.strip(), evidence=evidence_text or "",
            event_date=date, recorded_by=actor,
        )


def withdraw_finding(*, actor, finding: AssessmentFinding) -> None:
    """Take back a finding recorded in error, before the result is confirmed (the audit log keeps it)."""
    if not may_assess(actor, finding.assessment.org):
        raise PermissionDenied
    if finding.assessment.status != AssessmentStatus.OPEN:
        raise Conflict(_("The result is confirmed."))
    with action(actor):
        finding.delete()


def outcome_of(assessment: Assessment):
    """The result as the stages recorded so far give it (provisional until confirmed)."""
    system = system_of(assessment)
    vetoes = tuple(assessment.findings.filter(kind=FindingKind.VETO).order_by("event_date", "id").values_list("code", flat=True))
    inputs = compute.Inputs(
        scores={"self": assessment.self_score, "onsite": assessment.onsite_score, "report": assessment.report_score},
        ballots=assessment.survey or {},
        vetoes=vetoes,
    )
    return system, compute.result(system, assessment.year, inputs)


def check_confirmation(process: WorkflowProcess, submission: Submission) -> None:
    assessment = assessment_of(process)
    system = system_of(assessment)
    missing = [
        stage for stage, value in (("self", assessment.self_score), ("onsite", assessment.onsite_score),
                                   ("report", assessment.report_score), ("satisfaction", assessment.satisfaction_score))
        if system.weight(stage) > 0 and value is None
    ]
    if missing:
        raise RuleViolation(_("A weighted stage has no score yet: %(stages)s.") % {"stages": ", ".join(missing)})


def _secretary(org: Organization) -> Person | None:
    """The secretary elected last, else the person of a user holding the secretary's role on the organization."""
    officer = (
        ElectedOfficer.objects.filter(election__org=org, position=Position.SECRETARY)
        .order_by("-election__held_on", "-election_id")
        .select_related("person")
        .first()
    )
    if officer is not None:
        return officer.person
    assignment = RoleAssignment.objects.filter(org=org, role=Role.BRANCH_SECRETARY, user__person__isnull=False).first()
    return Person.objects.filter(user_id=assignment.user_id).first() if assignment else None


def _first_year_of_term(org: Organization, year: int) -> int:
    if org.term_started_on is not None:
        return org.term_started_on.year
    years = TERM_YEARS.get(OrgKind(org.kind))
    return year - (years - 1) if years else year


def _flag_secretary(assessment: Assessment, system: IndicatorSystem, on: datetime.date) -> SecretaryFlag | None:
    """Seed 001 第十条: two unqualified results in one term flag the secretary for the county."""
    org = assessment.org
    first = _first_year_of_term(org, assessment.year)
    years = sorted(
        Assessment.objects.filter(
            org=org, status=AssessmentStatus.CONFIRMED, grade=system.veto_grade, year__gte=first, year__lte=assessment.year
        ).values_list("year", flat=True)
    )
    if len(years) < rules.UNQUALIFIED_IN_TERM:
        return None
    if SecretaryFlag.objects.filter(org=org, term_started_on=org.term_started_on, handled_on__isnull=True).exists():
        return None
    return SecretaryFlag.objects.create(
        org=org, secretary=_secretary(org), term_started_on=org.term_started_on, years=years, assessment=assessment, raised_on=on
    )


def _list_weak(assessment: Assessment, system: IndicatorSystem, actor, on: datetime.date) -> WeakOrganization | None:
    if assessment.grade not in system.weak_grades:
        return None
    reason = _("Graded %(grade)s in the %(year)s assessment") % {"grade": system.grade_label(assessment.grade), "year": assessment.year}
    if assessment.vetoed_by:
        found = system.finding(assessment.vetoed_by)
        reason += _(" (one-vote veto: %(veto)s)") % {"veto": found.label if found else assessment.vetoed_by}
    weak, _created = WeakOrganization.objects.get_or_create(
        org=assessment.org, year=assessment.year,
        defaults={"reasons": reason, "assessment": assessment, "listed_on": on, "listed_by": actor},
    )
    return weak


def confirm_result(process: WorkflowProcess, record: StepRecord) -> None:
    """The confirmed result goes to the organization's record: total, grade, stars; an unqualified one lists
    the organization as weak and lax, and a second in the term flags its secretary."""
    assessment = Assessment.objects.select_for_update().select_related("org").get(pk=process.data["assessment"])
    system, outcome = outcome_of(assessment)
    assessment.satisfaction_score = outcome.components.get("satisfaction") if assessment.survey else None
    assessment.total = outcome.total
    assessment.grade = outcome.grade
    assessment.vetoed_by = outcome.vetoed_by or ""
    band = compute.star_band(system, outcome.total, bool(outcome.vetoed_by))
    assessment.stars = system.stars_of(band.code) if band else None
    assessment.excluded_from_awards = assessment.findings.filter(kind=FindingKind.EXCLUSION).exists()
    assessment.status = AssessmentStatus.CONFIRMED
    assessment.confirmed_on = record.event_date
    assessment.confirmed_by = record.actor
    assessment.save()
    _list_weak(assessment, system, record.actor, record.event_date)
    _flag_secretary(assessment, system, record.event_date)


def secretary_flagged(process: WorkflowProcess) -> bool:
    return SecretaryFlag.objects.filter(assessment_id=process.data["assessment"], handled_on__isnull=True).exists()


def record_secretary_measure(process: WorkflowProcess, record: StepRecord) -> None:
    flag = SecretaryFlag.objects.select_for_update().get(assessment_id=process.data["assessment"])
    flag.measure = record.data["measure"]
    flag.handled_on = record.event_date
    flag.handled_by = record.actor
    flag.save()


def record_stage(*, actor, assessment: Assessment, stage: str, date: datetime.date | None = None, comment: str = "",
                 data: dict | None = None) -> StepRecord:
    """Record the open step of a stage ("self", "onsite", "report", "satisfaction", "confirmation") from
    the assessment's own page: the same task the inbox shows."""
    steps = CONFIRMATION_STEPS if stage == "confirmation" else STAGE_STEPS.get(stage)
    if steps is None:
        raise RuleViolation(_("No stage has this code."), field="stage")
    step_task = open_task(assessment, steps)
    if step_task is None:
        raise Conflict(_("This stage is not open."))
    return complete_task(actor=actor, step_task=step_task, date=date, comment=comment, data=data or {})


# --- weak and lax organizations --------------------------------------------------------------------------


def _require_rectification_manager(actor, org: Organization) -> None:
    if not can(actor, "manage_rectification", assessor_org(org)):
        raise PermissionDenied


def list_weak(*, actor, org: Organization, year: int, reasons: str, date: datetime.date | None = None) -> WeakOrganization:
    """List an organization as weak and lax (软弱涣散) for its other grounds than an unqualified result."""
    _require_rectification_manager(actor, org)
    if not str(reasons or "").strip():
        raise RuleViolation(_("Give the grounds for listing the organization."), field="reasons")
    date = date or today()
    check_event_date(date, field="date")
    with action(actor):
        if WeakOrganization.objects.filter(org=org, year=year).exists():
            raise Conflict(_("This organization is already listed for %(year)s.") % {"year": year})
        return WeakOrganization.objects.create(org=org, year=year, reasons=reasons.strip(), listed_on=date, listed_by=actor)


def set_plan(
    *, actor, weak: WeakOrganization, plan: str, deadline: datetime.date, responsible: str = "",
    tasks: list[dict] | None = None, date: datetime.date | None = None,
) -> WeakOrganization:
    """The rectification plan, its deadline and its tasks `[{"title", "deadline", "responsible"}]`."""
    _require_rectification_manager(actor, weak.org)
    date = date or today()
    check_event_date(date, field="date")
    if weak.status == WeakStatus.RECTIFIED:
        raise Conflict(_("The rectification is closed."))
    if not str(plan or "").strip():
        raise RuleViolation(_("Write the rectification plan."), field="plan")
    if deadline <= date:
        raise RuleViolation(_("The deadline lies after the plan is set."), field="deadline")
    cleaned = []
    for index, task in enumerate(tasks or []):
        title = str((task or {}).get("title") or "").strip()
        task_deadline = parse_date(str(task.get("deadline") or "")) if isinstance(task.get("deadline"), str) else task.get("deadline")
        if not title:
            raise RuleViolation(_("Name the task."), field=f"tasks[{index}].title")
        if not isinstance(task_deadline, datetime.date) or not date < task_deadline <= deadline:
            raise RuleViolation(_("A task falls due after the plan is set and by the plan's deadline."), field=f"tasks[{index}].deadline")
        cleaned.append(RectificationTask(weak=weak, title=title, deadline=task_deadline,
                                         responsible=str(task.get("responsible") or ""), recorded_by=actor))
    with action(actor):
        weak = WeakOrganization.objects.select_for_update().get(pk=weak.pk)
        weak.plan, weak.deadline, weak.responsible = plan.strip(), deadline, responsible or ""
        weak.planned_on = date
        weak.status = WeakStatus.RECTIFYING
        weak.save()
        RectificationTask.objects.bulk_create(cleaned)
    return weak


def complete_rectification_task(*, actor, task: RectificationTask, date: datetime.date | None = None, note: str = "") -> RectificationTask:
    """The organization records a task of its plan as done."""
    if not can(actor, "record_rectification", task.weak.org):
        raise PermissionDenied
    date = date or today()
    check_event_date(date, field="date")
    if task.done_on is not None:
        raise Conflict(_("This task is already done."))
    with action(actor):
        task.done_on, task.note, task.recorded_by = date, note or "", actor
        task.save()
    return task


def close_rectification(*, actor, weak: WeakOrganization, date: datetime.date | None = None, note: str = "") -> WeakOrganization:
    """The assessing organization closes the rectification once every task is done (整改销号)."""
    _require_rectification_manager(actor, weak.org)
    date = date or today()
    check_event_date(date, field="date")
    if weak.status != WeakStatus.RECTIFYING:
        raise Conflict(_("Only a rectification under way can be closed."))
    if weak.tasks.filter(done_on__isnull=True).exists():
        raise RuleViolation(_("Every task of the plan is done before the rectification closes."))
    if not str(note or "").strip():
        raise RuleViolation(_("Assess the rectification before closing it."), field="note")
    with action(actor):
        weak.status, weak.closed_on, weak.closing_note, weak.closed_by = WeakStatus.RECTIFIED, date, note.strip(), actor
        weak.save()
    return weak
