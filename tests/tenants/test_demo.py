"""The demo county that `make run` provisions (`manage.py seed_demo`)."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.core.management import call_command

from members.models import Person, Stage
from orgs.models import BRANCH_KINDS, Organization, OrgKind, Role, RoleAssignment
from orgs.selectors import full_member_count
from tenants.demo import DEMO_SLUG, sign_ins
from tenants.models import County
from tests.conftest import CountyClient, in_county
from workflows.models import StepTask, WorkflowProcess

pytestmark = pytest.mark.usefixtures("public_schema")


def seed() -> County:
    call_command("seed_demo", verbosity=0)
    return County.objects.get(slug=DEMO_SLUG)


def census(county: County) -> dict[str, int]:
    with in_county(county):
        models = (Organization, Person, get_user_model(), RoleAssignment, WorkflowProcess, StepTask, LogEntry)
        return {model.__name__: model.objects.count() for model in models}


def test_seeding_the_demo_county_again_writes_nothing():
    county = seed()
    first = census(county)
    assert first["Person"] > 0

    seed()

    assert County.objects.filter(slug=DEMO_SLUG).count() == 1
    assert census(county) == first  # the audit log included: not one row written the second time


def test_the_demo_county_has_townships_branches_groups_and_every_stage():
    with in_county(seed()):
        committees = Organization.objects.filter(kind=OrgKind.COMMITTEE, approval_authority=True)
        assert committees.count() == 2
        assert Organization.objects.filter(kind=OrgKind.GENERAL_BRANCH).exists()
        assert Organization.objects.filter(kind=OrgKind.GROUP).exists()
        branches = Organization.objects.filter(kind__in=BRANCH_KINDS)
        assert branches.count() >= 4
        assert all(full_member_count(branch) >= 3 for branch in branches)
        assert set(Person.objects.values_list("stage", flat=True)) == set(Stage.values)
        assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)


def test_every_demo_sign_in_works_and_the_branch_secretary_has_an_open_task():
    county = seed()
    with in_county(county):
        client = CountyClient(county)
        for username, password, _who in sign_ins():
            response = client.post("/api/auth/token/", {"username": username, "password": password})
            assert response.status_code == 200, username

        applicant = Person.objects.get(user__username="shenqingren")
        assert applicant.stage == Stage.APPLICANT
        secretary = get_user_model().objects.get(username="zhibu1")
        tasks = client.as_user(secretary).get("/api/tasks/").json()["results"]
        assert [(task["step"], task["person"]) for task in tasks] == [("talk", applicant.pk)]
