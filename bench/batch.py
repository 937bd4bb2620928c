"""The county's batch computations against one hand-written SQL statement computing the same thing.

- Annual scoring: `scoring.compute.compute_results` over the whole county for the last complete
  year, from no stored results, against one SQL aggregate of the year's counted entries giving every
  scored member's total under the county's red-yellow scheme.
- Monthly dues: `dues.assessment.assess_month` for the current month over the whole county, from no
  stored month, against one INSERT … SELECT writing the same rows.

Each side's result is compared with the other's: the ratio only means something if both computed
the same totals (scoring) and the same rows (dues).
"""

import datetime
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from dues.assessment import OWING_STAGES, OWING_STATUSES, assess_month
from dues.months import first_of
from scoring import rules as scoring_rules
from scoring.compute import compute_results, schemes_in_force
from scoring.models import COUNTED_STATUSES, JointDeduction, Result


@dataclass
class Pair:
    """One benchmark against its limit: seconds of each run, and whether the two agreed."""

    ours: list[float]
    limit: list[float]
    agreed: bool
    detail: str


def _clock(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


# --- annual scoring -----------------------------------------------------------------------------------


def _item_table(year: int) -> tuple[str, list]:
    """The scheme's items as a VALUES list: what the hand-written aggregate needs to know of each."""
    in_force = schemes_in_force(year)[""]
    rows, params = [], []
    for item in in_force.config.items.values():
        assert not (item.per or item.target or item.escalation or item.streak), "the SQL covers plain items only"
        assert item.cap is None or item.cap.period == "year", "the SQL covers yearly caps only"
        rows.append("(%s, %s, %s::numeric, %s::int, %s::numeric, %s::bool)")
        params += [item.code, item.component, item.points, item.sign, item.cap.points if item.cap else None, item.veto]
    components = []
    for component in in_force.config.components.values():
        assert component.combine == "sum" and not component.monthly and component.floor is None
        components.append("(%s, %s::numeric, %s::numeric)")
        params += [component.code, component.cap, component.weight]
    assert in_force.config.floor is None and not in_force.config.joint_liability
    return (
        f"items(item, component, points, sign, cap, veto) AS (VALUES {', '.join(rows)}), "
        f"components(component, cap, weight) AS (VALUES {', '.join(components)})",
        [*params, in_force.config.start],
    )


# A deduction counts each whole unit of quantity (an occurrence); a plain item adds points per unit;
# an item's yearly cap and a component's cap clamp what they add; a veto zeroes the total.
SCORING_SQL = """
CREATE TEMP TABLE bench_sql_scores AS
WITH {items},
scored AS (
  SELECT id AS person_id FROM members_person WHERE stage = ANY(%s) AND status = ANY(%s)
),
by_item AS (
  SELECT e.person_id, e.item, sum(e.quantity) AS quantity, sum(floor(e.quantity)) AS units
  FROM scoring_entry e JOIN scored s ON s.person_id = e.person_id
  WHERE e.year = %s AND e.status = ANY(%s)
  GROUP BY e.person_id, e.item
),
by_component AS (
  SELECT b.person_id, i.component,
         sum(CASE WHEN i.sign < 0 THEN -i.points * b.units ELSE least(i.points * b.quantity, coalesce(i.cap, 'Infinity')) END)
           AS points
  FROM by_item b JOIN items i ON i.item = b.item
  WHERE NOT i.veto
  GROUP BY b.person_id, i.component
),
vetoed AS (
  SELECT DISTINCT b.person_id FROM by_item b JOIN items i ON i.item = b.item WHERE i.veto
)
SELECT s.person_id,
       CASE WHEN v.person_id IS NOT NULL THEN 0
            ELSE round(%s::numeric + coalesce(sum(c.weight * least(bc.points, coalesce(c.cap, 'Infinity'))), 0), 2) END
         AS total
FROM scored s
LEFT JOIN by_component bc ON bc.person_id = s.person_id
LEFT JOIN components c ON c.component = bc.component
LEFT JOIN vetoed v ON v.person_id = s.person_id
GROUP BY s.person_id, v.person_id
"""


def _scoring_sql(year: int) -> None:
    in_force = schemes_in_force(year)[""]
    items, params = _item_table(year)
    start = params.pop()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_sql_scores")
        cursor.execute(
            SCORING_SQL.format(items=items),
            [*params, list(in_force.config.scored_stages), list(scoring_rules.SCORED_STATUSES), year,
             list(COUNTED_STATUSES), start],
        )


def _clear_results(year: int) -> None:
    with transaction.atomic():
        JointDeduction.objects.filter(year=year).delete()
        Result.objects.filter(year=year).delete()


def scoring(year: int, reps: int) -> Pair:
    ours, limit = [], []
    for _ in range(reps):
        _clear_results(year)
        ours.append(_clock(lambda: _in_transaction(compute_results, year)))
        limit.append(_clock(lambda: _scoring_sql(year)))
    stored = dict(Result.objects.filter(year=year).values_list("person_id", "total"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_id, total FROM bench_sql_scores")
        computed = {person_id: Decimal(total) for person_id, total in cursor.fetchall()}
        cursor.execute("DROP TABLE bench_sql_scores")
    differing = sum(1 for person_id, total in computed.items() if stored.get(person_id) != total)
    agreed = differing == 0 and len(stored) == len(computed)
    return Pair(ours, limit, agreed, f"{len(stored)} results, {differing} totals differ from SQL's {len(computed)}")


def _in_transaction(function, *args):
    with transaction.atomic():
        return function(*args)


# --- monthly dues -------------------------------------------------------------------------------------

# The month's dues of everyone owing: the year's base (a month's own base first), the approved relief
# covering the month, owed from `dues_from`, overdue after the month (after the quarter for quarterly payers).
DUES_SQL = """
INSERT INTO dues_monthlydue (person_id, month, base_id, base_amount, amount, relief_id, overdue_on, payment_id, assessed_at)
SELECT p.id, %(month)s::date, b.id, b.monthly_amount,
       CASE WHEN r.kind = 'waive' THEN 0 WHEN r.kind = 'reduce' AND r.reduced_amount IS NOT NULL
            THEN least(b.monthly_amount, r.reduced_amount) ELSE b.monthly_amount END,
       r.id,
       CASE WHEN coalesce(a.pays_quarterly, false)
            THEN (date_trunc('quarter', %(month)s::date) + interval '3 months')::date
            ELSE (%(month)s::date + interval '1 month')::date END,
       NULL, now()
FROM members_person p
JOIN LATERAL (
  SELECT b.id, b.monthly_amount FROM dues_duesbase b
  WHERE b.person_id = p.id AND b.year = %(year)s AND (b.month = %(month_number)s OR b.month IS NULL)
  ORDER BY b.month NULLS LAST LIMIT 1
) AS b ON true
LEFT JOIN dues_duesaccount a ON a.person_id = p.id
LEFT JOIN LATERAL (
  SELECT r.id, r.kind, r.reduced_amount FROM dues_relief r
  WHERE r.person_id = p.id AND r.status = 'approved' AND r.start_month <= %(month)s AND r.end_month >= %(month)s
  ORDER BY r.proposed_on DESC, r.id DESC LIMIT 1
) AS r ON true
WHERE p.stage = ANY(%(stages)s) AND p.status = ANY(%(statuses)s)
  AND (a.dues_from IS NULL OR (%(month)s::date + interval '1 month' - interval '1 day')::date >= a.dues_from)
"""
MONTH_ROWS = "SELECT person_id, base_id, base_amount, amount, relief_id, overdue_on FROM dues_monthlydue WHERE month = %s"


def _dues_sql(month: datetime.date) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            DUES_SQL,
            {"month": month, "year": month.year, "month_number": month.month, "stages": list(OWING_STAGES),
             "statuses": list(OWING_STATUSES)},
        )


def _clear_month(month: datetime.date) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM dues_monthlydue WHERE month = %s AND payment_id IS NULL", [month])


def _month_rows(month: datetime.date) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(MONTH_ROWS, [month])
        return set(cursor.fetchall())


def dues(on: datetime.date, reps: int) -> Pair:
    month = first_of(on)
    ours, limit = [], []
    for _ in range(reps):
        _clear_month(month)
        limit.append(_clock(lambda: _dues_sql(month)))
        sql_rows = _month_rows(month)
        _clear_month(month)
        ours.append(_clock(lambda: assess_month(actor=None, month=month)))
    product_rows = _month_rows(month)
    agreed = product_rows == sql_rows
    detail = f"{len(product_rows)} monthly dues, {len(product_rows ^ sql_rows)} rows differ from the SQL's {len(sql_rows)}"
    return Pair(ours, limit, agreed, detail)
