"""Worked examples, computed by hand from each seed's rules, for the six presets of DOMAIN.md §7.

The arithmetic is written beside each assertion. Every example runs the one engine on the preset's
configuration; no preset has code of its own.
"""

from decimal import Decimal

import pytest

from scoring.config import parse_config
from scoring.presets import PRESETS, PROFILES, preset_config

from .worked import codes, entry, score

D = Decimal


def test_every_preset_is_a_valid_configuration_of_the_one_engine():
    for code in PRESETS:
        parse_config(preset_config(code))
    for profile in PROFILES:
        parse_config(preset_config("weighted_80_20", profile=profile))


def test_every_indicator_profile_is_worth_100_points():
    # seed 004 四.1: 日常行为积分的基本考核指标总分为100分
    for profile, indicators in PROFILES.items():
        assert sum(points for _code, _target, points in indicators) == 100, profile


# --- red_yellow (seed 000) ---------------------------------------------------------------------------

RED_YELLOW_80 = [
    entry("org_life", 1, 12),  # 12 sessions × 2 = 24 (the yearly cap is 24)
    entry("dues_on_time", 12, 12),  # 12 months × 1 = 12
    entry("study", 6, 10),  # 10 × 1 = 10
    entry("commitment", 12),  # 12                        → base 24 + 12 + 10 + 12 = 58
    entry("volunteer", 5, 3),  # 3 × 2 = 6
    entry("honour", 7),  # 5                             → positive 6 + 5 = 11
    entry("appraisal_points", 12, 11),  # 11               → appraisal 11
]


def test_red_yellow_exactly_80_is_class_1_on_the_red_list():
    outcome = score("red_yellow", RED_YELLOW_80)
    assert outcome.components == {"base": D("58"), "positive": D("11"), "appraisal": D("11")}
    assert outcome.total == D("80")  # 58 + 11 + 11; 80分以上 and 80分以下 both claim 80: the higher band
    assert outcome.grade == "class_1"
    assert outcome.band.list_name == "red"
    assert codes(outcome) == {"red_list_award"}


def test_red_yellow_exactly_60_is_class_2_and_just_below_is_class_3_on_the_yellow_list():
    sixty = [
        entry("org_life", 1, 12),  # 24
        entry("dues_on_time", 12, 12),  # 12
        entry("study", 6, 10),  # 10 → base 46
        entry("volunteer", 5, 2),  # 4
        entry("appraisal_points", 12, 10),  # 10 → 46 + 4 + 10 = 60
    ]
    outcome = score("red_yellow", sixty)
    assert outcome.total == D("60")
    assert outcome.grade == "class_2"  # 60分以上 and 60分以下 both claim 60: the higher band

    below = [*sixty[:-1], entry("appraisal_points", 12, "9.5")]  # 46 + 4 + 9.5 = 59.5
    outcome = score("red_yellow", below)
    assert outcome.total == D("59.5")
    assert outcome.grade == "class_3"
    assert outcome.band.list_name == "yellow"
    assert codes(outcome) == {"yellow_list_talk"}


def test_red_yellow_caps_the_items_and_the_base():
    outcome = score(
        "red_yellow",
        [
            entry("org_life", 1, 14),  # 14 × 2 = 28, capped at 24 a year
            entry("dues_on_time", 12, 12),  # 12
            entry("study", 6, 15),  # 15, capped at 12
            entry("commitment", 12),  # 12 → 24 + 12 + 12 + 12 = 60, the base's cap
            entry("absent_org_life", 3),  # −2 → 58
        ],
    )
    assert outcome.components["base"] == D("58")


@pytest.mark.parametrize(
    "veto", ["religious_activity", "organizing_petitions", "dues_unpaid_over_3_months", "lost_contact_3_months"]
)
def test_red_yellow_veto_zeroes_the_year_and_lists_class_4(veto):
    outcome = score("red_yellow", [*RED_YELLOW_80, entry(veto, 9)])
    assert outcome.total == D("0")  # 80 before the veto, 0 after
    assert outcome.vetoed_by == veto
    assert outcome.grade == "class_4"
    assert codes(outcome) == {"class_4_disposition"}


# --- weighted_80_20 (seed 004) -----------------------------------------------------------------------

