"""Admissions already under way, imported from a spreadsheet (.xlsx): each row becomes a process at its step.

A county starts with thousands of people mid-pipeline. A row gives the person, their branch and the
dates of the steps done so far (the milestones of the national system's export, and the last
assessment); the process resumes at the step after the last of them, or at the row's `current_step`.
The dates become the process's history, marked imported, and go into the member archive. The rules
are checked on them as on live steps: 18 on the application day, dates in order and not in the
future, a year as an activist before the candidate decision, the approval within 3 months of the vote
(6 with a special reason). The person's stage moves through members.stages to where the row puts them.

Each row is written whole or not at all; with dry_run, every row is checked and nothing is kept.
"""

import datetime
import zipfile
from collections.abc import Iterator
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.actions import action
from core.dates import check_event_date
from core.exceptions import RuleViolation
from members import stages
from members.identity import normalize_id_number
from members.models import Person, Stage, Status
from members.services import create_person, update_person
from orgs.access import can, scope
from orgs.models import BRANCH_KINDS, Organization

from .. import rules
from ..engine import APPROVE, CONTINUE, SUBMIT
from ..flows.admission import RESUMABLE_STEPS, AdmissionFlow
from ..models import AdmissionRecord, StepRecord, WorkflowProcess
from .admission import check_applicant_age
from .admission_effects import file_record
from .admission_rules import earliest_candidate_decision, probation_end_of
from .tasks import track_open_tasks

# The columns: field code, the Chinese header of the sheet. Headers are a file format, not interface text.
COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("id_number", "身份证号"),
    ("branch", "所在党支部"),
    ("phone", "手机"),
    ("application", "申请入党日期"),
    ("talk", "谈话日期"),
    ("activist_decision", "确定为入党积极分子日期"),
    ("cultivation", "最近一次培养考察日期"),
    ("prior_activist_days", "在其他单位任积极分子天数"),
    ("candidate_decision", "确定为发展对象日期"),
    ("admission_vote", "支部大会接收预备党员日期"),
    ("admission_approval", "党委审批日期"),
    ("special_reason", "超过三个月审批的特殊原因"),
    ("probation_assessments", "已完成预备期考察次数"),
    ("current_step", "当前步骤"),
]
REQUIRED = ("name", "id_number", "branch", "application")
# The dated steps a row may carry, in the order of the flow.
MILESTONES = ("application", "talk", "activist_decision", "cultivation", "candidate_decision", "admission_vote", "admission_approval")
# The step a process resumes at after its last milestone, unless the row names another.
RESUME_AFTER = {
    "application": "talk",
    "talk": "activist_decision",
    "activist_decision": "cultivation",  # filing and mentors follow within weeks of the decision
    "cultivation": "cultivation",
    "candidate_decision": "candidate_filing",
    "admission_vote": "committee_talk",
    "admission_approval": "probation_assessment",  # filing, joining and the oath follow within weeks
}
# The milestone a process must have passed to resume at a step, and the stage it brings.
STAGE_MILESTONES = (
    ("activist_decision", Stage.ACTIVIST),
    ("candidate_decision", Stage.CANDIDATE),
    ("admission_vote", None),
    ("admission_approval", Stage.PROBATIONARY),
)
FLOW_ORDER = ("application", *RESUMABLE_STEPS)
IMPORTED_DECISIONS = {"application": SUBMIT, "cultivation": CONTINUE}


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(file) -> Iterator[tuple[int, dict[str, str]]]:
    """(the row's number as Excel shows it, {field code: text}) for each non-empty row of the first sheet."""
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise RuleViolation(_("Upload an Excel workbook (.xlsx)."), field="file") from exc
    lookup = {code: code for code, _header in COLUMNS} | {header: code for code, header in COLUMNS}
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    fields = [lookup.get(_cell_text(header)) for header in next(rows, ())]
    missing = [header for code, header in COLUMNS if code in REQUIRED and code not in fields]
    if missing:
        raise RuleViolation(
            _("The first row must hold the column headers; missing: %(columns)s.") % {"columns": "、".join(missing)},
            field="file",
        )
    for number, cells in enumerate(rows, start=2):
        values = {field: _cell_text(cell) for field, cell in zip(fields, cells, strict=False) if field}
        if any(values.values()):
            yield number, values
    workbook.close()


