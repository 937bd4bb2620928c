"""The first two admission steps through the API: `application` and `talk`, with their rules."""

import datetime

from dateutil.relativedelta import relativedelta
from viewflow.workflow.models import Task

from core.dates import today
from members.models import Person
from tests.workflows.conftest import days_ago, make_applicant
from workflows.models import AdmissionRecord, StepRecord, StepTask, WorkflowProcess


def start(api, person: Person, branch, date: datetime.date):
    return api.post("/api/admissions/", {"person": person.pk, "branch": branch.pk, "date": date.isoformat()}, format="json")


def talk_task_id(api) -> int:
    tasks = api.get("/api/tasks/").json()["results"]
    return next(task["id"] for task in tasks if task["step"] == "talk")


def test_application_then_talk_through_the_api(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    applied = days_ago(20)
    response = start(api, applicant, tree.branch, applied)
    assert response.status_code == 201, response.json()
    admission = response.json()
    assert admission["flow"] == "admission"
    assert admission["person"] == applicant.pk
    assert admission["stage"] == "applicant"
    assert admission["rule_version"] == "2014"
    assert admission["next_steps"] == [
        {"step": "talk", "due_date": (applied + relativedelta(months=1)).isoformat(), "actor": "branch"}
    ]

    tasks = api.get("/api/tasks/").json()["results"]
    assert len(tasks) == 1
    task = tasks[0]
    assert {k: task[k] for k in ("flow", "step", "process", "person", "org", "status", "assignee")} == {
        "flow": "admission",
        "step": "talk",
        "process": admission["id"],
        "person": applicant.pk,
        "org": tree.branch.pk,
        "status": "new",
        "assignee": None,
    }

    talked = days_ago(10)
    response = api.post(
        f"/api/tasks/{task['id']}/complete/",
        {"date": talked.isoformat(), "comment": "谈话顺利", "data": {"talker": "王书记"}},
        format="json",
    )
    assert response.status_code == 200, response.json()

    process = api.get(f"/api/processes/{admission['id']}/").json()
    assert [(h["step"], h["date"], h["decision"]) for h in process["history"]] == [
        ("application", applied.isoformat(), "submit"),
        ("talk", talked.isoformat(), "approve"),
    ]
    talk = process["history"][1]
    assert talk["actor"] == secretary.pk
    assert talk["on_behalf_of_org"] == tree.branch.pk
    assert talk["data"] == {"talker": "王书记"}
    assert talk["comment"] == "谈话顺利"
    assert talk["late"] is False
    assert process["history"][0]["on_behalf_of_person"] == applicant.pk
    assert [step["step"] for step in process["current_steps"]] == ["activist_decision"]
    assert process["status"] == "active"


def test_the_applicant_hands_in_their_own_application(api_a, tree, applicant):
    api = api_a.as_user(applicant.user)
    response = api.post("/api/admissions/", {"branch": tree.branch.pk, "date": days_ago(3).isoformat()}, format="json")
    assert response.status_code == 201, response.json()
    history = api.get(f"/api/processes/{response.json()['id']}/").json()["history"]
    assert history[0]["actor"] == applicant.user.pk
    assert history[0]["on_behalf_of_person"] is None

    mine = api.get("/api/me/application/").json()
    assert mine["id"] == response.json()["id"]
    assert mine["next_steps"][0]["step"] == "talk"
    me = api.get("/api/me/").json()
    assert me["person"]["id"] == applicant.pk
    assert me["stage"] == "applicant"
    assert me["open_tasks"] == 0


def test_a_new_applicant_is_registered_with_the_application(api_a, tree, secretary):
    from tests.factories import make_id_number

    id_number = make_id_number(birth=datetime.date(2000, 1, 2), male=False)
    response = api_a.as_user(secretary).post(
        "/api/admissions/",
        {"person": {"name": "李娜", "id_number": id_number}, "branch": tree.branch.pk, "date": days_ago(1).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(id_number=id_number)
    assert (person.org_id, person.stage, person.sex) == (tree.branch.pk, "applicant", "female")


def test_min_applicant_age_18_on_the_application_day(api_a, tree, secretary):
    applied = days_ago(30)
    turns_18_next_day = applied - relativedelta(years=18) + datetime.timedelta(days=1)
    too_young = make_applicant(tree.branch, born=turns_18_next_day)
    response = start(api_a.as_user(secretary), too_young, tree.branch, applied)
    assert response.status_code == 400
    assert "date" in response.json()["errors"]
    assert not WorkflowProcess.objects.exists()
    assert not Task.objects.exists()

    just_18 = make_applicant(tree.branch, born=applied - relativedelta(years=18))
    assert start(api_a.as_user(secretary), just_18, tree.branch, applied).status_code == 201


def test_talk_within_one_month_counts_the_last_day_as_on_time(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    applied = days_ago(40)
    start(api, applicant, tree.branch, applied)
    last_day = applied + relativedelta(months=1)
    response = api.post(
        f"/api/tasks/{talk_task_id(api)}/complete/", {"date": last_day.isoformat(), "data": {"talker": "王书记"}}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert StepRecord.objects.get(step="talk").late is False


def test_talk_within_one_month_late_talk_is_overdue_and_needs_a_reason(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    applied = days_ago(60)
    start(api, applicant, tree.branch, applied)
    task_id = talk_task_id(api)
    assert [t["id"] for t in api.get("/api/tasks/?overdue=1").json()["results"]] == [task_id]
    assert api.get(f"/api/tasks/?overdue=1&org={tree.branch.pk}").json()["count"] == 1

    late = applied + relativedelta(months=1) + datetime.timedelta(days=1)
    refused = api.post(f"/api/tasks/{task_id}/complete/", {"date": late.isoformat(), "data": {"talker": "王书记"}}, format="json")
    assert refused.status_code == 400
    assert "comment" in refused.json()["errors"]
    assert not StepRecord.objects.filter(step="talk").exists()

    response = api.post(
        f"/api/tasks/{task_id}/complete/",
        {"date": late.isoformat(), "data": {"talker": "王书记", "late_reason": "申请人外出务工"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    talk = response.json()["history"][-1]
    assert talk["late"] is True
    assert talk["data"]["late_reason"] == "申请人外出务工"
    assert StepTask.objects.get(step="talk").overdue is True


def test_an_event_date_in_the_future_is_refused_and_nothing_is_written(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    tomorrow = today() + datetime.timedelta(days=1)
    assert start(api, applicant, tree.branch, tomorrow).status_code == 400
    assert not WorkflowProcess.objects.exists()

    start(api, applicant, tree.branch, days_ago(5))
    task_id = talk_task_id(api)
    response = api.post(f"/api/tasks/{task_id}/complete/", {"date": tomorrow.isoformat(), "data": {"talker": "王书记"}}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["date"]
    task = Task.objects.get(pk=task_id)
    assert (task.status, task.owner_id) == ("NEW", None)
    assert list(StepRecord.objects.values_list("step", flat=True)) == ["application"]


def test_a_talk_cannot_happen_before_the_application(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    start(api, applicant, tree.branch, days_ago(5))
    response = api.post(
        f"/api/tasks/{talk_task_id(api)}/complete/", {"date": days_ago(6).isoformat(), "data": {"talker": "王书记"}}, format="json"
    )
    assert response.status_code == 400
    assert "date" in response.json()["errors"]


def test_the_talk_record_names_the_talker(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    start(api, applicant, tree.branch, days_ago(5))
    response = api.post(f"/api/tasks/{talk_task_id(api)}/complete/", {"date": days_ago(1).isoformat()}, format="json")
    assert response.status_code == 400
    assert "data.talker" in response.json()["errors"]
    assert StepRecord.objects.count() == 1


def test_completing_a_step_twice_conflicts(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    start(api, applicant, tree.branch, days_ago(5))
    task_id = talk_task_id(api)
    body = {"date": days_ago(1).isoformat(), "data": {"talker": "王书记"}}
    assert api.post(f"/api/tasks/{task_id}/complete/", body, format="json").status_code == 200
    again = api.post(f"/api/tasks/{task_id}/complete/", body, format="json")
    assert again.status_code == 409
    assert StepRecord.objects.filter(step="talk").count() == 1


def test_a_decision_the_step_does_not_take_is_refused(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    start(api, applicant, tree.branch, days_ago(5))
    response = api.post(
        f"/api/tasks/{talk_task_id(api)}/complete/",
        {"decision": "convert", "date": days_ago(1).isoformat(), "data": {"talker": "王书记"}},
        format="json",
    )
    assert response.status_code == 400
    assert "decision" in response.json()["errors"]


def test_a_person_already_applying_cannot_start_a_second_admission(api_a, tree, secretary, applicant):
    api = api_a.as_user(secretary)
    assert start(api, applicant, tree.branch, days_ago(5)).status_code == 201
    assert start(api, applicant, tree.branch, days_ago(4)).status_code == 400
    assert AdmissionRecord.objects.count() == 1
