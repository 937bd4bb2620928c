"""What other modules read of mobile members (DOMAIN.md §5): the host of the county collects the dues, and
attendance at the host's meetings counts as organizational life."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.dates import today
from core.exceptions import RuleViolation
from dues.selectors import collecting_org
from members.mobile.services import record_return
from members.models import Person
from orgs.life.meetings import record_meeting
from orgs.life.selectors import attendee_candidates, months_without_org_life, people_without_org_life
from tests.dues.factories import DuesBaseFactory, pay

from .conftest import months_ago


def this_month():
    return today().replace(day=1)


def test_dues_payer_at_host_org(tree, away):
    DuesBaseFactory(person=tree.member, year=today().year, monthly_base=Decimal("4500.00"))
    registration = away(host_org=tree.b2)
    assert registration.pays_dues_at_host
    assert collecting_org(tree.member) == tree.b2

    payment = pay(tree.member, [this_month()], actor=tree.secretary_b2, paid_on=today())
    assert payment.org == tree.b2
    # The origin no longer collects while the host does.
    with pytest.raises(PermissionDenied):
        pay(tree.member, [this_month()], actor=tree.secretary, paid_on=today(), reference="origin-try")

    record_return(actor=tree.secretary, registration=registration, on=today())
    assert collecting_org(tree.member) == tree.b1


def test_a_host_outside_the_county_leaves_the_dues_with_the_origin(tree, away):
    registration = away(host_org_name="杭州市西湖区某街道党工委")
    assert not registration.pays_dues_at_host
    assert collecting_org(tree.member) == tree.b1


def test_attendance_at_host_counts_as_organizational_life(tree, away):
    on_roll_since = timezone.make_aware(datetime.datetime.combine(months_ago(12), datetime.time(9)))
    Person.objects.filter(pk=tree.member.pk).update(created_at=on_roll_since)
    away(left_on=months_ago(8), host_org=tree.b2)
    assert tree.member in attendee_candidates(tree.b2)
    lapsed_before = {gap.person.pk for gap in people_without_org_life(as_of=today())}
    assert tree.member.pk in lapsed_before

    record_meeting(
        actor=tree.secretary_b2,
        org=tree.b2,
        kind="themed_day",
        date=today(),
        topic="主题党日：流动党员参加流入地组织生活",
        attendance=[{"person": tree.member.pk, "status": "present"}],
    )

    assert months_without_org_life(tree.member, as_of=today()) == 0
    assert tree.member.pk not in {gap.person.pk for gap in people_without_org_life(as_of=today())}


def test_a_member_not_hosted_is_not_recorded_at_another_branchs_meeting(tree, away):
    away(host_org=tree.b2)
    with pytest.raises(RuleViolation):
        record_meeting(
            actor=tree.secretary_b3,
            org=tree.b3,
            kind="themed_day",
            date=today(),
            topic="主题党日",
            attendance=[{"person": tree.member.pk, "status": "present"}],
        )
    assert tree.member not in attendee_candidates(tree.b3)


def test_the_hosts_collection_sheet_lists_the_member_it_hosts(tree, away):
    from dues.selectors import collection_sheet

    DuesBaseFactory(person=tree.member, year=today().year, monthly_base=Decimal("4500.00"))
    away(host_org=tree.b2)
    host_sheet = [person.pk for person, _line in collection_sheet(tree.b2, this_month(), today())]
    origin_sheet = [person.pk for person, _line in collection_sheet(tree.b1, this_month(), today())]
    assert tree.member.pk in host_sheet
    assert tree.member.pk not in origin_sheet
