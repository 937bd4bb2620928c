"""Results go to the organization's record: stars, the league table and its export; an unqualified one lists
the organization as weak and lax for rectification, and two in one term flag its secretary for the county."""

import datetime
import io
from decimal import Decimal

from openpyxl import load_workbook

from scoring.assessment import services
from scoring.assessment.models import SecretaryFlag, WeakOrganization

from .conftest import YEAR
from .helpers import complete, full_marks, run_through, zeros

D = Decimal
OPENED = datetime.date(YEAR + 1, 1, 5)


def _open(tree, scheme, org=None, on=OPENED):
    return services.open_assessment(actor=tree.reviewer, scheme=scheme, org=org or tree.b1, on=on)


def test_a_confirmed_result_gets_its_stars_and_its_place_in_the_league_table(tree, annual, client_for):
    # 东街: sheets 100, report 90, satisfaction (9 × 100 + 1 × 60) ÷ 10 = 96
    #   → 0.1 × 100 + 0.4 × 100 + 0.3 × 90 + 0.2 × 96 = 10 + 40 + 27 + 19.2 = 96.20, 优秀, five stars.
    east = run_through(tree, _open(tree, annual), sheet=full_marks(annual.config), report="90",
                       ballots={"satisfied": 9, "basically_satisfied": 1, "unsatisfied": 0}, on="2026-01-10")
    # 西街: sheets 100, report 60, satisfaction (1 × 60 + 1 × 0) ÷ 2 = 30
    #   → 10 + 40 + 18 + 6 = 74.00, 合格, three stars (70 to under 80).
    west = run_through(tree, _open(tree, annual, tree.b2), sheet=full_marks(annual.config), report="60",
                       ballots={"satisfied": 0, "basically_satisfied": 1, "unsatisfied": 1}, on="2026-01-10",
                       owner=tree.secretary_b2)
    assert (east.total, east.grade, east.stars) == (D("96.20"), "excellent", 5)
    assert (west.total, west.grade, west.stars) == (D("74.00"), "qualified", 3)

    county = client_for(tree.admin)
    league = county.get(f"/api/assessments/league/?year={YEAR}").json()
    assert [(row["rank"], row["name"], row["total"], row["stars"]) for row in league["results"]] == [
        (1, "东街社区党支部", "96.20", 5), (2, "西街社区党支部", "74.00", 3)]
    assert league["grades"] == {"优秀": 1, "合格": 1}
    sheet = load_workbook(io.BytesIO(county.get(f"/api/assessments/results.xlsx?year={YEAR}").content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2, max_row=3)]
    assert rows[0][:2] == [1, "东街社区党支部"] and rows[0][6:9] == [96.2, "优秀", 5]
    assert rows[1][:2] == [2, "西街社区党支部"] and rows[1][6:9] == [74, "合格", 3]
    record = client_for(tree.secretary).get(f"/api/assessments/record/{tree.b1.pk}/").json()
    assert [(r["year"], r["total"], r["grade_label"], r["stars"]) for r in record["results"]] == [(YEAR, "96.20", "优秀", 5)]


def test_a_veto_found_on_site_makes_the_result_unqualified_and_lists_the_organization(tree, annual, client_for):
    assessment = _open(tree, annual)
    branch, committee = client_for(tree.secretary), client_for(tree.reviewer)
    denied = branch.post(f"/api/assessments/{assessment.pk}/findings/",
                         {"code": "falsified_self_assessment", "reason": "自评材料造假"}, format="json")
    assert denied.status_code == 403
    recorded = committee.post(f"/api/assessments/{assessment.pk}/findings/",
                              {"code": "falsified_self_assessment", "reason": "自评所列会议记录系事后补写", "date": "2026-01-08"},
                              format="json")
    assert recorded.status_code == 201
    # Without the veto: 10 + 40 + 0.3 × 95 + 0.2 × 100 = 10 + 40 + 28.5 + 20 = 98.50, 优秀.
    vetoed = run_through(tree, assessment, sheet=full_marks(annual.config), report="95",
                         ballots={"satisfied": 5, "basically_satisfied": 0, "unsatisfied": 0}, on="2026-01-10")
    assert (vetoed.total, vetoed.grade, vetoed.vetoed_by, vetoed.stars) == (
        D("98.50"), "unqualified", "falsified_self_assessment", 1)
    listing = WeakOrganization.objects.get(org=tree.b1, year=YEAR)
    assert listing.assessment == vetoed
    assert "在考评过程中有弄虚作假行为的" in listing.reasons


def test_weak_and_lax_organizations_are_rectified_by_plan_tasks_and_deadline(tree, annual, client_for):
    run_through(tree, _open(tree, annual), sheet=zeros(annual.config), report="40",
                ballots={"satisfied": 0, "basically_satisfied": 0, "unsatisfied": 3}, on="2026-01-10")
    # 0 + 0 + 0.3 × 40 + 0 = 12.00 → 不合格: listed as weak and lax.
    committee, branch = client_for(tree.reviewer), client_for(tree.secretary)
    listed = committee.get(f"/api/assessments/weak/?year={YEAR}").json()["results"]
    assert [(row["org_name"], row["status"]) for row in listed] == [("东街社区党支部", "listed")]
    weak = listed[0]["id"]
    refused = committee.post(f"/api/assessments/weak/{weak}/plan/", {"plan": "整顿", "deadline": "2026-01-01",
                                                                       "date": "2026-01-12"}, format="json")
    assert refused.status_code == 400  # the deadline lies after the plan is set
    assert branch.post(f"/api/assessments/weak/{weak}/plan/", {"plan": "x", "deadline": "2026-12-31"},
                       format="json").status_code == 403
    planned = committee.post(
        f"/api/assessments/weak/{weak}/plan/",
        {"plan": "选优配强班子，规范三会一课", "deadline": "2026-12-31", "responsible": "城关镇党委组织委员", "date": "2026-01-12",
         "tasks": [{"title": "补选支部委员", "deadline": "2026-06-30"}, {"title": "规范组织生活", "deadline": "2026-12-31"}]},
        format="json",
    ).json()
    assert (planned["status"], planned["deadline"], len(planned["tasks"])) == ("rectifying", "2026-12-31", 2)
    early = committee.post(f"/api/assessments/weak/{weak}/close/", {"note": "已整改", "date": "2026-02-01"}, format="json")
    assert early.status_code == 400  # tasks still open
    for task in planned["tasks"]:
        done = branch.post(f"/api/assessments/weak/{weak}/tasks/{task['id']}/done/", {"date": "2026-03-01", "note": "已完成"},
                           format="json")
        assert done.status_code == 200
    closed = committee.post(f"/api/assessments/weak/{weak}/close/", {"note": "班子健全，组织生活正常", "date": "2026-03-02"},
                            format="json").json()
    assert (closed["status"], closed["closed_on"]) == ("rectified", "2026-03-02")


