"""Assessment pages: the year's assessments, the assessment form per indicator with its evidence, the league
table with its chart and export, the indicator systems, the weak and lax organizations."""

import datetime

from django.db import connection
from django.test import Client
from django.utils import translation

from core.dates import today
from scoring.assessment import services
from scoring.assessment.models import IndicatorScore

from .conftest import YEAR
from .helpers import full_marks, run_through, zeros

OPENED = datetime.date(YEAR + 1, 1, 5)


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


def test_the_assessment_form_shows_each_indicator_with_its_evidence_and_saves_the_sheet(tree, annual):
    with translation.override("en"):  # the evidence's text is written in the language of the reading
        assessment = services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=OPENED)
    browser = PageClient(tree.county, tree.secretary)
    page = browser.get(f"/assessment/{assessment.pk}/").content.decode()
    assert "传达上级党组织决议" in page and "Evidence to check" in page
    assert 'name="value_a4_3_1"' in page and "meetings due in 2025 were not held" in page
    refused = browser.post(f"/assessment/{assessment.pk}/", {"stage": "self", "save": "1", "value_a4_3_1": "1"})
    assert refused.status_code == 400
    assert "give the reason for another value" in refused.content.decode()
    saved = browser.post(f"/assessment/{assessment.pk}/", {"stage": "self", "save": "1", "value_a4_3_1": "1",
                                                          "reason_a4_3_1": "纸质记录齐全", "value_a1_1_1": "0.5"})
    assert saved.status_code == 302
    assert dict(IndicatorScore.objects.values_list("criterion", "reason")) == {"a4_3_1": "纸质记录齐全", "a1_1_1": ""}
    # The committee sees the sheet but may not score it.
    committee_page = PageClient(tree.county, tree.reviewer).get(f"/assessment/{assessment.pk}/").content.decode()
    assert 'name="value_a4_3_1"' not in committee_page


def test_the_sheet_is_submitted_from_its_page(tree, annual):
    assessment = services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=OPENED)
    form = {"stage": "self", "submit": "1", "self-date": "2026-01-06", "self-text": "全年工作自评"}
    for line in full_marks(annual.config):
        form[f"value_{line['criterion']}"] = line["value"]
        form[f"reason_{line['criterion']}"] = line["reason"]
    response = PageClient(tree.county, tree.secretary).post(f"/assessment/{assessment.pk}/", form)
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (str(assessment.self_score), assessment.self_report) == ("100.00", "全年工作自评")


def test_the_league_table_draws_its_chart_on_the_server_and_links_its_export(tree, annual):
    run_through(tree, services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=OPENED),
                sheet=full_marks(annual.config), report="90", ballots={"satisfied": 9, "basically_satisfied": 1,
                                                                       "unsatisfied": 0}, on="2026-01-10")
    page = PageClient(tree.county, tree.admin).get(f"/assessment/league/?year={YEAR}&org={tree.root.pk}").content.decode()
    assert "<svg" in page and 'class="grade-excellent"' in page and "东街社区党支部: 96.20 优秀" in page
    assert f"/api/assessments/results.xlsx?year={YEAR}&amp;org={tree.root.pk}" in page
    assert "<script" not in page


def test_the_index_opens_a_round_and_the_weak_page_shows_the_rectification(tree, annual):
    browser = PageClient(tree.county, tree.reviewer)
    opened = browser.post(f"/assessment/?year={YEAR}", {"scheme": annual.pk, "org": tree.t1.pk})
    assert opened.status_code == 302
    page = browser.get(f"/assessment/?year={YEAR}").content.decode()
    assert "东街社区党支部" in page and "西街社区党支部" in page and "self_assessment" in page
    east = tree.b1.assessments.get()
    run_through(tree, east, sheet=zeros(annual.config), report="40",
                ballots={"satisfied": 0, "basically_satisfied": 0, "unsatisfied": 2}, on="2026-01-10")
    weak = browser.get(f"/assessment/weak/?year={YEAR}").content.decode()
    assert "东街社区党支部" in weak and "Set the rectification plan" in weak
    listing = east.weak_listings.get().pk
    # The plan is set today: its deadline and its tasks' fall after today.
    deadline, task_deadline = today() + datetime.timedelta(days=180), today() + datetime.timedelta(days=90)
    planned = browser.post(f"/assessment/weak/{listing}/plan/", {
        f"plan-{listing}-plan": "整顿", f"plan-{listing}-deadline": deadline.isoformat(),
        f"plan-{listing}-tasks": f"{task_deadline.isoformat()}, 补选支部委员"})
    assert planned.status_code == 302
    assert east.weak_listings.get().tasks.get().title == "补选支部委员"


def test_the_indicator_systems_page_shows_the_table_and_its_export(tree, annual):
    page = PageClient(tree.county, tree.secretary).get("/assessment/schemes/").content.decode()
    assert "落实主体责任" in page and f"/api/assessments/schemes/{annual.pk}/indicators.xlsx" in page
    assert "A new indicator system from a preset" not in page  # the county sets them


def test_the_inbox_lists_the_assessment_step_and_its_process_opens(tree, annual):
    assessment = services.open_assessment(actor=tree.reviewer, scheme=annual, org=tree.b1, on=OPENED)
    browser = PageClient(tree.county, tree.secretary)
    inbox = browser.get("/tasks/").content.decode()
    assert "Self-assessment against the indicators, and the self-report" in inbox
    assert browser.get(f"/processes/{assessment.process_id}/").status_code == 200
