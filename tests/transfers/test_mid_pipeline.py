"""People mid-pipeline move too (DOMAIN.md §4, §5): the admission record travels and goes on at the same step.

An activist keeps the cultivation record (the year as an activist counts from the first decision); a
probationary member whose probation has ended is decided on by the sender first.
"""

import datetime

from dateutil.relativedelta import relativedelta
from viewflow.workflow.status import PROCESS

from core.dates import today
from members.models import Person, Stage
from orgs.models import Role
from tests.admission.pipeline import Actors, happy_path, run_until, start
from tests.admission.test_import import row, workbook
from tests.factories import PersonFactory, make_id_number
from workflows.models import AdmissionRecord, StepRecord, StepTask
from workflows.services.admission_import import import_admissions
from workflows.services.tasks import complete_task

from .conftest import user_with_role
from .helpers import accept_in_beta, between_counties, complete, deliver_all, in_alpha, in_beta, request, send, task_of

D = datetime.date


def activist_at_cultivation(world):
    """An applicant of 2023 in alpha's east branch, decided an activist on 2023-04-10, now in cultivation."""
    alpha = world.alpha
    applicant = PersonFactory(
        org=alpha.east, stage=Stage.APPLICANT, name="李小龙", id_number=make_id_number(birth=D(1995, 2, 3))
    )
    actors = Actors(branch=alpha.secretary, committee=alpha.reviewer, county=alpha.admin, applicant=None)
    process = start(actors, applicant, alpha.east)
    run_until(process, actors, happy_path(alpha.members), "cultivation")
    return Person.objects.get(pk=applicant.pk), process


def imported_probationary(world, vote: datetime.date, name: str = "王预备") -> Person:
    """A probationary member imported into alpha: voted in on `vote`, approved a month later."""
    entry = row(
        world.alpha.east,
        name,
        application=vote - relativedelta(years=3),
        activist_decision=vote - relativedelta(years=3) + relativedelta(months=2),
        candidate_decision=vote - relativedelta(months=6),
        admission_vote=vote,
        admission_approval=vote + relativedelta(months=1),
        probation_assessments=1,
    )
    report = import_admissions(actor=world.alpha.secretary, file=workbook(entry))
    assert report["created"] == 1, report
    return Person.objects.get(name=name)


def test_an_activist_carries_the_cultivation_record_and_goes_on_at_the_same_step(world, client_a, client_b):
    activist, sent_process = activist_at_cultivation(world)
    sent_history = list(StepRecord.objects.filter(process=sent_process).values_list("step", "event_date"))
    send(world, client_a, person=activist)
    deliver_all()
    assert accept_in_beta(world, client_b).status_code == 200
    deliver_all()

    with in_beta(world):
        arrived = Person.objects.get(id_number=activist.id_number)
        admission = AdmissionRecord.objects.get(person=arrived)
        assert (arrived.stage, admission.activist_since, admission.applied_on) == (
            Stage.ACTIVIST,
            D(2023, 4, 10),
            D(2023, 3, 1),
        )
        assert (
            list(StepRecord.objects.filter(process=admission.process).values_list("step", "event_date")) == sent_history
        )
        assert list(StepTask.objects.filter(process=admission.process).values_list("step", flat=True)) == [
            "cultivation"
        ]
        # The receiving branch goes on: the year as an activist counts from alpha's decision.
        secretary = user_with_role(world.beta.branch, Role.BRANCH_SECRETARY)
        cultivation = StepTask.objects.get(process=admission.process, step="cultivation")
        complete_task(
            actor=secretary,
            step_task=cultivation,
            decision="propose",
            comment="转入后补记",
            data={"assessment": "表现良好"},
        )
        decision = StepTask.objects.get(process=admission.process, step="candidate_decision")
        complete_task(actor=secretary, step_task=decision)
        assert Person.objects.get(pk=arrived.pk).stage == Stage.CANDIDATE

    with in_alpha(world):
        left = AdmissionRecord.objects.select_related("process").get(person=activist)
        assert (left.process.status, left.ended_on) == (PROCESS.CANCELED, today())


def test_a_probationary_member_goes_on_at_the_same_step_with_the_probation_dates(world, client_a, client_b):
    vote = today() - relativedelta(months=4)
    member = imported_probationary(world, vote)
    send(world, client_a, person=member)
    deliver_all()
    assert accept_in_beta(world, client_b).status_code == 200
    with in_beta(world):
        admission = AdmissionRecord.objects.get(person__id_number=member.id_number)
        assert admission.person.stage == Stage.PROBATIONARY
        assert (admission.probation_start, admission.probation_end) == (vote, vote + relativedelta(years=1))
        assert admission.prior_probation_assessments == 1
        assert list(StepTask.objects.filter(process=admission.process).values_list("step", flat=True)) == [
            "probation_assessment"
        ]


def test_a_probationary_member_whose_probation_has_ended_is_decided_on_by_the_sender_first(world, client_a):
    member = imported_probationary(world, today() - relativedelta(months=14))
    response = client_a(world.alpha.secretary).post("/api/transfers/", between_counties(member), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "person": [
            f"The probation of this member ended on {(today() - relativedelta(months=2)).isoformat()}: "
            "the branch decides on the conversion before the transfer."
        ]
    }


def test_within_the_county_the_admission_goes_on_with_the_new_branch(world, client_a):
    alpha = world.alpha
    activist, process = activist_at_cultivation(world)
    body = {"person": activist.pk, "kind": "within_county", "to_org": alpha.west.pk, "reason": "迁居"}
    request(client_a(alpha.secretary), body)
    complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval"))
    west = client_a(alpha.secretary_west)
    assert complete(west, task_of(west, "branch_acceptance")).status_code == 200

    process.refresh_from_db()
    assert (process.org_id, process.status) == (alpha.west.pk, PROCESS.NEW)
    assert StepTask.objects.get(process=process, step="cultivation").org_id == alpha.west.pk
    assert [task["step"] for task in west.get("/api/tasks/?flow=admission").json()["results"]] == ["cultivation"]
