"""The numbers of the scoring rules (DOMAIN.md §7), each named after its rule, with its source.

The presets (scoring.presets) build their configurations from these. Seeds are the county documents
in the specification's `seeds/` folder. Where a seed names an item without its points (an annex that
was not published with it), the number is a *county setting*: a default the county edits in its scheme.
"""

from decimal import Decimal

D = Decimal

# --- Every scheme -----------------------------------------------------------------------------------
SCORED_STAGES = ("probationary", "full")  # DOMAIN.md §7: the scheme scores party members
ACTIVIST_STAGES = ("activist", "candidate")  # seed 001 篇3: 预备党员和入党积极分子推行积分考察制
# Who is on the roll a scheme scores: transferred, withdrawn, removed or deceased members are not.
SCORED_STATUSES = ("active", "mobile", "lost_contact", "rectifying", "in_transit")
MONTHS_IN_YEAR = D("12")  # seed 001 篇2: 年度积分=(每月基础积分+每月履职积分)/12+……
SCORE_PLACES = D("0.01")  # totals and components are kept and shown to the hundredth, rounded half up
NOTICE_WORKING_DAYS = 5  # *county setting*, county practice (seeds): 公示期5个工作日, as for admissions

# --- red_yellow: seed 000 (县试行“红黄榜”积分管理办法加强农村党员管理) -----------------------------
RED_YELLOW_CLASS_1_FROM = D("80")  # seed 000: 80分以上为一类
RED_YELLOW_CLASS_2_FROM = D("60")  # seed 000: 60分以上80分以下为二类
RED_YELLOW_CLASS_3_UP_TO = D("60")  # seed 000: 60分以下为三类
RED_YELLOW_DUES_UNPAID_MONTHS = 3  # seed 000: 超过3个月不缴纳党费……直接积分清零，列为四类党员
RED_YELLOW_LOST_CONTACT_MONTHS = 3  # seed 000: 失联3个月……直接积分清零 (DOMAIN.md §5: flagged after 3 months)
# seed 000 names three parts (基础分、正向分、测评分) without their weights: *county setting*.
RED_YELLOW_BASE_CAP, RED_YELLOW_POSITIVE_CAP, RED_YELLOW_APPRAISAL_CAP = D("60"), D("20"), D("20")
# *county setting*: the appraisal points of each grade of the democratic appraisal (不合格 earns none).
RED_YELLOW_APPRAISAL_QUALIFIED, RED_YELLOW_APPRAISAL_BASICALLY_QUALIFIED = D("20"), D("10")

# --- weighted_80_20: seed 004 (党员积分制管理实施方案1) ----------------------------------------------
DAILY_INDICATORS_TOTAL = D("100")  # seed 004 四.1: 日常行为积分的基本考核指标总分为100分
DAILY_BONUS_CAP = D("20")  # seed 004 四.1: 超过指标数量、个人得奖、突出贡献则适当加分，加分数不超过20分
DAILY_WEIGHT = D("0.8")  # seed 004 四.1: 按80%计入年度党员积分得分
APPRAISAL_WEIGHT = D("0.2")  # seed 004 四.1: 民主测评积分……按20%计入年度党员积分得分
APPRAISAL_TOTAL = D("100")  # seed 004 四.1: 民主测评积分总分为100分
# seed 004 四.1: 民主测评得分=(优秀票数×100+良好票数×80+合格票数×60+差票数×40)÷总票数
BALLOT_EXCELLENT, BALLOT_GOOD, BALLOT_QUALIFIED, BALLOT_POOR = D("100"), D("80"), D("60"), D("40")
ON_THE_JOB_DAILY_WEIGHT = D("1")  # seed 004 三: 在职党员日常行为积分考核成绩即为年度积分考核成绩
GRADE_EXCELLENT_FROM = D("90")  # seed 004 四.3: 90分以上为优秀等次
GRADE_GOOD_FROM = D("70")  # seed 004 四.3: 70-80分为良好等次 (DOMAIN.md §7: 70 to under 90)
GRADE_QUALIFIED_FROM = D("60")  # seed 004 四.3: 60-70分为合格等次，60分以下为不合格等次
# seed 004 三.5: 65岁以上年老多病、行动不便党员……可不要求参加组织生活，以关爱为主……定期走访. How often is a
# *county setting*; the default is the least care the county owes them (seed 002: 每年至少开展1次走访慰问活动).
ELDERLY_VISITS_TARGET = 1
ELDERLY_ORG_LIFE_BONUS = D("1")  # *county setting*: a meeting attended of their own wish adds to the bonus

