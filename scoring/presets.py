"""The six schemes of DOMAIN.md §7, as configurations for the one engine (no calculator of their own).

Each builder returns plain JSON data, the numbers taken from scoring.rules with their seed. Labels
are the seeds' own words: they are the county's data, shown as written. Items whose points a seed
leaves to an annex it did not publish carry defaults marked *county setting*; a county edits them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from . import rules


def _n(value: Decimal | int) -> str:
    return str(value)


def _item(code: str, label: str, component: str, points, sign: str = "+", **extra) -> dict:
    return {"code": code, "label": label, "component": component, "points": _n(points), "sign": sign, **extra}


def _veto(code: str, label: str, **extra) -> dict:
    return {"code": code, "label": label, "veto": True, "evidence": True, **extra}


def _consequence(code: str, kind: str, label: str, when: dict, **extra) -> dict:
    return {"code": code, "kind": kind, "label": label, "when": when, **extra}


def _yearly(points) -> dict:
    return {"period": "year", "points": _n(points)}


# --- red_yellow ---------------------------------------------------------------------------------------


def red_yellow() -> dict:
    """Seed 000 (县试行“红黄榜”积分管理办法): base, positive and appraisal points; four classes."""
    return {
        "start": "0",
        "components": [
            {"code": "base", "label": "基础分", "cap": _n(rules.RED_YELLOW_BASE_CAP)},
            {"code": "positive", "label": "正向分", "cap": _n(rules.RED_YELLOW_POSITIVE_CAP)},
            {"code": "appraisal", "label": "测评分", "cap": _n(rules.RED_YELLOW_APPRAISAL_CAP)},
        ],
        # The seed names the three parts; the items and their points are *county settings*.
        "items": [
            _item("org_life", "参加组织生活", "base", 2, cap=_yearly(24), feed="meeting_attended"),
            _item("dues_on_time", "按月足额缴纳党费", "base", 1, cap=_yearly(12)),
            _item("study", "参加学习教育", "base", 1, cap=_yearly(12)),
            _item("commitment", "履行党员承诺", "base", 12, cap=_yearly(12)),
            _item("absent_org_life", "无故缺席组织生活", "base", 2, "-", feed="meeting_absent"),
            _item("volunteer", "参加志愿服务", "positive", 2),
            _item("help_masses", "结对帮扶群众", "positive", 2),
            _item("lead_development", "带头致富、带领群众致富", "positive", 5, evidence=True),
            _item("honour", "获得表彰奖励", "positive", 5, evidence=True),
            # 测评分: the grade of the democratic appraisal (orgs.life feeds it), or the points the branch
            # general meeting gives in its own appraisal (支委初评、大会审定); the component caps the two together.
            _item("appraisal_qualified", "民主评议合格", "appraisal", rules.RED_YELLOW_APPRAISAL_QUALIFIED, feed="appraisal_qualified"),
            _item(
                "appraisal_basically_qualified",
                "民主评议基本合格",
                "appraisal",
                rules.RED_YELLOW_APPRAISAL_BASICALLY_QUALIFIED,
                feed="appraisal_basically_qualified",
            ),
            _item("appraisal_points", "民主测评得分", "appraisal", 1, cap=_yearly(rules.RED_YELLOW_APPRAISAL_CAP)),
            _veto("religious_activity", "参加宗教活动"),
            _veto("organizing_petitions", "组织煽动制造上访"),
            _veto("dues_unpaid_over_3_months", "超过3个月不缴纳党费", feed="dues_arrears"),
            _veto("lost_contact_3_months", "失联3个月", feed="lost_contact"),
        ],
        "bands": [
            {"code": "class_1", "label": "一类", "from": [_n(rules.RED_YELLOW_CLASS_1_FROM), "以上"], "list": "red"},
            {
                "code": "class_2",
                "label": "二类",
                "from": [_n(rules.RED_YELLOW_CLASS_2_FROM), "以上"],
                "to": [_n(rules.RED_YELLOW_CLASS_1_FROM), "以下"],
            },
            {"code": "class_3", "label": "三类", "to": [_n(rules.RED_YELLOW_CLASS_3_UP_TO), "以下"], "list": "yellow"},
            {"code": "class_4", "label": "四类", "veto": True},
        ],
        "consequences": [
            _consequence("red_list_award", "award_eligibility", "上红榜，评先评优优先推荐", {"band": "class_1"}),
            _consequence("yellow_list_talk", "talk_reminder", "上黄榜，提醒谈话", {"band": "class_3"}),
            # *county setting*: the grounds of DOMAIN.md §6 (religious belief, leading petitions) lead to a case.
            _consequence("class_4_disposition", "disposition_proposal", "列为四类党员，甄别处置", {"band": "class_4"}),
        ],
    }


# --- weighted_80_20 -----------------------------------------------------------------------------------

# Indicators of seed 004 (三.(一)): code → (label, points per unit beyond the target, a *county setting*).
INDICATORS: dict[str, tuple[str, Decimal | None]] = {
    "org_life": ("参加党的组织生活", Decimal("1")),
    "training": ("参加党建、业务培训", Decimal("1")),
    "poor_family": ("结对困难家庭", Decimal("2")),
    "backbone_family": ("结对群众骨干家庭", Decimal("2")),
    "visits": ("联系走访普通群众（人次）", Decimal("0.05")),
    "resident_visits": ("联系走访社区居民（户次）", Decimal("0.05")),
    "community_activity": ("参加在职党员进社区活动", Decimal("1")),
    "volunteer": ("参加志愿服务活动", Decimal("1")),
    "study_report": ("撰写党员学习心得体会", Decimal("1")),
    "dues": ("及时足额缴纳党费（月）", None),
    "assigned_work": ("完成党组织交办的其它工作和本职岗位工作", None),
    "morality": ("注重自身道德品行", None),
    "volunteer_post": ("主动认领志愿服务岗位", Decimal("2")),
    "practical_things": ("为群众办实事", Decimal("2")),
    "joint_org_life": ("与社区直管党员共同过组织生活或参加社区主题活动", Decimal("1")),
    "keep_in_touch": ("与党组织保持联系、接受走访", None),
    "party_documents": ("学习党组织传达的党内文件精神", Decimal("1")),
    "opinions": ("反映意见和建议", Decimal("1")),
}

# Per category and role, seed 004's indicators and their targets (不少于 n); how the 100 points are split
# among them is a *county setting* (the seed fixes the total only). (code, target, points at the target)
PROFILES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "government_leader": (  # 机关党员·领导班子成员党员
        ("org_life", 12, 20), ("training", 3, 10), ("poor_family", 1, 10), ("backbone_family", 1, 5),
        ("visits", 100, 15), ("community_activity", 2, 10), ("study_report", 2, 10), ("dues", 12, 10),
        ("assigned_work", 1, 5), ("morality", 1, 5),
    ),
    "government_cadre": (  # 机关党员·中层干部党员
        ("org_life", 12, 20), ("training", 2, 10), ("poor_family", 1, 10), ("visits", 100, 15),
        ("community_activity", 2, 10), ("study_report", 2, 10), ("dues", 12, 10), ("assigned_work", 1, 10),
        ("morality", 1, 5),
    ),
    "government_member": (  # 机关党员·普通党员
        ("org_life", 12, 25), ("poor_family", 1, 10), ("visits", 100, 15), ("community_activity", 2, 10),
        ("study_report", 2, 10), ("dues", 12, 10), ("assigned_work", 1, 10), ("morality", 1, 10),
    ),
    "community_secretary": (  # 社区党员·社区党(总)支部书记
        ("org_life", 8, 20), ("training", 2, 10), ("resident_visits", 150, 20), ("volunteer", 4, 15),
        ("study_report", 2, 10), ("dues", 12, 10), ("assigned_work", 1, 10), ("morality", 1, 5),
    ),
    "community_committee": (  # 社区党员·社区两委班子成员党员
        ("org_life", 8, 20), ("training", 2, 10), ("resident_visits", 100, 20), ("volunteer", 4, 15),
        ("study_report", 2, 10), ("dues", 12, 10), ("assigned_work", 1, 10), ("morality", 1, 5),
    ),
    "community_group_leader": (  # 社区党员·下属支部成员及党小组长
        ("org_life", 8, 25), ("training", 2, 15), ("volunteer", 3, 20), ("study_report", 1, 10),
        ("dues", 12, 10), ("assigned_work", 1, 10), ("morality", 1, 10),
    ),
    "community_member": (  # 社区党员·普通党员
        ("org_life", 6, 30), ("volunteer", 3, 25), ("study_report", 1, 10), ("dues", 12, 15),
        ("assigned_work", 1, 10), ("morality", 1, 10),
    ),
    "community_student": (  # 社区党员·学生党员
        ("org_life", 5, 30), ("volunteer", 2, 25), ("study_report", 1, 10), ("dues", 12, 15),
        ("assigned_work", 1, 10), ("morality", 1, 10),
    ),
    "enterprise_committee": (  # 非公企业与社会组织党员·党组织班子成员党员
        ("org_life", 8, 25), ("training", 2, 10), ("visits", 20, 15), ("volunteer", 3, 15),
        ("study_report", 1, 10), ("dues", 12, 10), ("assigned_work", 1, 10), ("morality", 1, 5),
    ),
    "enterprise_backbone": (  # 非公企业与社会组织党员·企业管理骨干层党员
        ("org_life", 8, 30), ("volunteer", 3, 25), ("study_report", 1, 10), ("dues", 12, 15),
        ("assigned_work", 1, 10), ("morality", 1, 10),
    ),
    "enterprise_member": (  # 非公企业与社会组织党员·普通党员
        ("org_life", 6, 30), ("volunteer", 2, 25), ("study_report", 1, 10), ("dues", 12, 15),
        ("assigned_work", 1, 10), ("morality", 1, 10),
    ),
    "on_the_job": (  # 在职党员: the daily score alone is the annual score
        ("volunteer_post", 1, 20), ("volunteer", 2, 20), ("practical_things", 1, 20), ("poor_family", 1, 20),
        ("joint_org_life", 1, 20),
    ),
    # 65岁以上年老多病、行动不便党员 (三.5): no organizational life is asked of them (以关爱为主); the party
    # organization keeps in touch, visits them, conveys the party's documents and hears their opinions. Those
    # are their indicators (the care visits feed the first); meetings attended of their own wish are a bonus.
    "elderly": (
        ("keep_in_touch", rules.ELDERLY_VISITS_TARGET, 40), ("party_documents", rules.ELDERLY_VISITS_TARGET, 40),
        ("opinions", 1, 20),
    ),
}
# Indicators other modules record, per profile: the care visits of orgs.life are the elderly members'
# contact; the services an on-the-job member records with their residential community (双报到) are the
# community volunteering their profile asks for.
PROFILE_FEEDS: dict[str, dict[str, str]] = {
    "elderly": {"keep_in_touch": "care_visits"},
    "on_the_job": {"volunteer": "community_services"},
}

# The profile a scheme for a member category starts from, when the county does not name one.
CATEGORY_PROFILES = {
    "government": "government_member",
    "community": "community_member",
    "non_public_enterprise": "enterprise_member",
    "on_the_job": "on_the_job",
    "student": "community_student",
    "elderly": "elderly",
}


def weighted_80_20(profile: str = "government_member") -> dict:
    """Seed 004: daily conduct (indicators 100 + bonus up to 20) 80%, democratic appraisal ballots 20%."""
    on_the_job = profile == "on_the_job"
    daily_weight = _n(rules.ON_THE_JOB_DAILY_WEIGHT if on_the_job else rules.DAILY_WEIGHT)
    components = [
        {"code": "indicators", "label": "日常行为积分（基本指标）", "cap": _n(rules.DAILY_INDICATORS_TOTAL), "weight": daily_weight},
        {"code": "bonus", "label": "日常行为积分（加分）", "cap": _n(rules.DAILY_BONUS_CAP), "weight": daily_weight},
    ]
    items = []
    for code, target, points in PROFILES[profile]:
        label, excess = INDICATORS[code]
        item = _item(code, f"{label}（不少于{target}）", "indicators", points, target=str(target))
        if excess is not None:
            item.update(excess_points=_n(excess), excess_component="bonus")
        if code in PROFILE_FEEDS.get(profile, {}):
            item["feed"] = PROFILE_FEEDS[profile][code]
        items.append(item)
    items += [
        _item("award", "个人得奖", "bonus", 5, evidence=True),
        _item("contribution", "突出贡献", "bonus", 5, evidence=True),
    ]
    if profile == "elderly":
        items.append(_item("voluntary_org_life", "自愿参加组织生活", "bonus", rules.ELDERLY_ORG_LIFE_BONUS, feed="meeting_attended"))
    if not on_the_job:
        components.append(
            {
                "code": "appraisal",
                "label": "民主测评积分",
                "cap": _n(rules.APPRAISAL_TOTAL),
                "weight": _n(rules.APPRAISAL_WEIGHT),
                "combine": "mean",
            }
        )
        items += [
            _item("ballot_excellent", "民主测评优秀票", "appraisal", rules.BALLOT_EXCELLENT),
            _item("ballot_good", "民主测评良好票", "appraisal", rules.BALLOT_GOOD),
            _item("ballot_qualified", "民主测评合格票", "appraisal", rules.BALLOT_QUALIFIED),
            _item("ballot_poor", "民主测评差票", "appraisal", rules.BALLOT_POOR),
        ]
    return {
        "start": "0",
        "components": components,
        "items": items,
        "bands": [
            {"code": "excellent", "label": "优秀", "from": [_n(rules.GRADE_EXCELLENT_FROM), "以上"]},
            {
                "code": "good",
                "label": "良好",
                "from": [_n(rules.GRADE_GOOD_FROM), "以上"],
                "to": [_n(rules.GRADE_EXCELLENT_FROM), "不满"],
            },
            {
                "code": "qualified",
                "label": "合格",
                "from": [_n(rules.GRADE_QUALIFIED_FROM), "以上"],
                "to": [_n(rules.GRADE_GOOD_FROM), "不满"],
            },
            {"code": "unqualified", "label": "不合格", "to": [_n(rules.GRADE_QUALIFIED_FROM), "以下"]},
        ],
        "consequences": [
            # 六.1: 上年度积分考核优秀、良好的党员方可参与黨內各級各類評選表彰活动
            _consequence("award_eligible", "award_eligibility", "可参与评选表彰", {"bands": ["excellent", "good"]}),
            # 六.2: 考核为不合格的党员……按照不合格党员处置程序进行处理
            _consequence("unqualified_disposition", "disposition_proposal", "按不合格党员处置程序处理", {"band": "unqualified"}),
        ],
    }


# --- deduction_base100 --------------------------------------------------------------------------------

DEDUCTION_APPROVAL = [
    {"up_to": [_n(rules.SECRETARY_APPROVES_UP_TO), "以内"], "by": "committee_secretary"},
    {"by": "committee_meeting"},
]


def deduction_base100() -> dict:
    """Seed 001 篇八 (党员积分管理办法篇1): 100 at the start; repeat ×1.2, post holder ×1.1; joint liability."""

    def deduction(code: str, label: str, component: str, points, **extra) -> dict:
        return _item(code, label, component, points, "-", approval=DEDUCTION_APPROVAL, **extra)

    def bonus(code: str, label: str, points) -> dict:
        return _item(code, label, "bonus", points, approval=DEDUCTION_APPROVAL, evidence=True)

    def below(value: Decimal) -> dict:
        return {"total": [_n(value), "低于(不含)"]}

    return {
        "start": _n(rules.DEDUCTION_BASE),
        # 第十一条(一): 从党的纪律、党员义务、岗位建功、组织生活、政治学习及其他6个维度进行考核扣分
        "components": [
            {"code": "discipline", "label": "党的纪律"},
            {"code": "duties", "label": "党员义务"},
            {"code": "work", "label": "岗位建功"},
            {"code": "org_life", "label": "组织生活"},
            {"code": "study", "label": "政治学习"},
            {"code": "other", "label": "其他"},
            {"code": "bonus", "label": "加分"},
        ],
        # The points of 附件1 and 附表2 were not published with the seed: *county settings*.
        "items": [
            deduction("discipline_breach", "违反党的纪律", "discipline", 5, evidence=True),
            deduction("duty_neglect", "不履行党员义务", "duties", 3),
            deduction("unsafe_act", "岗位不安全行为", "work", 2),
            deduction("absent_org_life", "无故缺席组织生活", "org_life", 2, feed="meeting_absent"),
            deduction("late_dues", "未按时足额缴纳党费", "org_life", 2),
            deduction("study_missed", "未完成政治学习任务", "study", 1),
            deduction("unit_rules", "违反公司、单位相关规定", "other", 1),
            bonus("suggestion", "合理化建议被采纳", 2),
            bonus("key_task", "急难险重任务中突出贡献", 3),
            bonus("honour", "获得荣誉", 3),
            bonus("news", "新闻宣传发表报道", 1),
        ],
        "modifiers": {"repeat": _n(rules.REPEAT_MULTIPLIER), "post_holder": _n(rules.POST_HOLDER_MULTIPLIER)},
        "joint_liability": [
            {"when": [_n(rules.JOINT_SECRETARY_FROM), "以上"], "role": "branch_secretary", "share": _n(rules.JOINT_SECRETARY_SHARE)},
            {"when": [_n(rules.JOINT_LEADERS_FROM), "以上"], "role": "supervising_leader", "share": _n(rules.JOINT_SUPERVISOR_SHARE)},
            {"when": [_n(rules.JOINT_LEADERS_FROM), "以上"], "role": "liaison_leader", "share": _n(rules.JOINT_LIAISON_SHARE)},
        ],
        # The ladder of 第十四条 to 第二十条, as bands.
        "bands": [
            {"code": "level_0", "label": "100分及以上", "from": [_n(rules.AWARD_PRIORITY_FROM), "以上"]},
            {"code": "level_1", "label": "低于100分", "from": [_n(rules.SELF_CRITICISM_BELOW), "以上"], "to": [_n(rules.NO_AWARDS_BELOW), "低于"]},
            {"code": "level_2", "label": "低于98分", "from": [_n(rules.SECRETARY_TALK_BELOW), "以上"], "to": [_n(rules.SELF_CRITICISM_BELOW), "低于"]},
            {"code": "level_3", "label": "低于96分", "from": [_n(rules.LEADERS_TALK_BELOW), "以上"], "to": [_n(rules.SECRETARY_TALK_BELOW), "低于"]},
            {"code": "level_4", "label": "低于94分", "from": [_n(rules.COMMITTEE_TALK_BELOW), "以上"], "to": [_n(rules.LEADERS_TALK_BELOW), "低于"]},
            {"code": "level_5", "label": "低于92分", "from": [_n(rules.ADMONISHMENT_AT_OR_BELOW), "超过"], "to": [_n(rules.COMMITTEE_TALK_BELOW), "低于"]},
            {"code": "level_6", "label": "90分及以下", "to": [_n(rules.ADMONISHMENT_AT_OR_BELOW), "低于(含)"]},
        ],
        "consequences": [
            _consequence("award_priority", "award_eligibility", "优先推荐评为先进", {"band": "level_0"}),  # 第二十条
            _consequence("no_awards", "award_exclusion", "不得参与评先树优", {"total": [_n(rules.NO_AWARDS_BELOW), "低于"]}),  # 第十四条
            _consequence("self_criticism", "self_criticism", "手写检查，主题党日警示教育", below(rules.SELF_CRITICISM_BELOW)),  # 第十五条
            _consequence("secretary_talk", "talk_reminder", "支部书记提醒谈话", below(rules.SECRETARY_TALK_BELOW)),  # 第十六条
            _consequence("leaders_talk", "talk_reminder", "一岗双责领导、联系点领导提醒谈话", below(rules.LEADERS_TALK_BELOW)),  # 第十七条
            _consequence("committee_secretary_talk", "talk_reminder", "党委书记提醒谈话", below(rules.COMMITTEE_TALK_BELOW)),  # 第十八条
            _consequence("admonishment", "admonishment", "党委诫勉谈话", {"band": "level_6"}),  # 第十九条
            _consequence("training_1", "training", "学习教育培训1天", {"band": "level_4"}, params={"days": rules.TRAINING_DAYS_AT_94}),
            _consequence("training_2", "training", "学习教育培训2天", {"band": "level_5"}, params={"days": rules.TRAINING_DAYS_AT_92}),
            _consequence("training_3", "training", "学习教育培训3天", {"band": "level_6"}, params={"days": rules.TRAINING_DAYS_AT_90}),
            _consequence(
                "probation_extension",
                "probation_extension_proposal",
                "预备党员延长预备期半年到一年",
                {"band": "level_6"},
                stages=["probationary"],
                params={"months_min": rules.PROBATION_EXTENSION_MONTHS[0], "months_max": rules.PROBATION_EXTENSION_MONTHS[1]},
            ),
        ],
    }


# --- monthly_60_40 ------------------------------------------------------------------------------------


def monthly_60_40() -> dict:
    """Seed 001 篇八 (党员积分管理办法篇2): monthly base 60 and performance 40 averaged over 12, stars."""

    def monthly(code: str, label: str, cap: Decimal) -> dict:
        return {"code": code, "label": label, "cap": _n(cap), "floor": "0", "monthly": True}

    def rating(code: str, label: str, component: str) -> dict:
        # The branch's monthly rating (由支部评定党员每月得分): the quantity is the points given.
        return _item(code, label, component, 1)

    return {
        "start": "0",
        "components": [
            monthly("politics", "讲政治、有信念", rules.MONTHLY_POLITICS),
            monthly("discipline", "讲规矩、有纪律", rules.MONTHLY_DISCIPLINE),
            monthly("morality", "讲道德、有品行", rules.MONTHLY_MORALITY),
            monthly("performance", "讲奉献、有作为", rules.MONTHLY_PERFORMANCE),
            {"code": "bonus", "label": "奖励积分", "cap": _n(rules.MONTHLY_BONUS_CAP)},
            {"code": "penalty", "label": "惩罚负分"},
        ],
        "items": [
            rating("politics_rating", "讲政治、有信念（月度评定）", "politics"),
            rating("discipline_rating", "讲规矩、有纪律（月度评定）", "discipline"),
            rating("morality_rating", "讲道德、有品行（月度评定）", "morality"),
            rating("performance_rating", "讲奉献、有作为（月度评定）", "performance"),
            _item("bonus", "奖励加分", "bonus", 1, evidence=True),
            _item(
                "missed_meetings",
                "不参加“三会一课”",
                "penalty",
                rules.MISSED_MEETING_POINTS[0],
                "-",
                escalation=[_n(points) for points in rules.MISSED_MEETING_POINTS],
                streak={"months": rules.MISSED_MEETING_STREAK_MONTHS, "points": _n(rules.MISSED_MEETING_STREAK_POINTS)},
                feed="meeting_absent",
            ),
            _item("unfinished_work", "不完成工作负分", "penalty", 1, "-"),
        ],
        "bands": [
            {"code": "stars_5", "label": "五星级", "from": [_n(rules.STARS_FIVE_FROM), "以上"]},
            {"code": "stars_4", "label": "四星级", "from": [_n(rules.STARS_FOUR_FROM), "以上"], "to": [_n(rules.STARS_FIVE_FROM), "不满"]},
            {"code": "stars_3", "label": "三星级", "from": [_n(rules.STARS_THREE_FROM), "以上"], "to": [_n(rules.STARS_FOUR_FROM), "不满"]},
            {"code": "stars_2", "label": "二星级", "from": [_n(rules.STARS_TWO_FROM), "以上"], "to": [_n(rules.STARS_THREE_FROM), "不满"]},
            {"code": "stars_1", "label": "一星级", "from": [_n(rules.STARS_ONE_FROM), "以上"], "to": [_n(rules.STARS_TWO_FROM), "不满"]},
            {"code": "stars_0", "label": "无星级", "to": [_n(rules.STARS_ONE_FROM), "以下(不含)"]},
        ],
        "consequences": [
            # 五(三): 对星级评定为一星级的党员，由所在党支部进行约谈……限期整改
            _consequence("one_star_talk", "talk_reminder", "支部约谈，批评教育、限期整改", {"band": "stars_1"}),
            # 五(三): 预备党员被评定为一星级及以下的，延长预备期直至取消预备党员资格
            _consequence(
                "one_star_probation",
                "probation_extension_proposal",
                "延长预备期",
                {"bands": ["stars_1", "stars_0"]},
                stages=["probationary"],
            ),
            # 五(三): 连续2年评为一星级党员的纳入后进党员进行帮扶
            _consequence(
                "one_star_two_years",
                "lagging_member_support",
                "连续2年评为一星级，纳入后进党员帮扶",
                {"band": "stars_1", "years": rules.ONE_STAR_YEARS_RUNNING},
            ),
            # 五(三): 无星级党员直接纳入不合格党员甄别处置范围
            _consequence("no_star_disposition", "disposition_proposal", "纳入不合格党员甄别处置范围", {"band": "stars_0"}),
            # 三(一): 连续3次不参加“三会一课”……作为不合格党员……取消党员资格
            _consequence("missed_three_disposition", "disposition_proposal", "连续3次不参加“三会一课”，作为不合格党员处置", {"streak": "missed_meetings"}),
        ],
    }


# --- categories_base80 --------------------------------------------------------------------------------


def categories_base80() -> dict:
    """Seed 001 篇八 (党员积分管理办法篇3): counting up to 80 in four capped categories; one-vote veto."""

    def once(code: str, label: str, component: str, points) -> dict:
        return _item(code, label, component, points, cap=_yearly(points))

    return {
        "start": "0",
        "scored_stages": ["activist", "candidate", "probationary", "full"],
        "graded_stages": ["full"],
        "components": [
            {"code": "study", "label": "讲政治，积极学习理论知识", "cap": _n(rules.STUDY_CAP)},
            {"code": "discipline", "label": "讲规矩，有纪律", "cap": _n(rules.DISCIPLINE_CAP)},
            {"code": "morality", "label": "讲道德，有品行", "cap": _n(rules.MORALITY_CAP)},
            {"code": "contribution", "label": "讲奉献，有作为", "cap": _n(rules.CONTRIBUTION_CAP)},
            {"code": "deductions", "label": "负面扣分"},
        ],
        "items": [
            _item("app_study", "红星云APP或学习强国在线学习（积分）", "study", rules.COLLECTIVE_STUDY_POINTS, per=_n(rules.APP_POINTS_PER_SCORE)),
            _item("collective_study", "参加集中学习", "study", rules.COLLECTIVE_STUDY_POINTS),
            _item("study_note", "自学笔记、学习心得", "study", rules.STUDY_NOTE_POINTS),
            _item(
                "monthly_learning",
                "学习科学文化、法律和业务知识",
                "study",
                rules.MONTHLY_LEARNING_POINTS,
                cap={"period": "month", "points": _n(rules.MONTHLY_LEARNING_POINTS)},
            ),
            once("integrity", "遵守党的纪律，廉洁自律", "discipline", 5),
            once("punctual_activities", "按时参加党内活动，按时上交思想汇报", "discipline", 5),
            once("dues_on_time", "按时足额交纳党费", "discipline", 5),
            once("house_rules", "遵守院内各项规章制度", "discipline", 5),
            _item("meeting_attended", "参加“三会一课”、主题党日、志愿服务和公益活动", "discipline", rules.MEETING_ATTENDED_POINTS, feed="meeting_attended"),
            once("exemplary", "发扬先锋模范作用，践行社会主义核心价值观", "morality", 4),
            once("family_virtue", "孝敬父母、爱护子女、邻里友善", "morality", 4),
            once("healthy_life", "生活健康，远离赌博、迷信、邪教", "morality", 2),
            once("review_competent", "年度考核称职", "contribution", 10),
            once("review_excellent", "年度考核优秀", "contribution", 20),
            once("no_errors", "工作中无错漏、无失误、无事故、无违章", "contribution", 5),
            once("commitment", "带头开展党员承诺，落实承诺事项", "contribution", 3),
            _item("award", "受到表彰加分", "contribution", 1, evidence=True),
            _item("unexcused_absence", "未经同意缺席应参加活动", "deductions", rules.UNEXCUSED_ABSENCE_POINTS, "-", feed="meeting_absent"),
            _item("late_dues", "不按时足额交党费", "deductions", rules.LATE_DUES_POINTS, "-"),
            _item("minor_sanction", "受留党察看以下处分", "deductions", rules.MINOR_SANCTION_POINTS, "-", evidence=True, feed="minor_sanction"),
            _item("complaint", "受投诉，查证属实", "deductions", rules.COMPLAINT_POINTS, "-", evidence=True),
            _veto("heavy_sanction", "受留党察看以上处分", feed="heavy_sanction"),
            _veto("violation_of_law", "违反国家法律法规"),
            _veto("party_discipline_violation", "违反党的政治、组织、廉洁、群众、工作、生活纪律"),
        ],
        "bands": [
            {"code": "good", "label": "好", "from": [_n(rules.GRADE_GOOD_80_FROM), "以上"]},
            {"code": "average", "label": "一般", "from": [_n(rules.GRADE_AVERAGE_FROM), "以上"], "to": [_n(rules.GRADE_GOOD_80_FROM), "不满"]},
            {"code": "poor", "label": "差", "from": [_n(rules.GRADE_POOR_FROM), "以上"], "to": [_n(rules.GRADE_AVERAGE_FROM), "不满"]},
            {"code": "unqualified", "label": "可列为不合格", "to": [_n(rules.GRADE_POOR_FROM), "低于"]},
        ],
        "consequences": [
            _consequence("good_award", "award_eligibility", "优先作为评先评优推荐对象", {"band": "good"}),
            _consequence("unqualified_disposition", "disposition_proposal", "可列为不合格党员", {"band": "unqualified"}),
            _consequence(
                "probation_extension",
                "probation_extension_proposal",
                "预备党员年度积分未达到70分，可延长预备期",
                {"total": [_n(rules.PROBATION_EXTENSION_UNDER), "未达到"]},
                stages=["probationary"],
            ),
        ],
    }


# --- twelve_point -------------------------------------------------------------------------------------


def twelve_point() -> dict:
    """Seed 003 (十二分制积分管理): 12 points a year, deductions only; at 0 the member enters disposition."""

    def deduction(code: str, label: str, points, **extra) -> dict:
        return _item(code, label, "deductions", points, "-", **extra)

    return {
        "start": _n(rules.TWELVE_POINT_START),
        "floor": _n(rules.TWELVE_POINT_FLOOR),
        "components": [{"code": "deductions", "label": "扣分"}],
        # The seed names the model, not its items: these are *county settings*.
        "items": [
            deduction("absent_org_life", "无故不参加组织生活", 2, feed="meeting_absent"),
            deduction("late_dues", "未按时足额缴纳党费", 2),
            deduction("assigned_work_undone", "不完成党组织分配的任务", 2),
            deduction("study_missed", "不参加学习教育", 1),
            deduction("bad_influence", "言行造成不良影响", 3, evidence=True),
            deduction("masses_complaint", "群众反映强烈，查证属实", 3, evidence=True),
            deduction("sanctioned", "受到党纪政务处分", 6, evidence=True),
        ],
        "bands": [],
        "consequences": [
            _consequence("zero_disposition", "disposition_proposal", "积分扣完，纳入不合格党员处置", {"total": [_n(rules.TWELVE_POINT_FLOOR), "以下"]}),
        ],
    }


@dataclass(frozen=True)
class Preset:
    code: str
    label: str
    seed: str
    build: Callable[..., dict]


PRESETS: dict[str, Preset] = {
    preset.code: preset
    for preset in (
        Preset("red_yellow", "红黄榜", "seed 000 县试行“红黄榜”积分管理办法", red_yellow),
        Preset("weighted_80_20", "日常行为80%+民主测评20%", "seed 004 党员积分制管理实施方案1", weighted_80_20),
        Preset("deduction_base100", "基准分100分扣分制", "seed 001 党员积分管理办法篇1", deduction_base100),
        Preset("monthly_60_40", "月度基础60+履职40", "seed 001 党员积分管理办法篇2", monthly_60_40),
        Preset("categories_base80", "四类记分80分制", "seed 001 党员积分管理办法篇3", categories_base80),
        Preset("twelve_point", "十二分制", "seed 003 十二分制积分管理", twelve_point),
    )
}


def preset_config(code: str, *, category: str = "", profile: str = "") -> dict:
    """A preset's configuration; `weighted_80_20` takes the indicator profile of a category or role."""
    preset = PRESETS[code]
    if code == "weighted_80_20":
        return preset.build(profile or CATEGORY_PROFILES.get(category, "government_member"))
    return preset.build()
