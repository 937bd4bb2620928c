"""Dues records for tests, made through the services so amounts are computed as in production.

Call them inside a county (the `county_a` / `county_b` fixtures, or `tree`).
"""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from dues import services
from dues.models import BaseKind, DuesBase, Payment, Relief, ReliefKind
from members.models import Person
from tests.factories import PersonFactory


def county_admin():
    return get_user_model().objects.get(username="admin")


class DuesBaseFactory(factory.Factory):
    """A locked base recorded by the county admin: `DuesBaseFactory(person=..., monthly_base=Decimal("4000"))`."""

    class Meta:
        model = DuesBase

    person = factory.SubFactory(PersonFactory)
    year = 2025
    kind = BaseKind.SALARIED
    monthly_base = Decimal("4000.00")

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> DuesBase:
        return services.record_base(actor=kwargs.pop("actor", None) or county_admin(), **kwargs)


class ReliefFactory(factory.Factory):
    """A proposed relief; pass `actor` (a branch role holder) and the person."""

    class Meta:
        model = Relief

    kind = ReliefKind.WAIVE
    start_month = datetime.date(2025, 3, 1)
    end_month = datetime.date(2025, 5, 1)
    reason = "因病生活困难"
    proposed_on = datetime.date(2025, 2, 20)

    @classmethod
    def _create(cls, model_class, *args, **kwargs) -> Relief:
        return services.propose_relief(**kwargs)


def pay(person: Person, months: list[datetime.date], *, actor=None, paid_on=None, **extra) -> Payment:
    """Pay exactly the dues of `months` (plus any `voluntary_extra`) in cash."""
    from dues.selectors import month_lines

    lines = month_lines(Person.objects.filter(pk=person.pk), months, paid_on or datetime.date(2025, 12, 31))[person.pk]
    amount = sum((line.due for line in lines), Decimal("0.00")) + extra.get("voluntary_extra", Decimal("0.00"))
    payment, _created = services.record_payment(
        actor=actor or county_admin(),
        person=person,
        months=months,
        amount=amount,
        paid_on=paid_on or max(months),
        channel=extra.pop("channel", "cash"),
        **extra,
    )
    return payment


def month(text: str) -> datetime.date:
    year, number = text.split("-")
    return datetime.date(int(year), int(number), 1)