GOVERNMENT_LEADER = [
    entry("org_life", 12, 14),  # target 12 worth 20 → 20; 2 beyond × 1 → bonus 2
    entry("training", 12, 3),  # target 3 worth 10 → 10
    entry("poor_family", 3, 1),  # 10
    # backbone_family: none → 0 of 5
    entry("visits", 12, 80),  # 15 × 80 / 100 = 12
    entry("community_activity", 10, 2),  # 10
    entry("study_report", 11, 1),  # 10 × 1 / 2 = 5
    entry("dues", 12, 12),  # 10
    entry("assigned_work", 12, 1),  # 5
    entry("morality", 12, 1),  # 5   → indicators 20+10+10+12+10+5+10+5+5 = 87
    entry("award", 8, 1),  # bonus 5 → bonus 2 + 5 = 7
    entry("ballot_excellent", 12, 10),
    entry("ballot_good", 12, 6),
    entry("ballot_qualified", 12, 3),
    entry("ballot_poor", 12, 1),
]


def test_weighted_80_20_government_leader_worked_example_with_the_ballot_formula():
    outcome = score("weighted_80_20", GOVERNMENT_LEADER, profile="government_leader")
    # (10×100 + 6×80 + 3×60 + 1×40) ÷ 20 = (1000 + 480 + 180 + 40) ÷ 20 = 1700 ÷ 20 = 85
    assert outcome.components == {"indicators": D("87"), "bonus": D("7"), "appraisal": D("85")}
    # 0.8 × (87 + 7) + 0.2 × 85 = 75.2 + 17 = 92.2
    assert outcome.total == D("92.2")
    assert outcome.grade == "excellent"
    assert codes(outcome) == {"award_eligible"}


def test_weighted_80_20_exactly_90_is_excellent():
    entries = [
        entry("org_life", 12, 12),  # 20
        entry("training", 12, 3),  # 10
        entry("poor_family", 3, 1),  # 10
        entry("backbone_family", 3, 1),  # 5
        entry("visits", 12, 50),  # 15 × 50 / 100 = 7.5
        entry("community_activity", 10, 2),  # 10
        entry("study_report", 11, 2),  # 10
        entry("dues", 12, 12),  # 10
        entry("assigned_work", 12, 1),  # 5 → indicators 87.5, no morality
        entry("ballot_excellent", 12, 20),  # (20 × 100) ÷ 20 = 100
    ]
    outcome = score("weighted_80_20", entries, profile="government_leader")
    assert outcome.total == D("90")  # 0.8 × 87.5 + 0.2 × 100 = 70 + 20
    assert outcome.grade == "excellent"  # 90分以上

    entries[4] = entry("visits", 12, 49)  # 15 × 49 / 100 = 7.35 → 87.35 × 0.8 + 20 = 89.88
    outcome = score("weighted_80_20", entries, profile="government_leader")
    assert outcome.total == D("89.88")
    assert outcome.grade == "good"


ON_THE_JOB_60 = [
    entry("volunteer_post", 2, 1),  # 20
    entry("volunteer", 4, 2),  # 20
    entry("practical_things", 6, 1),  # 20 → 60
]


def test_weighted_80_20_on_the_job_daily_score_alone_is_the_annual_score_and_60_is_qualified():
    outcome = score("weighted_80_20", ON_THE_JOB_60, profile="on_the_job")
    assert "appraisal" not in outcome.components
    assert outcome.total == D("60")  # weight 1: 60, not 0.8 × 60
    assert outcome.grade == "qualified"  # 60-70分合格 and 60分以下不合格 both claim 60: the higher band


def test_weighted_80_20_exactly_70_is_good_and_below_60_is_unqualified_and_proposed_for_disposition():
    outcome = score("weighted_80_20", [*ON_THE_JOB_60, entry("award", 8, 2)], profile="on_the_job")
    assert outcome.total == D("70")  # 60 + 2 awards × 5
    assert outcome.grade == "good"

    outcome = score("weighted_80_20", [*ON_THE_JOB_60[:2], entry("joint_org_life", 5, "0.5")], profile="on_the_job")
    assert outcome.total == D("50")  # 20 + 20 + 20 × 0.5 / 1
    assert outcome.grade == "unqualified"
    assert codes(outcome) == {"unqualified_disposition"}


def test_weighted_80_20_bonus_is_capped_at_20():
    outcome = score("weighted_80_20", [*ON_THE_JOB_60, entry("award", 8, 5)], profile="on_the_job")
    assert outcome.components["bonus"] == D("20")  # 5 × 5 = 25, at most 20
    assert outcome.total == D("80")


