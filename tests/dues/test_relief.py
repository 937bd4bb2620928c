"""Relief: reduced or waived dues for a period, proposed by the branch and approved by the upper
committee; for retirees the branch itself may decide (DOMAIN.md §8)."""

import datetime
from decimal import Decimal

from auditlog.models import LogEntry

from dues.models import MonthlyDue, Relief
from members.models import Category
from orgs.models import Role
from tests.dues.conftest import user_with_role
from tests.dues.factories import DuesBaseFactory, month, pay
from tests.factories import PersonFactory


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


def member(tree, **fields):
    person = PersonFactory(org=tree.b1, **fields)
    DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    return person


def test_the_branch_proposes_and_the_upper_committee_approves(tree, as_user):
    person = member(tree)
    proposed = propose(as_user(tree.secretary), person)
    assert proposed.status_code == 201, proposed.json()
    assert proposed.json()["status"] == "proposed"
    relief_id = proposed.json()["id"]

    by_branch = as_user(tree.secretary).post(
        f"/api/dues/reliefs/{relief_id}/approve/", {"date": "2025-02-25"}, format="json"
    )
    assert by_branch.status_code == 403
    approved = as_user(tree.reviewer).post(
        f"/api/dues/reliefs/{relief_id}/approve/", {"date": "2025-02-25"}, format="json"
    )
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["decided_by"], approved.json()["decided_on"]) == (
        "approved",
        "reviewer",
        "2025-02-25",
    )
    months = as_user(tree.secretary).get(f"/api/dues/accounts/{person.pk}/?year=2025").json()["months"]
    waived = {m["month"]: (m["due"], m["status"]) for m in months}
    assert waived["2025-03"] == ("0.00", "relieved")
    assert waived["2025-06"] == ("45.00", "overdue")
    assert LogEntry.objects.get_for_object(Relief.objects.get(pk=relief_id)).filter(actor=tree.reviewer).exists()


def test_for_retirees_the_branch_decides_itself(tree, as_user):
    retiree = PersonFactory(org=tree.b1, category=Category.RETIRED)
    DuesBaseFactory(person=retiree, kind="retired", monthly_base=Decimal("4000.00"))
    proposed = propose(as_user(tree.secretary), retiree).json()
    assert proposed["retiree"] is True
    approved = as_user(tree.treasurer).post(
        f"/api/dues/reliefs/{proposed['id']}/approve/", {"date": "2025-02-21"}, format="json"
    )
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"


def test_a_reduction_owes_the_reduced_amount(tree, as_user):
    person = member(tree)
    relief = propose(as_user(tree.secretary), person, kind="reduce", reduced_amount="10.00").json()
    as_user(tree.reviewer).post(f"/api/dues/reliefs/{relief['id']}/approve/", {"date": "2025-02-25"}, format="json")
    assert MonthlyDue.objects.get(person=person, month=month("2025-04")).amount == Decimal("10.00")
    assert MonthlyDue.objects.get(person=person, month=month("2025-04")).base_amount == Decimal("45.00")


def test_relief_does_not_reopen_a_month_already_paid(tree, as_user):
    person = member(tree)
    pay(person, [month("2025-03")], paid_on=datetime.date(2025, 3, 5))
    relief = propose(as_user(tree.secretary), person, proposed_on="2025-03-06").json()
    as_user(tree.reviewer).post(f"/api/dues/reliefs/{relief['id']}/approve/", {"date": "2025-03-07"}, format="json")
    statuses = {
        m["month"]: m["status"]
        for m in as_user(tree.secretary).get(f"/api/dues/accounts/{person.pk}/?year=2025").json()["months"]
    }
    assert (statuses["2025-03"], statuses["2025-04"]) == ("paid", "relieved")


def test_a_committee_cannot_propose_only_the_branch_does(tree, as_user):
    assert propose(as_user(tree.reviewer), member(tree)).status_code == 403


def test_a_rejection_needs_its_reason_and_a_decided_relief_cannot_be_decided_again(tree, as_user):
    relief = propose(as_user(tree.secretary), member(tree)).json()
    api = as_user(tree.reviewer)
    assert (
        api.post(f"/api/dues/reliefs/{relief['id']}/reject/", {"date": "2025-02-25"}, format="json").status_code == 400
    )
    rejected = api.post(
        f"/api/dues/reliefs/{relief['id']}/reject/", {"date": "2025-02-25", "comment": "不符合条件"}, format="json"
    )
    assert rejected.json()["status"] == "rejected"
    assert (
        api.post(f"/api/dues/reliefs/{relief['id']}/approve/", {"date": "2025-02-26"}, format="json").status_code == 409
    )


def test_overlapping_reliefs_are_refused(tree, as_user):
    person = member(tree)
    assert propose(as_user(tree.secretary), person).status_code == 201
    overlapping = propose(as_user(tree.secretary), person, start_month="2025-05", end_month="2025-08")
    assert overlapping.status_code == 400


def test_a_committee_of_another_township_cannot_see_the_relief(tree, as_user):
    relief = propose(as_user(tree.secretary), member(tree)).json()
    outsider = user_with_role(tree.t2, Role.COMMITTEE_REVIEWER, "reviewer-t2")
    assert as_user(outsider).post(f"/api/dues/reliefs/{relief['id']}/approve/", {}, format="json").status_code == 404
