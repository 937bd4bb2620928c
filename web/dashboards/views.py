"""The dashboard page (a section per figure: chart, table, Excel export) and each figure's .xlsx."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.exports import stamped
from core.dates import FIRST_YEAR, LAST_YEAR, today

from . import figures, selectors, spreadsheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewer(request: HttpRequest) -> selectors.Viewer:
    view = selectors.viewer(request.user)
    if view is None:
        raise PermissionDenied
    return view


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or ""
    if not raw:
        return today().year
    if not raw.isdigit() or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise Http404
    return int(raw)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    view = _viewer(request)
    year, on = _year(request), today()
    shown = figures.figures(selectors.dashboard(view, year, on))
    context = {
        "year": year,
        "years": range(on.year, max(FIRST_YEAR, on.year - 9) - 1, -1),
        "scope": view.roots,
        "figures": shown,
        # One payload for the chart script: read through json_script, never written into a script.
        "charts": {figure.code: {"title": figure.title, **figure.chart} for figure in shown},
    }
    return render(request, "dashboards/index.html", context)


@login_required
def export(request: HttpRequest, chart: str) -> HttpResponse:
    if chart not in selectors.CODES:
        raise Http404
    view = _viewer(request)
    year = _year(request)
    figure = figures.figure(selectors.dashboard(view, year, today(), codes=(chart,)), chart)
    content = spreadsheets.write_figure(figure, "、".join(root.name for root in view.roots), request.user.get_username())
    content = stamped(content, request, what="dashboard", chart=chart, year=year, rows=len(figure.rows))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{chart}-{year}.xlsx"'
    return response