ELDERLY_QUALIFIED = [
    entry("keep_in_touch", 9, 1),  # target 1 (visited once in the year) worth 40 → 40
    entry("party_documents", 9, 1),  # target 1 worth 40 → 40
    # opinions: none given → 0 of 20                                        → indicators 80
    entry("voluntary_org_life", 7, 2),  # 2 meetings of their own wish × 1 → bonus 2
    entry("ballot_good", 12, 15),
    entry("ballot_qualified", 12, 5),
]


def test_weighted_80_20_elderly_members_are_asked_no_organizational_life_and_meetings_they_attend_are_a_bonus():
    outcome = score("weighted_80_20", ELDERLY_QUALIFIED, profile="elderly")
    # (15 × 80 + 5 × 60) ÷ 20 = (1200 + 300) ÷ 20 = 75
    assert outcome.components == {"indicators": D("80"), "bonus": D("2"), "appraisal": D("75")}
    # 0.8 × (80 + 2) + 0.2 × 75 = 65.6 + 15 = 80.6
    assert outcome.total == D("80.6")
    assert outcome.grade == "good"
    config = parse_config(preset_config("weighted_80_20", category="elderly"))
    assert "org_life" not in config.items  # 可不要求参加组织生活
    assert config.items["keep_in_touch"].feed == "care_visits"  # the care visits of orgs.life
    assert config.items["voluntary_org_life"].feed == "meeting_attended"


def test_weighted_80_20_elderly_member_with_every_indicator_and_opinions_beyond_it_is_excellent():
    outcome = score(
        "weighted_80_20",
        [
            entry("keep_in_touch", 3, 2),  # 40; beyond the target earns nothing: the visits are the organization's
            entry("party_documents", 6, 3),  # 40 + 2 beyond × 1 → bonus 2
            entry("opinions", 11, 1),  # 20 → indicators 100
            entry("ballot_excellent", 12, 20),  # 100
        ],
        profile="elderly",
    )
    assert outcome.components == {"indicators": D("100"), "bonus": D("2"), "appraisal": D("100")}
    assert outcome.total == D("101.6")  # 0.8 × 102 + 0.2 × 100 = 81.6 + 20
    assert outcome.grade == "excellent"


# --- deduction_base100 (seed 001 篇1) ----------------------------------------------------------------


def test_deduction_base100_repeat_costs_1_2_times_and_a_bonus_adds():
    outcome = score(
        "deduction_base100",
        [
            entry("late_dues", 3),  # −2
            entry("late_dues", 6),  # again: −2 × 1.2 = −2.4
            entry("key_task", 7),  # +3
        ],
    )
    assert outcome.total == D("98.6")  # 100 − 2 − 2.4 + 3
    assert outcome.grade == "level_1"
    assert codes(outcome) == {"no_awards"}  # below 100; not below 98
    assert [line.repeat for line in outcome.lines if line.item == "late_dues"] == [False, True]


def test_deduction_base100_post_holder_and_repeat_multiply_and_pass_joint_liability():
    outcome = score(
        "deduction_base100",
        [
            entry("discipline_breach", 2, post_holder=True),  # 5 × 1.1 = 5.5
            entry("discipline_breach", 5, post_holder=True),  # 5 × 1.2 × 1.1 = 6.6
        ],
        stage="probationary",
    )
    assert outcome.total == D("87.9")  # 100 − 5.5 − 6.6
    assert outcome.components["discipline"] == D("-12.1")
    assert outcome.grade == "level_6"  # 积分低于90分(含)
    assert codes(outcome) == {
        "no_awards",
        "self_criticism",
        "secretary_talk",
        "leaders_talk",
        "committee_secretary_talk",
        "admonishment",
        "training_3",
        "probation_extension",
    }
    # Each single deduction of 3 or more costs the branch secretary 10%; of 5 or more, the supervising
    # leader 20% and the liaison leader 10%.
    assert [(liability.role, liability.points) for liability in outcome.liabilities] == [
        ("branch_secretary", D("0.550")),  # 5.5 × 0.10
        ("supervising_leader", D("1.100")),  # 5.5 × 0.20
        ("liaison_leader", D("0.550")),  # 5.5 × 0.10
        ("branch_secretary", D("0.6600")),  # 6.6 × 0.10
        ("supervising_leader", D("1.3200")),  # 6.6 × 0.20
        ("liaison_leader", D("0.6600")),  # 6.6 × 0.10
    ]


