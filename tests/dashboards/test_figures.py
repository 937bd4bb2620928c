"""Each figure of the dashboard equals what is counted by hand from the records built here.

Tree (conftest): county → T1 (B1, B2, village committee V1 → B4) and T2 (B3). V1 has no approval authority,
so what happens in B4 is counted with T1.
"""

import datetime
from decimal import Decimal

from core.dates import today
from dues.models import DuesBase
from members.models import RegistrationStatus, Status
from tests.dues.factories import pay
from web.dashboards import selectors

from .conftest import LAST_YEAR, red_yellow_scheme, result
from .data import DAY, admission, dues_member, meeting, open_task, registration


def _by_committee(rows: list[dict], *keys: str) -> dict[str, tuple]:
    return {row["committee"]: tuple(row[key] for key in keys) for row in rows}


def test_admission_funnel_counts_each_stage_reached_in_the_year(tree):
    year = LAST_YEAR
    jan, jun = datetime.date(year, 1, 10), datetime.date(year, 6, 1)
    admission(tree.b1, jan, activist_since=jun, candidate_since=datetime.date(year, 11, 1))
    admission(tree.b1, jan, activist_since=jun)
    admission(tree.b4, jan)
    admission(tree.b3, jan, activist_since=jun)
    # Applied the year before, made an activist in the year: counts as an activist of the year, not an applicant.
    admission(tree.b2, datetime.date(year - 1, 12, 1), activist_since=datetime.date(year, 2, 1))
    # Reached the probation and full membership stages in the year.
    admission(
        tree.b2,
        datetime.date(year - 3, 3, 1),
        activist_since=datetime.date(year - 3, 5, 1),
        candidate_since=datetime.date(year - 2, 6, 1),
        probation_start=datetime.date(year, 1, 5),
    )
    admission(
        tree.b2,
        datetime.date(year - 4, 3, 1),
        activist_since=datetime.date(year - 4, 5, 1),
        candidate_since=datetime.date(year - 3, 6, 1),
        probation_start=datetime.date(year - 1, 2, 5),
        converted_on=datetime.date(year, 2, 5),
    )

    county = {row["stage"]: row["count"] for row in selectors.admission_funnel(selectors.viewer(tree.admin), year)}
    assert county == {"applicant": 4, "activist": 4, "candidate": 1, "probationary": 1, "full": 1}
    t1 = {row["stage"]: row["count"] for row in selectors.admission_funnel(selectors.viewer(tree.reviewer_t1), year)}
    assert t1 == {"applicant": 3, "activist": 3, "candidate": 1, "probationary": 1, "full": 1}
    t2 = {row["stage"]: row["count"] for row in selectors.admission_funnel(selectors.viewer(tree.reviewer_t2), year)}
    assert t2 == {"applicant": 1, "activist": 1, "candidate": 0, "probationary": 0, "full": 0}


def test_overdue_tasks_are_open_tasks_past_their_due_date_per_organization_and_committee(tree):
    yesterday, tomorrow = today() - DAY, today() + DAY
    open_task(tree.b1, yesterday)
    open_task(tree.b1, today() - 20 * DAY)
    open_task(tree.b1, tomorrow)  # not due yet
    open_task(tree.b1, yesterday, done=True)  # done: not waiting on anyone
    open_task(tree.b4, yesterday)  # under the village committee: counted with T1
    open_task(tree.b3, yesterday)

    view = selectors.viewer(tree.admin)
    rows = selectors.overdue_tasks(view, today())
    assert sorted((row["committee"], row["org"], row["count"]) for row in rows) == sorted(
        [("城关镇党委", "东街社区党支部", 2), ("城关镇党委", "东村第一党支部", 1), ("河口镇党委", "河口村党支部", 1)]
    )
    assert _by_committee(selectors.overdue_by_committee(view, rows), "count") == {
        tree.root.name: (0,),
        "城关镇党委": (3,),
        "河口镇党委": (1,),
    }
    t2 = selectors.viewer(tree.reviewer_t2)
    assert [(row["org"], row["count"]) for row in selectors.overdue_tasks(t2, today())] == [("河口村党支部", 1)]


