"""Three years of a county's records, generated in SQL: organizational life, dues and score entries.

Every statement is an INSERT … SELECT over the tree and the people already inserted, with random()
seeded first (`setseed`) and no parallel workers, so the same seed gives the same rows. Triggers
(foreign-key checks, history) are off for the session while it runs when the role may do so: the
rows are consistent by construction, and checking 10 million of them one by one is most of the time.
"""

import datetime
from collections.abc import Callable

from django.db import connection, transaction

from dues.assessment import OWING_STAGES, OWING_STATUSES
from scoring import rules as scoring_rules
from scoring.models import Scheme, SchemeVersion
from scoring.presets import preset_config

from .generate import SEED, Tree, fast_session, indexes_deferred, timed, years

SCHEME_PRESET = "red_yellow"


def _run(statements: list[str], params: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [(SEED % 1000) / 1000])
        for statement in statements:
            cursor.execute(statement, params)


def _first_of_this_month(on: datetime.date) -> datetime.date:
    return on.replace(day=1)


MEETINGS = """
INSERT INTO orgs_meeting (org_id, kind, date, topic, minutes, lecturer, recorded_by_id, created_at)
SELECT o.id, k.kind, make_date(extract(year FROM m.month)::int, extract(month FROM m.month)::int, k.day),
       k.topic || to_char(m.month, 'YYYY年MM月'), '', CASE WHEN k.kind = 'lecture' THEN '支部书记' ELSE '' END, NULL, now()
FROM orgs_organization o
CROSS JOIN generate_series(%(start)s::date, %(end)s::date - interval '1 month', interval '1 month') AS m(month)
JOIN (VALUES ('general_meeting', 15, '支部党员大会', 3), ('committee_meeting', 5, '支委会', 1),
             ('lecture', 20, '党课', 3), ('themed_day', 8, '主题党日', 1), ('life_meeting', 26, '组织生活会', 12),
             ('group_meeting', 12, '党小组会', 1))
     AS k(kind, day, topic, every) ON extract(month FROM m.month)::int %% k.every = 0
WHERE ((o.kind IN ('branch', 'joint_branch') AND k.kind <> 'group_meeting') OR (o.kind = 'group' AND k.kind = 'group_meeting'))
  AND random() < 0.93
ORDER BY o.id, m.month, k.kind
"""

# Everyone on a branch's roll (the branch and its groups) is expected at the branch's general
# meetings, lectures, themed days and life meetings; a group's members at the group's meetings.
ROLL = """
CREATE TEMP TABLE bench_roll ON COMMIT DROP AS
SELECT o.id AS org_id, p.id AS person_id
FROM orgs_organization o
JOIN orgs_organization po ON po.id = o.id OR po.parent_id = o.id
JOIN members_person p ON p.org_id = po.id
WHERE o.kind IN ('branch', 'joint_branch', 'group')
  AND p.stage IN ('probationary', 'full') AND p.status IN ('active', 'mobile', 'rectifying')
"""
ATTENDANCE = """
INSERT INTO orgs_attendance (meeting_id, person_id, status, reason)
SELECT a.meeting_id, a.person_id, a.status, CASE WHEN a.status = 'excused' THEN '因公外出' ELSE '' END
FROM (SELECT mt.id AS meeting_id, r.person_id,
             CASE WHEN x.r < 0.88 THEN 'present' WHEN x.r < 0.96 THEN 'excused' ELSE 'absent' END AS status
      FROM orgs_meeting mt
      JOIN bench_roll r ON r.org_id = mt.org_id
      CROSS JOIN LATERAL (SELECT random() + r.person_id * 0 AS r) AS x
      WHERE mt.kind <> 'committee_meeting') AS a
ORDER BY a.meeting_id, a.person_id
"""


def organizational_life(on: datetime.date) -> None:
    start = datetime.date(years(on)[0], 1, 1)
    _run([MEETINGS, "ANALYZE orgs_meeting", ROLL, "ANALYZE bench_roll", ATTENDANCE, "ANALYZE orgs_attendance"], {"start": start, "end": _first_of_this_month(on)})


