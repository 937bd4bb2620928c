"""The inbox, the process timeline and the applicant's own timeline, through the browser's forms."""

import pytest
from django.db import connection
from django.test import Client

from orgs.models import Role
from tests.workflows.conftest import days_ago, user_with_role
from workflows.models import StepRecord
from workflows.services.admission import start_admission
from workflows.services.tasks import sweep_overdue


class PageClient(Client):
    """A browser session on one county's host that returns to that county's schema after each request."""

    def __init__(self, county, user):
        super().__init__(HTTP_HOST=f"{county.slug}.localhost")
        self.county = county
        self.force_login(user)

    def request(self, **request):
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(self.county)


@pytest.fixture
def admission(tree, secretary, applicant):
    return start_admission(actor=secretary, branch=tree.branch, date=days_ago(45), person=applicant)


def test_the_inbox_shows_the_talk_overdue_with_its_record_fields(county_a, secretary, admission):
    sweep_overdue()
    page = PageClient(county_a, secretary).get("/tasks/")
    assert page.status_code == 200
    html = page.content.decode()
    talk = admission.step_tasks.get(step="talk")
    assert f'id="task-{talk.task_id}"' in html
    assert 'class="overdue"' in html
    assert f"task-{talk.task_id}-data_talker" in html
    assert f"task-{talk.task_id}-late_reason" in html


def test_a_secretary_takes_and_records_the_talk_from_the_inbox(county_a, secretary, admission):
    browser = PageClient(county_a, secretary)
    talk = admission.step_tasks.get(step="talk")
    prefix = f"task-{talk.task_id}"
    assert browser.post(f"/tasks/{talk.task_id}/assign/").status_code == 302

    refused = browser.post(
        f"/tasks/{talk.task_id}/complete/",
        {f"{prefix}-decision": "approve", f"{prefix}-date": days_ago(2).isoformat(), f"{prefix}-data_talker": "王书记"},
    )
    assert refused.status_code == 400
    assert not StepRecord.objects.filter(step="talk").exists()

    done = browser.post(
        f"/tasks/{talk.task_id}/complete/",
        {
            f"{prefix}-decision": "approve",
            f"{prefix}-date": days_ago(2).isoformat(),
            f"{prefix}-data_talker": "王书记",
            f"{prefix}-late_reason": "申请人外出务工",
        },
    )
    assert done.status_code == 302
    assert done["Location"] == f"/processes/{admission.pk}/"
    record = StepRecord.objects.get(step="talk")
    assert (record.data, record.late, record.actor) == ({"talker": "王书记", "late_reason": "申请人外出务工"}, True, secretary)

    timeline = browser.get(done["Location"]).content.decode()
    assert "王书记" in timeline
    assert 'class="timeline"' in timeline


def test_the_applicant_sees_their_own_timeline(county_a, applicant, admission):
    page = PageClient(county_a, applicant.user).get("/me/application/")
    assert page.status_code == 200
    assert 'class="timeline"' in page.content.decode()


def test_an_applicant_hands_in_the_application_from_their_page(county_a, tree, applicant):
    browser = PageClient(county_a, applicant.user)
    response = browser.post("/me/application/", {"branch": tree.branch.pk, "date": days_ago(1).isoformat()})
    assert response.status_code == 302
    assert StepRecord.objects.get(step="application").actor == applicant.user


def test_a_process_outside_the_users_scope_is_not_found(county_a, tree, admission):
    outsider = user_with_role(tree.other_branch, Role.BRANCH_SECRETARY)
    assert PageClient(county_a, outsider).get(f"/processes/{admission.pk}/").status_code == 404
