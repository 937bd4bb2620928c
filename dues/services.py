"""Writes of dues. Each is one audited action; a broken rule raises RuleViolation (400) and writes nothing,
a state conflict raises Conflict (409), a missing capability PermissionDenied (403)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import Conflict, RuleViolation
from members.models import Category, Person
from orgs.access import can, is_county_admin
from orgs.models import BRANCH_KINDS, Organization, OrgKind

from . import rules
from .assessment import OWING_STAGES, compute, reassess_person, store
from .calculation import percentage_amount
from .models import (
    AnnualPublication,
    Arrears,
    BaseKind,
    CentreSettlement,
    Channel,
    DuesAccount,
    DuesBase,
    DuesBaseAdjustment,
    DuesSetting,
    FixedCategory,
    LargeVoluntaryPayment,
    LedgerKind,
    LedgerRecording,
    MonthlyDue,
    Payment,
    Relief,
    ReliefKind,
    ReliefStatus,
    Remittance,
    UseEntry,
)
from .months import add_months, first_of, format_month, quarter_last_month, quarter_start, year_months
from .selectors import (
    MonthStatus,
    arrears_by_person,
    centre_share,
    collected,
    collecting_org,
    farmer_default_amount,
    ledger,
    ledger_org,
    month_lines,
    payments_in,
    rate_table_in_force,
    remittance_deadline,
)

REMITTING_KINDS = (*BRANCH_KINDS, OrgKind.GENERAL_BRANCH)


def _require(actor, capability: str, org: Organization) -> None:
    if not can(actor, capability, org):
        raise PermissionDenied


def _positive(amount: Decimal, field: str) -> Decimal:
    if amount is None or amount <= 0:
        raise RuleViolation(_("The amount must be more than zero."), field=field)
    return rules.to_fen(amount)


def _account(person: Person) -> DuesAccount:
    account, _created = DuesAccount.objects.get_or_create(person=person)
    return account


def _note_ledger(actor, org: Organization, year: int, ledger: str) -> None:
    """管记分离: whoever records in one ledger of a branch for a year may not record in its other ledger."""
    if not getattr(actor, "is_authenticated", False):
        return
    recording, _created = LedgerRecording.objects.get_or_create(
        org=ledger_org(org), year=year, user=actor, defaults={"ledger": ledger}
    )
    if recording.ledger == ledger:
        return
    if recording.ledger == LedgerKind.COLLECTION:
        message = _("You keep this branch's collection ledger for %(year)s; its use ledger is kept by someone else.")
    else:
        message = _("You keep this branch's use ledger for %(year)s; its collection ledger is kept by someone else.")
    raise RuleViolation(message % {"year": year})


# --- settings and accounts ------------------------------------------------------------------


def set_farmer_default(*, actor, effective_from: datetime.date, amount: Decimal) -> DuesSetting:
    """The county's default farmers' amount from a date on (a county setting within the regulation's range)."""
    if not is_county_admin(actor):
        raise PermissionDenied
    table = rate_table_in_force(effective_from)
    if table is None:
        raise RuleViolation(_("No rate table is in force on this date."), field="effective_from")
    amount = rules.to_fen(amount)
    if not table.farmer_min <= amount <= table.farmer_max:
        raise RuleViolation(
            _("Farmers pay from %(min)s to %(max)s yuan a month.") % {"min": table.farmer_min, "max": table.farmer_max},
            field="farmer_monthly_amount",
        )
    if DuesSetting.objects.filter(effective_from=effective_from).exists():
        raise Conflict(_("A dues setting from this date already exists."))
    with action(actor):
        return DuesSetting.objects.create(
            effective_from=effective_from, farmer_monthly_amount=amount, recorded_by=actor
        )


def set_dues_from(*, actor, person: Person, dues_from: datetime.date) -> DuesAccount:
    """Record the day from which a member owes dues: for a probationary member, the admission vote.

    The admission flow calls this when the branch general meeting votes the applicant in.
    """
    _require(actor, "manage_dues", person.org)
    check_event_date(dues_from, "dues_from")
    with action(actor):
        account = _account(person)
        previous = account.dues_from
        account.dues_from = dues_from
        account.save(update_fields=["dues_from", "updated_at"])
        start = min(d for d in (previous, dues_from) if d is not None)
        reassess_person(person, datetime.date(start.year, 1, 1), today())
    return account


def set_arrangement(
    *, actor, person: Person, pays_quarterly: bool, proxy: Person | None, consented_on: datetime.date
) -> DuesAccount:
    """The branch's consent to paying quarterly, or to someone paying for the member (2008 regulation 第十二条)."""
    _require(actor, "manage_dues", person.org)
    check_event_date(consented_on, "consented_on")
    if proxy is not None and proxy.pk == person.pk:
        raise RuleViolation(_("A member does not pay through themselves."), field="proxy")
    with action(actor):
        account = _account(person)
        account.pays_quarterly = pays_quarterly
        account.proxy = proxy
        account.consented_by = actor
        account.consented_on = consented_on
        account.save()
        # Overdue dates follow the schedule: re-assess the unpaid months from the year of the consent on.
        reassess_person(person, datetime.date(consented_on.year, 1, 1), today())
    return account


# --- bases --------------------------------------------------------------------------------


def _amount_for(
    *,
    person: Person,
    year: int,
    month: int | None,
    kind: str,
    monthly_base: Decimal | None,
    quarter_income: Decimal | None,
    fixed_category: str,
    monthly_amount: Decimal | None,
) -> dict:
    """Validate a base's fields and compute its monthly amount by the rate table in force."""
    if kind not in BaseKind.values:
        raise RuleViolation(_("Choose a kind of dues base."), field="kind")
    if kind == BaseKind.ANNUAL_SALARY:
        if month is None:
            raise RuleViolation(_("An annual-salary base is entered for one month: give the month."), field="month")
    elif month is not None:
        raise RuleViolation(_("Only an annual-salary base is entered month by month."), field="month")
    on = datetime.date(year, month or 1, 1)
    table = rate_table_in_force(on)
    if table is None:
        raise RuleViolation(_("No rate table is in force for this year."), field="year")
    fields = {"rate_table": table, "rate": None, "capped": False, "fixed_category": "", "quarter_income": None}

    if kind == BaseKind.FIXED:
        if fixed_category not in FixedCategory.values:
            raise RuleViolation(_("Say why the member pays a fixed amount."), field="fixed_category")
        if monthly_base is not None or quarter_income is not None:
            raise RuleViolation(_("A fixed amount has no income base."), field="monthly_base")
        if fixed_category == FixedCategory.FARMER:
            amount = rules.to_fen(monthly_amount) if monthly_amount is not None else farmer_default_amount(on)
            if not table.farmer_min <= amount <= table.farmer_max:
                raise RuleViolation(
                    _("Farmers pay from %(min)s to %(max)s yuan a month.")
                    % {"min": table.farmer_min, "max": table.farmer_max},
                    field="monthly_amount",
                )
        else:
            if monthly_amount is not None and rules.to_fen(monthly_amount) != table.low_income_amount:
                raise RuleViolation(
                    _("Students, the unemployed and members living on relief pay %(amount)s yuan a month.")
                    % {"amount": table.low_income_amount},
                    field="monthly_amount",
                )
            amount = table.low_income_amount
        return {**fields, "fixed_category": fixed_category, "monthly_base": None, "monthly_amount": amount}

    if monthly_amount is not None:
        raise RuleViolation(_("The monthly amount is computed from the base."), field="monthly_amount")
    if fixed_category:
        raise RuleViolation(_("Only a fixed amount has a fixed-amount category."), field="fixed_category")
    if kind == BaseKind.SELF_EMPLOYED and quarter_income is not None:
        if monthly_base is not None:
            raise RuleViolation(
                _("Give either last quarter's income or its monthly average, not both."), field="quarter_income"
            )
        if quarter_income < 0:
            raise RuleViolation(_("An income cannot be negative."), field="quarter_income")
        quarter_income = rules.to_fen(quarter_income)
        monthly_base = rules.to_fen(quarter_income / rules.SELF_EMPLOYED_BASE_MONTHS)
        fields["quarter_income"] = quarter_income
    elif quarter_income is not None:
        raise RuleViolation(
            _("Only a self-employed member's base comes from last quarter's income."), field="quarter_income"
        )
    if monthly_base is None:
        raise RuleViolation(_("Give the monthly base."), field="monthly_base")
    if monthly_base < 0:
        raise RuleViolation(_("An income cannot be negative."), field="monthly_base")
    monthly_base = rules.to_fen(monthly_base)
    computed = percentage_amount(table, table.bands.all(), kind, monthly_base)
    return {
        **fields,
        "monthly_base": monthly_base,
        "rate": computed.rate,
        "capped": computed.capped,
        "monthly_amount": computed.monthly_amount,
    }


def _base_months(base: DuesBase) -> tuple[datetime.date, datetime.date]:
    if base.month is not None:
        month = datetime.date(base.year, base.month, 1)
        return month, month
    return datetime.date(base.year, 1, 1), datetime.date(base.year, 12, 1)


def record_base(
    *,
    actor,
    person: Person,
    year: int,
    kind: str,
    monthly_base: Decimal | None = None,
    month: int | None = None,
    quarter_income: Decimal | None = None,
    fixed_category: str = "",
    monthly_amount: Decimal | None = None,
    dues_from: datetime.date | None = None,
) -> DuesBase:
    """Fix a member's dues base for a year (an annual-salary earner's for a month). It is locked once recorded."""
    _require(actor, "manage_dues", person.org)
    if person.stage not in OWING_STAGES:
        raise RuleViolation(_("Only party members, probationary or full, pay dues."), field="person")
    if month is not None and not 1 <= month <= 12:
        raise RuleViolation(_("Write a month as YYYY-MM."), field="month")
    fields = _amount_for(
        person=person,
        year=year,
        month=month,
        kind=kind,
        monthly_base=monthly_base,
        quarter_income=quarter_income,
        fixed_category=fixed_category,
        monthly_amount=monthly_amount,
    )
    if dues_from is not None:
        check_event_date(dues_from, "dues_from")
    with action(actor):
        # One base write per person at a time, so two clerks cannot fix two bases for the same year.
        Person.objects.select_for_update().filter(pk=person.pk).first()
        same_year = DuesBase.objects.filter(person=person, year=year)
        if (
            same_year.exclude(kind=BaseKind.ANNUAL_SALARY).exists()
            or (kind != BaseKind.ANNUAL_SALARY and same_year.exists())
            or same_year.filter(month=month).exists()
        ):
            raise Conflict(
                _("The dues base of %(year)s is fixed for the year; record an adjustment to correct it.")
                % {"year": year}
            )
        try:
            with transaction.atomic():
                base = DuesBase.objects.create(
                    person=person, year=year, month=month, kind=kind, recorded_by=actor, **fields
                )
        except IntegrityError as exc:
            raise Conflict(_("The dues base of %(year)s is fixed for the year.") % {"year": year}) from exc
        if dues_from is not None:
            account = _account(person)
            account.dues_from = dues_from
            account.save(update_fields=["dues_from", "updated_at"])
        reassess_person(person, *_base_months(base))
    return base


def adjust_base(
    *,
    actor,
    base: DuesBase,
    reason: str,
    kind: str | None = None,
    monthly_base: Decimal | None = None,
    quarter_income: Decimal | None = None,
    fixed_category: str | None = None,
    monthly_amount: Decimal | None = None,
) -> DuesBase:
    """Correct a locked base, keeping what it was, why it changed and who changed it. Months already paid keep their amount."""
    _require(actor, "manage_dues", base.person.org)
    if not (reason or "").strip():
        raise RuleViolation(_("Give the reason for the correction."), field="reason")
    kind = kind or base.kind
    if (kind == BaseKind.ANNUAL_SALARY) != (base.kind == BaseKind.ANNUAL_SALARY):
        raise RuleViolation(
            _("An annual-salary base and a yearly base cannot be turned into each other."), field="kind"
        )
    fields = _amount_for(
        person=base.person,
        year=base.year,
        month=base.month,
        kind=kind,
        monthly_base=monthly_base,
        quarter_income=quarter_income,
        fixed_category=fixed_category
        if fixed_category is not None
        else (base.fixed_category if kind == BaseKind.FIXED else ""),
        monthly_amount=monthly_amount,
    )
    if (
        kind == base.kind
        and fields["monthly_base"] == base.monthly_base
        and fields["monthly_amount"] == base.monthly_amount
        and fields["fixed_category"] == base.fixed_category
    ):
        raise RuleViolation(_("The correction changes nothing."), field="monthly_base")
    with action(actor):
        DuesBaseAdjustment.objects.create(
            base=base,
            previous_kind=base.kind,
            previous_monthly_base=base.monthly_base,
            previous_monthly_amount=base.monthly_amount,
            kind=kind,
            monthly_base=fields["monthly_base"],
            monthly_amount=fields["monthly_amount"],
            reason=reason.strip(),
            recorded_by=actor,
        )
        base.kind = kind
        for field, value in fields.items():
            setattr(base, field, value)
        base.save()
        reassess_person(base.person, *_base_months(base))
    return base


# --- payments -----------------------------------------------------------------------------


def _same_payment(payment: Payment, **content) -> bool:
    months = sorted(payment.months.values_list("month", flat=True))
    return (
        payment.person_id == content["person"].pk
        and months == content["months"]
        and payment.amount == content["amount"]
        and payment.voluntary_extra == content["voluntary_extra"]
        and payment.paid_on == content["paid_on"]
        and payment.channel == content["channel"]
        and payment.paid_by_id == (content["paid_by"].pk if content["paid_by"] else None)
    )


def _replay(reference: str | None, **content) -> Payment | None:
    """The payment already recorded under `reference`, if it is the same payment; a different one is a conflict."""
    if not reference:
        return None
    existing = Payment.objects.filter(reference=reference).first()
    if existing is None:
        return None
    if not _same_payment(existing, **content):
        raise Conflict(_("A different payment was already recorded under this reference."))
    return existing


def record_payment(
    *,
    actor,
    person: Person,
    months: list[datetime.date],
    amount: Decimal,
    paid_on: datetime.date,
    channel: str,
    reference: str | None = None,
    paid_by: Person | None = None,
    voluntary_extra: Decimal = Decimal("0.00"),
) -> tuple[Payment, bool]:
    """Record dues paid for one or more months. Returns (payment, created).

    Idempotent by `reference`: the same payment sent again (a provider's callback arriving twice)
    returns the first one; a different payment under the same reference is a conflict.
    """
    org = collecting_org(person)
    own = getattr(actor, "is_authenticated", False) and (
        person.user_id == actor.pk or (paid_by is not None and paid_by.user_id == actor.pk)
    )
    if not own:
        _require(actor, "manage_dues", org)
    months = sorted({first_of(m) for m in months})
    amount = rules.to_fen(amount)
    voluntary_extra = rules.to_fen(voluntary_extra or 0)
    content = {
        "person": person,
        "months": months,
        "amount": amount,
        "voluntary_extra": voluntary_extra,
        "paid_on": paid_on,
        "channel": channel,
        "paid_by": paid_by if paid_by is not None and paid_by.pk != person.pk else None,
    }
    paid_by = content["paid_by"]
    replayed = _replay(reference, **content)
    if replayed is not None:
        return replayed, False

    check_event_date(paid_on, "paid_on")
    if channel not in Channel.values:
        raise RuleViolation(_("Choose how the dues were paid."), field="channel")
    _positive(amount, "amount")
    if voluntary_extra < 0:
        raise RuleViolation(_("A voluntary extra cannot be negative."), field="voluntary_extra")
    if not months and voluntary_extra == 0:
        raise RuleViolation(_("Say which months the payment covers."), field="months")
    account = DuesAccount.objects.filter(person=person).first()
    if paid_by is not None and (account is None or account.proxy_id != paid_by.pk or account.consented_on is None):
        raise RuleViolation(_("The branch has not agreed that this person pays for the member."), field="paid_by")
    paid_month = first_of(paid_on)
    earliest = add_months(paid_month, -rules.BACK_PAYMENT_MAX_MONTHS)
    if months and months[0] < earliest:
        raise RuleViolation(
            _("Back payment reaches at most %(n)s months back: %(month)s is too far.")
            % {"n": rules.BACK_PAYMENT_MAX_MONTHS, "month": format_month(months[0])},
            field="months",
        )
    latest = quarter_last_month(paid_month) if account is not None and account.pays_quarterly else paid_month
    if months and months[-1] > latest:
        raise RuleViolation(
            _("%(month)s cannot be paid yet: dues are paid monthly, or quarterly with the branch's consent.")
            % {"month": format_month(months[-1])},
            field="months",
        )

    with action(actor):
        people = Person.objects.filter(pk=person.pk)
        if months:
            store(compute(months, people), months, people)
        rows = list(MonthlyDue.objects.select_for_update().filter(person=person, month__in=months).order_by("month"))
        # A concurrent delivery of the same reference may have committed while we waited for the lock.
        replayed = _replay(reference, **content)
        if replayed is not None:
            return replayed, False
        missing = sorted(set(months) - {row.month for row in rows})
        if missing:
            raise RuleViolation(
                _(
                    "No dues are owed for %(month)s: there is no dues base for it, or it lies before the member owes dues."
                )
                % {"month": format_month(missing[0])},
                field="months",
            )
        already = [row for row in rows if row.payment_id is not None]
        if already:
            raise Conflict(_("%(month)s is already paid.") % {"month": format_month(already[0].month)})
        waived = [row for row in rows if row.amount == 0]
        if waived:
            raise RuleViolation(
                _("%(month)s is waived by a relief: nothing is owed.") % {"month": format_month(waived[0].month)},
                field="months",
            )
        dues = sum((row.amount for row in rows), Decimal("0.00"))
        if amount != dues + voluntary_extra:
            raise RuleViolation(
                _(
                    "The amount %(amount)s does not match the dues of these months (%(dues)s) plus the declared voluntary extra (%(extra)s)."
                )
                % {"amount": amount, "dues": dues, "extra": voluntary_extra},
                field="amount",
            )
        if not own:
            _note_ledger(actor, org, paid_on.year, LedgerKind.COLLECTION)
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    person=person,
                    org=org,
                    paid_by=paid_by,
                    amount=amount,
                    dues_amount=dues,
                    voluntary_extra=voluntary_extra,
                    paid_on=paid_on,
                    channel=channel,
                    reference=reference or None,
                    recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError as exc:
            raise Conflict(_("A payment was already recorded under this reference.")) from exc
        MonthlyDue.objects.filter(pk__in=[row.pk for row in rows]).update(payment=payment)
        if voluntary_extra >= rules.LARGE_VOLUNTARY_PAYMENT_FROM:
            LargeVoluntaryPayment.objects.create(
                payment=payment, person=person, org=org, amount=voluntary_extra, paid_on=paid_on
            )
    return payment, True


# --- relief -------------------------------------------------------------------------------


def _is_retiree(person: Person, year: int) -> bool:
    return (
        person.category == Category.RETIRED
        or DuesBase.objects.filter(person=person, year=year, kind=BaseKind.RETIRED).exists()
    )


def propose_relief(
    *,
    actor,
    person: Person,
    kind: str,
    start_month: datetime.date,
    end_month: datetime.date,
    reason: str,
    reduced_amount: Decimal | None = None,
    proposed_on: datetime.date | None = None,
) -> Relief:
    """The branch proposes reduced or waived dues for a member in real difficulty, for a period."""
    _require(actor, "propose_relief", person.org)
    proposed_on = check_event_date(proposed_on or today(), "proposed_on")
    start_month, end_month = first_of(start_month), first_of(end_month)
    if kind not in ReliefKind.values:
        raise RuleViolation(_("Choose whether dues are reduced or waived."), field="kind")
    if end_month < start_month:
        raise RuleViolation(_("The last month cannot come before the first."), field="end_month")
    if not (reason or "").strip():
        raise RuleViolation(_("Give the reason for the relief."), field="reason")
    if kind == ReliefKind.REDUCE:
        reduced_amount = _positive(reduced_amount, "reduced_amount")
    elif reduced_amount is not None:
        raise RuleViolation(_("A waiver has no reduced amount."), field="reduced_amount")
    overlapping = Relief.objects.filter(
        person=person,
        status__in=(ReliefStatus.PROPOSED, ReliefStatus.APPROVED),
        start_month__lte=end_month,
        end_month__gte=start_month,
    )
    if overlapping.exists():
        raise RuleViolation(_("Another relief already covers part of this period."), field="start_month")
    with action(actor):
        return Relief.objects.create(
            person=person,
            org=ledger_org(person.org),
            kind=kind,
            reduced_amount=reduced_amount,
            start_month=start_month,
            end_month=end_month,
            reason=reason.strip(),
            retiree=_is_retiree(person, start_month.year),
            proposed_by=actor,
            proposed_on=proposed_on,
        )


def _decide(actor, relief: Relief, decided_on: datetime.date | None) -> datetime.date:
    # The upper committee approves; for a retiree the branch may decide itself (DOMAIN.md §8).
    _require(actor, "approve_retiree_relief" if relief.retiree else "approve_relief", relief.org)
    if relief.status != ReliefStatus.PROPOSED:
        raise Conflict(_("This relief has already been decided."))
    decided_on = check_event_date(decided_on or today(), "decided_on")
    if decided_on < relief.proposed_on:
        raise RuleViolation(_("A relief is decided after it is proposed."), field="decided_on")
    return decided_on


def approve_relief(*, actor, relief: Relief, decided_on: datetime.date | None = None, comment: str = "") -> Relief:
    decided_on = _decide(actor, relief, decided_on)
    with action(actor):
        relief.status = ReliefStatus.APPROVED
        relief.decided_by = actor
        relief.decided_on = decided_on
        relief.decision_comment = comment
        relief.save()
        reassess_person(relief.person, relief.start_month, relief.end_month)
    return relief


def reject_relief(*, actor, relief: Relief, decided_on: datetime.date | None = None, comment: str = "") -> Relief:
    decided_on = _decide(actor, relief, decided_on)
    if not (comment or "").strip():
        raise RuleViolation(_("Give the reason for the rejection."), field="comment")
    with action(actor):
        relief.status = ReliefStatus.REJECTED
        relief.decided_by = actor
        relief.decided_on = decided_on
        relief.decision_comment = comment.strip()
        relief.save()
    return relief


# --- arrears ------------------------------------------------------------------------------


def compute_arrears(*, as_of: datetime.date, actor=None) -> int:
    """Recompute the arrears table as of a day: one row per member in arrears, none for the others. Idempotent."""
    found = arrears_by_person(as_of)
    with action(actor):
        Arrears.objects.exclude(person_id__in=list(found)).delete()
        Arrears.objects.bulk_create(
            [
                Arrears(
                    person_id=person_id, as_of=as_of, months_unpaid=unpaid, consecutive_unpaid=consecutive, since=since
                )
                for person_id, (unpaid, consecutive, since) in found.items()
            ],
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=["as_of", "months_unpaid", "consecutive_unpaid", "since", "computed_at"],
            batch_size=2000,
        )
    return len(found)


# --- remittance, use, publication ------------------------------------------------------------


def record_remittance(
    *, actor, org: Organization, year: int, quarter: int, amount: Decimal, remitted_on: datetime.date
) -> Remittance:
    """A branch remits a quarter's dues to the organization above. Past its deadline it is still recorded, as late."""
    _require(actor, "manage_dues", org)
    if org.kind not in REMITTING_KINDS or org.parent is None:
        raise RuleViolation(_("Branches remit dues to the organization above them."), field="org")
    if quarter not in (1, 2, 3, 4):
        raise RuleViolation(_("A quarter is 1, 2, 3 or 4."), field="quarter")
    check_event_date(remitted_on, "remitted_on")
    if remitted_on < quarter_start(year, quarter):
        raise RuleViolation(_("A quarter's dues are remitted once the quarter has begun."), field="remitted_on")
    amount = _positive(amount, "amount")
    if Remittance.objects.filter(org=org, year=year, quarter=quarter).exists():
        raise Conflict(_("This quarter's remittance is already recorded."))
    with action(actor):
        _note_ledger(actor, org, year, LedgerKind.COLLECTION)
        return Remittance.objects.create(
            org=org,
            to_org=org.parent,
            year=year,
            quarter=quarter,
            amount=amount,
            remitted_on=remitted_on,
            deadline=remittance_deadline(year, quarter),
            recorded_by=actor,
        )


def record_use(*, actor, org: Organization, date: datetime.date, amount: Decimal, purpose: str) -> UseEntry:
    """An entry of the use ledger. Its keeper may not also keep the branch's collection ledger that year."""
    _require(actor, "manage_dues", org)
    check_event_date(date, "date")
    amount = _positive(amount, "amount")
    if not (purpose or "").strip():
        raise RuleViolation(_("Say what the dues were used for."), field="purpose")
    with action(actor):
        _note_ledger(actor, org, date.year, LedgerKind.USE)
        return UseEntry.objects.create(org=org, date=date, amount=amount, purpose=purpose.strip(), recorded_by=actor)


def publish_annual(
    *, actor, org: Organization, year: int, published_on: datetime.date | None = None
) -> AnnualPublication:
    """Publish a year's collection and use to the branch's members, once."""
    _require(actor, "manage_dues", org)
    published_on = check_event_date(published_on or today(), "published_on")
    if published_on < datetime.date(year, 12, 1):
        raise RuleViolation(_("A year's dues are published at its end."), field="published_on")
    if AnnualPublication.objects.filter(org=org, year=year).exists():
        raise Conflict(_("This year's dues are already published."))
    figures = ledger(org, year)
    people = Person.objects.filter(org__path__startswith=org.path)
    lines = month_lines(people, year_months(year), published_on)
    owing = [person_lines for person_lines in lines.values() if person_lines]
    with action(actor):
        return AnnualPublication.objects.create(
            org=org,
            year=year,
            collected=collected(payments_in(org, datetime.date(year, 1, 1), datetime.date(year, 12, 31))),
            remitted=figures["remitted"],
            used=figures["used"],
            members_owing=len(owing),
            members_paid_in_full=sum(
                1
                for person_lines in owing
                if all(line.status in (MonthStatus.PAID, MonthStatus.RELIEVED) for line in person_lines)
            ),
            published_by=actor,
            published_on=published_on,
        )


def settle_centre_share(*, actor, year: int, amount: Decimal, settled_on: datetime.date) -> CentreSettlement:
    """The county settles the centre's share of a year (5% of the dues, plus the large voluntary payments)."""
    if not is_county_admin(actor):
        raise PermissionDenied
    check_event_date(settled_on, "settled_on")
    if settled_on <= datetime.date(year, 12, 31):
        raise RuleViolation(_("The centre's share of a year is settled after the year ends."), field="settled_on")
    expected = centre_share(year)
    if rules.to_fen(amount) != expected["total"]:
        raise RuleViolation(
            _("The centre's share of %(year)s is %(total)s yuan.") % {"year": year, "total": expected["total"]},
            field="amount",
        )
    if CentreSettlement.objects.filter(year=year).exists():
        raise Conflict(_("The centre's share of this year is already settled."))
    with action(actor):
        return CentreSettlement.objects.create(
            year=year, amount=expected["total"], settled_on=settled_on, deadline=expected["deadline"], recorded_by=actor
        )
