"""Reads of dues: the rate table in force, members' accounts, the branch sheet, arrears and the ledgers."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Min, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from members.mobile.selectors import collected_by_hosts, collecting_host, hosted_by
from members.models import Person
from orgs.access import scope
from orgs.models import Organization
from orgs.selectors import branch_of

from . import rules
from .assessment import compute, owing_people
from .models import (
    AnnualPublication,
    Arrears,
    DuesAccount,
    DuesSetting,
    LargeVoluntaryPayment,
    LedgerKind,
    LedgerRecording,
    MonthlyDue,
    Payment,
    RateTable,
    Relief,
    Remittance,
    UseEntry,
)
from .months import add_months, first_of, quarter_start, year_months

ZERO = Decimal("0.00")


def _money_sum(queryset: QuerySet, field: str) -> Decimal:
    total = queryset.aggregate(total=Coalesce(Sum(field), Value(ZERO), output_field=DecimalField()))["total"]
    return rules.to_fen(total)


def rate_table_in_force(on: datetime.date) -> RateTable | None:
    """The rate table whose effective date is the latest on or before `on`."""
    return RateTable.objects.filter(effective_from__lte=on).prefetch_related("bands").first()


def farmer_default_amount(on: datetime.date) -> Decimal:
    """The county's default monthly amount for farmers on `on`, or the rules' default if it never set one."""
    setting = DuesSetting.objects.filter(effective_from__lte=on).first()
    return setting.farmer_monthly_amount if setting else rules.FARMER_MONTHLY_DEFAULT


def dues_start_date(person: Person) -> datetime.date | None:
    """The day from which the member owes dues (a probationary member's admission vote), if one is recorded.

    Without one, every month the member has a base for is owed.
    """
    return DuesAccount.objects.filter(person=person).values_list("dues_from", flat=True).first()


def collecting_org(person: Person) -> Organization:
    """The organization that collects the member's dues.

    DOMAIN.md §5: a mobile member pays the host organization when one manages them, otherwise the
    origin. The mobile member register names the host of the county that collects; a host elsewhere
    collects by its own books, and the origin records what the member reports paid.
    """
    return collecting_host(person) or person.org


def ledger_org(org: Organization) -> Organization:
    """Whose ledgers an organization's dues go into: a party group's go into its branch's."""
    return branch_of(org) or org


def people_with_dues_visible_to(user) -> QuerySet[Person]:
    """The people whose dues the user may see: those in the subtrees their roles cover, and themselves."""
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    return Person.objects.filter(scope(user, "view_dues") | Q(user_id=user.pk)).select_related("org")


def orgs_with_dues_visible_to(user) -> QuerySet[Organization]:
    return Organization.objects.filter(scope(user, "view_dues", field=""))


def reliefs_visible_to(user) -> QuerySet[Relief]:
    if not getattr(user, "is_authenticated", False):
        return Relief.objects.none()
    return Relief.objects.filter(scope(user, "view_dues") | Q(person__user_id=user.pk)).select_related(
        "person", "org", "proposed_by", "decided_by"
    )


class MonthStatus:
    PAID = "paid"
    DUE = "due"
    OVERDUE = "overdue"
    RELIEVED = "relieved"


@dataclass(frozen=True)
class MonthLine:
    month: datetime.date
    due: Decimal
    paid: Decimal
    status: str
    paid_on: datetime.date | None
    overdue_on: datetime.date
    relief_id: int | None


def _status(
    *, paid: bool, amount: Decimal, relief_id: int | None, overdue_from: datetime.date, as_of: datetime.date
) -> str:
    if paid:
        return MonthStatus.PAID
    if amount == 0 and relief_id is not None:
        return MonthStatus.RELIEVED
    return MonthStatus.OVERDUE if as_of >= overdue_from else MonthStatus.DUE


def month_lines(
    people: QuerySet[Person], months: list[datetime.date], as_of: datetime.date
) -> dict[int, list[MonthLine]]:
    """Each person's owed months among `months`: the stored assessment where there is one, else computed now."""
    lines: dict[tuple[int, datetime.date], MonthLine] = {}
    for row in MonthlyDue.objects.filter(person__in=people, month__in=months).select_related("payment"):
        lines[(row.person_id, row.month)] = MonthLine(
            month=row.month,
            due=row.amount,
            paid=row.amount if row.payment_id else ZERO,
            status=_status(
                paid=row.payment_id is not None,
                amount=row.amount,
                relief_id=row.relief_id,
                overdue_from=row.overdue_on,
                as_of=as_of,
            ),
            paid_on=row.payment.paid_on if row.payment_id else None,
            overdue_on=row.overdue_on,
            relief_id=row.relief_id,
        )
    for key, item in compute(months, people.filter(pk__in=owing_people().values("pk"))).items():
        if key not in lines:
            lines[key] = MonthLine(
                month=item.month,
                due=item.amount,
                paid=ZERO,
                status=_status(
                    paid=False, amount=item.amount, relief_id=item.relief_id, overdue_from=item.overdue_on, as_of=as_of
                ),
                paid_on=None,
                overdue_on=item.overdue_on,
                relief_id=item.relief_id,
            )
    by_person: dict[int, list[MonthLine]] = {}
    for (person_id, _month), line in sorted(lines.items(), key=lambda pair: pair[0]):
        by_person.setdefault(person_id, []).append(line)
    return by_person


def account(person: Person, year: int, as_of: datetime.date) -> dict:
    """A member's months of `year` with what is due, what is paid and their status, and the months in arrears."""
    lines = month_lines(Person.objects.filter(pk=person.pk), year_months(year), as_of).get(person.pk, [])
    return {"months": lines, "arrears_months": months_unpaid(person, as_of)}


def collection_sheet(
    org: Organization, month: datetime.date, as_of: datetime.date
) -> list[tuple[Person, MonthLine | None]]:
    """The branch's monthly sheet: every member it collects from (its roll, less the mobile members a host of the
    county collects from, plus those it hosts), with the month's dues and whether they are paid."""
    on_roll = Q(org__path__startswith=org.path) & ~Q(pk__in=collected_by_hosts().values("pk"))
    people = (
        owing_people()
        .filter(on_roll | Q(pk__in=hosted_by(org).values("pk")))
        .select_related("org")
        .order_by("org__path", "name", "id")
    )
    lines = month_lines(people, [first_of(month)], as_of)
    return [(person, (lines.get(person.pk) or [None])[0]) for person in people]


def fallen_due(as_of: datetime.date) -> Q:
    """Assessed months that owe something and are overdue on `as_of`: what arrears and collection rates count."""
    return Q(amount__gt=0, overdue_on__lte=as_of)


def _unpaid(as_of: datetime.date) -> Q:
    return fallen_due(as_of) & Q(payment__isnull=True)


def collection_by_org(people: QuerySet[Person], year: int, as_of: datetime.date) -> list[tuple[str, Decimal, Decimal]]:
    """(organization path, dues fallen due, of which paid) per organization of `people`'s roll, for the months
    of `year` fallen due by `as_of`: what the accounts show, the stored month where there is one
    (dues.assessment.store), else the month computed now (as `month_lines` does). A fixed number of queries
    however many members: the county dashboards' collection rate."""
    totals: dict[str, list[Decimal]] = {}
    stored = MonthlyDue.objects.filter(fallen_due(as_of), person__in=people, month__year=year)
    for path, due, paid in (
        stored.values_list("person__org__path")
        .annotate(due=Sum("amount"), paid=Coalesce(Sum("amount", filter=Q(payment__isnull=False)), Value(ZERO)))
        .order_by()
    ):
        totals[path] = [due, paid]
    months = [month for month in year_months(year) if month <= as_of]
    # Members with months of the year not stored yet (the monthly run has not reached them): computed.
    behind = (
        owing_people()
        .filter(pk__in=people.values("pk"))
        .annotate(stored=Count("monthly_dues", filter=Q(monthly_dues__month__year=year)))
        .filter(stored__lt=len(months))
    )
    paths = dict(behind.values_list("pk", "org__path"))
    if paths:
        kept = set(MonthlyDue.objects.filter(person_id__in=paths, month__year=year).values_list("person_id", "month"))
        for key, item in compute(months, Person.objects.filter(pk__in=paths)).items():
            if key not in kept and item.amount > 0 and item.overdue_on <= as_of:
                totals.setdefault(paths[item.person_id], [ZERO, ZERO])[0] += item.amount
    return [(path, rules.to_fen(due), rules.to_fen(paid)) for path, (due, paid) in totals.items()]


def months_unpaid(person: Person, as_of: datetime.date, since: datetime.date | None = None) -> int:
    """Months owed, overdue on `as_of` and unpaid (from `since`'s month on, if given)."""
    rows = MonthlyDue.objects.filter(_unpaid(as_of), person=person)
    if since is not None:
        rows = rows.filter(month__gte=first_of(since))
    return rows.count()


def _consecutive(rows: list[tuple[datetime.date, Decimal, int | None]]) -> int:
    """The run of unpaid months ending with the latest overdue month (`rows` newest first); a paid,
    waived or missing month ends it."""
    count, expected = 0, None
    for month, amount, payment_id in rows:
        if (expected is not None and month != expected) or payment_id is not None or amount == 0:
            break
        count += 1
        expected = add_months(month, -1)
    return count


def consecutive_unpaid_months(person: Person, as_of: datetime.date) -> int:
    """How many months in a row, up to the latest overdue one on `as_of`, the member has not paid."""
    rows = MonthlyDue.objects.filter(person=person, overdue_on__lte=as_of).order_by("-month")
    return _consecutive(list(rows.values_list("month", "amount", "payment_id")))


def arrears_by_person(as_of: datetime.date) -> dict[int, tuple[int, int, datetime.date]]:
    """(months unpaid, consecutive months unpaid, first unpaid month) of every member in arrears on `as_of`."""
    totals = {
        row["person_id"]: (row["unpaid"], row["since"])
        for row in MonthlyDue.objects.filter(_unpaid(as_of))
        .values("person_id")
        .annotate(unpaid=Count("id"), since=Min("month"))
        .order_by()
    }
    history: dict[int, list[tuple[datetime.date, Decimal, int | None]]] = {}
    for person_id, month, amount, payment_id in (
        MonthlyDue.objects.filter(person_id__in=list(totals), overdue_on__lte=as_of)
        .order_by("person_id", "-month")
        .values_list("person_id", "month", "amount", "payment_id")
    ):
        history.setdefault(person_id, []).append((month, amount, payment_id))
    return {pid: (unpaid, _consecutive(history.get(pid, [])), since) for pid, (unpaid, since) in totals.items()}


def persons_with_arrears_over(months: int) -> QuerySet[Person]:
    """Members with more than `months` months unpaid, as of the last arrears computation (scoring's veto: 3)."""
    return Person.objects.filter(dues_arrears__months_unpaid__gt=months)


def persons_with_consecutive_unpaid(months: int) -> QuerySet[Person]:
    """Members who have not paid for `months` months in a row or more, as of the last arrears computation
    (the self-lapse ground: 6)."""
    return Person.objects.filter(dues_arrears__consecutive_unpaid__gte=months)


def arrears_rows() -> QuerySet[Arrears]:
    return Arrears.objects.select_related("person", "person__org")


def remittance_deadline(year: int, quarter: int) -> datetime.date:
    """A quarter's dues are remitted by the end of the 6th month counted from the quarter's first month,
    so no fen stays below longer than 6 months."""
    return add_months(quarter_start(year, quarter), rules.REMITTANCE_MAX_MONTHS) - datetime.timedelta(days=1)


def centre_share_deadline(year: int) -> datetime.date:
    return add_months(datetime.date(year + 1, rules.CENTRE_SHARE_DUE_MONTH, 1), 1) - datetime.timedelta(days=1)


def collected(payments: QuerySet[Payment]) -> Decimal:
    """Dues and voluntary extras collected, without the large voluntary payments that go whole to the centre."""
    large = _money_sum(LargeVoluntaryPayment.objects.filter(payment__in=payments), "amount")
    return _money_sum(payments, "amount") - large


def payments_in(org: Organization, first: datetime.date, last: datetime.date) -> QuerySet[Payment]:
    return Payment.objects.filter(org__path__startswith=org.path, paid_on__gte=first, paid_on__lte=last)


def quarter_collected(org: Organization, year: int, quarter: int) -> Decimal:
    first = quarter_start(year, quarter)
    return collected(payments_in(org, first, add_months(first, 3) - datetime.timedelta(days=1)))


def centre_share(year: int) -> dict:
    """The county's share for the centre for `year`: 5% of the dues collected, plus every large voluntary payment."""
    payments = Payment.objects.filter(paid_on__year=year)
    dues = collected(payments)
    large = _money_sum(LargeVoluntaryPayment.objects.filter(payment__in=payments), "amount")
    share = rules.to_fen(dues * rules.CENTRE_SHARE)
    return {
        "year": year,
        "collected": dues,
        "share": share,
        "large_voluntary": large,
        "total": share + large,
        "deadline": centre_share_deadline(year),
    }


def ledger(org: Organization, year: int) -> dict:
    """The collection ledger (payments, remittances) and the use ledger of an organization for a year, with who keeps each."""
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    payments = (
        payments_in(org, first, last)
        .select_related("person", "paid_by", "recorded_by", "large_voluntary")
        .prefetch_related(Prefetch("months", queryset=MonthlyDue.objects.order_by("month")))
        .order_by("paid_on", "id")
    )
    remittances = Remittance.objects.filter(org__path__startswith=org.path, year=year).select_related(
        "org", "to_org", "recorded_by"
    )
    uses = UseEntry.objects.filter(org__path__startswith=org.path, date__year=year).select_related("org", "recorded_by")
    keepers = LedgerRecording.objects.filter(org__path__startswith=org.path, year=year).select_related("user")
    collection_total = collected(payments)
    remitted = _money_sum(remittances, "amount")
    used = _money_sum(uses, "amount")
    return {
        "org": org,
        "year": year,
        "payments": list(payments),
        "remittances": list(remittances),
        "uses": list(uses),
        "collected": collection_total,
        "large_voluntary": _money_sum(LargeVoluntaryPayment.objects.filter(payment__in=payments), "amount"),
        "remitted": remitted,
        "used": used,
        "balance": collection_total - remitted - used,
        "collection_keepers": sorted({k.user.username for k in keepers if k.ledger == LedgerKind.COLLECTION}),
        "use_keepers": sorted({k.user.username for k in keepers if k.ledger == LedgerKind.USE}),
    }


def publications_visible_to(user) -> QuerySet[AnnualPublication]:
    """A branch's annual publication is for its members, and for the roles covering the branch."""
    if not getattr(user, "is_authenticated", False):
        return AnnualPublication.objects.none()
    own = Q(pk__in=[])
    person = Person.objects.filter(user_id=user.pk).select_related("org").first()
    if person is not None:
        own = Q(org_id=ledger_org(person.org).pk)
    return AnnualPublication.objects.filter(scope(user, "view_dues") | own).select_related("org", "published_by")
