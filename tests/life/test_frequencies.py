"""Organizational life frequencies (DOMAIN.md §2, county settings with their effective dates) and compliance."""

import datetime

import pytest

from core.dates import today
from core.exceptions import RuleViolation
from orgs.county_settings import set_setting, setting, timeline
from orgs.life.compliance import compliance, period_containing
from orgs.models import CountySetting

from .conftest import D, meeting

Q1 = (D(2025, 1, 1), D(2025, 3, 31))


def _requirement(report: dict, org, kind: str) -> dict:
    for checked in report["organizations"]:
        if checked["org"] == org.pk:
            return next(r for r in checked["requirements"] if r["kind"] == kind)
    raise AssertionError(f"{org} is not in the report")


def _kinds(report: dict, org) -> set[str]:
    return {
        r["kind"] for checked in report["organizations"] if checked["org"] == org.pk for r in checked["requirements"]
    }


def test_a_quarter_with_two_of_three_committee_meetings_misses_one(life):
    meeting(life, life.b1, "committee_meeting", D(2025, 1, 10))
    meeting(life, life.b1, "committee_meeting", D(2025, 2, 12))
    committee = _requirement(compliance(life.b1, *Q1), life.b1, "committee_meeting")
    assert (committee["due"], committee["held"], committee["missing"]) == (3, 2, 1)
    assert [p["status"] for p in committee["periods"]] == ["held", "held", "missing"]


def test_two_meetings_in_one_month_do_not_make_up_for_a_missing_month(life):
    meeting(life, life.b1, "committee_meeting", D(2025, 1, 10))
    meeting(life, life.b1, "committee_meeting", D(2025, 1, 25))
    meeting(life, life.b1, "committee_meeting", D(2025, 3, 3))
    committee = _requirement(compliance(life.b1, *Q1), life.b1, "committee_meeting")
    assert (committee["held"], committee["missing"]) == (3, 1)


def test_the_general_meeting_and_the_lecture_are_due_each_quarter(life):
    meeting(life, life.b1, "general_meeting", D(2025, 2, 20))
    report = compliance(life.b1, D(2025, 1, 1), D(2025, 6, 30))
    general = _requirement(report, life.b1, "general_meeting")
    lecture = _requirement(report, life.b1, "lecture")
    assert (general["due"], general["held"], general["missing"]) == (2, 1, 1)
    assert (lecture["due"], lecture["held"], lecture["missing"]) == (2, 0, 2)


def test_the_life_meeting_and_the_appraisal_are_due_once_a_year(life):
    meeting(life, life.b1, "life_meeting", D(2025, 12, 20))
    report = compliance(life.b1, D(2025, 1, 1), D(2025, 12, 31))
    assert _requirement(report, life.b1, "life_meeting")["missing"] == 0
    assert _requirement(report, life.b1, "appraisal")["missing"] == 1


def test_party_groups_meet_monthly_and_answer_for_themselves(life):
    meeting(life, life.g1, "group_meeting", D(2025, 1, 15))
    report = compliance(life.b1, *Q1)
    group = _requirement(report, life.g1, "group_meeting")
    assert (group["due"], group["held"], group["missing"]) == (3, 1, 2)
    assert "group_meeting" not in _kinds(report, life.b1)


def test_a_branch_under_seven_full_members_owes_no_committee_meeting(life):
    report = compliance(life.t1, *Q1)
    assert "committee_meeting" in _kinds(report, life.b1)  # 4 + 3 in its group
    assert "committee_meeting" not in _kinds(report, life.b2)  # 3 full members: a secretary, no committee


def test_the_themed_party_day_is_monthly_on_the_countys_fixed_day(life):
    meeting(life, life.b1, "themed_day", D(2025, 1, 8))
    themed = _requirement(compliance(life.b1, *Q1), life.b1, "themed_day")
    assert [p["expected_on"] for p in themed["periods"]] == [D(2025, 1, 8), D(2025, 2, 8), D(2025, 3, 8)]
    assert [p["status"] for p in themed["periods"]] == ["held", "missing", "missing"]


def test_a_county_moves_its_themed_day_from_a_date_on(life):
    CountySetting.objects.create(key="org_life.themed_day_of_month", value=31, effective_from=D(2025, 2, 1))
    themed = _requirement(compliance(life.b1, *Q1), life.b1, "themed_day")
    # The 31st falls on the last day of a shorter month.
    assert [p["expected_on"] for p in themed["periods"]] == [D(2025, 1, 8), D(2025, 2, 28), D(2025, 3, 31)]


def test_a_frequency_change_applies_from_its_effective_date(life):
    CountySetting.objects.create(
        key="org_life.lecture", value={"period": "month", "at_least": 1}, effective_from=D(2025, 4, 1)
    )
    lecture = _requirement(compliance(life.b1, D(2025, 1, 1), D(2025, 6, 30)), life.b1, "lecture")
    assert [(p["start"], p["end"]) for p in lecture["periods"]] == [
        (D(2025, 1, 1), D(2025, 3, 31)),
        (D(2025, 4, 1), D(2025, 4, 30)),
        (D(2025, 5, 1), D(2025, 5, 31)),
        (D(2025, 6, 1), D(2025, 6, 30)),
    ]
    assert lecture["missing"] == 4


def test_a_period_is_judged_whole_when_the_range_starts_inside_it(life):
    meeting(life, life.b1, "general_meeting", D(2025, 1, 20))
    general = _requirement(compliance(life.b1, D(2025, 2, 15), D(2025, 3, 31)), life.b1, "general_meeting")
    assert general["periods"][0]["start"] == D(2025, 1, 1)
    assert general["missing"] == 0


