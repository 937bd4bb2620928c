"""The whole admission, all 25 steps through the API with backdated event dates, ending with a full member."""

import datetime

from members.models import ArchiveEntry, Person, Stage
from tests.conftest import CountyClient
from workflows.flows.admission import AdmissionFlow
from workflows.models import StepRecord

from .pipeline import APPLIED, PROBATION_END, VOTE_DATE, happy_path, open_task, run_until, start

# DOMAIN.md §4, in order; public_notice sits between branch_review and pre_review.
STEPS = [
    "application", "talk", "activist_decision", "activist_filing", "mentors", "cultivation", "candidate_decision",
    "candidate_filing", "sponsors", "political_review", "training", "branch_review", "public_notice", "pre_review",
    "admission_form", "admission_vote", "committee_talk", "admission_approval", "county_filing", "join_branch", "oath",
    "probation_assessment", "conversion_application", "conversion_vote", "conversion_approval", "archive",
]  # fmt: skip

ACTORS = {
    "application": "applicant", "talk": "branch", "activist_decision": "branch", "activist_filing": "committee",
    "mentors": "branch", "cultivation": "branch", "candidate_decision": "branch", "candidate_filing": "committee",
    "sponsors": "branch", "political_review": "branch", "training": "committee", "branch_review": "branch",
    "public_notice": "branch", "pre_review": "committee", "admission_form": "applicant", "admission_vote": "branch",
    "committee_talk": "committee", "admission_approval": "committee", "county_filing": "county",
    "join_branch": "branch", "oath": "branch", "probation_assessment": "branch", "conversion_application": "applicant",
    "conversion_vote": "branch", "conversion_approval": "committee", "archive": "committee",
}  # fmt: skip


def test_every_step_of_domain_section_4_is_a_node_of_the_flow_with_its_actor():
    flow = AdmissionFlow.instance
    for code in STEPS:
        node = flow.node(code)
        assert node is not None, code
        assert node.actor == ACTORS[code], code
    assert len(STEPS) == 26  # the 25 numbered steps and the public notice


def test_the_full_admission_path_through_the_api_ends_with_a_full_member(county_a, tree, actors, applicant, members):
    clients = {level: CountyClient(county_a).as_user(actors.of(level)) for level in ("branch", "committee", "county", "applicant")}
    started = clients["applicant"].post(
        "/api/admissions/", {"branch": tree.branch.pk, "date": APPLIED.isoformat()}, format="json"
    )
    assert started.status_code == 201, started.json()
    process_id = started.json()["id"]

    stages_seen = {}
    for entry in happy_path(members):
        current = clients["branch"].get(f"/api/admissions/{process_id}/").json()
        assert [s["step"] for s in current["next_steps"]] == [entry.step]
        actor = current["next_steps"][0]["actor"]
        assert actor == ACTORS[entry.step]
        assert current["next_steps"][0]["due_date"] is not None
        client = clients[actor]
        task = next(t for t in client.get("/api/tasks/?flow=admission").json()["results"] if t["process"] == process_id)
        assert task["step"] == entry.step
        body = {"date": entry.date.isoformat(), "data": entry.data or {}}
        if entry.decision:
            body["decision"] = entry.decision
        response = client.post(f"/api/tasks/{task['id']}/complete/", body, format="json")
        assert response.status_code == 200, (entry.step, response.json())
        assert not response.json()["history"][-1]["late"], entry.step
        stages_seen[entry.step] = Person.objects.get(pk=applicant.pk).stage

    admission = clients["applicant"].get("/api/me/application/").json()
    assert admission["id"] == process_id
    assert admission["status"] == "done"
    assert admission["next_steps"] == []
    assert admission["stage"] == "full"
    assert admission["outcome"] == "admitted"
    assert admission["activist_since"] == "2023-04-10"
    assert admission["candidate_since"] == "2024-04-15"
    assert admission["probation_start"] == VOTE_DATE.isoformat()
    assert admission["probation_end"] == PROBATION_END.isoformat()
    assert admission["rule_version"] == "2014"

    person = Person.objects.get(pk=applicant.pk)
    assert (person.stage, person.party_standing_since) == (Stage.FULL, PROBATION_END)
    # The stage moves exactly at the deciding steps.
    assert stages_seen["talk"] == "applicant"
    assert stages_seen["activist_decision"] == "activist"
    assert stages_seen["cultivation"] == "activist"
    assert stages_seen["candidate_decision"] == "candidate"
    assert stages_seen["admission_vote"] == "candidate"
    assert stages_seen["admission_approval"] == "probationary"
    assert stages_seen["conversion_vote"] == "probationary"
    assert stages_seen["conversion_approval"] == "full"

    steps = list(StepRecord.objects.filter(process_id=process_id).order_by("id").values_list("step", flat=True))
    assert list(dict.fromkeys(steps)) == STEPS
    assert steps.count("cultivation") == 2
    assert steps.count("probation_assessment") == 4
    # Every step filed its record into the member archive as it happened.
    filed = list(ArchiveEntry.objects.filter(person=person).order_by("id").values_list("source_step", "event_date"))
    assert [step for step, _date in filed] == steps
    assert filed[0] == ("application", APPLIED)
    assert filed[-1] == ("archive", datetime.date(2025, 8, 28))


def test_the_branch_records_the_applicants_own_step_on_their_behalf(api_a, tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "admission_form")
    task = open_task(process, "admission_form")
    assert task.actor == "applicant"
    response = api_a.as_user(actors.branch).post(
        f"/api/tasks/{task.task_id}/complete/", {"date": path[0].date.isoformat()}, format="json"
    )
    assert response.status_code == 200, response.json()
    form = response.json()["history"][-1]
    assert (form["step"], form["actor"], form["on_behalf_of_person"], form["on_behalf_of_org"]) == (
        "admission_form",
        actors.branch.pk,
        applicant.pk,
        None,
    )
