"""Relief and remittance as tasks of the shared inbox (the `dues` flow): the branch proposes a relief and
the upper committee decides it (the branch alone for retirees); a branch that collected dues in a
quarter gets a remittance task due by the regulation's deadline (DOMAIN.md §8)."""

import datetime
from decimal import Decimal

from config.celery import app
from dues.models import Relief, ReliefStatus, Remittance
from dues.tasks import remind_remittances
from members.models import Category
from orgs.models import Role
from tests.dues.conftest import user_with_role
from tests.dues.factories import DuesBaseFactory, month, pay
from tests.factories import PersonFactory
from workflows.models import Notification, StepTask
from workflows.services.tasks import sweep_overdue


def member(tree, **fields):
    person = PersonFactory(org=tree.b1, **fields)
    DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))  # 45.00 a month
    return person


def propose(api, person, **body):
    payload = {
        "person": person.pk,
        "kind": "waive",
        "start_month": "2025-03",
        "end_month": "2025-05",
        "reason": "因病生活困难",
        "proposed_on": "2025-02-20",
    }
    return api.post("/api/dues/reliefs/", {**payload, **body}, format="json")


def dues_tasks(api) -> list[dict]:
    return api.get("/api/tasks/?flow=dues").json()["results"]


def statuses(api, person) -> dict[str, tuple[str, str]]:
    months = api.get(f"/api/dues/accounts/{person.pk}/?year=2025").json()["months"]
    return {line["month"]: (line["due"], line["status"]) for line in months}


def complete(api, task_id: int, **body):
    return api.post(f"/api/tasks/{task_id}/complete/", body, format="json")


def test_the_branch_proposes_and_the_committee_approves_from_its_inbox(tree, as_user):
    person = member(tree)
    proposed = propose(as_user(tree.secretary), person)
    assert proposed.status_code == 201, proposed.json()
    assert (proposed.json()["status"], proposed.json()["retiree"]) == ("proposed", False)

    assert dues_tasks(as_user(tree.secretary)) == []
    [task] = dues_tasks(as_user(tree.reviewer))
    assert (task["flow"], task["step"], task["person"], task["org"], task["actor"]) == (
        "dues",
        "relief_approval",
        person.pk,
        tree.t1.pk,
        "committee",
    )
    assert task["due_date"] == "2025-03-22"  # the county's handling period of 30 days after the proposal

    done = complete(as_user(tree.reviewer), task["id"], decision="approve", date="2025-02-25", comment="情况属实")
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "done"
    assert [(step["step"], step["decision"]) for step in done.json()["history"]] == [
        ("relief_proposal", "submit"),
        ("relief_approval", "approve"),
    ]
    relief = Relief.objects.get(pk=proposed.json()["id"])
    assert (relief.status, relief.decided_by, relief.decided_on, relief.decision_comment) == (
        ReliefStatus.APPROVED,
        tree.reviewer,
        datetime.date(2025, 2, 25),
        "情况属实",
    )
    months = statuses(as_user(tree.secretary), person)
    assert [months[m] for m in ("2025-03", "2025-04", "2025-05")] == [("0.00", "relieved")] * 3
    assert months["2025-06"] == ("45.00", "overdue")
    assert dues_tasks(as_user(tree.reviewer)) == []


def test_a_retirees_relief_is_decided_by_the_branch_alone(tree, as_user):
    retiree = PersonFactory(org=tree.b1, category=Category.RETIRED)
    DuesBaseFactory(person=retiree, kind="retired", monthly_base=Decimal("4000.00"))
    proposed = propose(as_user(tree.secretary), retiree).json()
    assert proposed["retiree"] is True

    assert dues_tasks(as_user(tree.reviewer)) == []
    [task] = dues_tasks(as_user(tree.treasurer))
    assert (task["step"], task["org"], task["actor"]) == ("retiree_relief_decision", tree.b1.pk, "branch")
    assert complete(as_user(tree.treasurer), task["id"], decision="approve", date="2025-02-21").status_code == 200
    assert Relief.objects.get(pk=proposed["id"]).status == ReliefStatus.APPROVED
    assert statuses(as_user(tree.secretary), retiree)["2025-04"] == ("0.00", "relieved")


def test_a_reviewer_of_another_committee_cannot_see_the_relief_task(tree, as_user):
    propose(as_user(tree.secretary), member(tree))
    [task] = dues_tasks(as_user(tree.reviewer))
    outsider = as_user(user_with_role(tree.t2, Role.COMMITTEE_REVIEWER, "reviewer-t2"))
    assert dues_tasks(outsider) == []
    assert complete(outsider, task["id"], decision="approve", date="2025-02-25").status_code == 404
    assert outsider.post(f"/api/tasks/{task['id']}/assign/").status_code == 404