def test_two_unqualified_results_in_one_term_flag_the_secretary_for_the_county(tree, annual, client_for):
    tree.b1.term_started_on = datetime.date(2023, 6, 1)  # a branch's term: 3 years, to 2026-06-01
    tree.b1.save(update_fields=["term_started_on"])
    earlier = services.create_scheme(actor=tree.admin, year=YEAR - 1, name="年度考核", preset="annual")
    bad = {"sheet": zeros(annual.config), "report": "30", "ballots": {"satisfied": 0, "basically_satisfied": 0, "unsatisfied": 4}}
    # 2024: 0.3 × 30 = 9.00 → 不合格, the first of the term: no flag yet.
    first = run_through(tree, _open(tree, earlier, on=datetime.date(YEAR, 1, 5)), on=f"{YEAR}-01-10", **bad)
    assert first.grade == "unqualified" and not SecretaryFlag.objects.exists()
    second = _open(tree, annual)
    run_through(tree, second, on="2026-01-10", **bad)
    flag = SecretaryFlag.objects.get()
    assert (flag.org, flag.years, flag.secretary, flag.term_started_on) == (
        tree.b1, [YEAR - 1, YEAR], tree.b1_members[0], datetime.date(2023, 6, 1))

    county, committee = client_for(tree.admin), client_for(tree.reviewer)
    assert [row["years"] for row in county.get("/api/assessments/secretary-flags/").json()["results"]] == [[YEAR - 1, YEAR]]
    assert committee.get("/api/assessments/secretary-flags/").json()["results"] == []
    complete(county, second.pk, "secretary_adjustment", "2026-01-20", {"measure": "免去支部书记职务，另行选派"})
    flag.refresh_from_db()
    assert (flag.measure, flag.handled_on, flag.handled_by) == ("免去支部书记职务，另行选派", datetime.date(2026, 1, 20), tree.admin)


def test_one_unqualified_result_in_each_of_two_terms_raises_no_flag(tree, annual):
    tree.b1.term_started_on = datetime.date(YEAR, 3, 1)  # a new term began in the second year
    tree.b1.save(update_fields=["term_started_on"])
    earlier = services.create_scheme(actor=tree.admin, year=YEAR - 1, name="年度考核", preset="annual")
    bad = {"sheet": zeros(annual.config), "report": "30", "ballots": {"satisfied": 0, "basically_satisfied": 0, "unsatisfied": 4}}
    run_through(tree, _open(tree, earlier, on=datetime.date(YEAR, 1, 5)), on=f"{YEAR}-01-10", **bad)
    second = run_through(tree, _open(tree, annual), on="2026-01-10", **bad)
    assert second.grade == "unqualified"
    assert not SecretaryFlag.objects.exists()
    # The flow ends at the confirmation: no task for the county.
    assert second.process.status == "DONE"


def test_the_committee_lists_an_organization_as_weak_and_lax_on_other_grounds(tree, client_for):
    committee = client_for(tree.reviewer)
    assert client_for(tree.secretary).post("/api/assessments/weak/", {"org": tree.b1.pk, "year": YEAR, "reasons": "x"},
                                           format="json").status_code in (400, 403)
    listed = committee.post("/api/assessments/weak/", {"org": tree.b1.pk, "year": YEAR, "reasons": "书记长期缺职，班子不团结",
                                                       "date": "2025-09-01"}, format="json")
    assert listed.status_code == 201
    assert (listed.json()["status"], listed.json()["listed_on"], listed.json()["assessment"]) == ("listed", "2025-09-01", None)
    again = committee.post("/api/assessments/weak/", {"org": tree.b1.pk, "year": YEAR, "reasons": "again"}, format="json")
    assert again.status_code == 409


def test_a_finding_recorded_in_error_is_withdrawn_before_the_confirmation(tree, annual, client_for):
    assessment = _open(tree, annual)
    committee = client_for(tree.reviewer)
    finding = committee.post(f"/api/assessments/{assessment.pk}/findings/",
                             {"code": "member_broke_law", "reason": "误录"}, format="json").json()
    assert committee.delete(f"/api/assessments/findings/{finding['id']}/").status_code == 204
    outcome = run_through(tree, assessment, sheet=full_marks(annual.config), report="90",
                          ballots={"satisfied": 3, "basically_satisfied": 1, "unsatisfied": 0}, on="2026-01-10")
    # 10 + 40 + 27 + 18 = 95.00, no veto.
    assert (outcome.total, outcome.grade, outcome.vetoed_by) == (D("95.00"), "excellent", "")
