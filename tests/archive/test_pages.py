"""Archive pages: the archive shows nothing without an approval, asks for one, and shows the entries (logged)
once the committee leader in charge has approved."""

from django.db import connection
from django.test import Client

from members.models import AccessStatus, ArchiveAccessRequest, ArchiveRead


class PageClient(Client):
    def __init__(self, county, user):
        super().__init__(HTTP_HOST=f"{county.slug}.localhost", HTTP_ACCEPT_LANGUAGE="en")
        self.county = county
        self.force_login(user)

    def request(self, **request):
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(self.county)


def test_the_archive_page_asks_then_shows_after_approval(tree):
    secretary, reviewer = PageClient(tree.county, tree.secretary), PageClient(tree.county, tree.reviewer)
    before = secretary.get(f"/people/{tree.member.pk}/archive/").content.decode()
    assert "入党志愿书" not in before and "Ask to read this archive" in before
    assert secretary.post(f"/people/{tree.member.pk}/archive/request/", {"reason": "换届考察"}).status_code == 302
    access = ArchiveAccessRequest.objects.get(person=tree.member)
    assert "换届考察" in reviewer.get("/archive/requests/").content.decode()
    assert reviewer.post(f"/archive/requests/{access.pk}/decide/", {"decision": "approve"}).status_code == 302
    access.refresh_from_db()
    assert access.status == AccessStatus.APPROVED
    after = secretary.get(f"/people/{tree.member.pk}/archive/").content.decode()
    assert "入党志愿书" in after
    assert ArchiveRead.objects.filter(reader=tree.secretary, person=tree.member).count() == 1
    download = secretary.get(f"/people/{tree.member.pk}/archive/{tree.entry.pk}/document/")
    assert download.status_code == 200
    assert ArchiveRead.objects.filter(entry=tree.entry).count() == 1
    assert "换届考察" in reviewer.get(f"/people/{tree.member.pk}/archive/").content.decode()


def test_the_own_archive_page_shows_the_rule_and_nothing_else(tree):
    page = PageClient(tree.county, tree.member.user).get(f"/people/{tree.member.pk}/archive/").content.decode()
    assert "Nobody reads their own archive." in page
    assert "入党志愿书" not in page
    assert not ArchiveRead.objects.exists()
