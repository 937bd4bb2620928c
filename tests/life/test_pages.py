"""Organizational life pages: meeting entry with its attendance grid, the compliance calendar, the ballot sheet."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test import Client

from core.dates import today
from orgs.life.appraisal import open_appraisal
from orgs.life.models import Appraisal, Meeting
from orgs.life.reminders import create_reminders

from .conftest import D, meeting


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


@pytest.fixture
def secretary_page(life) -> PageClient:
    return PageClient(life.county, life.secretary)


def test_the_meeting_entry_shows_an_attendance_grid_of_the_branchs_members(life, secretary_page):
    page = secretary_page.get("/life/meetings/new/", {"org": life.b1.pk})
    assert page.status_code == 200
    html = page.content.decode()
    for person in (*life.b1_members, *life.g1_members, life.probationary):
        assert f'name="status_{person.pk}"' in html
    assert f'name="status_{life.activist.pk}"' not in html
    assert f'name="status_{life.b2_members[0].pk}"' not in html


def test_the_meeting_entry_records_the_meeting_with_the_marked_members(life, secretary_page):
    present, excused = life.b1_members[:2]
    response = secretary_page.post(
        f"/life/meetings/new/?org={life.b1.pk}",
        {
            "kind": "themed_day",
            "date": "2026-03-08",
            "topic": "主题党日：学习党章",
            f"status_{present.pk}": "present",
            f"status_{excused.pk}": "excused",
            f"reason_{excused.pk}": "外出务工",
        },
    )
    assert response.status_code == 302
    recorded = Meeting.objects.get()
    assert {(row.person, row.status, row.reason) for row in recorded.attendance.all()} == {
        (present, "present", ""),
        (excused, "excused", "外出务工"),
    }


def test_the_meeting_entry_shows_the_rule_that_refused_it_and_keeps_the_grid(life, secretary_page):
    member = life.b1_members[0]
    response = secretary_page.post(
        f"/life/meetings/new/?org={life.b1.pk}",
        {"kind": "general_meeting", "date": "2026-03-05", "topic": "支部党员大会", f"status_{member.pk}": "excused"},
    )
    assert response.status_code == 400
    assert "Row 1: give the reason for the excused absence." in response.content.decode()
    assert f'name="status_{member.pk}" value="excused" checked' in response.content.decode()
    assert not Meeting.objects.exists()


def test_another_branchs_meeting_entry_is_not_found(life):
    page = PageClient(life.county, life.secretary_b2)
    assert page.get("/life/meetings/new/", {"org": life.b1.pk}).status_code == 404
    assert page.post(f"/life/meetings/new/?org={life.b1.pk}", {"kind": "themed_day"}).status_code == 404


def test_the_compliance_calendar_marks_held_and_missing_months(life):
    meeting(life, life.b1, "committee_meeting", D(2025, 1, 10))
    meeting(life, life.b1, "committee_meeting", D(2025, 2, 12))
    page = PageClient(life.county, life.reviewer).get("/life/compliance/", {"org": life.t1.pk, "year": 2025})
    assert page.status_code == 200
    html = page.content.decode()
    assert life.b1.name in html and life.g1.name in html and life.b2.name in html
    assert html.count('class="cell held"') == 2
    assert 'class="cell missing" colspan="3"' in html  # a quarterly meeting spans its three months
    assert PageClient(life.county, life.secretary_b2).get("/life/compliance/", {"org": life.b1.pk}).status_code == 404


def test_the_ballot_sheet_records_one_voters_marks(life, secretary_page):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    first, second = life.b1_members[:2]
    sheet = secretary_page.get(f"/life/appraisals/{appraisal.pk}/ballot/")
    assert sheet.status_code == 200 and f'name="choice_{first.pk}"' in sheet.content.decode()
    response = secretary_page.post(
        f"/life/appraisals/{appraisal.pk}/ballot/",
        {"voter": "member", f"choice_{first.pk}": "qualified", f"choice_{second.pk}": "unqualified"},
    )
    assert response.status_code == 302
    counts = {result.person_id: result for result in appraisal.results.all()}
    assert (counts[first.pk].member_qualified, counts[second.pk].member_unqualified) == (1, 1)
    assert sum(result.member_qualified + result.member_unqualified for result in counts.values()) == 2


def test_an_appraisal_is_opened_from_the_calendar(life, secretary_page):
    response = secretary_page.post("/life/appraisals/open/", {"org": life.b1.pk, "year": 2025})
    appraisal = Appraisal.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/life/appraisals/{appraisal.pk}/ballot/")


def test_a_reviewer_reads_the_ballot_sheet_without_recording(life):
    appraisal = open_appraisal(actor=life.secretary, org=life.b1, year=2025)
    page = PageClient(life.county, life.reviewer)
    sheet = page.get(f"/life/appraisals/{appraisal.pk}/ballot/")
    assert sheet.status_code == 200 and "choice_" not in sheet.content.decode()
    assert page.post(f"/life/appraisals/{appraisal.pk}/ballot/", {"voter": "member"}).status_code == 404
    assert PageClient(life.county, life.secretary_b2).get(f"/life/appraisals/{appraisal.pk}/ballot/").status_code == 404


def test_the_calendar_lists_the_branchs_reminders(life, secretary_page):
    member = life.b1_members[0]
    soon = today() + datetime.timedelta(days=2)
    member.party_standing_since = soon - relativedelta(years=10)
    member.save()
    create_reminders(on=today())
    html = secretary_page.get("/life/compliance/", {"org": life.b1.pk}).content.decode()
    assert "Political birthday · " + member.name in html
