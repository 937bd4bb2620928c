import pytest

from orgs.models import OrgKind
from tests.factories import OrganizationFactory


@pytest.fixture
def committee(county_a):
    return OrganizationFactory(name="城关镇党委", kind=OrgKind.COMMITTEE)


@pytest.fixture
def branch(committee):
    return OrganizationFactory(name="城关社区党支部", parent=committee)
