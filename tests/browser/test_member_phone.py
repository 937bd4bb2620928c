"""The member's pages fit a phone screen: at 390 px wide nothing runs off the side of the page (tables
scroll inside their own box), and the member's page is one click from the nav."""

import pytest

from .conftest import PHONE, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MEMBER_PAGES = ("/me/", "/me/application/", "/me/scores/", "/me/dues/", "/me/mobile/", "/me/notifications/")


def test_the_members_pages_fit_a_phone_screen(open_page, scene, county):
    page = open_page(PHONE)
    sign_in(page, scene.member_username, "/tasks/")
    page.locator("header.top nav a.nav-me").click()
    page.wait_for_url("**/me/")
    overflowing = {}
    for path in MEMBER_PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            overflowing[path] = width
    assert overflowing == {}
