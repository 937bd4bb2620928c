"""Seed 001 篇一 第九条: on-site 40%, report appraisal 30%, satisfaction 20%, self-assessment 10%; 90分及以上
优秀, 80-89 良好, 60-79 合格, 60分以下不合格 (read by the convention: a boundary belongs to the higher band);
第七条 and 指标体系 六⑥: a one-vote veto makes the result unqualified. Worked on the county's preset."""

from decimal import Decimal

import pytest
from django.utils import translation

from scoring.assessment import compute
from scoring.assessment.config import read_system
from scoring.assessment.presets import annual
from scoring.config import ConfigError

D = Decimal
YEAR = 2025


@pytest.fixture
def system():
    return read_system(annual())


def weighted(system, self, onsite, report, satisfied=0, basically=0, unsatisfied=0, vetoes=()):
    inputs = compute.Inputs(
        scores={"self": D(self), "onsite": D(onsite), "report": D(report)},
        ballots={"satisfied": satisfied, "basically_satisfied": basically, "unsatisfied": unsatisfied},
        vetoes=tuple(vetoes),
    )
    return compute.result(system, YEAR, inputs)


def test_weights_40_30_20_10_of_seed_001(system):
    # Satisfaction: (30 satisfied × 100 + 15 basically satisfied × 60 + 5 unsatisfied × 0) ÷ 50 ballots
    #   = (3000 + 900) ÷ 50 = 78.
    # Total: 0.1 × 96 (self) + 0.4 × 85.5 (on-site) + 0.3 × 90 (report) + 0.2 × 78 (satisfaction)
    #   = 9.6 + 34.2 + 27 + 15.6 = 86.40 → 良好 (80 to under 90).
    outcome = weighted(system, "96", "85.5", "90", satisfied=30, basically=15, unsatisfied=5)
    assert outcome.components == {"self": D("96.00"), "onsite": D("85.50"), "report": D("90.00"), "satisfaction": D("78.00")}
    assert outcome.total == D("86.40")
    assert outcome.grade == "good"


@pytest.mark.parametrize(
    ("self", "rest", "satisfied", "basically", "total", "grade"),
    [
        # Every stage 90 (satisfaction: 3 × 100 + 1 × 60 = 360 ÷ 4 = 90): total 90.00, 90分及以上 → 优秀.
        ("90", "90", 3, 1, "90.00", "excellent"),
        # Self 89.9, on-site and report 90, satisfaction 90: 8.99 + 36 + 27 + 18 = 89.99 → 良好.
        ("89.9", "90", 3, 1, "89.99", "good"),
        # Every stage 80 (satisfaction: 100 + 60 = 160 ÷ 2 = 80): total 80.00 → 良好, the boundary is the higher band's.
        ("80", "80", 1, 1, "80.00", "good"),
        # Self 79.9, the rest 80: 7.99 + 32 + 24 + 16 = 79.99 → 合格.
        ("79.9", "80", 1, 1, "79.99", "qualified"),
        # Every stage 60 (satisfaction: 1 basically satisfied = 60): total 60.00. “60分以下” includes 60 as
        # written, but 合格 (60 以上) claims it too: the boundary belongs to the higher band → 合格.
        ("60", "60", 0, 1, "60.00", "qualified"),
        # Self 59.9, the rest 60: 5.99 + 24 + 18 + 12 = 59.99 → 不合格.
        ("59.9", "60", 0, 1, "59.99", "unqualified"),
    ],
)
def test_grade_boundaries_90_80_60(system, self, rest, satisfied, basically, total, grade):
    outcome = weighted(system, self, rest, rest, satisfied=satisfied, basically=basically)
    assert outcome.total == D(total)
    assert outcome.grade == grade


def test_a_falsified_self_assessment_vetoes_an_excellent_result(system):
    # 0.1 × 98 + 0.4 × 95 + 0.3 × 92 + 0.2 × 100 = 9.8 + 38 + 27.6 + 20 = 95.40, which would be 优秀;
    # 第七条: 弄虚作假 → 一票否决, 考评结果为“不合格”. The total stays as computed, the grade is the veto's.
    outcome = weighted(system, "98", "95", "92", satisfied=10, vetoes=["falsified_self_assessment"])
    assert outcome.total == D("95.40")
    assert (outcome.grade, outcome.vetoed_by) == ("unqualified", "falsified_self_assessment")
    assert compute.star_band(system, outcome.total, vetoed=True).code == "star_1"


def test_a_member_who_broke_the_law_vetoes_the_organizations_assessment(system):
    # 指标体系 六⑥: 有触犯法律者，本单位基层党建考核一票否决.
    outcome = weighted(system, "90", "90", "90", satisfied=3, basically=1, vetoes=["member_broke_law"])
    assert outcome.total == D("90.00")
    assert outcome.grade == "unqualified"


def test_the_county_edits_the_weights_for_its_year(system):
    config = annual()
    config["stages"] = {"self": "0", "onsite": "0.5", "report": "0.3", "satisfaction": "0.2"}
    edited = read_system(config)
    # 0 × 70 + 0.5 × 90 + 0.3 × 80 + 0.2 × 100 = 45 + 24 + 20 = 89.00 → 良好; the self-assessment no longer counts.
    assert weighted(edited, "70", "90", "80", satisfied=5).total == D("89.00")
    config["stages"]["self"] = "0.1"
    with pytest.raises(ConfigError, match="add up to 1"), translation.override("en"):
        read_system(config)


@pytest.mark.parametrize(("total", "stars"), [("95", 5), ("90", 5), ("89.99", 4), ("80", 4), ("79.99", 3), ("70", 3),
                                               ("69.99", 2), ("60", 2), ("59.99", 1)])
def test_star_levels_follow_the_total(system, total, stars):
    band = compute.star_band(system, D(total), vetoed=False)
    assert system.stars_of(band.code) == stars