def test_the_running_period_is_open_not_missing(life):
    on = D(2025, 2, 10)
    committee = _requirement(compliance(life.b1, *Q1, on=on), life.b1, "committee_meeting")
    assert [p["status"] for p in committee["periods"]] == ["missing", "open", "open"]
    assert (committee["due"], committee["missing"], committee["open"]) == (1, 1, 2)


def test_a_committees_compliance_covers_every_branch_and_group_under_it(life):
    meeting(life, life.b2, "general_meeting", D(2025, 2, 1))
    report = compliance(life.t1, *Q1)
    assert [checked["org"] for checked in report["organizations"]] == [life.b1.pk, life.g1.pk, life.b2.pk]
    assert report["missing"] == sum(checked["missing"] for checked in report["organizations"])
    b2 = next(checked for checked in report["organizations"] if checked["org"] == life.b2.pk)
    assert _requirement(report, life.b2, "general_meeting")["missing"] == 0
    assert b2["missing"] > 0


def test_compliance_through_the_api(life, client_for):
    meeting(life, life.b1, "committee_meeting", D(2025, 1, 10))
    meeting(life, life.b1, "committee_meeting", D(2025, 2, 12))
    response = client_for(life.reviewer).get(
        "/api/meetings/compliance/", {"org": life.b1.pk, "from": "2025-01-01", "to": "2025-03-31"}
    )
    assert response.status_code == 200
    committee = _requirement(response.json(), life.b1, "committee_meeting")
    assert (committee["due"], committee["held"], committee["missing"]) == (3, 2, 1)
    assert committee["periods"][2] | {"dates": []} == {
        "start": "2025-03-01",
        "end": "2025-03-31",
        "at_least": 1,
        "held": 0,
        "dates": [],
        "status": "missing",
        "expected_on": None,
    }
    assert client_for(life.secretary_b2).get("/api/meetings/compliance/", {"org": life.b1.pk}).status_code == 404
    bad = client_for(life.reviewer).get(
        "/api/meetings/compliance/", {"org": life.b1.pk, "from": "2025-04-01", "to": "2025-01-01"}
    )
    assert bad.status_code == 400


@pytest.mark.parametrize(
    ("day", "period", "expected"),
    [
        (D(2025, 5, 17), "month", (D(2025, 5, 1), D(2025, 5, 31))),
        (D(2025, 5, 17), "quarter", (D(2025, 4, 1), D(2025, 6, 30))),
        (D(2025, 12, 31), "quarter", (D(2025, 10, 1), D(2025, 12, 31))),
        (D(2025, 7, 1), "half_year", (D(2025, 7, 1), D(2025, 12, 31))),
        (D(2024, 2, 29), "year", (D(2024, 1, 1), D(2024, 12, 31))),
    ],
)
def test_periods_are_calendar_periods(day, period, expected):
    assert period_containing(day, period) == expected


# --- County settings ---------------------------------------------------------------------------------


def test_a_setting_answers_the_value_in_force_on_a_day_and_its_default_before(life):
    CountySetting.objects.create(key="org_life.themed_day_of_month", value=9, effective_from=D(2025, 7, 1))
    CountySetting.objects.create(key="org_life.themed_day_of_month", value=10, effective_from=D(2026, 1, 1))
    assert setting("org_life.themed_day_of_month", on=D(2025, 6, 30)) == 8
    assert setting("org_life.themed_day_of_month", on=D(2025, 7, 1)) == 9
    assert setting("org_life.themed_day_of_month", on=D(2026, 3, 1)) == 10
    on = timeline("org_life.themed_day_of_month")
    assert [on(D(2025, 6, 30)), on(D(2025, 7, 1)), on(D(2026, 3, 1))] == [8, 9, 10]
    assert setting("not.listed", default=5) == 5
    with pytest.raises(KeyError):
        setting("not.listed")


def test_a_setting_is_recorded_from_today_on_never_back_dated(life):
    tomorrow = today() + datetime.timedelta(days=1)
    set_setting(actor=life.admin, key="org_life.themed_day_of_month", value=9, effective_from=tomorrow)
    assert setting("org_life.themed_day_of_month", on=tomorrow) == 9
    with pytest.raises(RuleViolation) as refused:
        set_setting(actor=life.admin, key="org_life.themed_day_of_month", value=9, effective_from=D(2025, 1, 1))
    assert "effective_from" in refused.value.errors


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("org_life.lecture", {"period": "fortnight", "at_least": 1}),
        ("org_life.lecture", {"period": "month", "at_least": 0}),
        ("org_life.lecture", {"period": "month"}),
        ("org_life.themed_day_of_month", 32),
        ("org_life.themed_day_of_month", True),
        ("appraisal.two_ballot_rule", 1),
        ("no.such.setting", 1),
    ],
)
def test_a_setting_value_must_fit_its_key(life, key, value):
    with pytest.raises(RuleViolation):
        set_setting(actor=life.admin, key=key, value=value, effective_from=today())


def test_county_settings_through_the_api(life, client_for):
    body = {"key": "appraisal.two_ballot_rule", "value": True, "effective_from": today().isoformat()}
    assert client_for(life.secretary).post("/api/county-settings/", body, format="json").status_code == 403
    assert client_for(life.admin).post("/api/county-settings/", body, format="json").status_code == 201
    in_force = client_for(life.secretary).get("/api/county-settings/in-force/").json()
    assert in_force["appraisal.two_ballot_rule"] is True
    assert in_force["org_life.committee_meeting"] == {"period": "month", "at_least": 1}
