"""Seed 002, 城市社区党支部标准化规范化建设达标评价标准: each item starts at its points and loses its
deductions, never below zero; the 28 points the seed shows are scored out of 100 like every sheet."""

from decimal import Decimal

import pytest

from scoring.assessment import compute
from scoring.assessment.config import read_system
from scoring.assessment.presets import community_branch

D = Decimal
YEAR = 2025


@pytest.fixture
def system():
    return read_system(community_branch())


def test_the_checklist_holds_the_seeds_items_and_deductions(system):
    deductions = {code: (criterion.points, criterion.max) for code, (_i, criterion) in system.criteria.items() if criterion.kind == "deduct"}
    assert deductions["s1_1_1"] == (D(4), D(1))  # 正式党员超过50人未成立党总支的，扣4分
    assert deductions["s1_1_2"] == (D(4), D(1))  # 超过100人未成立党委的，扣4分
    assert deductions["s1_1_3"] == (D(2), D(1))  # 社区网格划分不合理的，扣2分
    assert deductions["s2_1_2"] == (D(6), D(1))  # 未设立支委会，扣6分
    assert deductions["s2_1_3"] == (D(4), D(1))  # 未配备书记，扣4分
    assert deductions["s2_1_4"] == (D(2), None)  # 组织委员、宣传委员、纪检委员，每缺一职扣2分
    assert deductions["s2_2_1"] == (D(6), D(1))  # 任期届满未按时换届的，扣6分
    assert deductions["s2_2_2"] == (D(2), D(1))  # 未报上级党组织批准的，扣2分
    assert [(area.label, area.points) for area in system.areas] == [("组织设置规范", D(12)), ("队伍建设规范", D(16))]
    assert system.full_marks == D(28)


def test_a_branch_with_every_item_in_order_scores_100(system):
    # Every item at its points: 8 + 4 + 6 + 6 + 4 = 28 of 28 → 100.
    assert compute.sheet(system, YEAR, {"s2_3_1": D(4)}).total == D("100.00")


def test_worked_example_of_the_deductions(system):
    values = {
        "s1_1_1": D(1),  # over 50 full members without a general branch: −4
        "s1_1_3": D(1),  # grid division unreasonable: −2
        "s1_2_2": D(1),  # one party group under 3 members: −2
        "s2_1_4": D(2),  # two committee posts missing: 2 × −2 = −4
        "s2_2_1": D(1),  # term overdue: −6
        "s2_3_1": D(3),  # 网格队伍建设: 3 of 4
    }
    outcome = compute.sheet(system, YEAR, values)
    # 基本设置 8 − 4 − 2 = 2; 党小组划分 4 − 2 = 2; 班子配备 6 − 4 = 2; 班子任期及换届 6 − 6 = 0; 网格队伍建设 3.
    assert {code: outcome.components[code] for code in ("s1_1", "s1_2", "s2_1", "s2_2", "s2_3")} == {
        "s1_1": D("2.00"), "s1_2": D("2.00"), "s2_1": D("2.00"), "s2_2": D("0.00"), "s2_3": D("3.00")}
    # 2 + 2 + 2 + 0 + 3 = 9 of 28 → 9 ÷ 28 × 100 = 32.142… → 32.14.
    assert outcome.total == D("32.14")


def test_deductions_stop_at_zero_within_their_item(system):
    values = {
        "s2_1_2": D(1),  # no branch committee: −6
        "s2_1_3": D(1),  # no secretary: −4
        "s2_1_4": D(3),  # three posts missing: −6
        "s2_3_1": D(4),
    }
    outcome = compute.sheet(system, YEAR, values)
    # 班子配备 6 − 6 − 4 − 6 = −10 → 0; the other items keep their points: 8 + 4 + 0 + 6 + 4 = 22 of 28
    # → 22 ÷ 28 × 100 = 78.571… → 78.57.
    assert outcome.components["s2_1"] == D("0.00")
    assert outcome.total == D("78.57")


def test_a_deduction_counted_once_by_the_seed_takes_one_occurrence_only(system):
    # 正式党员超过50人未成立党总支的，扣4分 is one deduction however it is counted: 2 occurrences still cost 4.
    once = compute.sheet(system, YEAR, {"s1_1_1": D(1), "s2_3_1": D(4)})
    twice = compute.sheet(system, YEAR, {"s1_1_1": D(2), "s2_3_1": D(4)})
    assert once.components["s1_1"] == twice.components["s1_1"] == D("4.00")
