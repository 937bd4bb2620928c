"""A county admin reads the dashboard: every chart drawn, the table behind it, its Excel export; then the pipeline.

The pictures go to the user guide (docs/guide/admin.md) as admin-*.png.
"""

import json

import pytest

from .conftest import DESKTOP, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Where each stage of the funnel is dated on an admission record, in the funnel's order.
FUNNEL_DATES = ("applied_on", "activist_since", "candidate_since", "probation_start", "converted_on")
CHARTS_DRAWN = """() => {
  const canvases = [...document.querySelectorAll("canvas[data-chart]")];
  return typeof Chart !== "undefined" && canvases.length > 0 && canvases.every((canvas) => Chart.getChart(canvas));
}"""


def test_a_county_admin_reads_the_dashboard(open_page, scene, county):
    from core.dates import today
    from orgs.models import Organization, OrgKind
    from scoring.models import Result
    from workflows.models import AdmissionRecord

    year = today().year
    page = open_page(DESKTOP)

    # 1. From the home page, one click: the dashboard, each figure a chart with its table.
    sign_in(page, scene.admin_username, "/")
    page.locator("header nav a[href='/dashboard/']").click()
    page.wait_for_url("**/dashboard/")
    page.wait_for_function(CHARTS_DRAWN)
    figures = page.locator("section.dashboard-figure")
    codes = figures.evaluate_all("sections => sections.map(section => section.id)")
    charts = json.loads(page.locator("#dashboard-charts").text_content())
    rows = {code: page.locator(f"#{code}-table tbody tr").count() for code in codes}
    funnel = [int(text) for text in page.locator("#funnel-table tbody td").all_inner_texts()]
    overdue = page.locator("#overdue-table tbody").inner_text()
    away = page.locator("#mobile-table tbody tr:has(th:text-is('城关镇党委')) td").first.inner_text()
    graded = sum(int(text) for text in page.locator("#grades-table tbody tr td:last-child").all_inner_texts())
    due, paid = (float(text) for text in page.locator("#dues-table tbody tr:has(th:text-is('城关镇党委')) td").all_inner_texts()[:2])
    shoot(page, "admin-1-dashboard")

    assert len(codes) >= 6 and sorted(charts) == sorted(codes)
    assert page.locator("canvas[data-chart]").count() == len(codes)
    assert all(count >= 1 for count in rows.values())  # a row per item, or the one saying there is nothing
    expected = [AdmissionRecord.objects.filter(**{f"{field}__year": year}).count() for field in FUNNEL_DATES]
    assert funnel == expected == charts["funnel"]["datasets"][0]["data"]
    assert "青山村党支部" in overdue  # the talk past its month
    assert away == "1"  # the member working in Shenzhen
    assert paid * 5 == due * 3  # three members of five paid every month fallen due
    assert graded == Result.objects.filter(year=year).count() > 0

    # 2. The table behind a chart, as a spreadsheet.
    with page.expect_download() as download:
        page.locator("#funnel a.export").click()
    saved = download.value.path()
    assert download.value.suggested_filename == f"dashboard-funnel-{year}.xlsx"
    with open(saved, "rb") as workbook:
        assert workbook.read(2) == b"PK"  # an .xlsx is a zip file

    # 3. The admission pipeline: people per stage and overdue tasks, a row per township.
    page.goto("/pipeline/")
    row_ids = page.locator("table.pipeline tbody tr").evaluate_all("rows => rows.map(row => row.id)")
    shoot(page, "admin-2-pipeline")
    committees = Organization.objects.filter(kind=OrgKind.COMMITTEE).values_list("pk", flat=True)
    assert sorted(row_ids) == sorted(f"committee-{pk}" for pk in committees)
