"""Starting an admission, and the rules of its steps that live outside the generic task layer."""

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date
from core.exceptions import RuleViolation
from members.identity import birth_date_of, normalize_id_number
from members.models import Person, Stage, Status
from members.services import create_person, update_person
from orgs.access import can
from orgs.models import Organization

from .. import rules
from ..disposition_rules import check_readmission_bar
from ..engine import SUBMIT
from ..flows.admission import AdmissionFlow
from ..models import AdmissionRecord, StepRecord, WorkflowProcess
from .admission_effects import file_record
from .tasks import track_open_tasks

# What a new applicant's record may carry; the branch and the stage come from the application.
NEW_APPLICANT_FIELDS = frozenset({"name", "id_number", "phone", "category", "education"})


def check_applicant_age(birth_date: datetime.date, application_date: datetime.date) -> None:
    """党章第一章第一条: an applicant is at least 18 on the day of the application."""
    if birth_date + relativedelta(years=rules.MIN_APPLICANT_AGE) > application_date:
        raise RuleViolation(
            _("An applicant must be at least %(age)d years old on the day of the application.")
            % {"age": rules.MIN_APPLICANT_AGE},
            field="date",
        )


def _check_branch(branch: Organization) -> None:
    if not branch.is_branch:
        raise RuleViolation(_("An application is made to a branch."), field="branch")


def _check_may_start(actor, branch: Organization, person: Person | None) -> None:
    """The applicant hands in their own application; the branch records the ones it receives."""
    own = person is not None and person.user_id is not None and person.user_id == actor.pk
    if not own and not can(actor, "act_branch_step", branch):
        raise PermissionDenied


def _check_person_may_apply(person: Person) -> None:
    if person.stage != Stage.APPLICANT or person.status != Status.ACTIVE:
        raise RuleViolation(_("Only a person who is not yet a party member may apply."), field="person")
    if AdmissionRecord.objects.filter(person=person, process__finished__isnull=True).exists():
        raise RuleViolation(_("This person's application is already under way."), field="person")


def start_admission(
    *,
    actor,
    branch: Organization,
    date: datetime.date,
    person: Person | None = None,
    person_fields: dict[str, Any] | None = None,
) -> WorkflowProcess:
    """Step 1, `application`: a written application to a branch starts the admission process.

    Either `person` (an existing record) or `person_fields` (a new applicant's record) is given.
    """
    check_event_date(date)
    _check_branch(branch)
    _check_may_start(actor, branch, person)
    if person is not None:
        check_readmission_bar(person, date)
        _check_person_may_apply(person)
        birth_date = person.birth_date
    else:
        fields = {name: value for name, value in (person_fields or {}).items() if name in NEW_APPLICANT_FIELDS}
        birth_date = birth_date_of(normalize_id_number(fields.get("id_number", "")))
    check_applicant_age(birth_date, date)

    with action(actor):
        if person is None:
            person = create_person(actor=actor, org=branch, stage=Stage.APPLICANT, **fields)
        elif person.org_id != branch.pk:
            # The application places the applicant with the branch that received it.
            person = update_person(actor=actor, person=person, org=branch)
        process = AdmissionFlow.application.run(person=person, branch=branch, actor=actor)
        AdmissionRecord.objects.create(
            process=process, person=person, applied_on=date, rule_version=rules.admission_rule_version(date)
        )
        record = StepRecord.objects.create(
            process=process,
            task=process.task_set.get(flow_task=AdmissionFlow.application),
            step=AdmissionFlow.application.code,
            decision=SUBMIT,
            event_date=date,
            actor=actor,
            on_behalf_of_person=None if person.user_id == actor.pk else person,
        )
        file_record(process, record)
        track_open_tasks(process)
    return process
