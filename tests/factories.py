"""Factories for county records. Call them inside a county (the `county_a` / `county_b` fixtures)."""

import datetime
import itertools

import factory
from django.contrib.auth import get_user_model
from stdnum.cn import ric

from members.models import Person, Stage
from orgs.models import Organization, OrgKind

_serial = itertools.count(1)


def make_id_number(birth: datetime.date = datetime.date(1990, 5, 17), male: bool = True, region: str = "330102") -> str:
    """A valid 18-character ID number, unique per call within a test run."""
    seq = next(_serial)
    order = (seq % 500) * 2 + (1 if male else 0)  # the 17th digit's parity gives the sex
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = OrgKind.BRANCH

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from orgs.selectors import root_organization
        from orgs.services import _set_path

        if kwargs.get("parent") is None:
            kwargs["parent"] = root_organization()
        if kwargs["kind"] == OrgKind.COMMITTEE:
            kwargs.setdefault("approval_authority", True)
        org = model_class.objects.create(*args, **kwargs)
        _set_path(org)
        return org


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"党员{n}")
    id_number = factory.LazyFunction(make_id_number)
    org = factory.SubFactory(OrganizationFactory)
    stage = Stage.FULL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from members.identity import birth_date_of, sex_of

        kwargs.setdefault("birth_date", birth_date_of(kwargs["id_number"]))
        kwargs.setdefault("sex", sex_of(kwargs["id_number"]))
        return model_class.objects.create(*args, **kwargs)