def test_a_task_flagged_overdue_by_the_sweep_counts_even_before_its_due_date(tree):
    from workflows.models import StepTask

    task = open_task(tree.b2, today() + 5 * DAY)
    StepTask.objects.filter(pk=task.pk).update(overdue=True)
    rows = selectors.overdue_tasks(selectors.viewer(tree.reviewer_t1), today())
    assert [(row["org"], row["count"]) for row in rows] == [("西街社区党支部", 1)]


def test_branches_behind_on_organizational_life_miss_the_meetings_their_periods_ask_for(tree):
    # A branch under 7 full members owes, in a year: 4 general meetings (quarterly), 4 lectures (quarterly),
    # 12 themed party days (monthly), 1 organizational life meeting and 1 appraisal (yearly) = 22.
    year = LAST_YEAR
    meeting(tree.b1, "general_meeting", datetime.date(year, 2, 10))
    meeting(tree.b1, "lecture", datetime.date(year, 2, 10))
    view = selectors.viewer(tree.reviewer_t1)
    life = selectors.org_life_behind(view, year, today())
    rows = {row["org"]: (row["due"], row["held"], row["missing"]) for row in life["organizations"]}
    assert rows == {"东街社区党支部": (22, 2, 20), "西街社区党支部": (22, 0, 22), "东村第一党支部": (22, 0, 22)}
    assert _by_committee(life["committees"], "checked", "behind") == {"城关镇党委": (3, 3)}


def test_no_branch_is_behind_before_a_period_is_over(tree):
    year = today().year
    life = selectors.org_life_behind(selectors.viewer(tree.admin), year, datetime.date(year, 1, 20))
    assert life["organizations"] == []
    assert _by_committee(life["committees"], "checked", "behind") == {
        tree.root.name: (0, 0),
        "城关镇党委": (3, 0),
        "河口镇党委": (1, 0),
    }


def test_dues_collection_rate_is_what_is_paid_of_the_months_fallen_due(tree):
    year = LAST_YEAR
    half_paid, unpaid, all_paid = dues_member(tree.b1, year), dues_member(tree.b4, year), dues_member(tree.b3, year)
    pay(half_paid, [datetime.date(year, month, 1) for month in range(1, 7)], paid_on=datetime.date(year, 6, 20))
    pay(all_paid, [datetime.date(year, month, 1) for month in range(1, 7)], paid_on=datetime.date(year, 6, 20))
    pay(all_paid, [datetime.date(year, month, 1) for month in range(7, 13)], paid_on=datetime.date(year, 12, 20))
    monthly = {person.pk: DuesBase.objects.get(person=person, year=year).monthly_amount for person in (half_paid, unpaid, all_paid)}

    rows = selectors.dues_collection(selectors.viewer(tree.admin), year, today())
    t1_due = 12 * monthly[half_paid.pk] + 12 * monthly[unpaid.pk]
    t1_paid = 6 * monthly[half_paid.pk]
    assert _by_committee(rows, "due", "paid", "rate") == {
        tree.root.name: (Decimal("0.00"), Decimal("0.00"), None),
        "城关镇党委": (t1_due, t1_paid, (t1_paid * 100 / t1_due).quantize(Decimal("0.1"))),
        "河口镇党委": (12 * monthly[all_paid.pk], 12 * monthly[all_paid.pk], Decimal("100.0")),
    }
    assert next(row for row in rows if row["committee_id"] == tree.t1.pk)["rate"] == Decimal("25.0")  # 6 of 24 months


