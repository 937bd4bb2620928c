"""The numbers of organization assessments (DOMAIN.md §10), each named after its rule, with its source.

Seed 001 is 篇一 of the seeds' 001 file (基层党建工作考核评价实施办法 and its 指标体系); seed 002 is the
branch standardization file (党支部规范化建设参考指标, its 城市社区党支部标准化规范化建设达标评价标准).
Numbers a seed leaves open are *county settings*: defaults the county edits in its indicator system.
"""

from decimal import Decimal

D = Decimal

# --- The yearly cycle: seed 001 第六条 to 第九条 ---------------------------------------------------------
FULL_MARKS = D("100")  # 第八条: 自评和实地考核按照考核评价指标体系进行打分，满分为100分
ONSITE_WEIGHT = D("0.4")  # 第九条: 考核工作小组现场检查考核打分占总成绩的40%权重
REPORT_WEIGHT = D("0.3")  # 第九条: 基层党组织书记述职评议考核占30%权重
SATISFACTION_WEIGHT = D("0.2")  # 第九条: 本单位群众满意度测评占20%权重
SELF_WEIGHT = D("0.1")  # 第九条: 各基层组织自评占10%权重
EXCELLENT_FROM = D("90")  # 第九条: 90分及以上为“优秀”
GOOD_FROM = D("80")  # 第九条: 80-89分为“良好” (DOMAIN.md §10: 80 to under 90)
QUALIFIED_FROM = D("60")  # 第九条: 60-79分为“合格” (DOMAIN.md §10: 60 to under 80)
UNQUALIFIED_UP_TO = D("60")  # 第九条: 60分以下为“不合格” (以下 takes 60, which the higher band claims)
UNQUALIFIED_IN_TERM = 2  # 第十条: 任期内两次考核“不合格”的基层党组织，单位将对其主要负责人进行组织调整

# The masses' satisfaction (第六条(二): 群众满意度测评) is counted by ballot; the seed gives no values for
# them: *county setting*, each ballot worth these points, the score their mean (as seed 004's ballots).
SATISFIED_POINTS = D("100")
BASICALLY_SATISFIED_POINTS = D("60")
UNSATISFIED_POINTS = D("0")

# 指标体系: “若出现不合格党支部”“若有相关情况，视情节扣除5-10分”, beyond the indicator's own points.
PENALTY_FROM = D("5")
PENALTY_UP_TO = D("10")

# Seed 001 names ten areas (第五条) but its annex stops after the seventh (78 points); the three last
# areas' points are *county settings* that bring the system to its 100 points (第八条).
UNITED_FRONT_POINTS = D("6")  # (八)统战及人才工作
SUPPORT_SYSTEM_POINTS = D("8")  # (九)党建工作保障体系建设
ACHIEVEMENTS_POINTS = D("8")  # (十)主要业绩及工作创新

# --- Branch standardization: seed 002, 城市社区党支部标准化规范化建设达标评价标准 ---------------------------
GENERAL_BRANCH_MISSING = D("4")  # 正式党员超过50人未成立党总支的，扣4分
COMMITTEE_MISSING = D("4")  # 超过100人未成立党委的，扣4分
GRID_DIVISION = D("2")  # 社区网格划分不合理的，扣2分
GRID_BRANCHES = D("2")  # 网格党支部设置不规范的，扣2分
NETWORKS_MERGED = D("2")  # 是否将党建网格与其它网格“多网融合”……没有的，扣2分
GROUP_DIVISION = D("2")  # 未按照便于组织开展活动原则合理划分党小组的，扣2分
GROUP_IRREGULAR = D("2")  # 每有1个党小组不符合要求的（3名以上党员、其中至少1名正式党员），扣2分
SECRETARY_FILE = D("2")  # 社区党组织书记“一人一档”……未备案的，扣2分
BRANCH_COMMITTEE_MISSING = D("6")  # 未设立支委会，扣6分
SECRETARY_MISSING = D("4")  # 未配备书记，扣4分
COMMITTEE_POST_MISSING = D("2")  # 组织委员、宣传委员、纪检委员，每缺一职扣2分
TERM_OVERDUE = D("6")  # 任期届满未按时换届的，扣6分
ELECTION_UNAPPROVED = D("2")  # 选举前报请上级党组织批准、选举结果报上级党组织备案……未报的，扣2分
TERM_ENDING_UNPREPARED = D("2")  # 6个月内即将任期届满的……是否开始换届筹备工作，没有的，扣2分
# The posts whose absence costs points, of a branch committee (seed 002: 组织委员、宣传委员、纪检委员).
COMMITTEE_POSTS = ("organization", "propaganda", "discipline")

# --- Stars and rectification (DOMAIN.md §10) --------------------------------------------------------------
# 星级党支部 follow the results: no seed gives the levels; *county setting*, five stars on seed 001's
# grades (excellent five, good four, qualified split at 70 into three and two, unqualified one).
FIVE_STARS_FROM = EXCELLENT_FROM
FOUR_STARS_FROM = GOOD_FROM
THREE_STARS_FROM = D("70")
TWO_STARS_FROM = QUALIFIED_FROM
# 软弱涣散: an organization graded unqualified (a veto included) is listed for rectification.
WEAK_GRADES = ("unqualified",)
