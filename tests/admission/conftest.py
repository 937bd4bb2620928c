"""An organization tree with its role holders, full members to mentor and sponsor, and an applicant."""

import pytest
from django.contrib.auth import get_user_model

from members.models import Stage
from tests.factories import PersonFactory
from tests.workflows import conftest as shared

from .pipeline import Actors

# The organization tree, its role holders and the applicant of the workflow tests.
tree, secretary, reviewer, applicant = shared.tree, shared.secretary, shared.reviewer, shared.applicant


@pytest.fixture
def county_admin(county_a):
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def members(tree):
    """Three full members of the branch, to be named mentors and sponsors."""
    return [PersonFactory(org=tree.branch, stage=Stage.FULL) for _ in range(3)]


@pytest.fixture
def actors(secretary, reviewer, county_admin, applicant) -> Actors:
    return Actors(branch=secretary, committee=reviewer, county=county_admin, applicant=applicant.user)