def test_dues_months_not_yet_over_are_not_counted_as_fallen_due(tree):
    year = LAST_YEAR
    person = dues_member(tree.b1, year, months=3)
    rows = selectors.dues_collection(selectors.viewer(tree.reviewer_t1), year, datetime.date(year, 3, 15))
    monthly = DuesBase.objects.get(person=person, year=year).monthly_amount
    # January and February are over on 15 March; March is not.
    assert _by_committee(rows, "due", "paid", "rate") == {"城关镇党委": (2 * monthly, Decimal("0.00"), Decimal("0.0"))}


def test_score_grade_distribution_counts_members_per_band_in_the_schemes_order(tree):
    from tests.factories import PersonFactory

    year = LAST_YEAR
    scheme = red_yellow_scheme(year)
    for grade, branch in (("class_1", tree.b1), ("class_1", tree.b4), ("class_3", tree.b2), ("class_1", tree.b3)):
        result(PersonFactory(org=branch), scheme, grade, year)
    result(PersonFactory(org=tree.b1), scheme, "class_2", year - 1)  # another year

    t1 = selectors.grade_distribution(selectors.viewer(tree.reviewer_t1), year)
    assert [(row["label"], row["count"]) for row in t1] == [("一类", 2), ("二类", 0), ("三类", 1), ("四类", 0)]
    county = selectors.grade_distribution(selectors.viewer(tree.admin), year)
    assert [(row["grade"], row["count"]) for row in county] == [("class_1", 3), ("class_2", 0), ("class_3", 1), ("class_4", 0)]


def test_mobile_members_and_lost_contacts_count_open_registrations_per_committee(tree):
    registration(tree.b1)
    registration(tree.b4)
    registration(tree.b1, person_status=Status.LOST_CONTACT)
    registration(tree.b1, person_status=Status.ACTIVE, status=RegistrationStatus.RETURNED)  # back home
    registration(tree.b3)
    rows = selectors.mobile_members(selectors.viewer(tree.admin))
    assert _by_committee(rows, "mobile", "lost_contact") == {
        tree.root.name: (0, 0),
        "城关镇党委": (2, 1),
        "河口镇党委": (1, 0),
    }


def test_dues_months_the_monthly_run_has_not_stored_count_as_the_members_account_shows_them(tree):
    from dues.selectors import account

    year = LAST_YEAR
    person = dues_member(tree.b2, year, months=0)  # a base, no month assessed yet
    pay(person, [datetime.date(year, 1, 1), datetime.date(year, 2, 1)], paid_on=datetime.date(year, 2, 20))
    monthly = DuesBase.objects.get(person=person, year=year).monthly_amount
    rows = selectors.dues_collection(selectors.viewer(tree.reviewer_t1), year, today())
    assert _by_committee(rows, "due", "paid") == {"城关镇党委": (12 * monthly, 2 * monthly)}
    lines = account(person, year, today())["months"]
    assert (sum(line.due for line in lines), sum(line.paid for line in lines)) == (12 * monthly, 2 * monthly)


def test_a_role_inside_another_roles_subtree_counts_nothing_twice(tree):
    from orgs.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=tree.admin, org=tree.t1, role=Role.COMMITTEE_REVIEWER)
    RoleAssignment.objects.create(user=tree.reviewer_t2, org=tree.t1, role=Role.COMMITTEE_REVIEWER)
    registration(tree.b1)
    admission(tree.b1, datetime.date(LAST_YEAR, 3, 1))
    admin = selectors.viewer(tree.admin)
    assert [org.pk for org in admin.roots] == [tree.root.pk]
    assert _by_committee(selectors.mobile_members(admin), "mobile")["城关镇党委"] == (1,)
    assert selectors.admission_funnel(admin, LAST_YEAR)[0]["count"] == 1
    life = selectors.org_life_behind(admin, LAST_YEAR, today())
    assert len(life["organizations"]) == 4  # B1, B2, B4 and B3, once each
    # Two townships' roles: both townships, side by side, and nothing of the county above them.
    both = selectors.viewer(tree.reviewer_t2)
    assert sorted(row["committee"] for row in selectors.mobile_members(both)) == ["城关镇党委", "河口镇党委"]
