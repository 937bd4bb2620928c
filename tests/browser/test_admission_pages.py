"""In a real browser: an applicant signs in and sees their timeline; a reviewer records a step from the inbox."""

import pytest

from .conftest import sign_in

# django_db tells pytest-django to create the test database; without it the run would reach the dev one.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_an_applicant_signs_in_and_sees_their_timeline(open_page, scene, county):
    page = open_page()
    sign_in(page, scene.applicant_username, "/me/application/")
    steps_done = page.locator("ol.timeline > li").count()
    timeline = page.locator("ol.timeline").inner_text()
    coming = page.locator("ol.timeline + h2 + ul").inner_text()

    assert steps_done == 2  # the application and the talk
    assert "王书记" in timeline
    assert coming.strip()  # the next step (the activist decision) with its due date


def test_a_reviewer_records_a_step_from_the_inbox(open_page, scene, county):
    from workflows.models import StepRecord

    page = open_page()
    sign_in(page, scene.reviewer_username, "/tasks/")
    card = page.locator(f"#task-{scene.filing_task}")
    card.wait_for()
    card.locator("form[action$='/complete/'] button[type=submit]").click()
    page.wait_for_url(f"**/processes/{scene.filing_process}/")
    recorded = page.locator("ol.timeline > li").count()

    assert recorded == 4
    filing = StepRecord.objects.select_related("actor").get(process_id=scene.filing_process, step="activist_filing")
    assert filing.actor.username == scene.reviewer_username
    assert filing.decision == "approve"
