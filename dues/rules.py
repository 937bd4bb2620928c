"""The numbers of the dues regulation, one name per rule, each with its source.

Source: 《关于中国共产党党费收缴、使用和管理的规定》(中组发〔2008〕3号, "the 2008 regulation"), as
DOMAIN.md §8 reads it. The rates, the cap and the fixed amounts are also stored as a versioned rate
table (`dues.models.RateTable`): the 2008 table is seeded from the numbers below, and a later table
takes over from its own effective date, so a past year is always computed by the table then in force.

Bounds read as in DOMAIN.md: 以下（含） includes the number, 以上 (written "over" here) excludes it,
so a base of exactly 3,000 pays 0.5% and 3,000.01 pays 1%.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

# DOMAIN.md §8: amounts are in yuan to the fen, rounded half up.
FEN = Decimal("0.01")
ROUNDING = ROUND_HALF_UP

# 2008 regulation 第三十二条: 本规定自2008年4月1日起施行.
RATE_TABLE_2008_EFFECTIVE_FROM = datetime.date(2008, 4, 1)
RATE_TABLE_2008_NAME = "关于中国共产党党费收缴、使用和管理的规定（中组发〔2008〕3号）"

# Bands as (over, up to and including, rate); None is an open end. The whole base takes one rate.
# 2008 regulation 第二条: 3000元以下（含）0.5%；3000元以上至5000元（含）1%；5000元以上至10000元（含）1.5%；10000元以上2%.
EMPLOYED_RATES_2008 = (
    (None, Decimal("3000.00"), Decimal("0.0050")),
    (Decimal("3000.00"), Decimal("5000.00"), Decimal("0.0100")),
    (Decimal("5000.00"), Decimal("10000.00"), Decimal("0.0150")),
    (Decimal("10000.00"), None, Decimal("0.0200")),
)
# 2008 regulation 一、党费收缴: 离退休党员以实际领取的离退休费或养老金总额为基数，5000元以下（含）0.5%，5000元以上1%.
RETIRED_RATES_2008 = (
    (None, Decimal("5000.00"), Decimal("0.0050")),
    (Decimal("5000.00"), None, Decimal("0.0100")),
)

# DOMAIN.md §8 on the 2008 regulation: monthly dues are normally at most 1,000 yuan; more only voluntarily.
MONTHLY_CAP = Decimal("1000.00")
# 2008 regulation 一、党费收缴: 自愿一次多交纳1000元以上的党费，全部上缴中央 (大额党费, recorded apart).
LARGE_VOLUNTARY_PAYMENT_FROM = Decimal("1000.00")
# 2008 regulation 一、党费收缴: 农民党员每月交纳党费0.2元至1元.
FARMER_MONTHLY_MIN = Decimal("0.20")
FARMER_MONTHLY_MAX = Decimal("1.00")
# 2008 regulation 一、党费收缴: 学生、下岗失业、依靠抚恤或救济生活、领取最低生活保障金的党员每月交纳0.2元.
LOW_INCOME_MONTHLY_AMOUNT = Decimal("0.20")
# County setting (DOMAIN.md §8, §11): the farmers' amount a branch starts from until the county sets
# its own default; the regulation's floor, because nothing higher may be asked without a decision.
FARMER_MONTHLY_DEFAULT = FARMER_MONTHLY_MIN

# 2008 regulation 第四条: 不按月取得收入的个体经营者等，以个人上季度月平均纯收入为计算基数.
SELF_EMPLOYED_BASE_MONTHS = 3
# 2008 regulation 第十二条: 按月交纳；经党支部同意可按季度交纳或委托他人代交；补交党费的时间一般不得超过6个月.
BACK_PAYMENT_MAX_MONTHS = 6

# DOMAIN.md §8 (county scoring seeds): dues unpaid for more than 3 months zero a red-yellow score.
ARREARS_SCORING_ABOVE_MONTHS = 3
# 党章第三十八条, 2008 regulation 第十三条: 无正当理由连续6个月不交纳党费的，按自行脱党处理.
SELF_LAPSE_CONSECUTIVE_MONTHS = 6

# DOMAIN.md §8 on the 2008 regulation: branches remit upward quarterly, never later than 6 months.
REMITTANCE_MAX_MONTHS = 6
# DOMAIN.md §8 on the 2008 regulation: 5% of the dues goes to the centre, settled by the end of April
# of the following year.
CENTRE_SHARE = Decimal("0.05")
CENTRE_SHARE_DUE_MONTH = 4


def to_fen(amount: Decimal) -> Decimal:
    """Yuan to the fen, rounded half up; never a float."""
    return Decimal(amount).quantize(FEN, rounding=ROUNDING)
