"""Indicator systems as data: the seeds' presets, their checks, edits as versions, the loader, the Excel table."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from scoring.assessment import services
from scoring.assessment.config import read_system
from scoring.assessment.models import AssessmentScheme
from scoring.assessment.presets import annual, community_branch

from .conftest import YEAR, day

D = Decimal


def test_seed_001_has_ten_areas_totalling_100_points():
    system = read_system(annual())
    # 第五条's ten areas; the annex gives the first seven (10 + 10 + 12 + 15 + 10 + 15 + 6 = 78), the county the
    # last three (6 + 8 + 8 = 22): 78 + 22 = 100 (第八条: 满分为100分).
    assert [(area.label, area.points) for area in system.areas] == [
        ("宣传执行党的路线方针政策及单位各项决定", D(10)), ("民主决策和班子建设", D(10)), ("思想政治工作", D(12)),
        ("党组织建设", D(15)), ("党员队伍建设", D(10)), ("党风廉政建设", D(15)), ("精神文明建设", D(6)),
        ("统战及人才工作", D(6)), ("党建工作保障体系建设", D(8)), ("主要业绩及工作创新", D(8)),
    ]
    assert system.full_marks == D(100)
    assert {veto.code for veto in system.vetoes} == {"falsified_self_assessment", "member_broke_law", "civilization_criticized"}
    indicator = next(i for i in system.indicators if i.code == "a4_2")
    assert (indicator.label, indicator.points, indicator.evidence[:7]) == ("党内组织生活", D(5), "组织生活会相关")
    assert [c.points for c in indicator.criteria] == [D(1), D(1), D(2), D(1)]
    assert system.stages == {"self": D("0.1"), "onsite": D("0.4"), "report": D("0.3"), "satisfaction": D("0.2")}


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda c: c["areas"][0]["indicators"][0]["criteria"][0].update(points="2"), "config.areas[0].indicators[0].criteria",
         "The awards add up to 3; the indicator is worth 2."),
        (lambda c: c["areas"][0].update(points="11"), "config.areas[0].points", "The indicators add up to 10; the area is worth 11."),
        (lambda c: c["stages"].update(self="0.2"), "config.stages", "The weights of the four stages add up to 1 (100%)."),
        (lambda c: c["areas"][3]["indicators"][1]["criteria"][0].update(source={"code": "gossip"}),
         "config.areas[3].indicators[1].criteria[0].source", "Choose a source from: structure, branch_committee, "
         "committee_posts, elections, org_life, dues, conversion, archive."),
        (lambda c: c.update(veto_grade="bad"), "config.veto_grade", "No grade has this code."),
    ],
)
def test_an_indicator_system_that_does_not_add_up_is_refused(tree, client_for, change, path, message):
    config = annual()
    change(config)
    response = client_for(tree.admin).post("/api/assessments/schemes/", {"year": YEAR, "name": "改过的", "config": config},
                                           format="json")
    assert response.status_code == 400
    assert response.json()["errors"][path] == [message]
    assert not AssessmentScheme.objects.exists()


def test_the_county_edits_the_weights_and_an_assessment_keeps_the_system_it_opened_with(tree, annual, client_for):
    county = client_for(tree.admin)
    assert client_for(tree.reviewer).patch(f"/api/assessments/schemes/{annual.pk}/", {"name": "x"}, format="json").status_code == 403
    before = services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=day(12, 1))
    config = annual.config | {"stages": {"self": "0.1", "onsite": "0.5", "report": "0.2", "satisfaction": "0.2"}}
    edited = county.patch(f"/api/assessments/schemes/{annual.pk}/", {"config": config}, format="json").json()
    assert edited["version"] == 2
    after = services.open_assessment(actor=tree.reviewer, scheme=AssessmentScheme.objects.get(), org=tree.b2, on=day(12, 1))
    assert (before.scheme_version, before.config["stages"]["onsite"]) == (1, "0.4")
    assert (after.scheme_version, after.config["stages"]["onsite"]) == (2, "0.5")


def test_the_loader_brings_the_seeds_presets_into_a_county_once(county_a):
    call_command("load_assessment_presets", year=YEAR, county="alpha")
    call_command("load_assessment_presets", year=YEAR, county="alpha")
    assert sorted(AssessmentScheme.objects.filter(year=YEAR).values_list("preset", flat=True)) == ["annual", "community_branch"]
    community = AssessmentScheme.objects.get(preset="community_branch")
    assert community.config == community_branch()


def test_the_indicator_system_exports_to_excel_as_its_table(tree, annual, client_for):
    response = client_for(tree.secretary).get(f"/api/assessments/schemes/{annual.pk}/indicators.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = [[cell.value for cell in row] for row in book.worksheets[0].iter_rows(min_row=2)]
    criteria = len(read_system(annual.config).criteria)
    assert len(rows) == criteria + 1  # one row per line of the scoring standard, and the total
    assert rows[0][:4] == ["宣传执行党的路线方针政策及单位各项决定", 10, "传达上级党组织决议", 2]
    assert rows[0][5].startswith("①贯彻执行党的路线")
    penalty = next(row for row in rows if row[5] and row[5].startswith("若出现不合格党支部"))
    assert penalty[6:8] == [-1, "penalty"]
    assert rows[-1][:2] == ["Total", 100]
    grades = [[cell.value for cell in row] for row in book.worksheets[1].iter_rows()]
    assert ["良好", "80 以上", "90 不满"] in grades