# Dues: a base per member and year (a salary, a pension, or a farmer's fixed amount), the month's
# dues for every month up to the last, paid quarterly by most, a little in arrears by some.
OWING = """
CREATE TEMP TABLE bench_owing ON COMMIT DROP AS
SELECT p.id AS person_id, p.org_id, p.category, p.stage,
       CASE WHEN p.category = 'retired' THEN 'retired' WHEN p.category IN ('village', 'student') THEN 'fixed'
            ELSE 'salaried' END AS kind,
       round((exp(ln(3600) + 0.55 * sqrt(-2 * ln(random())) * cos(2 * pi() * random())))::numeric, -1) AS salary,
       random() < 0.1 AS quarterly, random() < 0.03 AS behind
FROM members_person p
WHERE p.stage = ANY(%(stages)s) AND p.status = ANY(%(statuses)s)
ORDER BY p.id
"""
ACCOUNTS = """
INSERT INTO dues_duesaccount (person_id, dues_from, pays_quarterly, proxy_id, consented_by_id, consented_on, updated_at)
SELECT person_id, CASE WHEN stage = 'probationary' THEN %(start)s::date END, quarterly, NULL, NULL,
       CASE WHEN quarterly THEN %(start)s::date END, now()
FROM bench_owing ORDER BY person_id
"""
# The whole base takes one rate (dues.rules), capped at 1,000 yuan; farmers pay the branch's fixed amount.
BASES = """
INSERT INTO dues_duesbase (person_id, year, month, kind, fixed_category, monthly_base, quarter_income, rate_table_id,
                           rate, capped, monthly_amount, recorded_by_id, created_at)
SELECT b.person_id, b.year, NULL, b.kind,
       CASE WHEN b.kind <> 'fixed' THEN '' WHEN b.category = 'student' THEN 'student' ELSE 'farmer' END,
       CASE WHEN b.kind <> 'fixed' THEN b.base END, NULL, rt.id, CASE WHEN b.kind <> 'fixed' THEN r.rate END,
       b.kind <> 'fixed' AND round(b.base * r.rate, 2) > 1000,
       CASE WHEN b.kind <> 'fixed' THEN least(round(b.base * r.rate, 2), 1000)
            WHEN b.category = 'student' THEN 0.20 ELSE 0.50 END,
       NULL, now()
FROM (SELECT o.*, y.year, round(o.salary * (1 + 0.03 * (y.year - %(first_year)s)), 2) AS base
      FROM bench_owing o CROSS JOIN unnest(%(years)s::int[]) AS y(year)) AS b
CROSS JOIN (SELECT id FROM dues_ratetable ORDER BY effective_from DESC LIMIT 1) AS rt
CROSS JOIN LATERAL (
  SELECT band.rate FROM dues_rateband band
  WHERE band.table_id = rt.id AND band."column" = CASE WHEN b.kind = 'retired' THEN 'retired' ELSE 'employed' END
    AND (band.above IS NULL OR b.base > band.above) AND (band.up_to IS NULL OR b.base <= band.up_to)
) AS r
ORDER BY b.person_id, b.year
"""
# Payments: one per member and quarter (for the quarter under way, one for its ended months), made
# after the quarter's last month; the latest 1 to 6 months of the few members behind stay unpaid.
PAID_ON = "least(date_trunc('quarter', m.month) + interval '2 months' + interval '9 days', %(end)s::date - 1)::date"
UNPAID = "o.behind AND m.month >= %(end)s::date - (1 + o.person_id %% 6) * interval '1 month'"
PAYMENTS = f"""
INSERT INTO dues_payment (person_id, org_id, paid_by_id, amount, dues_amount, voluntary_extra, paid_on, channel,
                          reference, recorded_by_id, created_at)
SELECT o.person_id, o.org_id, NULL, sum(b.monthly_amount), sum(b.monthly_amount), 0, {PAID_ON},
       (ARRAY['cash', 'wechat', 'bank', 'alipay'])[1 + (o.person_id %% 4)], NULL, NULL, now()
FROM bench_owing o
CROSS JOIN generate_series(%(start)s::date, %(end)s::date - interval '1 month', interval '1 month') AS m(month)
JOIN dues_duesbase b ON b.person_id = o.person_id AND b.year = extract(year FROM m.month) AND b.month IS NULL
WHERE NOT ({UNPAID})
GROUP BY o.person_id, o.org_id, {PAID_ON}
ORDER BY o.person_id, {PAID_ON}
"""
MONTHLY_DUES = f"""
INSERT INTO dues_monthlydue (person_id, month, base_id, base_amount, amount, relief_id, overdue_on, payment_id, assessed_at)
SELECT o.person_id, m.month, b.id, b.monthly_amount, b.monthly_amount, NULL,
       CASE WHEN o.quarterly THEN (date_trunc('quarter', m.month) + interval '3 months')::date
            ELSE (m.month + interval '1 month')::date END,
       CASE WHEN {UNPAID} THEN NULL ELSE pay.id END, now()
FROM bench_owing o
CROSS JOIN generate_series(%(start)s::date, %(end)s::date - interval '1 month', interval '1 month') AS m(month)
JOIN dues_duesbase b ON b.person_id = o.person_id AND b.year = extract(year FROM m.month) AND b.month IS NULL
LEFT JOIN dues_payment pay ON pay.person_id = o.person_id AND pay.paid_on = {PAID_ON}
ORDER BY o.person_id, m.month
"""
# Relief: about one member in a hundred has the rest of this year's dues waived or reduced, approved by the committee.
RELIEFS = """
INSERT INTO dues_relief (person_id, org_id, kind, reduced_amount, start_month, end_month, reason, retiree, status,
                         proposed_by_id, proposed_on, decided_by_id, decided_on, decision_comment, created_at)
SELECT o.person_id, o.org_id, k.kind, CASE WHEN k.kind = 'reduce' THEN 0.20 END,
       %(relief_from)s::date, %(year_end)s::date, '生活困难', o.kind = 'retired', 'approved',
       NULL, %(relief_from)s::date - 20, NULL, %(relief_from)s::date - 10, '', now()
FROM bench_owing o
CROSS JOIN LATERAL (SELECT CASE WHEN random() + o.person_id * 0 < 0.5 THEN 'waive' ELSE 'reduce' END AS kind) AS k
WHERE random() < 0.01
ORDER BY o.person_id
"""


