"""Disposition pages: the proposals with their evidence, opening a case from one, the case page with its timeline
and the appeal form."""

import datetime

from django.db import connection
from django.test import Client

from workflows.models import DispositionCase
from workflows.services import disposition_proposals as proposals

from .conftest import D
from .pipeline import run_case


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


def test_a_proposal_is_shown_with_its_evidence_and_a_case_is_opened_from_it(tree):
    def source(on):
        return [proposals.Finding(tree.member, D(2026, 2, 1), {"post": "环境监督岗"})]

    proposals.register_source("no_assigned_work_6m", source)
    try:
        proposals.refresh_proposals()
    finally:
        proposals.unregister_source("no_assigned_work_6m", source)
    proposal = proposals.open_proposals().get(person=tree.member)
    page = PageClient(tree.county, tree.secretary)
    listing = page.get("/dispositions/")
    assert listing.status_code == 200
    assert "环境监督岗" in listing.content.decode()
    assert "张某" not in PageClient(tree.county, tree.secretary_b2).get("/dispositions/").content.decode()

    too_long = page.post(
        f"/dispositions/proposals/{proposal.pk}/open/",
        {"measure": "rectification", "date": "2026-03-02", "rectification_months": 14},
    )
    assert too_long.status_code == 302
    assert not DispositionCase.objects.exists()
    opened = page.post(
        f"/dispositions/proposals/{proposal.pk}/open/", {"measure": "rectification", "date": "2026-03-02"}
    )
    case = DispositionCase.objects.get(person=tree.member)
    assert opened.status_code == 302 and opened["Location"] == f"/dispositions/{case.process_id}/"
    case_page = page.get(opened["Location"])
    assert case_page.status_code == 200
    assert "2026-03-02" in case_page.content.decode()


def test_the_case_page_shows_the_timeline_and_takes_the_members_appeal(tree):
    process = run_case(tree, tree.member, "removal")
    member_page = PageClient(tree.county, tree.member.user)
    page = member_page.get(f"/dispositions/{process.pk}/")
    assert page.status_code == 200
    assert page.context["history"][-1]["record"].step == "notification"
    assert page.context["appeal_form"] is not None
    empty = member_page.post(f"/dispositions/{process.pk}/appeal/", {"date": "2026-06-01", "text": ""})
    assert empty.status_code == 400
    filed = member_page.post(f"/dispositions/{process.pk}/appeal/", {"date": "2026-06-01", "text": "请求复查"})
    assert filed.status_code == 302
    assert process.disposition.appeals.get().filed_on == datetime.date(2026, 6, 1)
    assert PageClient(tree.county, tree.secretary_b2).get(f"/dispositions/{process.pk}/").status_code == 404
