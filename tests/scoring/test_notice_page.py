"""A member objects to an entry of their branch under public notice from the page (DOMAIN.md §7)."""

import pytest
from django.db import connection
from django.test import Client

from core.dates import today
from scoring.models import Objection
from scoring.services import approve_entry, create_scheme, declare_entry, review_entry, start_notice

from .conftest import member


class PageClient(Client):
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
def noticed(county_a, admin_a, tree, secretary, alice):
    """An entry of Alice's, approved and put under public notice today."""
    on = today()
    create_scheme(actor=admin_a, year=on.year, name="twelve_point", preset="twelve_point")
    entry = declare_entry(actor=secretary, person=alice, item="late_dues", date=on)
    entry = review_entry(actor=secretary, entry=entry, decision="approve", date=on)
    entry = approve_entry(actor=secretary, entry=entry, decision="approve", date=on)
    assert start_notice(actor=secretary, org=tree.branch, date=on) == 1
    return entry


def test_a_member_of_the_branch_objects_to_an_entry_under_notice_from_the_page(county_a, tree, noticed):
    colleague = member(tree.branch)
    browser = PageClient(county_a, colleague.user)
    page = browser.get("/scoring/notice/")
    assert page.status_code == 200 and f'id="entry-{noticed.pk}"' in page.content.decode()

    answer = browser.post("/scoring/notice/", {"entry": noticed.pk, "text": "she paid on time"})
    assert answer.status_code == 302
    objection = Objection.objects.get(entry=noticed)
    assert (objection.raised_by, objection.text, objection.raised_on) == (colleague.user, "she paid on time", today())
    assert 'name="entry"' not in browser.get("/scoring/notice/").content.decode()  # objected: no second form


def test_an_objection_without_text_is_refused_and_nothing_is_recorded(county_a, tree, noticed):
    browser = PageClient(county_a, member(tree.branch).user)
    assert browser.post("/scoring/notice/", {"entry": noticed.pk, "text": "  "}).status_code == 400
    assert not Objection.objects.exists()


def test_a_member_of_another_branch_neither_sees_nor_objects_to_the_notice(county_a, bob, noticed):
    browser = PageClient(county_a, bob.user)
    assert f'id="entry-{noticed.pk}"' not in browser.get("/scoring/notice/").content.decode()
    assert browser.post("/scoring/notice/", {"entry": noticed.pk, "text": "?"}).status_code == 404
    assert not Objection.objects.exists()


def test_the_members_to_do_list_leads_to_the_notice_page(county_a, tree, noticed):
    page = PageClient(county_a, member(tree.branch).user).get("/me/").content.decode()
    assert 'href="/scoring/notice/"' in page