def test_deduction_base100_joint_liability_thresholds_are_read_by_the_convention():
    three = score("deduction_base100", [entry("duty_neglect", 4)])  # exactly 3: 3分及以上
    assert [(item.role, item.points) for item in three.liabilities] == [("branch_secretary", D("0.30"))]
    small = score("deduction_base100", [entry("late_dues", 3, post_holder=True), entry("late_dues", 4, post_holder=True)])
    # 2 × 1.1 = 2.2 and 2 × 1.2 × 1.1 = 2.64: both under 3, nobody else pays
    assert small.total == D("95.16")  # 100 − 2.2 − 2.64
    assert small.liabilities == []
    five = score("deduction_base100", [entry("discipline_breach", 4)])  # exactly 5: the leaders pay too
    assert {item.role for item in five.liabilities} == {"branch_secretary", "supervising_leader", "liaison_leader"}


def test_deduction_base100_joint_deductions_passed_to_a_secretary_lower_their_score():
    # The secretary of the member above carries 0.55 + 0.66 = 1.21.
    outcome = score("deduction_base100", [], joint=["0.55", "0.66"])
    assert outcome.total == D("98.79")  # 100 − 1.21
    assert outcome.components["joint_liability"] == D("-1.21")
    assert codes(outcome) == {"no_awards"}


def test_deduction_base100_thresholds_98_and_90():
    exactly_98 = score("deduction_base100", [entry("late_dues", 3)])  # 100 − 2
    assert exactly_98.total == D("98")
    assert exactly_98.grade == "level_1"
    assert "self_criticism" not in codes(exactly_98)  # 积分低于98分(不含)

    exactly_90 = score(
        "deduction_base100", [entry("discipline_breach", 2), entry("duty_neglect", 3), entry("late_dues", 4)]
    )
    assert exactly_90.total == D("90")  # 100 − 5 − 3 − 2
    assert exactly_90.grade == "level_6"  # 积分低于90分(含)
    assert {"admonishment", "training_3"} <= codes(exactly_90)
    assert "probation_extension" not in codes(exactly_90)  # a full member

    exactly_100 = score("deduction_base100", [])
    assert exactly_100.grade == "level_0"
    assert codes(exactly_100) == {"award_priority"}


def test_deduction_base100_approval_level_depends_on_the_amount():
    item = parse_config(preset_config("deduction_base100")).items["discipline_breach"]
    assert item.approval_level(D("3")) == "committee_secretary"  # 3分(含)以内的由党委书记审批
    assert item.approval_level(D("3.5")) == "committee_meeting"  # 大于3分的情况经党委会议定


# --- monthly_60_40 (seed 001 篇2) --------------------------------------------------------------------


def _months(performance: dict[int, str], politics="15", discipline="30", morality="15") -> list:
    rows = []
    for month in range(1, 13):
        rows += [
            entry("politics_rating", month, politics, day=28),
            entry("discipline_rating", month, discipline, day=28),
            entry("morality_rating", month, morality, day=28),
            entry("performance_rating", month, performance.get(month, "0"), day=28),
        ]
    return rows


def test_monthly_60_40_worked_example_with_the_monthly_average_bonus_and_penalties():
    ratings = _months({m: "40" if m <= 6 else "30" for m in range(1, 13)}, discipline="28")
    outcome = score(
        "monthly_60_40",
        [
            *ratings,
            entry("politics_rating", 3, "1", day=29),  # March politics 15 + 1 = 16, capped at 15
            entry("bonus", 9, "5"),  # +5
            entry("missed_meetings", 3),  # 1st time −3
            entry("missed_meetings", 8),  # 2nd time −6
        ],
    )
    # base: politics 15, discipline 28, morality 15 each month; performance (6 × 40 + 6 × 30) ÷ 12 = 35
    assert outcome.components["politics"] == D("15")
    assert outcome.components["performance"] == D("35")
    assert outcome.months["2025-03"]["politics"] == D("15")
    # (15 + 28 + 15 + 35) + 5 − 3 − 6 = 93 + 5 − 9 = 89
    assert outcome.total == D("89")
    assert outcome.grade == "stars_4"  # 85 to under 91


