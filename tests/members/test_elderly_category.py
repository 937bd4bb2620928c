"""The member category over 65, old, ill or immobile (seed 004 党员分类管理): classed so from the age of 65."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from core.dates import today
from core.exceptions import RuleViolation
from members.models import Category
from members.services import create_person, update_person
from tests.factories import OrganizationFactory, PersonFactory, make_id_number


def test_a_member_is_classed_over_65_from_the_day_they_turn_65(county_a, admin_a):
    branch = OrganizationFactory()
    turning_65_today = make_id_number(today() - relativedelta(years=65))
    person = create_person(actor=admin_a, name="老党员", id_number=turning_65_today, org=branch, category=Category.ELDERLY)
    assert person.category == Category.ELDERLY  # 65岁以上 includes 65

    a_day_short = make_id_number(today() - relativedelta(years=65) + datetime.timedelta(days=1))
    with pytest.raises(RuleViolation) as refused:
        create_person(actor=admin_a, name="差一天", id_number=a_day_short, org=branch, category=Category.ELDERLY)
    assert "category" in refused.value.errors

    younger = PersonFactory(org=branch, id_number=make_id_number(datetime.date(1980, 1, 1)))
    with pytest.raises(RuleViolation):
        update_person(actor=admin_a, person=younger, category=Category.ELDERLY)
    younger.refresh_from_db()
    assert younger.category == Category.OTHER