def _date(values: dict[str, str], field: str) -> datetime.date | None:
    text = values.get(field, "")
    if not text:
        return None
    try:
        parsed = parse_date(text[:10])
    except ValueError:  # well formed, but no such day
        parsed = None
    if parsed is None:
        raise RuleViolation(_("Enter a date as YYYY-MM-DD."), field=field)
    return check_event_date(parsed, field=field)


def _count(values: dict[str, str], field: str) -> int:
    text = values.get(field, "")
    if not text:
        return 0
    if not text.isdigit():
        raise RuleViolation(_("Enter a whole number."), field=field)
    return int(text)


def _branch(actor, text: str) -> Organization:
    branches = Organization.objects.filter(scope(actor, "import_people", field=""), kind__in=BRANCH_KINDS)
    matches = list(branches.filter(pk=int(text))) if text.isdigit() else list(branches.filter(name=text)[:2])
    if len(matches) != 1:
        message = (
            _("Several branches have this name; give the branch's number.")
            if matches
            else _("No branch in your scope has this name or number.")
        )
        raise RuleViolation(message, field="branch")
    return matches[0]


def _resume_step(values: dict[str, str], dates: dict[str, datetime.date]) -> str:
    last = [milestone for milestone in MILESTONES if milestone in dates][-1]
    titles = {str(AdmissionFlow.instance.node(code).task_title): code for code in RESUMABLE_STEPS}
    given = values.get("current_step", "")
    step = titles.get(given, given) or RESUME_AFTER[last]
    if step not in RESUMABLE_STEPS:
        raise RuleViolation(_("“%(step)s” is not a step an admission can resume at.") % {"step": given}, field="current_step")
    if FLOW_ORDER.index(step) <= FLOW_ORDER.index(last) and not (step == last == "cultivation"):
        raise RuleViolation(
            _("The row's dates go as far as “%(last)s”: the admission resumes after it.") % {"last": last},
            field="current_step",
        )
    for milestone, _stage in STAGE_MILESTONES:
        if FLOW_ORDER.index(step) > FLOW_ORDER.index(milestone) and milestone not in dates:
            raise RuleViolation(
                _("To resume at this step, give the date of “%(step)s”.")
                % {"step": AdmissionFlow.instance.node(milestone).task_title},
                field=milestone,
            )
    return step


def _check_dates(values: dict[str, str], dates: dict[str, datetime.date], birth_date: datetime.date) -> None:
    """The rules of the live steps, on the imported dates."""
    try:
        check_applicant_age(birth_date, dates["application"])
    except RuleViolation as violation:
        raise RuleViolation(violation.message, field="application") from violation
    previous = None
    for milestone in MILESTONES:
        if milestone not in dates:
            continue
        if previous is not None and dates[milestone] < dates[previous]:
            raise RuleViolation(_("The dates must follow the order of the steps."), field=milestone)
        previous = milestone
    if "candidate_decision" in dates:
        probe = AdmissionRecord(applied_on=dates["application"], activist_since=dates["activist_decision"])
        earliest = earliest_candidate_decision(probe, _count(values, "prior_activist_days"))
        if dates["candidate_decision"] < earliest:
            raise RuleViolation(
                _("A candidate is decided after at least %(years)d year as an activist: not before %(date)s.")
                % {"years": rules.MIN_YEARS_AS_ACTIVIST, "date": earliest.isoformat()},
                field="candidate_decision",
            )
    if "admission_approval" in dates:
        vote = dates["admission_vote"]
        approved = dates["admission_approval"]
        if approved > vote + relativedelta(months=rules.APPROVAL_SPECIAL_MAX_MONTHS):
            raise RuleViolation(
                _("The approval is more than %(months)d months after the vote.") % {"months": rules.APPROVAL_SPECIAL_MAX_MONTHS},
                field="admission_approval",
            )
        if approved > vote + relativedelta(months=rules.APPROVAL_WITHIN_MONTHS) and not values.get("special_reason"):
            raise RuleViolation(
                _("More than %(months)d months after the vote: give the special reason.") % {"months": rules.APPROVAL_WITHIN_MONTHS},
                field="special_reason",
            )


