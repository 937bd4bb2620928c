"""Mobile member pages: the register with overdue contacts highlighted, registering, and the detail with its
contact log."""

from django.db import connection
from django.test import Client

from core.dates import today
from members.models import MobileContact, MobileRegistration

from .conftest import months_ago


class PageClient(Client):
    """A browser session on one county's host that returns to that county's schema after each request."""

    def __init__(self, county, user):
        super().__init__(HTTP_HOST=f"{county.slug}.localhost", HTTP_ACCEPT_LANGUAGE="en")
        self.county = county
        self.force_login(user)

    def request(self, **request):
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(self.county)


def test_the_register_highlights_overdue_contacts(tree, away):
    overdue = away(person=tree.member, left_on=months_ago(5))
    away(person=tree.b1_members[1], left_on=months_ago(1))
    page = PageClient(tree.county, tree.secretary).get("/mobile/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "李流动" in html and overdue.certificate_number in html
    assert f'<tr class="overdue">\n        <td><a href="/mobile/{overdue.pk}/">李流动</a>' in html
    assert html.count('<tr class="overdue">') == 1
    # Another committee's branch sees none of them.
    assert "李流动" not in PageClient(tree.county, tree.secretary_b3).get("/mobile/").content.decode()


def test_registering_an_outflow_from_the_page(tree):
    page = PageClient(tree.county, tree.secretary)
    assert page.get("/mobile/new/").status_code == 200
    answer = page.post(
        "/mobile/new/",
        {
            "person": tree.member.pk,
            "destination": "江苏省苏州市",
            "left_on": months_ago(0, days=2).isoformat(),
            "expected_return": months_ago(-4).isoformat(),
            "contact_person": tree.b1_members[0].pk,
        },
    )
    registration = MobileRegistration.objects.get(person=tree.member)
    assert answer.status_code == 302 and answer["Location"] == f"/mobile/{registration.pk}/"
    refused = page.post(
        "/mobile/new/",
        {
            "person": tree.b1_members[1].pk,
            "destination": "江苏省苏州市",
            "left_on": months_ago(0).isoformat(),
            "expected_return": months_ago(-1).isoformat(),
            "contact_person": tree.b1_members[0].pk,
        },
    )
    assert refused.status_code == 400
    assert "less than 3 months" in refused.content.decode()


def test_the_detail_page_records_a_contact_in_the_log(tree, away):
    registration = away(left_on=months_ago(2))
    page = PageClient(tree.county, tree.secretary)
    answer = page.post(
        f"/mobile/{registration.pk}/contact/", {"date": today().isoformat(), "channel": "visit", "note": "上门走访家属"}
    )
    assert answer.status_code == 302
    assert MobileContact.objects.get(registration=registration).note == "上门走访家属"
    detail = page.get(f"/mobile/{registration.pk}/").content.decode()
    assert "上门走访家属" in detail and registration.certificate_number in detail
    assert PageClient(tree.county, tree.secretary_b3).get(f"/mobile/{registration.pk}/").status_code == 404
