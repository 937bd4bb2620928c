"""Printable forms: the admission registration form of a person, a meeting record with its attendance,
and a branch's dues collection sheet for a month render with the record's data, on A4 print CSS."""

import datetime
from decimal import Decimal

from orgs.life.meetings import record_meeting
from tests.admission import conftest as admission
from tests.admission.pipeline import happy_path, run_until, start
from tests.dues.factories import DuesBaseFactory, month, pay
from tests.factories import PersonFactory, UserFactory
from tests.workflows.conftest import user_with_role

tree, secretary, reviewer, applicant = admission.tree, admission.secretary, admission.reviewer, admission.applicant
county_admin, members, actors = admission.county_admin, admission.members, admission.actors


def test_the_admission_registration_form_prints_stages_dates_introducers_and_votes(
    tree, actors, applicant, members, secretary, browser
):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "committee_talk")
    page = browser(secretary).get(f"/people/{applicant.pk}/admission/print/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "web/print.css" in text
    assert page.context["mentors"] == [members[0].name]
    assert page.context["sponsors"] == [members[1].name, members[2].name]
    (vote,) = page.context["votes"]
    assert (vote["date"], vote["data"]["in_favour"], vote["data"]["present"]) == (datetime.date(2024, 7, 15), 14, 15)
    for shown in ("2023-03-01", "2024-07-15", members[1].name, members[2].name, applicant.name):
        assert shown in text
    assert applicant.id_number not in text  # masked for the secretary (decision 0010)
    # The person prints their own, with the whole ID number.
    own = browser(applicant.user).get(f"/people/{applicant.pk}/admission/print/")
    assert applicant.id_number in own.content.decode()
    # Another branch's secretary does not reach it.
    outsider = user_with_role(tree.other_branch, "branch_secretary")
    assert browser(outsider).get(f"/people/{applicant.pk}/admission/print/").status_code == 404


def test_the_meeting_record_prints_the_attendance(tree, secretary, members, browser):
    absent = members[2]
    meeting = record_meeting(
        actor=secretary,
        org=tree.branch,
        kind="life_meeting",
        date=datetime.date(2026, 3, 5),
        topic="学习党章",
        minutes="会议讨论了党章第一章",
        attendance=[
            {"person": members[0].pk, "status": "present"},
            {"person": members[1].pk, "status": "excused", "reason": "出差"},
            {"person": absent.pk, "status": "absent"},
        ],
    )
    page = browser(secretary).get(f"/life/meetings/{meeting.pk}/print/")
    assert page.status_code == 200
    assert page.context["counts"] == {"present": 1, "excused": 1, "absent": 1}
    text = page.content.decode()
    for shown in ("学习党章", "2026-03-05", "出差", "会议讨论了党章第一章", *(member.name for member in members)):
        assert shown in text
    compliance = browser(secretary).get(f"/life/compliance/?org={tree.branch.pk}&year=2026")
    assert f"/life/meetings/{meeting.pk}/print/" in compliance.content.decode()
    outsider = user_with_role(tree.other_branch, "branch_secretary")
    assert browser(outsider).get(f"/life/meetings/{meeting.pk}/print/").status_code == 404


def test_the_dues_collection_sheet_prints_the_branchs_month(tree, secretary, browser):
    paid = PersonFactory(org=tree.branch, name="王已交", user=UserFactory())
    owing = PersonFactory(org=tree.branch, name="李未交")
    for person in (paid, owing):
        DuesBaseFactory(person=person, monthly_base=Decimal("4500.00"))
    pay(paid, [month("2025-03")], paid_on=datetime.date(2025, 3, 8))
    page = browser(secretary).get(f"/dues/collection/print/?org={tree.branch.pk}&month=2025-03")
    assert page.status_code == 200
    assert (page.context["due_total"], page.context["paid_total"]) == (Decimal("90.00"), Decimal("45.00"))
    text = page.content.decode()
    for shown in ("王已交", "李未交", "2025-03-08", "90.00", tree.branch.name):
        assert shown in text
    sheet = browser(secretary).get(f"/dues/collection/?org={tree.branch.pk}&month=2025-03")
    assert f"/dues/collection/print/?org={tree.branch.pk}&amp;month=2025-03" in sheet.content.decode()
    outsider = user_with_role(tree.other_branch, "branch_secretary")
    assert browser(outsider).get(f"/dues/collection/print/?org={tree.branch.pk}&month=2025-03").status_code == 404