def test_monthly_60_40_stars_at_91_71_and_60():
    five = score("monthly_60_40", _months(dict.fromkeys(range(1, 13), "31")))
    assert five.total == D("91")  # 60 + 31 × 12 ÷ 12
    assert five.grade == "stars_5"  # 91分以上

    four = score("monthly_60_40", _months({**dict.fromkeys(range(1, 12), "31"), 12: "30.88"}))
    assert four.total == D("90.99")  # 60 + (11 × 31 + 30.88) ÷ 12 = 60 + 371.88 ÷ 12
    assert four.grade == "stars_4"

    two = score("monthly_60_40", _months(dict.fromkeys(range(1, 13), "11")))
    assert two.total == D("71")
    assert two.grade == "stars_2"  # 71 to under 80

    one = score("monthly_60_40", _months({**dict.fromkeys(range(1, 12), "11"), 12: "10.88"}), stage="probationary")
    assert one.total == D("70.99")  # 60 + (121 + 10.88) ÷ 12
    assert one.grade == "stars_1"
    assert codes(one) == {"one_star_talk", "one_star_probation"}

    sixty = score("monthly_60_40", _months({}))
    assert sixty.total == D("60")
    assert sixty.grade == "stars_1"  # 60分以下(不含60分) is no star


def test_monthly_60_40_a_month_without_a_rating_counts_as_0_over_12():
    outcome = score("monthly_60_40", _months(dict.fromkeys(range(1, 13), "40"))[4:])  # January not rated
    # (11 × 100) ÷ 12 = 91.666… → 91.67
    assert outcome.total == D("91.67")


def test_monthly_60_40_three_months_in_a_row_missed_cost_10_and_open_a_disposition_case():
    base = _months(dict.fromkeys(range(1, 13), "40"))  # 100 before penalties
    in_a_row = score(
        "monthly_60_40",
        [*base, entry("missed_meetings", 1), entry("missed_meetings", 2), entry("missed_meetings", 3)],
    )
    assert in_a_row.components["penalty"] == D("-19")  # −3, −6, then the 3rd month in a row −10
    assert in_a_row.total == D("81")
    assert codes(in_a_row) == {"missed_three_disposition"}

    apart = score(
        "monthly_60_40",
        [*base, entry("missed_meetings", 1), entry("missed_meetings", 3), entry("missed_meetings", 5)],
    )
    assert apart.components["penalty"] == D("-15")  # −3, −6, −6
    assert codes(apart) == set()


ONE_STAR = _months({**dict.fromkeys(range(1, 12), "11"), 12: "10.88"})  # 60 + (121 + 10.88) ÷ 12 = 70.99


def test_monthly_60_40_one_star_two_years_running_is_supported_as_a_lagging_member():
    # 五(三): 连续2年评为一星级党员的纳入后进党员进行帮扶
    second_year = score("monthly_60_40", ONE_STAR, previous_bands=("stars_1",))
    assert second_year.total == D("70.99")
    assert second_year.grade == "stars_1"
    assert codes(second_year) == {"one_star_talk", "one_star_two_years"}

    assert codes(score("monthly_60_40", ONE_STAR)) == {"one_star_talk"}  # the first year at one star
    assert codes(score("monthly_60_40", ONE_STAR, previous_bands=("stars_2",))) == {"one_star_talk"}
    # a year without a band breaks the run, however far back the one star was
    assert codes(score("monthly_60_40", ONE_STAR, previous_bands=("", "stars_1"))) == {"one_star_talk"}
    # two stars after a one-star year is no run either
    two = score("monthly_60_40", _months(dict.fromkeys(range(1, 13), "11")), previous_bands=("stars_1",))
    assert two.grade == "stars_2"
    assert codes(two) == set()


def test_monthly_60_40_under_60_has_no_star_and_enters_disposition():
    outcome = score("monthly_60_40", [*_months({}), entry("unfinished_work", 6, 1)])
    assert outcome.total == D("59")  # 60 − 1
    assert outcome.grade == "stars_0"
    assert codes(outcome) == {"no_star_disposition"}


# --- categories_base80 (seed 001 篇3) ----------------------------------------------------------------

