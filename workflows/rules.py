"""The numbers of the regulations that the flows enforce: each named after its rule, with its source.

The admission rules are versioned by the date from which they apply; a process keeps the version it
was started under (DOMAIN.md §4). What a county sets — the public notice's length (5 working days),
the probation assessments' frequency (each quarter), the reminder period of steps without a deadline,
the optional gates — is read through workflows.county, on the date it applies to.
"""

import datetime

import chinese_calendar

# 《中国共产党发展党员工作细则》(2014), issued 2014-05-28: the baseline for every admission.
ADMISSION_RULE_VERSIONS: tuple[tuple[str, datetime.date], ...] = (("2014", datetime.date(2014, 5, 28)),)

MIN_APPLICANT_AGE = 18  # 《细则》第五条 (党章第一条): 年满十八岁的……先进分子……可以申请加入中国共产党
TALK_WITHIN_MONTHS = 1  # 《细则》第七条: 党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话
CULTIVATION_ASSESSMENT_MONTHS = 6  # 《细则》第二章: 党支部每半年对入党积极分子进行一次考察
MIN_YEARS_AS_ACTIVIST = 1  # 《细则》第三章: 对经过一年以上培养教育和考察……的入党积极分子……可列为发展对象
MENTORS_MIN, MENTORS_MAX = 1, 2  # 《细则》第二章: 党组织应当指定一至两名正式党员作入党积极分子的培养联系人
SPONSORS_REQUIRED = 2  # 党章第五条、《细则》第三章: 发展对象应当有两名正式党员作入党介绍人；受留党察看处分、尚未恢复党员权利的党员，不能作入党介绍人
TRAINING_MIN_DAYS, TRAINING_MIN_HOURS = 3, 24  # 《细则》第三章: 集中培训时间一般不少于三天（或不少于24个学时）
PRE_REVIEW_NOT_WHEN_LEAVING_WITHIN_MONTHS = 3  # DOMAIN.md §4 step 13: no pre-review when the candidate leaves the unit within 3 months
APPROVAL_WITHIN_MONTHS, APPROVAL_SPECIAL_MAX_MONTHS = 3, 6  # 《细则》第四章: 应当在三个月内审批……特殊情况……不得超过六个月
PROBATION_YEARS = 1  # 党章第七条: 预备党员的预备期为一年; 《细则》第五章: 从支部大会通过其为预备党员之日算起
PROBATION_EXTENSION_MIN_MONTHS, PROBATION_EXTENSION_MAX_MONTHS = 6, 12  # 党章第七条: 延长预备期……不能少于半年，最长不超过一年 (once)
CONVERSION_APPROVAL_WITHIN_MONTHS = 3  # 《细则》第五章: 上级党组织对预备党员转正的决议，应当在三个月内审批
# 党章第七条: 党员的党龄，从预备期满转为正式党员之日算起 — conversion takes effect on the day the probation ended.


def admission_rule_version(application_date: datetime.date) -> str:
    """The version in force on the application date; applications before the baseline keep the baseline."""
    version = ADMISSION_RULE_VERSIONS[0][0]
    for name, applies_from in ADMISSION_RULE_VERSIONS:
        if applies_from <= application_date:
            version = name
    return version


def is_official_workday(day: datetime.date) -> bool | None:
    """Whether the day is a working day on the official calendar (holidays and make-up days); None beyond its years."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def working_days_between(start: datetime.date, end: datetime.date) -> tuple[int, bool]:
    """Working days from start to end, both included, and whether the official calendar covered every day.

    A day beyond the calendar's years counts by the week (Monday to Friday) until the package is updated.
    """
    count, covered, day = 0, True, start
    while day <= end:
        workday = is_official_workday(day)
        if workday is None:
            covered, workday = False, day.weekday() < 5
        count += workday
        day += datetime.timedelta(days=1)
    return count, covered


def more_than_half(count: int, of: int) -> bool:
    """超过半数, strictly (超过 excludes the number itself).

    双过半 at admission_vote and conversion_vote — 党章第五条、《细则》第四章: 有表决权的到会人数超过应到会有表决权
    人数的半数，赞成人数超过应到会有表决权的正式党员的半数.
    """
    return count * 2 > of