# --- deduction_base100: seed 001 篇八, 党员积分管理办法篇1 ------------------------------------------
DEDUCTION_BASE = D("100")  # 第十条: 基准分100分，次年重新统计
REPEAT_MULTIPLIER = D("1.2")  # 第十一条(二): 再次违反同一扣分标准，在原扣分分值基础上浮20%扣除
POST_HOLDER_MULTIPLIER = D("1.1")  # 第十一条(三): 有党内及行政职务的党员违反扣分标准，上浮10%扣除
JOINT_SECRETARY_FROM = D("3")  # 第十一条(四): 党员个人积分扣除3分及以上时，党支部书记(党小组长)负连带责任
JOINT_SECRETARY_SHARE = D("0.10")  # 第十一条(四): ……连带扣除10%
JOINT_LEADERS_FROM = D("5")  # 第十一条(四): 扣分大于5分及以上时 (DOMAIN.md §7: 5 points or more)
JOINT_SUPERVISOR_SHARE = D("0.20")  # 第十一条(四): 分管领导负连带责任，连带扣除20%
JOINT_LIAISON_SHARE = D("0.10")  # 第十一条(四): 联系点领导负连带责任，连带扣除10%
SECRETARY_APPROVES_UP_TO = D("3")  # 加、减分实行审批制: 3分(含)以内的由党委书记审批，大于3分的情况经党委会议定
NO_AWARDS_BELOW = D("100")  # 第十四条: 低于100分的党员不得参与评先树优
SELF_CRITICISM_BELOW = D("98")  # 第十五条: 积分低于98分(不含)时，增加手写检查
SECRETARY_TALK_BELOW = D("96")  # 第十六条: 积分低于96分(不含)时，增加支部书记……提醒谈话
LEADERS_TALK_BELOW = D("94")  # 第十七条: 积分低于94分(不含)时……提醒谈话，学习教育培训1天
COMMITTEE_TALK_BELOW = D("92")  # 第十八条: 积分低于92分(不含)时……党委书记……提醒谈话，学习教育培训2天
ADMONISHMENT_AT_OR_BELOW = D("90")  # 第十九条: 积分低于90分(含)时……诫勉谈话；培训3天；预备党员延长预备期半年到一年
TRAINING_DAYS_AT_94, TRAINING_DAYS_AT_92, TRAINING_DAYS_AT_90 = 1, 2, 3  # 第十七、十八、十九条
PROBATION_EXTENSION_MONTHS = (6, 12)  # 第十九条: 预备党员延长预备期半年到一年
AWARD_PRIORITY_FROM = D("100")  # 第二十条: 党员积分在100分及以上时，优先推荐评为先进

