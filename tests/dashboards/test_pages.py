"""The dashboard page, its Excel exports and the API: who gets them, what they carry, and the CSP they keep."""


from django.urls import reverse

from .conftest import LAST_YEAR

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
