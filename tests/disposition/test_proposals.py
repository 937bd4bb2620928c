"""Cases proposed from data, each ground from its source with its evidence; refreshed idempotently; never opened by themselves."""

from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from config.celery import app
from core.dates import today
from dues.services import compute_arrears
from members.models import Status
from members.statuses import set_status
from orgs.life.appraisal import decide_appraisal, open_appraisal
from orgs.life.care import assign_post, end_post, record_post_work
from orgs.life.meetings import record_meeting
from tests.dues.factories import DuesBaseFactory, month, pay
from workflows.models import DispositionCase, DispositionProposal
from workflows.services import disposition_proposals as proposals
from workflows.tasks import refresh_disposition_proposals

from .conftest import D, on_roll_since


def proposed(grounds: str) -> dict:
    return {proposal.person_id: proposal for proposal in proposals.open_proposals().filter(grounds=grounds)}


@pytest.fixture
def registered():
    """register(grounds, source): a source of another module, taken away again after the test."""
    added = []

    def register(grounds, source):
        proposals.register_source(grounds, source)
        added.append((grounds, source))

    yield register
    for grounds, source in added:
        proposals.unregister_source(grounds, source)


def test_six_months_without_organizational_life_is_proposed(tree):
    lapsed, attending = (on_roll_since(person, D(2025, 1, 1)) for person in tree.b1_members[:2])
    for day, present in ((D(2026, 4, 20), [lapsed, attending]), (D(2026, 6, 18), [attending])):
        record_meeting(
            actor=tree.secretary,
            org=tree.b1,
            kind="general_meeting",
            date=day,
            topic="支部党员大会",
            attendance=[{"person": person.pk, "status": "present"} for person in present],
        )
    proposals.refresh_proposals(on=D(2026, 11, 3))
    found = proposed("no_org_life_6m")
    assert lapsed.pk in found and attending.pk not in found
    assert found[lapsed.pk].since == D(2026, 5, 1)
    assert found[lapsed.pk].evidence == {"months": 6, "last_org_life": "2026-04-20"}


def test_six_months_of_dues_unpaid_is_proposed(tree):
    unpaid, paying = tree.b1_members[:2]
    for person in (unpaid, paying):
        DuesBaseFactory(person=person, year=2025, monthly_base=Decimal("4500.00"))
    for person in (unpaid, paying):
        pay(person, [month("2025-01"), month("2025-02")], paid_on=D(2025, 2, 28))
    pay(paying, [month(f"2025-{m:02d}") for m in range(3, 9)], paid_on=D(2025, 8, 31))
    compute_arrears(as_of=D(2025, 9, 1))
    proposals.refresh_proposals(on=D(2025, 9, 2))
    found = proposed("dues_unpaid_6m")
    assert set(found) == {unpaid.pk}
    assert found[unpaid.pk].since == D(2025, 3, 1)
    assert found[unpaid.pk].evidence["consecutive_unpaid"] == 6


def test_lost_contact_for_six_months_and_for_two_years_are_proposed_on_their_own_grounds(tree):
    six, two_years, recent = tree.b1_members[:3]
    for person, months in ((six, 7), (two_years, 25), (recent, 3)):
        set_status(
            actor=tree.secretary,
            person=person,
            status=Status.LOST_CONTACT,
            on=today() - relativedelta(months=months),
            reason="多次联系未果",
        )
    proposals.refresh_proposals()
    assert set(proposed("lost_contact_6m")) == {six.pk}
    assert set(proposed("lost_contact_2y")) == {two_years.pk}
    assert proposed("lost_contact_6m")[six.pk].since == today() - relativedelta(months=7)


def test_lost_contact_counts_from_the_last_contact_a_registered_reader_knows(tree):
    person = set_status(
        actor=tree.secretary,
        person=tree.b1_members[0],
        status=Status.LOST_CONTACT,
        on=today() - relativedelta(months=30),
        reason="多次联系未果",
    )
    last_contact = today() - relativedelta(months=8)

    def contacts(member):
        return last_contact if member.pk == person.pk else None

    proposals.register_last_contact(contacts)
    try:
        proposals.refresh_proposals()
    finally:
        proposals.unregister_last_contact(contacts)
    assert proposed("lost_contact_6m")[person.pk].since == last_contact
    assert person.pk not in proposed("lost_contact_2y")


def test_an_unqualified_appraisal_is_proposed(tree):
    appraisal = open_appraisal(actor=tree.secretary, org=tree.b2, year=2026)
    failing = tree.b2_members[0]
    grades = {person.pk: "qualified" for person in tree.b2_members}
    grades[failing.pk] = "unqualified"
    decide_appraisal(actor=tree.secretary_b2, appraisal=appraisal, date=D(2026, 11, 10), grades=grades)
    proposals.refresh_proposals(on=D(2026, 11, 11))
    found = proposed("appraisal_unqualified")
    assert set(found) == {failing.pk}
    assert found[failing.pk].since == D(2026, 11, 10)
    assert found[failing.pk].evidence["year"] == 2026


def test_a_source_another_module_registers_proposes_on_its_grounds(tree, registered):
    graded = tree.b1_members[0]

    def unqualified_scores(on):
        yield proposals.Finding(graded, D(2026, 1, 31), {"year": 2025, "grade": "unqualified", "total": "52.0"})

    proposals.refresh_proposals()
    assert proposed("score_unqualified") == {}
    registered("score_unqualified", unqualified_scores)
    proposals.refresh_proposals()
    assert proposed("score_unqualified")[graded.pk].evidence["grade"] == "unqualified"


