"""The numbers of the organization rules (DOMAIN.md §2), one name per rule, each with its source.

Counts are of full members unless the name says otherwise. Bounds read as in DOMAIN.md:
"fewer than 7" excludes 7, "7 to 50" includes both ends, "over 50" excludes 50.
"""

BRANCH_MIN_FULL_MEMBERS = 3  # 支部工作条例（试行）: 凡是有正式党员3人以上的，都应当成立党支部
JOINT_BRANCH_MAX_UNITS = 5  # 支部工作条例（试行）: 正式党员不足3人的单位可成立联合党支部，覆盖单位一般不超过5个
BRANCH_COMMITTEE_MIN_FULL_MEMBERS = 7  # 支部工作条例（试行）: 有正式党员7人以上的党支部，应当设立党支部委员会
SECRETARY_ONLY_MAX_OFFICERS = 2  # 支部工作条例（试行）: 不设支委会的，选举支部书记1人，必要时增设副书记1人
BRANCH_COMMITTEE_MIN_SIZE = 3  # 支部工作条例（试行）: 支部委员会一般设委员3至5人
BRANCH_COMMITTEE_MAX_SIZE = 5  # 支部工作条例（试行）: 支部委员会一般设委员3至5人
GENERAL_BRANCH_ABOVE_FULL_MEMBERS = 50  # 支部工作条例（试行）: 党员人数超过50人的，可以成立党的总支部委员会
COMMITTEE_ABOVE_FULL_MEMBERS = 100  # 党章第三十条及基层组织选举工作条例: 党员100人以上的，设立党的基层委员会
PARTY_GROUP_MIN_MEMBERS = 3  # 支部工作条例（试行）与县级实践 (DOMAIN.md §2): 党小组至少3名党员
PARTY_GROUP_MIN_FULL_MEMBERS = 1  # 支部工作条例（试行）与县级实践 (DOMAIN.md §2): 其中至少1名正式党员
BRANCH_TERM_YEARS = 3  # 支部工作条例（试行）: 党支部委员会和不设委员会的党支部书记每届任期3年
COMMITTEE_TERM_YEARS = 5  # 党章第三十条: 党的基层委员会每届任期三年至五年; DOMAIN.md §2 fixes 5 years
TERM_WARNING_MONTHS = 6  # DOMAIN.md §2: warn 6 months before a term ends (届满前6个月启动换届)

# Organizational life (DOMAIN.md §2). The frequencies, the themed day and the appraisal options are
# county settings (orgs.county_settings); the values below are their defaults, each with its source.
# A frequency is the least number of meetings in each calendar period: "month", "quarter",
# "half_year" or "year".
FREQUENCY_PERIODS = ("month", "quarter", "half_year", "year")
TWO_BALLOT_SHARE_PERCENT = 30  # seeds (县级实践): 党员测评"不合格"或群众测评"不满意"超过30%的，评定为不合格; 超过 excludes 30
ORG_LIFE_LAPSE_MONTHS = 6  # 党章第三十八条: 连续六个月不参加党的组织生活……被认为是自行脱党

COUNTY_SETTING_DEFAULTS: dict[str, object] = {
    # 支部工作条例（试行）: 支部党员大会一般每季度召开1次
    "org_life.general_meeting": {"period": "quarter", "at_least": 1},
    # 支部工作条例（试行）: 支部委员会会议一般每月召开1次
    "org_life.committee_meeting": {"period": "month", "at_least": 1},
    # 支部工作条例（试行）: 党小组会一般每月召开1次
    "org_life.group_meeting": {"period": "month", "at_least": 1},
    # 三会一课 (DOMAIN.md §2): 党课至少每季度1次
    "org_life.lecture": {"period": "quarter", "at_least": 1},
    # 支部工作条例（试行）: 党支部每月相对固定1天开展主题党日
    "org_life.themed_day": {"period": "month", "at_least": 1},
    # 支部工作条例（试行）: 组织生活会一般每年召开1次
    "org_life.life_meeting": {"period": "year", "at_least": 1},
    # 支部工作条例（试行）: 民主评议党员一般每年开展1次
    "org_life.appraisal": {"period": "year", "at_least": 1},
    # The fixed day of the month for the themed party day; a county picks it (seed 003 uses the 9th).
    "org_life.themed_day_of_month": 8,
    # Days before a period ends (or before the themed day) at which a branch that has not met is reminded.
    "org_life.reminder_lead_days": 7,
    # The two-ballot rule of the seeds (off unless the county uses it), and whether the masses vote.
    "appraisal.two_ballot_rule": False,
    "appraisal.masses_ballots": False,
    # 党内关怀帮扶 (seeds 000, 003): each member in difficulty, elderly or sick member and family of a
    # member who died on duty is visited at least once a year.
    "care.visits_per_year": 1,
    # Days ahead at which the branch is reminded of a political birthday (seed 003, 政治生日).
    "care.birthday_reminder_days": 7,
    # Admission (DOMAIN.md §4; read by workflows.county). Public notice: 5 working days (local practice,
    # the seeds); probation assessments at least once a quarter; the reminder period of a step whose
    # rule sets no deadline (not a rule).
    "admission.public_notice_working_days": 5,
    "admission.probation_assessment_months": 3,
    "admission.step_handling_days": 30,
    # The county gates of the seeds (000: 书面测试、实地评价、公开答辩; 003: 双重推优、双重政审、县级部门联审、
    # 近亲属入党专项审查), each off until the county switches it on from a day.
    "admission.gate.written_test": False,
    "admission.gate.onsite_evaluation": False,
    "admission.gate.public_defense": False,
    "admission.gate.second_recommendation": False,
    "admission.gate.second_political_review": False,
    "admission.gate.county_joint_review": False,
    "admission.gate.close_relative_review": False,
    # Disposition (DOMAIN.md §6; read by workflows.disposition_rules): whether withdrawal and removal need
    # the county organization department's approval after the primary committee's (some seeds do), and
    # the reminder period of a step whose rule sets no deadline (not a rule).
    "disposition.county_approval": False,
    "disposition.step_handling_days": 30,
    # Mobile members (DOMAIN.md §5; read by members.mobile): the origin contacts each mobile member at least
    # 4 times a year (some counties monthly: 12); the member reports to the origin at least twice a year.
    "mobile.contacts_per_year": 4,
    "mobile.reports_per_year": 2,
    # Relation transfers within the county (DOMAIN.md §5; read by workflows.transfer_rules): whether the
    # sending and the receiving primary committee approve (county practice), and the reminder period of a
    # transfer step (not a rule).
    "transfer.within_county.sending_committee_approval": True,
    "transfer.within_county.receiving_committee_approval": True,
    "transfer.step_handling_days": 30,
    # Two-factor sign-in (OWASP ASVS 6.3.3): optional for everyone; a county may require it of its county
    # admins and committee reviewers (accounts.two_factor).
    "security.two_factor_for_admins_and_reviewers": False,
}