CATEGORIES_EXAMPLE = [
    entry("app_study", 2, 300),  # 300 app points: 0
    entry("app_study", 5, 400),  # 700 in all: 1
    entry("app_study", 9, 900),  # 1600 in all: 3 (每500积分积1分)
    entry("collective_study", 6, 10),  # 10 × 1
    entry("study_note", 7, 8),  # 8 × 0.5 = 4
    *[entry("monthly_learning", month) for month in range(1, 13)],  # 12 × 2 = 24 → study 3+10+4+24 = 41, cap 30
    entry("integrity", 12),
    entry("punctual_activities", 12),
    entry("dues_on_time", 12),
    entry("house_rules", 12),  # 4 × 5 = 20
    entry("meeting_attended", 12, 6),  # 6 → discipline 26, cap 20
    entry("exemplary", 12),
    entry("family_virtue", 12),
    entry("healthy_life", 12),  # 4 + 4 + 2 = 10
    entry("review_competent", 12),
    entry("no_errors", 12),
    entry("commitment", 12),  # 10 + 5 + 3 = 18
    entry("unexcused_absence", 4, 2),  # −2
    entry("late_dues", 8),  # −2
]


def test_categories_base80_worked_example_with_caps_and_deductions():
    outcome = score("categories_base80", CATEGORIES_EXAMPLE)
    assert outcome.components == {
        "study": D("30"),
        "discipline": D("20"),
        "morality": D("10"),
        "contribution": D("18"),
        "deductions": D("-4"),
    }
    assert outcome.total == D("74")  # 30 + 20 + 10 + 18 − 4
    assert outcome.grade == "average"  # 70 to under 80


def test_categories_base80_counts_app_points_per_500_over_the_year_and_caps_learning_per_month():
    outcome = score(
        "categories_base80",
        [entry("app_study", 2, 300), entry("app_study", 5, 400), entry("monthly_learning", 3), entry("monthly_learning", 3, day=20)],
    )
    assert outcome.components["study"] == D("3")  # 700 app points → 1; March learning 2 + 2 capped at 2


def test_categories_base80_boundaries_80_70_60():
    full = [entry(code, 12) for code in ("integrity", "punctual_activities", "dues_on_time", "house_rules")]  # 20
    full += [entry(code, 12) for code in ("exemplary", "family_virtue", "healthy_life")]  # 10
    full += [entry("review_excellent", 12)]  # 20
    full += [entry("collective_study", 6, 30)]  # 30 → 80
    assert score("categories_base80", full).grade == "good"  # 80分(含80分)以上
    seventy = [*full, entry("minor_sanction", 9)]  # 80 − 10
    assert score("categories_base80", seventy).total == D("70")
    assert score("categories_base80", seventy).grade == "average"  # 70分(含70分)
    sixty = [*seventy, entry("late_dues", 10, 5)]  # 70 − 5 × 2
    assert score("categories_base80", sixty).grade == "poor"  # 60分(含60分)
    below = [*sixty, entry("unexcused_absence", 11)]  # 60 − 1 = 59
    outcome = score("categories_base80", below)
    assert outcome.grade == "unqualified"
    assert codes(outcome) == {"unqualified_disposition"}


def test_categories_base80_heavy_sanction_is_a_one_vote_veto():
    outcome = score("categories_base80", [*CATEGORIES_EXAMPLE, entry("heavy_sanction", 10)])
    assert outcome.total == D("0")  # 留党察看以上的，全年记0分
    assert outcome.vetoed_by == "heavy_sanction"


def test_categories_base80_activists_and_probationary_members_are_scored_not_graded():
    activist = score("categories_base80", CATEGORIES_EXAMPLE, stage="activist")
    assert activist.total == D("74")
    assert activist.grade == ""
    probationary = score("categories_base80", [*CATEGORIES_EXAMPLE, entry("complaint", 9)], stage="probationary")
    assert probationary.total == D("69")  # 74 − 5: 未达到70分
    assert probationary.grade == ""
    assert codes(probationary) == {"probation_extension"}


# --- twelve_point (seed 003) -------------------------------------------------------------------------


def test_twelve_point_deducts_from_12_and_zero_enters_disposition():
    outcome = score("twelve_point", [entry("absent_org_life", 2), entry("late_dues", 5), entry("sanctioned", 9)])
    assert outcome.total == D("2")  # 12 − 2 − 2 − 6
    assert codes(outcome) == set()

    outcome = score("twelve_point", [entry("sanctioned", 2), entry("bad_influence", 5), entry("masses_complaint", 9)])
    assert outcome.total == D("0")  # 12 − 6 − 3 − 3: 0 is at 0 (以下 includes it)
    assert codes(outcome) == {"zero_disposition"}


def test_twelve_point_never_goes_below_0():
    outcome = score("twelve_point", [entry("sanctioned", 2, 3)])
    assert outcome.total == D("0")  # 12 − 18, floored at 0