def test_six_months_without_work_on_an_assigned_post_is_proposed(tree):
    worked_in_april, never_worked, working, without_post = tree.b1_members[:4]
    secretary = tree.secretary
    post = assign_post(actor=secretary, person=worked_in_april, title="环境监督岗", commitment="每月巡查一次", assigned_on=D(2026, 1, 5))
    record_post_work(actor=secretary, post=post, date=D(2026, 4, 20), description="巡查东街环境卫生")
    assign_post(actor=secretary, person=never_worked, title="政策宣讲岗", commitment="每季度宣讲一次", assigned_on=D(2026, 3, 10))
    busy = assign_post(actor=secretary, person=working, title="矛盾调解岗", commitment="参与调解", assigned_on=D(2026, 1, 5))
    record_post_work(actor=secretary, post=busy, date=D(2026, 10, 2), description="调解邻里纠纷")
    ended = assign_post(actor=secretary, person=without_post, title="文明劝导岗", commitment="劝导", assigned_on=D(2026, 1, 5))
    end_post(actor=secretary, post=ended, date=D(2026, 2, 1))

    # May to October: 5 whole months without work on the post, the running month not counted.
    proposals.refresh_proposals(on=D(2026, 10, 31))
    assert set(proposed("no_assigned_work_6m")) == {never_worked.pk}  # April to October: 7 months

    proposals.refresh_proposals(on=D(2026, 11, 3))
    found = proposed("no_assigned_work_6m")
    assert set(found) == {worked_in_april.pk, never_worked.pk}
    assert found[worked_in_april.pk].since == D(2026, 5, 1)
    assert found[worked_in_april.pk].evidence == {
        "months": 6,
        "posts": [{"post": "环境监督岗", "assigned_on": "2026-01-05", "last_work": "2026-04-20", "months": 6}],
    }
    assert found[never_worked.pk].since == D(2026, 4, 1)
    assert found[never_worked.pk].evidence["posts"][0]["last_work"] is None


def test_refresh_is_idempotent_and_drops_proposals_whose_facts_are_gone(tree, registered):
    first, second = tree.b1_members[:2]
    facts = {first.pk: D(2026, 2, 1), second.pk: D(2026, 3, 1)}
    registered(
        "no_assigned_work_6m",
        lambda on: [proposals.Finding(p, facts[p.pk], {}) for p in (first, second) if p.pk in facts],
    )
    assert proposals.refresh_proposals()["created"] == 2
    rows = list(DispositionProposal.objects.order_by("pk").values_list("pk", "person_id", "since"))
    assert proposals.refresh_proposals() == {"created": 0, "updated": 0, "removed": 0, "open": 2}
    assert list(DispositionProposal.objects.order_by("pk").values_list("pk", "person_id", "since")) == rows
    del facts[second.pk]
    assert proposals.refresh_proposals()["removed"] == 1
    assert set(proposed("no_assigned_work_6m")) == {first.pk}
    assert DispositionCase.objects.count() == 0  # nothing opens a case by itself


def test_proposals_leave_out_members_with_a_case_under_way_and_keep_the_one_a_case_was_opened_from(tree, registered):
    from .pipeline import open_case

    member = tree.member
    registered("no_assigned_work_6m", lambda on: [proposals.Finding(member, D(2026, 2, 1), {})])
    proposals.refresh_proposals()
    proposal = proposals.open_proposals().get(person=member)
    process = open_case(tree, member, "rectification", grounds="no_assigned_work_6m", proposal=proposal)
    proposals.refresh_proposals()
    proposal.refresh_from_db()
    assert proposal.case == process.disposition
    assert not proposals.open_proposals().filter(person=member).exists()


def test_the_daily_task_refreshes_the_proposals_of_its_county(tree, registered):
    registered("no_assigned_work_6m", lambda on: [proposals.Finding(tree.member, D(2026, 2, 1), {})])
    result = refresh_disposition_proposals.apply().get()
    assert result["county"] == tree.county.schema_name
    assert result["created"] == 1
    schedule = app.conf.beat_schedule["disposition-proposals"]
    assert schedule["args"] == ("workflows.tasks.refresh_disposition_proposals",)


def test_the_proposals_api_lists_within_scope_and_only_the_county_admin_refreshes_it(tree, client_for, registered):
    in_b1, in_b2 = tree.b1_members[0], tree.b2_members[0]
    registered(
        "no_assigned_work_6m", lambda on: [proposals.Finding(p, D(2026, 2, 1), {"x": 1}) for p in (in_b1, in_b2)]
    )
    assert client_for(tree.secretary).post("/api/dispositions/proposals/refresh/").status_code == 403
    refreshed = client_for(tree.admin).post("/api/dispositions/proposals/refresh/")
    assert refreshed.status_code == 200, refreshed.json()
    assert refreshed.json()["created"] == 2
    listed = client_for(tree.secretary).get("/api/dispositions/proposals/").json()
    assert [row["person"] for row in listed["results"]] == [in_b1.pk]
    assert {"person", "grounds", "evidence", "since"} <= set(listed["results"][0])
    assert client_for(tree.reviewer).get("/api/dispositions/proposals/", {"org": tree.b2.pk}).json()["count"] == 1
    assert (
        client_for(tree.reviewer).get("/api/dispositions/proposals/", {"grounds": "dues_unpaid_6m"}).json()["count"]
        == 0
    )