# --- monthly_60_40: seed 001 篇八, 党员积分管理办法篇2 (纳雍县委教育工委) ---------------------------
MONTHLY_POLITICS = D("15")  # 三(二): 基础积分60分，其中讲政治、有信念15分
MONTHLY_DISCIPLINE = D("30")  # 三(二): 讲规矩、有纪律30分
MONTHLY_MORALITY = D("15")  # 三(二): 讲道德、有品行15分
MONTHLY_PERFORMANCE = D("40")  # 三(二): 履职积分40分，即讲奉献、有作为40分
MONTHLY_BONUS_CAP = D("20")  # 三(二): 另外设置奖励积分和惩罚负分，加分上限20分，负分不限
MISSED_MEETING_POINTS = (D("3"), D("6"))  # 三(一): 不参加“三会一课”1次记积分负3分……不参加2次记积分负6分
MISSED_MEETING_STREAK_MONTHS = 3  # 三(一): 连续3次不参加“三会一课”……作为不合格党员……作除名处理
MISSED_MEETING_STREAK_POINTS = D("10")  # 三(一): 连续3次不参加“三会一课”记积分负10分
STARS_ONE_FROM = D("60")  # 五(一): 60分以下(不含60分)评定为无星级党员，60-70分为一星级
STARS_TWO_FROM = D("71")  # 五(一): 71-79分为二星级 (DOMAIN.md §7: 71 to under 80)
STARS_THREE_FROM = D("80")  # 五(一): 80-85分为三星级
STARS_FOUR_FROM = D("85")  # 五(一): 85—90分为四星级 (DOMAIN.md §7: 85 to under 91)
STARS_FIVE_FROM = D("91")  # 五(一): 91分以上为五星级党员
ONE_STAR_YEARS_RUNNING = 2  # 五(三): 连续2年评为一星级党员的纳入后进党员进行帮扶

# --- categories_base80: seed 001 篇八, 党员积分管理办法篇3 (光荣院) ----------------------------------
CATEGORIES_TARGET = D("80")  # 二: 党员年度基准积分为80分。每个年度从“0”开始
STUDY_CAP = D("30")  # 二(一): 讲政治，积极学习理论知识(30分)
DISCIPLINE_CAP = D("20")  # 二(二): 讲规矩，有纪律(20分)
MORALITY_CAP = D("10")  # 二(三): 讲道德，有品行(10)
CONTRIBUTION_CAP = D("20")  # 二(四): 讲奉献，有作为(20)
APP_POINTS_PER_SCORE = D("500")  # 二(一)(1): 红星云APP或学习强国在线学习每500积分积1分
COLLECTIVE_STUDY_POINTS = D("1")  # 二(一)(2): 参加集中学习一次积1分
STUDY_NOTE_POINTS = D("0.5")  # 二(一)(3): 自学笔记、学习心得每篇积0.5分
MONTHLY_LEARNING_POINTS = D("2")  # 二(一)(4): 努力学习科学文化、法律和业务知识。(每月2分)
MEETING_ATTENDED_POINTS = D("1")  # 二(二)(5): 参加“三会一课”、主题党日活动……每次积1分
UNEXCUSED_ABSENCE_POINTS = D("1")  # 二(五)(1): 未经同意，缺席应参加活动的，每次扣1分
LATE_DUES_POINTS = D("2")  # 二(五)(2): 不按时足额交党费，每次扣2分
MINOR_SANCTION_POINTS = D("10")  # 二(五)(3): 受留党察看以下处分的扣10分，留党察看以上的，全年记0分
COMPLAINT_POINTS = D("5")  # 二(五)(4): 受养员投诉，查证属实的，每次扣5分
GRADE_GOOD_80_FROM = D("80")  # 四(一): 年度积分在80分(含80分)以上……可评定为“好”等次
GRADE_AVERAGE_FROM = D("70")  # 四(一): 年度积分在79分-70分(含70分)的，原则上评定为“一般”等次
GRADE_POOR_FROM = D("60")  # 四(一): 年度积分在69分-60分(含60分)……评定为“差”等次；低于60分的，可列为不合格党员
PROBATION_EXTENSION_UNDER = D("70")  # 四(一): 预备党员年度积分未达到70分的，可延长预备期

# --- twelve_point: seed 003 (全面推行十二分制积分管理模式) -------------------------------------------
TWELVE_POINT_START = D("12")  # seed 003: 十二分制积分管理, deductions only (底线管理)
TWELVE_POINT_FLOOR = D("0")  # DOMAIN.md §7: at 0 the member enters disposition; the score does not go below 0
