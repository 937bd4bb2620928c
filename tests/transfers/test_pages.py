"""Transfer pages: the list with statuses, a transfer with its letter preview and timeline, the paper receipt,
and a letter from another county waiting in the receiving county's inbox."""

from django.db import connection
from django.test import Client

from tests.conftest import in_county

from .helpers import complete, deliver_all, outside, request, send, task_of


class PageClient(Client):
    """A browser session on one county's host that returns to that county's schema after each request."""

    def __init__(self, county, user):
        with in_county(county):
            super().__init__(HTTP_HOST=f"{county.slug}.localhost", HTTP_ACCEPT_LANGUAGE="en")
            self.force_login(user)
        self.county = county

    def request(self, **request):
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(self.county)


def test_the_transfer_list_and_page_show_the_status_and_a_preview_of_the_letter(world, client_a):
    transfer = send(world, client_a)
    page = PageClient(world.alpha.county, world.alpha.secretary)
    listing = page.get("/transfers/").content.decode()
    assert "张三丰" in listing
    assert transfer["letter_number"] in listing
    assert 'href="/transfers/"' in listing  # the nav link
    assert "张三丰" not in page.get("/transfers/?status=completed").content.decode()

    detail = page.get(f"/transfers/{transfer['id']}/").content.decode()
    assert "Letter sent" in detail
    assert "Introduction letter for the transfer of party membership" in detail
    assert f"No. {transfer['letter_number']}" in detail
    assert f"/api/transfers/{transfer['id']}/letter.pdf" in detail
    assert world.alpha.member.id_number not in detail  # the preview masks the ID number
    assert (
        PageClient(world.alpha.county, world.alpha.secretary_hekou).get(f"/transfers/{transfer['id']}/").status_code
        == 404
    )


def test_the_paper_receipt_is_registered_on_the_transfer_page(world, client_a):
    alpha = world.alpha
    transfer = request(client_a(alpha.secretary), outside(alpha.member))
    complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval"))
    page = PageClient(alpha.county, alpha.reviewer)
    assert "Register the paper receipt" in page.get(f"/transfers/{transfer['id']}/").content.decode()
    assert (
        "Register the paper receipt"
        not in PageClient(alpha.county, alpha.secretary).get(f"/transfers/{transfer['id']}/").content.decode()
    )
    future = page.post(f"/transfers/{transfer['id']}/receipt/", {"date": "2999-01-01"})
    assert future.status_code == 400
    done = page.post(f"/transfers/{transfer['id']}/receipt/", {"date": transfer["requested_on"]})
    assert done.status_code == 302
    assert client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()["status"] == "completed"


def test_a_letter_from_another_county_waits_in_its_inbox_with_the_members_name(world, client_a):
    send(world, client_a)
    deliver_all()
    inbox = PageClient(world.beta.county, world.beta.admin).get("/tasks/").content.decode()
    assert "Accept the member into a branch, or return the letter" in inbox
    assert "张三丰" in inbox
    assert "幸福社区党支部" in inbox  # the branches to choose from