def dues(on: datetime.date) -> None:
    first_year = years(on)[0]
    end = _first_of_this_month(on)
    _run(
        [OWING, "ANALYZE bench_owing", ACCOUNTS, BASES, "ANALYZE dues_duesbase", PAYMENTS, "ANALYZE dues_payment", MONTHLY_DUES, RELIEFS],
        {
            "stages": list(OWING_STAGES),
            "statuses": list(OWING_STATUSES),
            "start": datetime.date(first_year, 1, 1),
            "end": end,
                        "first_year": first_year,
            "years": list(years(on)),
            "relief_from": end,
            "year_end": datetime.date(on.year, 12, 1),
        },
    )


def schemes(on: datetime.date) -> dict[int, int]:
    """The county's red-yellow list scheme for each of the three years (one for every category)."""
    config = preset_config(SCHEME_PRESET)
    ids = {}
    for year in years(on):
        scheme = Scheme.objects.create(year=year, category="", preset=SCHEME_PRESET, name=f"{year}年红黄榜积分", config=config)
        SchemeVersion.objects.create(scheme=scheme, version=1, name=scheme.name, config=config)
        ids[year] = scheme.pk
    return ids


# Entries of the red-yellow scheme: the monthly feeds of organizational life (attended, absent without
# leave), quarterly dues on time, study, the yearly commitment and appraisal points, volunteering and
# help to the masses, a few honours, and the rare veto. Counted (approved, noticed or final) except
# the latest declarations, still in review, and the rejected ones.
ENTRY_COLUMNS = (
    "scheme_id, year, person_id, org_id, item, date, quantity, note, evidence, status, approval_level, source, "
    "source_ref, notice_ends_on, process_id, declared_by_id, created_at, updated_at"
)
SCORED = """
CREATE TEMP TABLE bench_scored ON COMMIT DROP AS
SELECT p.id AS person_id, p.org_id, p.status FROM members_person p
WHERE p.stage IN ('probationary', 'full') AND p.status = ANY(%(statuses)s) ORDER BY p.id
"""
FED_ENTRIES = f"""
INSERT INTO scoring_entry ({ENTRY_COLUMNS})
SELECT s.id, extract(year FROM mt.date)::int, a.person_id, sc.org_id, f.item, max(mt.date), count(*), '', '[]',
       CASE WHEN max(mt.date) >= %(recent)s::date AND random() < 0.3 THEN 'declared' ELSE 'final' END,
       'general_meeting', f.feed,
       'attendance_' || a.status || ':' || to_char(mt.date, 'YYYY-MM') || ':' || a.person_id || ':' || s.id || ':' || f.item,
       NULL, NULL, NULL, now(), now()
FROM orgs_attendance a
JOIN orgs_meeting mt ON mt.id = a.meeting_id
JOIN bench_scored sc ON sc.person_id = a.person_id
JOIN (VALUES ('present', 'org_life', 'meeting_attended'), ('absent', 'absent_org_life', 'meeting_absent'))
     AS f(status, item, feed) ON f.status = a.status
JOIN scoring_scheme s ON s.year = extract(year FROM mt.date) AND s.category = ''
GROUP BY s.id, a.person_id, sc.org_id, f.item, f.feed, a.status, to_char(mt.date, 'YYYY-MM'), extract(year FROM mt.date)
ORDER BY a.person_id, to_char(mt.date, 'YYYY-MM'), f.item
"""
OWN_ENTRIES = f"""
INSERT INTO scoring_entry ({ENTRY_COLUMNS})
SELECT s.id, s.year, sc.person_id, sc.org_id, i.item, x.date, x.quantity, '', '[]',
       CASE WHEN random() < 0.01 THEN 'rejected' WHEN x.date >= %(recent)s::date THEN 'approved' ELSE 'final' END,
       'general_meeting', 'member', '', NULL, NULL, NULL, now(), now()
FROM bench_scored sc
CROSS JOIN scoring_scheme s
CROSS JOIN (VALUES ('dues_on_time', 4, 1.0, 3, 3), ('study', 6, 0.7, 1, 1), ('commitment', 1, 0.95, 1, 1),
                   ('appraisal_points', 1, 0.9, 10, 20), ('volunteer', 4, 0.45, 1, 1), ('help_masses', 2, 0.3, 1, 1),
                   ('lead_development', 1, 0.03, 1, 1), ('honour', 1, 0.02, 1, 1))
     AS i(item, times, chance, low, high)
CROSS JOIN LATERAL generate_series(1, i.times) AS n(k)
CROSS JOIN LATERAL (
  SELECT make_date(s.year::int, (1 + ((n.k * 12 / i.times) - 1 + sc.person_id %% 2) %% 12)::int, (1 + sc.person_id %% 27)::int) AS date,
         floor(i.low + random() * (i.high - i.low + 1))::int AS quantity
) AS x
WHERE s.category = '' AND x.date <= %(last_day)s::date AND random() < i.chance
ORDER BY sc.person_id, s.year, i.item, n.k
"""
VETO_ENTRIES = f"""
INSERT INTO scoring_entry ({ENTRY_COLUMNS})
SELECT s.id, s.year, sc.person_id, sc.org_id, v.item, make_date(s.year::int, (1 + sc.person_id %% 11)::int, 10), 1, '', '["file"]',
       'final', 'general_meeting', v.source, '', NULL, NULL, NULL, now(), now()
FROM bench_scored sc CROSS JOIN scoring_scheme s
JOIN (VALUES ('religious_activity', 'branch', 0.001), ('organizing_petitions', 'branch', 0.0005),
             ('dues_unpaid_over_3_months', 'dues_arrears', 0.004), ('lost_contact_3_months', 'lost_contact', 0.0))
     AS v(item, source, chance) ON random() < v.chance OR (v.item = 'lost_contact_3_months' AND sc.status = 'lost_contact')
WHERE s.category = '' AND make_date(s.year::int, (1 + sc.person_id %% 11)::int, 10) <= %(last_day)s::date
ORDER BY sc.person_id, s.year, v.item
"""


def score_entries(on: datetime.date) -> None:
    schemes(on)
    last_day = _first_of_this_month(on) - datetime.timedelta(days=1)
    _run(
        [SCORED, "ANALYZE bench_scored", FED_ENTRIES, OWN_ENTRIES, VETO_ENTRIES, "ANALYZE scoring_entry"],
        {"statuses": list(scoring_rules.SCORED_STATUSES), "recent": last_day.replace(day=1), "last_day": last_day},
    )


def generate(tree: Tree, on: datetime.date, log: Callable[[str], None]) -> None:
    del tree  # the records follow the rows already in the county
    for label, step, tables in (
        ("three years of meetings and attendance", organizational_life, ("orgs_meeting", "orgs_attendance")),
        ("three years of dues: bases, monthly dues, payments, relief", dues,
         ("dues_duesbase", "dues_payment", "dues_monthlydue")),
        ("three years of score entries (red-yellow list)", score_entries, ("scoring_entry",)),
    ):
        with transaction.atomic(), timed(log, label):
            fast_session()
            with indexes_deferred(*tables):
                step(on)