def test_a_rejection_needs_its_reason_and_leaves_the_months_due(tree, as_user):
    person = member(tree)
    relief_id = propose(as_user(tree.secretary), person).json()["id"]
    [task] = dues_tasks(as_user(tree.reviewer))
    api = as_user(tree.reviewer)

    unreasoned = complete(api, task["id"], decision="reject", date="2025-02-25")
    assert unreasoned.status_code == 400
    assert "data.reason" in unreasoned.json()["errors"]
    assert Relief.objects.get(pk=relief_id).status == ReliefStatus.PROPOSED

    rejected = complete(api, task["id"], decision="reject", date="2025-02-25", data={"reason": "不符合减免条件"})
    assert rejected.status_code == 200, rejected.json()
    relief = Relief.objects.get(pk=relief_id)
    assert (relief.status, relief.decision_comment) == (ReliefStatus.REJECTED, "不符合减免条件")
    months = statuses(as_user(tree.secretary), person)
    assert [months[m] for m in ("2025-03", "2025-04", "2025-05")] == [("45.00", "overdue")] * 3
    assert complete(api, task["id"], decision="approve", date="2025-02-26").status_code == 409


def test_the_approve_endpoint_completes_the_relief_task(tree, as_user):
    relief_id = propose(as_user(tree.secretary), member(tree)).json()["id"]
    [task] = dues_tasks(as_user(tree.reviewer))
    approved = as_user(tree.reviewer).post(
        f"/api/dues/reliefs/{relief_id}/approve/", {"date": "2025-02-25"}, format="json"
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    assert dues_tasks(as_user(tree.reviewer)) == []
    history = as_user(tree.reviewer).get(f"/api/processes/{task['process']}/").json()["history"]
    assert [(step["step"], step["decision"], step["date"]) for step in history][-1] == (
        "relief_approval",
        "approve",
        "2025-02-25",
    )


# --- remittance -----------------------------------------------------------------------------


def collected_in_first_quarter(tree):
    person = member(tree)
    pay(person, [month("2025-01"), month("2025-02"), month("2025-03")], paid_on=datetime.date(2025, 3, 10))
    return person


def test_a_branch_that_collected_dues_gets_a_remittance_task_due_by_the_deadline(tree, as_user):
    collected_in_first_quarter(tree)
    assert remind_remittances(as_of="2025-04-01")["opened"] == 1
    assert remind_remittances(as_of="2025-04-15")["opened"] == 0  # idempotent

    [task] = dues_tasks(as_user(tree.secretary))
    # Q1's dues are remitted by the end of the 6th month counted from January.
    assert (task["step"], task["org"], task["person"], task["due_date"]) == (
        "remittance",
        tree.b1.pk,
        None,
        "2025-06-30",
    )
    assert dues_tasks(as_user(tree.other_secretary)) == []  # branch B2 collected nothing

    done = complete(as_user(tree.secretary), task["id"], date="2025-04-10", data={"amount": "135.00"})
    assert done.status_code == 200, done.json()
    remittance = Remittance.objects.get(org=tree.b1, year=2025, quarter=1)
    assert (remittance.amount, remittance.to_org, remittance.late) == (Decimal("135.00"), tree.t1, False)
    assert remind_remittances(as_of="2025-05-01")["opened"] == 0


def test_an_unremitted_quarter_is_marked_overdue_and_notified(tree, as_user):
    collected_in_first_quarter(tree)
    remind_remittances(as_of="2025-04-01")
    assert sweep_overdue(on=datetime.date(2025, 6, 30)) == 0
    assert sweep_overdue(on=datetime.date(2025, 7, 1)) == 1
    assert StepTask.objects.get(step="remittance").overdue is True
    assert set(Notification.objects.filter(step="remittance").values_list("org", flat=True)) == {tree.b1.pk, tree.t1.pk}
    assert [
        task["step"] for task in as_user(tree.secretary).get("/api/tasks/?flow=dues&overdue=1").json()["results"]
    ] == ["remittance"]


def test_recording_the_remittance_directly_completes_its_task_and_a_late_one_gives_its_reason(tree, as_user):
    collected_in_first_quarter(tree)
    remind_remittances(as_of="2025-04-01")
    body = {"org": tree.b1.pk, "year": 2025, "quarter": 1, "amount": "135.00", "remitted_on": "2025-07-05"}
    api = as_user(tree.secretary)

    unexplained = api.post("/api/dues/remittances/", body, format="json")
    assert unexplained.status_code == 400
    assert not Remittance.objects.exists()

    late = api.post("/api/dues/remittances/", {**body, "late_reason": "会计病休"}, format="json")
    assert late.status_code == 201, late.json()
    assert late.json()["late"] is True
    assert dues_tasks(api) == []
    [record] = StepTask.objects.get(step="remittance").process.records.all()
    assert (record.late, record.comment, record.data["amount"]) == (True, "会计病休", "135.00")


def test_the_beat_runs_the_dues_tasks_in_every_county():
    schedule = app.conf.beat_schedule
    for entry, task in (
        ("dues-monthly", "dues.tasks.monthly_run"),
        ("dues-remittance-reminders", "dues.tasks.remind_remittances"),
    ):
        assert schedule[entry]["task"] == "config.run_in_every_county"
        assert schedule[entry]["args"] == (task,)
        assert task in app.tasks
