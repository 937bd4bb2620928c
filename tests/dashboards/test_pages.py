"""The dashboard page, its Excel exports and the API: who gets them, what they carry, and the CSP they keep."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook

from accounts.models import SecurityEvent
from core.dates import today
from tests.factories import PersonFactory

from .conftest import LAST_YEAR, red_yellow_scheme, result
from .data import DAY, meeting, open_task, registration

CHARTS = ("funnel", "overdue", "org-life", "dues", "grades", "mobile")


def test_the_dashboard_page_has_a_chart_and_a_table_per_figure(tree, page_client):
    page = page_client(tree.admin).get(f"/dashboard/?year={LAST_YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    for code in CHARTS:
        assert f'data-chart="{code}"' in html
        assert f'id="{code}-table"' in html
        assert reverse("web:dashboard_export", args=[code]) in html
    assert 'id="dashboard-charts" type="application/json"' in html
    assert "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "/static/dashboards/dashboard.js" in html


def test_a_branch_behind_on_organizational_life_opens_its_compliance_calendar_from_the_table(tree, page_client):
    meeting(tree.b1, "general_meeting", datetime.date(LAST_YEAR, 2, 10))
    client = page_client(tree.reviewer_t1)
    html = client.get(f"/dashboard/?year={LAST_YEAR}").content.decode()
    table = html[html.index('id="org-life-table"') :]
    table = table[: table.index("</table>")]
    link = f"{reverse('web:life_compliance')}?org={tree.b1.pk}&amp;year={LAST_YEAR}"
    assert f'<a href="{link}">东街社区党支部</a>' in table

    calendar = client.get(link.replace("&amp;", "&"))
    assert calendar.status_code == 200
    assert calendar.context["org"] == tree.b1 and calendar.context["year"] == LAST_YEAR


def test_the_page_runs_no_inline_script_under_the_content_security_policy(tree, page_client):
    page = page_client(tree.reviewer_t1).get("/dashboard/")
    policy = page.headers["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'unsafe-inline'" not in script_src and "http" not in script_src
    scripts = re.findall(r"<script([^>]*)>", page.content.decode())
    # The chart data is JSON (not run); every script that runs is a file of this site.
    assert all('type="application/json"' in attrs or 'src="/static/' in attrs for attrs in scripts), scripts


def test_the_chart_data_the_script_reads_is_the_table_behind_it(tree, page_client):
    open_task(tree.b1, today() - DAY)
    open_task(tree.b3, today() - DAY)
    page = page_client(tree.admin).get("/dashboard/")
    charts = page.context["charts"]
    overdue = dict(zip(charts["overdue"]["labels"], charts["overdue"]["datasets"][0]["data"], strict=True))
    assert overdue == {tree.root.name: 0, "城关镇党委": 1, "河口镇党委": 1}
    html = page.content.decode()
    table = html[html.index('id="overdue-table"') :]
    table = table[: table.index("</table>")]
    assert "东街社区党支部" in table and "河口村党支部" in table


def test_a_reviewer_of_one_township_sees_none_of_another_townships_figures(tree, page_client, api_client):
    open_task(tree.b1, today() - DAY)
    registration(tree.b1)
    scheme = red_yellow_scheme(LAST_YEAR)
    result(PersonFactory(org=tree.b1), scheme, "class_1", LAST_YEAR)
    page = page_client(tree.reviewer_t2).get(f"/dashboard/?year={LAST_YEAR}")
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("城关镇党委", "东街社区党支部", "西街社区党支部", "东村第一党支部", tree.root.name + " ·"):
        assert name not in html
    body = api_client(tree.reviewer_t2).get(f"/api/dashboard/?year={LAST_YEAR}").json()
    assert [row["committee"] for row in body["mobile_members"]] == ["河口镇党委"]
    assert body["overdue_tasks"] == [] and body["mobile_members"][0]["mobile"] == 0
    assert all(row["count"] == 0 for row in body["grades"]) or body["grades"] == []
    t1 = api_client(tree.reviewer_t1).get(f"/api/dashboard/?year={LAST_YEAR}").json()
    assert [(row["org"], row["count"]) for row in t1["overdue_tasks"]] == [("东街社区党支部", 1)]
    assert t1["mobile_members"][0] == {"committee_id": tree.t1.pk, "committee": "城关镇党委", "mobile": 1, "lost_contact": 0}


@pytest.mark.parametrize("who", ["member", "secretary_b1"])
def test_members_and_branch_secretaries_are_refused_the_dashboards(tree, page_client, api_client, who):
    user = getattr(tree, who)
    assert page_client(user).get("/dashboard/").status_code == 403
    assert page_client(user).get("/dashboard/dues.xlsx").status_code == 403
    assert api_client(user).get("/api/dashboard/").status_code == 403
    home = page_client(user).get("/").content.decode()
    assert reverse("web:dashboard") not in home


def test_the_dashboard_is_linked_from_home_for_those_who_see_it(tree, page_client):
    assert f'href="{reverse("web:dashboard")}"' in page_client(tree.reviewer_t1).get("/").content.decode()


def test_anonymous_callers_sign_in_first(tree):
    from tests.conftest import CountyClient

    client = CountyClient(tree.county)
    assert client.get("/dashboard/").status_code == 302
    assert client.get("/api/dashboard/").status_code in (401, 403)


def test_an_unknown_chart_or_year_is_not_found(tree, page_client):
    client = page_client(tree.admin)
    assert client.get("/dashboard/nothing.xlsx").status_code == 404
    assert client.get("/dashboard/?year=abc").status_code == 404


def test_the_excel_export_holds_the_rows_of_the_table(tree, page_client):
    open_task(tree.b1, today() - DAY)
    open_task(tree.b1, today() - 2 * DAY)
    open_task(tree.b3, today() - DAY)
    response = page_client(tree.admin).get("/dashboard/overdue.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="dashboard-overdue-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert sorted(values) == sorted([["城关镇党委", "东街社区党支部", 2], ["河口镇党委", "河口村党支部", 1]])
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT, detail__what="dashboard", detail__chart="overdue").exists()


def test_the_dues_export_writes_money_and_rates_as_numbers(tree, page_client):
    from decimal import Decimal

    from .data import dues_member

    dues_member(tree.b3, LAST_YEAR, months=2)
    response = page_client(tree.reviewer_t2).get(f"/dashboard/dues.xlsx?year={LAST_YEAR}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    [row] = list(sheet.iter_rows(min_row=5, values_only=True))
    assert row[0] == "河口镇党委" and row[1] > 0 and row[2] == 0 and Decimal(str(row[3])) == Decimal("0.0")


def test_the_api_is_documented_with_its_figures(db):
    schema = SchemaGenerator(urlconf="config.urls").get_schema(request=None, public=True)
    assert "/api/dashboard/" in schema["paths"]
    dashboard = schema["components"]["schemas"]["Dashboard"]
    assert {"funnel", "overdue_tasks", "org_life_behind", "dues_collection", "grades", "mobile_members"} <= set(
        dashboard["properties"]
    )


def test_the_api_refuses_a_year_that_is_not_one(tree, api_client):
    assert api_client(tree.admin).get("/api/dashboard/?year=20x5").status_code == 400
