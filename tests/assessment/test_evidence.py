"""Automatic evidence: criteria that name a source fill themselves from what the system knows (structure
checks, terms and elections, organizational life), and the sheet confirms or overrides them with a reason."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from core.exceptions import RuleViolation
from members.models import Stage
from orgs.life.meetings import record_meeting
from orgs.models import OrgKind
from scoring.assessment import services
from scoring.assessment.models import Evidence, IndicatorScore
from tests.factories import OrganizationFactory, PersonFactory

from .conftest import YEAR, day
from .helpers import complete

D = Decimal
AFTER_THE_YEAR = datetime.date(YEAR + 1, 1, 5)  # evidence is read as of the year's last day


def suggested(assessment) -> dict[str, Decimal | None]:
    return dict(Evidence.objects.filter(assessment=assessment).values_list("criterion", "suggested"))


def _meetings(secretary, org, kind: str, months, lecturer: str = "") -> None:
    for month in months:
        record_meeting(actor=secretary, org=org, kind=kind, date=day(month, 8), topic=f"{kind} {month}", lecturer=lecturer)


@pytest.fixture
def b1_meetings(tree):
    """东街社区党支部's year: every general meeting, lecture and committee meeting; themed days in 9 months;
    its party group met in 6 months; no organizational life meeting, no democratic appraisal."""
    _meetings(tree.secretary, tree.b1, "general_meeting", (3, 6, 9, 12))
    _meetings(tree.secretary, tree.b1, "lecture", (3, 6, 9, 12), lecturer="书记")
    _meetings(tree.secretary, tree.b1, "committee_meeting", range(1, 13))
    _meetings(tree.secretary, tree.b1, "themed_day", range(1, 10))
    _meetings(tree.secretary, tree.g1, "group_meeting", range(1, 7))


def test_organizational_life_fills_its_criteria(tree, annual, b1_meetings):
    with translation.override("en"):  # the evidence's text is written in the language of the reading
        assessment = services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=AFTER_THE_YEAR)
    found = suggested(assessment)
    # 三会一课 (a4_3_1, 1 point): due 4 general meetings + 12 committee meetings + 4 lectures + 12 group
    # meetings = 32; 6 group meetings missing → 26 ÷ 32 = 0.8125 × 1 = 0.81.
    assert found["a4_3_1"] == D("0.81")
    # 主题党日 (a4_2_3, 2 points): 9 of 12 → 0.75 × 2 = 1.50.
    assert found["a4_2_3"] == D("1.50")
    # 组织生活常态化 (a4_2_1, 1 point, every kind): 32 + 12 themed days + 1 life meeting + 1 appraisal = 46
    # due; 6 + 3 + 1 + 1 = 11 missing → 35 ÷ 46 = 0.7608… → 0.76.
    assert found["a4_2_1"] == D("0.76")
    # 组织生活会 (a2_1_4, 2 points): the one due was not held → 0.
    assert found["a2_1_4"] == D("0.00")
    text = Evidence.objects.get(assessment=assessment, criterion="a4_3_1").text
    assert "6 of 32 meetings due in 2025 were not held" in text and "第一党小组" in text
    assert assessment.evidence_as_of == datetime.date(YEAR, 12, 31)


def test_the_assessor_confirms_the_evidence_or_overrides_it_with_a_reason(tree, annual, b1_meetings, client_for):
    assessment = services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=AFTER_THE_YEAR)
    branch = client_for(tree.secretary)
    refused = branch.post(f"/api/assessments/{assessment.pk}/sheets/self/",
                          {"scores": [{"criterion": "a4_3_1", "value": "1"}]}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"scores[0].reason": [
        "The system found 0.81 for “①严格执行“三会一课”制度，指导监督基层党支部定期召开党员大会、支部委员会、党小组会，党课内容丰富、形式新颖”: "
        "give the reason for another value."]}
    accepted = branch.post(
        f"/api/assessments/{assessment.pk}/sheets/self/",
        {"scores": [{"criterion": "a4_3_1", "value": "1", "reason": "党小组会另有纸质记录6次"}]},
        format="json",
    )
    assert accepted.status_code == 200
    override = IndicatorScore.objects.get(assessment=assessment, stage="self", criterion="a4_3_1")
    assert (override.value, override.suggested, override.overridden, override.reason, override.recorded_by) == (
        D("1.00"), D("0.81"), True, "党小组会另有纸质记录6次", tree.secretary)


def test_submitting_the_sheet_confirms_the_evidence_it_does_not_override(tree, annual, b1_meetings, client_for):
    assessment = services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=AFTER_THE_YEAR)
    branch = client_for(tree.secretary)
    found = suggested(assessment)
    manual = [
        {"criterion": code, "value": str(criterion.points if criterion.kind == "award" else 0)}
        for code, (_i, criterion) in services.system_of(assessment).criteria.items()
        if code not in found or found[code] is None
    ]
    assert branch.post(f"/api/assessments/{assessment.pk}/sheets/self/", {"scores": manual}, format="json").status_code == 200
    complete(branch, assessment.pk, "self_assessment", "2026-01-06", {"report": "自评"})
    themed = IndicatorScore.objects.get(assessment=assessment, stage="self", criterion="a4_2_3")
    assert (themed.value, themed.source, themed.overridden) == (D("1.50"), "org_life", False)
    assessment.refresh_from_db()
    # 100 less what the evidence found short: a2_1_4 2 − 0 = 2; a4_1_1 2 − 0 (one officer on a committee of
    # 8 full members) = 2; a4_2_1 1 − 0.76 = 0.24; a4_2_2 1 − 0 = 1; a4_2_3 2 − 1.50 = 0.50; a4_3_1 1 − 0.81 =
    # 0.19; a4_4_1 4 − 0 (no archive documents) = 4 → 100 − 9.93 = 90.07.
    assert assessment.self_score == D("90.07")


def test_structure_checks_fill_the_community_checklist(tree, community, client_for):
    big = OrganizationFactory(name="幸福社区党支部", parent=tree.t1, term_started_on=datetime.date(2021, 3, 1))
    PersonFactory.create_batch(51, org=big, stage=Stage.FULL)
    group = OrganizationFactory(name="一号楼党小组", kind=OrgKind.GROUP, parent=big)
    PersonFactory(org=group, stage=Stage.FULL)
    from .conftest import user_with_role

    secretary = user_with_role(big, "branch_secretary")
    assessment = services.open_assessment(actor=tree.reviewer, scheme=community, org=big, on=AFTER_THE_YEAR)
    found = suggested(assessment)
    assert found["s1_1_1"] == 1  # 52 full members, not a general branch: −4
    assert found["s1_1_2"] == 0  # not over 100
    assert found["s1_2_2"] == 1  # one party group of 1 member: −2
    assert found["s2_1_2"] == 1  # 52 full members, one person on the committee: no committee, −6
    assert found["s2_1_3"] == 0  # it has a secretary
    assert found["s2_1_4"] == 3  # no election recorded: organization, propaganda, discipline missing
    assert found["s2_2_1"] == 1  # term from 2021-03-01, 3 years: ended 2024-03-01, overdue
    assert found["s2_2_2"] == 0  # no election in the year, none unfiled
    assert "52" in Evidence.objects.get(assessment=assessment, criterion="s1_1_1").text

    branch = client_for(secretary)
    branch.post(f"/api/assessments/{assessment.pk}/sheets/self/", {"scores": [{"criterion": "s2_3_1", "value": "4"}]},
                format="json")
    complete(branch, assessment.pk, "self_assessment", "2026-01-06", {"report": "自评"})
    assessment.refresh_from_db()
    # 基本设置 8 − 4 = 4; 党小组划分 4 − 2 = 2; 班子配备 6 − 6 − 3 × 2 = −6 → 0; 班子任期及换届 6 − 6 = 0;
    # 网格队伍建设 4 → 10 of 28 → 35.714… → 35.71.
    assert assessment.sheets["self"]["indicators"]["s1_1"] == "4.00"
    assert assessment.self_score == D("35.71")


def test_a_value_outside_the_criterion_is_refused(tree, community):
    assessment = services.open_assessment(actor=tree.reviewer, scheme=community, org=tree.b1, on=AFTER_THE_YEAR)
    for line, message in (
        ({"criterion": "s1_1_3", "value": "2", "reason": "两处"}, "At most 1 occurrences."),
        ({"criterion": "s2_1_4", "value": "1.5", "reason": "缺"}, "Count the occurrences in whole numbers."),
        ({"criterion": "s2_3_1", "value": "4.5"}, "Give from 0 to 4 points, to the hundredth."),
        ({"criterion": "nope", "value": "1"}, "No criterion of this indicator system has this code."),
    ):
        with pytest.raises(RuleViolation) as refused, translation.override("en"):
            services.save_sheet(actor=tree.secretary, assessment=assessment, stage="self", scores=[line])
        assert refused.value.message == message
    assert not IndicatorScore.objects.exists()


def test_the_evidence_is_read_again_while_the_sheets_are_open(tree, annual, b1_meetings, client_for):
    assessment = services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=AFTER_THE_YEAR)
    assert suggested(assessment)["a4_2_3"] == D("1.50")
    _meetings(tree.secretary, tree.b1, "themed_day", (10, 11, 12))  # paper records of the last three months entered
    refreshed = client_for(tree.reviewer).post(f"/api/assessments/{assessment.pk}/evidence/refresh/")
    assert refreshed.status_code == 200
    # 12 of 12 themed days → 2 × 1 = 2.00.
    assert suggested(assessment)["a4_2_3"] == D("2.00")
    line = next(c for area in refreshed.json()["sheets"]["self"]["areas"] for i in area["indicators"]
                for c in i["criteria"] if c["code"] == "a4_2_3")
    assert (line["evidence"]["suggested"], line["source"]) == ("2.00", "org_life")
    assert client_for(tree.secretary_b2).post(f"/api/assessments/{assessment.pk}/evidence/refresh/").status_code == 404
