"""The numbers of the member rules (DOMAIN.md §5 mobile members, §9 the member archive), each with its source.

Durations in months count calendar months (dateutil's relativedelta); "for 3 months" includes the day
three months on (以上 includes the number). The contact and report frequencies are county settings
(orgs.rules.COUNTY_SETTING_DEFAULTS); the values there are their defaults.
"""

# 党员教育管理工作条例 (DOMAIN.md §5): 外出3至6个月，或没有固定地点的，登记为流动党员.
MOBILE_MIN_MONTHS = 3
# 党员教育管理工作条例 (DOMAIN.md §5): 外出6个月以上、地点固定且当地有党组织的，转移组织关系.
TRANSFER_INSTEAD_FROM_MONTHS = 6
# DOMAIN.md §5 (失联党员): 3个月未取得联系的，标记为失联党员（红黄榜积分清零）.
LOST_CONTACT_FLAG_MONTHS = 3
# DOMAIN.md §5: 失联满6个月停止党籍; 满2年仍无法取得联系的，按自行脱党除名. The proposals read
# workflows.disposition_rules (LOST_CONTACT_SUSPENSION_MONTHS, LOST_CONTACT_REMOVAL_MONTHS), and so
# does the suspension decided in members.mobile: one number each, kept there.

# 流动党员活动证 (DOMAIN.md §5): 由县委组织部统一编号……每年审验一次.
CERTIFICATE_REVIEW_EVERY_YEARS = 1

# DOMAIN.md §9: 本人及其直系亲属（父母、岳父母/公婆、配偶、子女、兄弟姐妹）不得查阅本人档案.
CLOSE_RELATIONS = ("parent", "parent_in_law", "spouse", "child", "sibling")
# Not a regulation: an approval covers one consultation; the reader has this many days to make it.
ARCHIVE_APPROVAL_VALID_DAYS = 7

# Seed 004 (党员分类管理): 65岁以上年老多病、行动不便党员 — a member is classed so from 65 (以上 includes it).
ELDERLY_FROM_AGE = 65
