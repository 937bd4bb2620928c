"""Democratic appraisal: self-assessment, ballots, the two-ballot rule and the grades (DOMAIN.md §2)."""

import pytest

from core.exceptions import Conflict, RuleViolation
from members.archive import entries_of
from members.models import ArchiveEntry
from orgs.life.appraisal import decide_appraisal, open_appraisal, record_ballots, two_ballot_unqualified
from orgs.life.models import Appraisal
from orgs.life.selectors import appraisal_grade, unqualified_in_appraisal
from orgs.models import CountySetting
from scoring.models import Entry
from scoring.services import create_scheme, run_feeds

from .conftest import D


@pytest.fixture
def two_ballot_county(life):
    CountySetting.objects.create(key="appraisal.two_ballot_rule", value=True, effective_from=D(2024, 1, 1))
    CountySetting.objects.create(key="appraisal.masses_ballots", value=True, effective_from=D(2024, 1, 1))


def _tally(member_counts: tuple[int, int, int]) -> dict:
    qualified, basically, unqualified = member_counts
    return {"qualified": qualified, "basically_qualified": basically, "unqualified": unqualified}


def _open(client, life, year: int = 2025) -> dict:
    response = client.post("/api/appraisals/", {"org": life.b1.pk, "year": year}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _result(appraisal: dict, person) -> dict:
    return next(row for row in appraisal["results"] if row["person"] == person.pk)


@pytest.mark.parametrize(
    ("unqualified", "total", "expected"),
    [(3, 10, False), (30, 100, False), (3000, 10000, False), (3001, 10000, True), (4, 10, True), (0, 0, False)],
)
def test_more_than_30_percent_unqualified_among_members_makes_a_member_unqualified(unqualified, total, expected):
    assert two_ballot_unqualified(member_unqualified=unqualified, member_total=total) is expected


@pytest.mark.parametrize(("unsatisfied", "total", "expected"), [(30, 100, False), (3001, 10000, True), (1, 3, True)])
def test_more_than_30_percent_unsatisfied_among_the_masses_makes_a_member_unqualified(unsatisfied, total, expected):
    assert (
        two_ballot_unqualified(
            member_unqualified=0, member_total=10, masses_unsatisfied=unsatisfied, masses_total=total
        )
        is expected
    )


def test_the_two_ballot_rule_through_the_api(life, client_for, two_ballot_county):
    api = client_for(life.secretary)
    appraisal = _open(api, life)
    assert appraisal["two_ballot_rule"] is True and appraisal["masses_ballots"] is True
    at_30, over_30, by_masses = life.b1_members[:3]
    counts = [
        {"person": at_30.pk, **_tally((7, 0, 3))},
        {"person": over_30.pk, **_tally((6, 0, 4))},
        {"person": by_masses.pk, **_tally((10, 0, 0))},
    ]
    response = api.post(
        f"/api/appraisals/{appraisal['id']}/tally/", {"voter": "member", "counts": counts}, format="json"
    )
    assert response.status_code == 200, response.json()
    masses = [{"person": by_masses.pk, "satisfied": 69, "basically_satisfied": 0, "unsatisfied": 31}]
    appraisal = api.post(
        f"/api/appraisals/{appraisal['id']}/tally/", {"voter": "masses", "counts": masses}, format="json"
    ).json()
    assert [_result(appraisal, p)["two_ballot_unqualified"] for p in (at_30, over_30, by_masses)] == [False, True, True]
    assert _result(appraisal, at_30)["suggested_grade"] == "qualified"
    assert _result(appraisal, over_30)["suggested_grade"] == "unqualified"

    others = [
        row["person"] for row in appraisal["results"] if row["person"] not in {at_30.pk, over_30.pk, by_masses.pk}
    ]
    grades = [{"person": pk, "grade": "qualified"} for pk in others]
    overruled = api.post(
        f"/api/appraisals/{appraisal['id']}/decide/",
        {"date": "2025-12-20", "grades": [*grades, {"person": over_30.pk, "grade": "basically_qualified"}]},
        format="json",
    )
    assert overruled.status_code == 400
    assert len(overruled.json()["errors"]["grades"]) == 1
    assert Appraisal.objects.get().decided_on is None

    decided = api.post(
        f"/api/appraisals/{appraisal['id']}/decide/", {"date": "2025-12-20", "grades": grades}, format="json"
    )
    assert decided.status_code == 200, decided.json()
    graded = {row["person"]: row["grade"] for row in decided.json()["results"]}
    assert (graded[at_30.pk], graded[over_30.pk], graded[by_masses.pk]) == ("qualified", "unqualified", "unqualified")


def test_without_the_two_ballot_rule_the_branch_decides_the_grade(life):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    assert appraisal.two_ballot_rule is False
    member = life.b1_members[0]
    record_ballots(
        actor=life.secretary,
        appraisal=appraisal,
        voter="member",
        sheets=[[{"person": member.pk, "choice": "unqualified"}]] * 6
        + [[{"person": member.pk, "choice": "qualified"}]] * 4,
    )
    grades = {result.person_id: "qualified" for result in appraisal.results.all()}
    decide_appraisal(actor=life.secretary, appraisal=appraisal, date=D(2025, 12, 20), grades=grades)
    assert appraisal_grade(member, 2025) == "qualified"


def test_ballot_sheets_add_up_and_a_member_left_off_abstains(life, client_for):
    api = client_for(life.secretary)
    appraisal = _open(api, life)
    first, second = life.b1_members[:2]
    sheets = [
        [{"person": first.pk, "choice": "qualified"}, {"person": second.pk, "choice": "basically_qualified"}],
        [{"person": first.pk, "choice": "qualified"}],
        [{"person": first.pk, "choice": "unqualified"}, {"person": second.pk, "choice": "basically_qualified"}],
    ]
    result = api.post(
        f"/api/appraisals/{appraisal['id']}/ballots/", {"voter": "member", "sheets": sheets}, format="json"
    )
    assert result.status_code == 200, result.json()
    assert _result(result.json(), first)["member"] == {"qualified": 2, "basically_qualified": 0, "unqualified": 1}
    assert _result(result.json(), second)["member"] == {"qualified": 0, "basically_qualified": 2, "unqualified": 0}
    assert _result(result.json(), second)["suggested_grade"] == "basically_qualified"


def test_a_ballot_sheet_with_a_mistake_adds_nothing(life):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    member = life.b1_members[0]
    with pytest.raises(RuleViolation):
        record_ballots(
            actor=life.secretary,
            appraisal=appraisal,
            voter="member",
            sheets=[[{"person": member.pk, "choice": "qualified"}], [{"person": member.pk, "choice": "excellent"}]],
        )
    with pytest.raises(RuleViolation):
        record_ballots(
            actor=life.secretary,
            appraisal=appraisal,
            voter="member",
            sheets=[[{"person": life.b2_members[0].pk, "choice": "qualified"}]],
        )
    assert appraisal.results.get(person=member).member_qualified == 0


def test_the_masses_vote_only_where_the_appraisal_invites_them(life):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    with pytest.raises(RuleViolation) as refused:
        record_ballots(
            actor=life.secretary,
            appraisal=appraisal,
            voter="masses",
            sheets=[[{"person": life.b1_members[0].pk, "choice": "satisfied"}]],
        )
    assert "voter" in refused.value.errors
    invited = open_appraisal(actor=life.secretary, org=life.b1, year=2024, masses_ballots=True)
    assert (
        record_ballots(
            actor=life.secretary,
            appraisal=invited,
            voter="masses",
            sheets=[[{"person": life.b1_members[0].pk, "choice": "satisfied"}]],
        )
        == 1
    )


def test_appraisal_grades_are_recorded_per_person_and_read_by_disposition(life, client_for):
    api = client_for(life.secretary)
    appraisal = _open(api, life)
    failing = life.g1_members[0]
    grades = [
        {"person": row["person"], "grade": "qualified"} for row in appraisal["results"] if row["person"] != failing.pk
    ]
    grades.append({"person": failing.pk, "grade": "unqualified"})
    grades[0]["grade"] = "basically_qualified"
    response = api.post(
        f"/api/appraisals/{appraisal['id']}/decide/", {"date": "2025-12-20", "grades": grades}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["decided_on"] == "2025-12-20"
    assert appraisal_grade(failing, 2025) == "unqualified"
    assert appraisal_grade(failing, 2024) is None
    assert [result.person for result in unqualified_in_appraisal(2025)] == [failing]
    assert list(unqualified_in_appraisal(2024)) == []
    listed = client_for(life.reviewer).get("/api/appraisals/unqualified/", {"year": 2025}).json()
    assert [row["person"] for row in listed["results"]] == [failing.pk]
    assert client_for(life.secretary_b2).get("/api/appraisals/unqualified/", {"year": 2025}).json()["count"] == 0


def test_appraisal_results_go_to_the_member_archive_and_to_scoring(life, admin_a):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    basically, failing = life.g1_members[:2]
    grades = {result.person_id: "qualified" for result in appraisal.results.all()}
    grades[basically.pk], grades[failing.pk] = "basically_qualified", "unqualified"
    decide_appraisal(actor=life.secretary, appraisal=appraisal, date=D(2026, 1, 12), grades=grades)

    filed = entries_of(failing).get(kind="assessment")
    assert (filed.event_date, filed.data["year"], filed.data["grade"]) == (D(2026, 1, 12), 2025, "unqualified")
    assert set(grades) == set(ArchiveEntry.objects.filter(kind="assessment").values_list("person_id", flat=True))

    # The red-yellow list's appraisal points come from the grades (合格 20, 基本合格 10, 不合格 none).
    create_scheme(actor=admin_a, year=2025, name="红黄榜", preset="red_yellow")
    run_feeds(actor=admin_a, year=2025, as_of=D(2026, 1, 13))
    fed = {(entry.person_id, entry.item, entry.date) for entry in Entry.objects.filter(source__startswith="appraisal")}
    qualified = set(grades) - {basically.pk, failing.pk}
    # Decided in January: the entry belongs to the appraised year, on its last day.
    assert fed == {(pk, "appraisal_qualified", D(2025, 12, 31)) for pk in qualified} | {
        (basically.pk, "appraisal_basically_qualified", D(2025, 12, 31))
    }


def test_every_member_gets_a_grade(life):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    with pytest.raises(RuleViolation) as refused:
        decide_appraisal(actor=life.secretary, appraisal=appraisal, date=D(2025, 12, 20), grades={})
    assert len(refused.value.errors["grades"]) == appraisal.results.count()
    with pytest.raises(RuleViolation):
        decide_appraisal(
            actor=life.secretary,
            appraisal=appraisal,
            date=D(2025, 12, 20),
            grades={result.person_id: "excellent" for result in appraisal.results.all()},
        )


def test_a_decided_appraisal_no_longer_changes(life, client_for):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    grades = {result.person_id: "qualified" for result in appraisal.results.all()}
    decide_appraisal(actor=life.secretary, appraisal=appraisal, date=D(2025, 12, 20), grades=grades)
    with pytest.raises(Conflict):
        decide_appraisal(actor=life.secretary, appraisal=appraisal, date=D(2025, 12, 21), grades=grades)
    sheets = [[{"person": life.b1_members[0].pk, "choice": "unqualified"}]]
    response = client_for(life.secretary).post(
        f"/api/appraisals/{appraisal.pk}/ballots/", {"voter": "member", "sheets": sheets}, format="json"
    )
    assert response.status_code == 409


def test_the_members_appraised_are_the_branchs_party_members(life):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    subjects = set(appraisal.results.values_list("person_id", flat=True))
    assert subjects == {p.pk for p in [*life.b1_members, *life.g1_members, life.probationary]}


def test_one_appraisal_per_branch_and_year_held_by_a_branch(life):
    open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    with pytest.raises(RuleViolation):
        open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    with pytest.raises(RuleViolation):
        open_appraisal(actor=life.secretary, org=life.g1, year=2025)
    with pytest.raises(RuleViolation):
        open_appraisal(actor=life.secretary, org=life.b1, year=2099)


def test_a_self_assessment_is_recorded_for_a_member_of_the_appraisal(life, client_for):
    api = client_for(life.secretary)
    appraisal = _open(api, life)
    member = life.b1_members[0]
    body = {"person": member.pk, "text": "本年度认真参加组织生活……", "date": "2025-12-01"}
    response = api.post(f"/api/appraisals/{appraisal['id']}/self-assessments/", body, format="json")
    assert response.status_code == 200
    assert _result(response.json(), member)["self_assessment"].startswith("本年度")
    stranger = {**body, "person": life.b2_members[0].pk}
    assert api.post(f"/api/appraisals/{appraisal['id']}/self-assessments/", stranger, format="json").status_code == 400


def test_appraisals_keep_to_the_callers_scope(life, client_for):
    appraisal = _open(client_for(life.secretary), life)
    other = client_for(life.secretary_b2)
    assert other.get(f"/api/appraisals/{appraisal['id']}/").status_code == 404
    assert other.post("/api/appraisals/", {"org": life.b1.pk, "year": 2024}, format="json").status_code == 400
    reviewer = client_for(life.reviewer)
    assert reviewer.get(f"/api/appraisals/{appraisal['id']}/").status_code == 200
    assert (
        reviewer.post(f"/api/appraisals/{appraisal['id']}/decide/", {"date": "2025-12-20"}, format="json").status_code
        == 403
    )
