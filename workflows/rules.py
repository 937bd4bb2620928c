"""The numbers of the regulations that the flows enforce: each named after its rule, with its source.

The admission rules are versioned by the date from which they apply; a process keeps the version it
was started under (DOMAIN.md §4).
"""

import datetime

# 《中国共产党发展党员工作细则》(2014), issued 2014-05-28: the baseline for every admission.
ADMISSION_RULE_VERSIONS: tuple[tuple[str, datetime.date], ...] = (("2014", datetime.date(2014, 5, 28)),)

MIN_APPLICANT_AGE = 18  # 党章第一章第一条: 年满十八岁的中国工人、农民……可以申请加入中国共产党
TALK_WITHIN_MONTHS = 1  # 《发展党员工作细则》第六条: 党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话


def admission_rule_version(application_date: datetime.date) -> str:
    """The version in force on the application date; applications before the baseline keep the baseline."""
    version = ADMISSION_RULE_VERSIONS[0][0]
    for name, applies_from in ADMISSION_RULE_VERSIONS:
        if applies_from <= application_date:
            version = name
    return version
