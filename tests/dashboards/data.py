"""Records the dashboard figures count, built through the services where one exists (admissions, dues
bases, assessment, payments) and directly where a figure reads a plain row (a meeting, a result, a registration)."""

import datetime
import itertools
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from viewflow.workflow.status import STATUS

from core.dates import today
from dues.assessment import assess_month
from members.models import MobileRegistration, Person, RegistrationStatus, Stage, Status
from orgs.life.models import Meeting
from orgs.models import Organization, Role
from tests.dues.factories import DuesBaseFactory, county_admin
from tests.factories import PersonFactory, UserFactory, make_id_number
from workflows.models import AdmissionRecord, StepTask, WorkflowProcess
from workflows.services.admission import start_admission

_serial = itertools.count(1)
DAY = datetime.timedelta(days=1)


def secretary_of(branch: Organization):
    from orgs.models import RoleAssignment

    found = RoleAssignment.objects.filter(org=branch, role=Role.BRANCH_SECRETARY).select_related("user").first()
    if found is not None:
        return found.user
    user = UserFactory(username=f"secretary-{branch.pk}")
    RoleAssignment.objects.create(user=user, org=branch, role=Role.BRANCH_SECRETARY)
    return user


def admission(branch: Organization, applied_on: datetime.date, **dates: datetime.date) -> AdmissionRecord:
    """An admission started at `branch` on `applied_on`, with the later stage dates given (activist_since…)."""
    applicant = PersonFactory(org=branch, stage=Stage.APPLICANT, id_number=make_id_number(birth=datetime.date(1998, 4, 1)))
    process = start_admission(actor=secretary_of(branch), branch=branch, date=applied_on, person=applicant)
    record = AdmissionRecord.objects.get(process=process)
    if dates:
        AdmissionRecord.objects.filter(pk=record.pk).update(**dates)
        record.refresh_from_db()
    return record


def open_task(org: Organization, due_date: datetime.date, *, done: bool = False) -> StepTask:
    """One open task acting at `org`, due on `due_date` (an admission's first step, moved there)."""
    record = admission(org, today() - 3 * DAY)
    step_tasks = StepTask.objects.filter(process=record.process)
    # Only the task under test counts: the admission's other open tasks are not due yet.
    step_tasks.update(due_date=today() + 30 * DAY, overdue=False)
    task = step_tasks.order_by("task_id").first()
    StepTask.objects.filter(pk=task.pk).update(org=org, due_date=due_date)
    if done:
        task.task.status = STATUS.DONE
        task.task.save(update_fields=["status"])
    return task


def processes_in(org: Organization):
    return WorkflowProcess.objects.filter(org__path__startswith=org.path)


def meeting(org: Organization, kind: str, date: datetime.date) -> Meeting:
    return Meeting.objects.create(org=org, kind=kind, date=date, topic="支部党员大会")


def dues_member(branch: Organization, year: int, months: int = 12) -> Person:
    """A full member with a base for `year`, and `months` of that year assessed (stored)."""
    person = PersonFactory(org=branch, stage=Stage.FULL)
    DuesBaseFactory(person=person, year=year, monthly_base=Decimal("4000.00"))
    for month in range(1, months + 1):
        assess_month(actor=county_admin(), month=datetime.date(year, month, 1), org=branch)
    return person


def registration(branch: Organization, person_status: str = Status.MOBILE, status: str = RegistrationStatus.OPEN):
    person = PersonFactory(org=branch, stage=Stage.FULL, status=person_status)
    return MobileRegistration.objects.create(
        person=person,
        org=branch,
        destination="浙江省杭州市",
        left_on=today() - relativedelta(months=2),
        contact_person=PersonFactory(org=branch, stage=Stage.FULL),
        certificate_number=f"DB{next(_serial):06d}",
        certificate_issued_on=today() - relativedelta(months=2),
        status=status,
    )
