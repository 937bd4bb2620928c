"""In a real browser: an applicant signs in and sees their timeline; a reviewer records a step from the inbox."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from .conftest import CHROMIUM_ARGS, PASSWORD

# django_db tells pytest-django to create the test database; without it the run would reach the dev one.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@contextmanager
def browser_page(chromium: str) -> Iterator:
    # Playwright's sync API runs an event loop in this thread: no ORM call happens inside this block.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def sign_in(page, base_url: str, username: str, then: str) -> None:
    page.goto(f"{base_url}/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{then}")


def test_an_applicant_signs_in_and_sees_their_timeline(chromium, base_url, scene, county):
    with browser_page(chromium) as page:
        sign_in(page, base_url, scene.applicant_username, "/me/application/")
        steps_done = page.locator("ol.timeline > li").count()
        timeline = page.locator("ol.timeline").inner_text()
        coming = page.locator("section.card ul").last.inner_text()

    assert steps_done == 2  # the application and the talk
    assert "王书记" in timeline
    assert coming.strip()  # the next step (the activist decision) with its due date


def test_a_reviewer_records_a_step_from_the_inbox(chromium, base_url, scene, county):
    from workflows.models import StepRecord

    with browser_page(chromium) as page:
        sign_in(page, base_url, scene.reviewer_username, "/tasks/")
        card = page.locator(f"#task-{scene.filing_task}")
        card.wait_for()
        card.locator("form[action$='/complete/'] button[type=submit]").click()
        page.wait_for_url(f"**/processes/{scene.filing_process}/")
        recorded = page.locator("ol.timeline > li").count()

    assert recorded == 4
    filing = StepRecord.objects.select_related("actor").get(process_id=scene.filing_process, step="activist_filing")
    assert filing.actor.username == scene.reviewer_username
    assert filing.decision == "approve"