def _person(actor, values: dict[str, str], branch: Organization) -> Person:
    try:
        number = normalize_id_number(values.get("id_number", ""))
    except RuleViolation as violation:
        raise RuleViolation(violation.message, field="id_number") from violation
    person = Person.objects.select_related("org").filter(id_number=number).first()
    if person is None:
        return create_person(actor=actor, name=values.get("name", ""), id_number=number, org=branch, phone=values.get("phone", ""))
    if not can(actor, "import_people", person.org):
        raise RuleViolation(_("A person with this ID number already exists."), field="id_number")
    if person.status != Status.ACTIVE:
        raise RuleViolation(_("Only a person on the active roll can be imported into an admission."), field="id_number")
    if AdmissionRecord.objects.filter(person=person, process__finished__isnull=True).exists():
        raise RuleViolation(_("This person's application is already under way."), field="id_number")
    return person


def _bring_to_stage(actor, person: Person, target: str, dates: dict[str, datetime.date]) -> Person:
    """Move the person's stage on to where the row puts them; a record already further on is refused."""
    order = stages.ORDER
    if order.index(person.stage) > order.index(target):
        raise RuleViolation(
            _("The person is already a %(stage)s: their record is further on than this row.")
            % {"stage": Stage(person.stage).label},
            field="id_number",
        )
    moves = {Stage.ACTIVIST: "activist_decision", Stage.CANDIDATE: "candidate_decision", Stage.PROBATIONARY: "admission_approval"}
    while person.stage != target:
        to = stages.next_stage(person.stage)
        person = stages.advance_stage(actor=actor, person=person, to=to, on=dates[moves[to]])
    return person


def _target_stage(dates: dict[str, datetime.date]) -> str:
    stage = Stage.APPLICANT
    for milestone, reached in STAGE_MILESTONES:
        if reached and milestone in dates:
            stage = reached
    return stage


def _import_row(actor, values: dict[str, str]) -> WorkflowProcess:
    missing = {field: [_("This field is required.")] for field in REQUIRED if not values.get(field)}
    if missing:
        raise RuleViolation(next(iter(missing.values()))[0], errors=missing)
    branch = _branch(actor, values["branch"])
    dates = {milestone: day for milestone in MILESTONES if (day := _date(values, milestone)) is not None}
    resume_at = _resume_step(values, dates)
    person = _person(actor, values, branch)
    _check_dates(values, dates, person.birth_date)
    person = _bring_to_stage(actor, person, _target_stage(dates), dates)
    if person.org_id != branch.pk:
        person = update_person(actor=actor, person=person, org=branch)

    process = AdmissionFlow.imported.run(person=person, branch=branch, actor=actor, resume_at=resume_at)
    vote = dates.get("admission_vote")
    approved = "admission_approval" in dates
    AdmissionRecord.objects.create(
        process=process,
        person=person,
        applied_on=dates["application"],
        activist_since=dates.get("activist_decision"),
        cultivation_since=dates.get("activist_decision"),
        prior_activist_days=_count(values, "prior_activist_days"),
        candidate_since=dates.get("candidate_decision"),
        vote_date=vote,
        probation_start=vote if approved else None,
        probation_end=probation_end_of(vote) if approved else None,
        prior_probation_assessments=_count(values, "probation_assessments"),
        rule_version=rules.admission_rule_version(dates["application"]),
        imported=True,
    )
    for milestone, day in dates.items():
        data = {"special_reason": values["special_reason"]} if milestone == "admission_approval" and values.get("special_reason") else {}
        record = StepRecord.objects.create(
            process=process,
            step=milestone,
            decision=IMPORTED_DECISIONS.get(milestone, APPROVE),
            event_date=day,
            actor=actor,
            on_behalf_of_org=branch,
            data=data,
            imported=True,
            late=milestone == "talk" and day > dates["application"] + relativedelta(months=rules.TALK_WITHIN_MONTHS),
        )
        file_record(process, record)
    track_open_tasks(process)
    return process


def import_admissions(*, actor, file, dry_run: bool = False) -> dict[str, Any]:
    """Import each row as an admission under way; a refused row is reported with its number and errors."""
    report: dict[str, Any] = {"created": 0, "rejected": [], "dry_run": dry_run}
    with action(actor):
        for number, values in read_rows(file):
            try:
                with transaction.atomic():
                    _import_row(actor, values)
            except RuleViolation as violation:
                report["rejected"].append({"row": number, "errors": violation.errors})
            else:
                report["created"] += 1
        if dry_run:
            transaction.set_rollback(True)
    return report
