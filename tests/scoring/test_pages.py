"""Scoring pages: the board with its chart, the red-yellow list, entry forms, the member's own score, the scheme editor."""

import json

from django.db import connection
from django.test import Client

from scoring.models import Entry, Scheme
from scoring.services import approve_entry, declare_entry, publish, review_entry

from .conftest import YEAR, day, member, scheme


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


def _final(entry, secretary):
    review_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)
    return approve_entry(actor=secretary, entry=entry, decision="approve", date=entry.date)


def _red_yellow_branch(admin_a, tree, secretary, alice):
    scheme(admin_a, "red_yellow")
    yellow = member(tree.branch, name="黄同志")
    _final(declare_entry(actor=secretary, person=alice, item="commitment", date=day(2)), secretary)
    for item, quantity in (("org_life", 12), ("dues_on_time", 12), ("study", 12), ("volunteer", 10), ("appraisal_points", 20)):
        _final(declare_entry(actor=secretary, person=alice, item=item, date=day(6), quantity=quantity), secretary)
    _final(declare_entry(actor=secretary, person=yellow, item="study", date=day(3), quantity=5), secretary)
    return yellow


def test_the_board_lists_the_branch_with_its_grade_chart_and_export(county_a, admin_a, tree, secretary, alice):
    _red_yellow_branch(admin_a, tree, secretary, alice)
    page = PageClient(county_a, secretary).get(f"/scoring/board/?year={YEAR}&org={tree.branch.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "爱丽丝" in html and "黄同志" in html
    assert "100.00" in html  # 60 + 20 + 20
    assert "一类" in html and "三类" in html
    assert 'class="bar red"' in html
    assert f"/api/scoring/results.xlsx?year={YEAR}&amp;org={tree.branch.pk}" in html


def test_the_red_yellow_page_shows_the_lists_and_a_member_sees_the_published_notice_of_their_branch(
    county_a, admin_a, tree, secretary, alice, bob
):
    yellow = _red_yellow_branch(admin_a, tree, secretary, alice)
    html = PageClient(county_a, secretary).get(f"/scoring/red-yellow/?year={YEAR}&org={tree.branch.pk}").content.decode()
    red_part, yellow_part = html.split("Yellow list (current results)")[0], html.split("Yellow list (current results)")[1]
    assert "爱丽丝" in red_part.split("Red list (current results)")[1]
    assert yellow.name in yellow_part

    publish(actor=secretary, org=tree.branch, year=YEAR, period="h1", date=day(7, 2))
    member_page = PageClient(county_a, alice.user).get(f"/scoring/red-yellow/?year={YEAR}").content.decode()
    assert "Published half-year notices" in member_page and yellow.name in member_page
    other_page = PageClient(county_a, bob.user).get(f"/scoring/red-yellow/?year={YEAR}").content.decode()
    assert yellow.name not in other_page


def test_a_member_declares_from_the_form_and_sees_it_on_their_page(county_a, admin_a, tree, secretary, alice):
    scheme(admin_a, "twelve_point")
    browser = PageClient(county_a, alice.user)
    refused = browser.post("/scoring/entries/new/", {"person": alice.pk, "item": "sanctioned", "date": "2025-03-01", "quantity": "1"})
    assert refused.status_code == 400  # a sanction needs its evidence
    assert not Entry.objects.exists()
    done = browser.post(
        "/scoring/entries/new/",
        {"person": alice.pk, "item": "late_dues", "date": "2025-03-01", "quantity": "1", "note": "paid late in March"},
    )
    assert done.status_code == 302
    page = browser.get(f"/me/scores/?year={YEAR}").content.decode()
    assert "late_dues" in page and "12.00" in page


def test_the_scheme_editor_previews_without_saving_and_saves_a_new_version(county_a, admin_a, tree, secretary, alice):
    twelve = scheme(admin_a, "twelve_point")
    _final(declare_entry(actor=secretary, person=alice, item="late_dues", date=day(3)), secretary)
    config = dict(twelve.config, start="1")
    editor = PageClient(county_a, admin_a)
    preview = editor.post(f"/scoring/schemes/{twelve.pk}/", {"config": json.dumps(config), "preview": "1", "preview_year": YEAR})
    assert preview.status_code == 200
    assert "Nothing was saved." in preview.content.decode()
    assert Scheme.objects.get(pk=twelve.pk).version == 1

    broken = editor.post(f"/scoring/schemes/{twelve.pk}/", {"config": json.dumps(dict(config, start="x")), "save": "1"})
    assert broken.status_code == 400
    saved = editor.post(f"/scoring/schemes/{twelve.pk}/", {"config": json.dumps(config), "note": "start at 1", "save": "1"})
    assert saved.status_code == 302
    assert Scheme.objects.get(pk=twelve.pk).version == 2

    readonly = PageClient(county_a, secretary).post(f"/scoring/schemes/{twelve.pk}/", {"config": json.dumps(config), "save": "1"})
    assert readonly.status_code == 403
