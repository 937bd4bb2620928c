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
