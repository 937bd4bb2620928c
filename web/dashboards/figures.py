"""The dashboard's figures as the page, the print and the spreadsheet show them: a table of columns and rows,
and the chart drawn from that same table. Built from web.dashboards.selectors.dashboard; no queries here."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Figure:
    code: str  # the chart's name in URLs: /dashboard/<code>.xlsx
    title: str
    note: str
    columns: list[tuple[str, str]]  # (key in a row, heading)
    rows: list[dict]
    chart: dict  # what the chart script draws: {"type", "labels", "datasets": [{"label", "data"}]}
    yearly: bool = True  # whether the year selector changes it
    empty: str = field(default="")
    links: dict[str, Callable[[dict], str]] = field(default_factory=dict)  # column key → the row's page behind it

    def cells(self) -> list[list[Any]]:
        return [[row[key] for key, _heading in self.columns] for row in self.rows]

    def linked_cells(self) -> list[list[tuple[Any, str | None]]]:
        """The cells with the page each one opens, if any (the table's drill-down; the spreadsheet has none)."""
        return [
            [(row[key], self.links[key](row) if key in self.links else None) for key, _heading in self.columns]
            for row in self.rows
        ]


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _funnel(data: dict) -> Figure:
    rows = data["funnel"]
    return Figure(
        code="funnel",
        title=_("Admission funnel"),
        note=_("People who reached each stage of admission in %(year)s.") % {"year": data["year"]},
        columns=[("label", _("Stage")), ("count", _("People"))],
        rows=rows,
        chart={
            "type": "bar",
            "labels": [row["label"] for row in rows],
            "datasets": [{"label": _("People"), "data": [row["count"] for row in rows]}],
        },
    )


def _overdue(data: dict) -> Figure:
    committees = data["overdue_by_committee"]
    return Figure(
        code="overdue",
        title=_("Overdue tasks"),
        note=_("Open tasks past their due date, per committee and organization, as of %(date)s.")
        % {"date": data["as_of"].isoformat()},
        columns=[("committee", _("Committee")), ("org", _("Organization")), ("count", _("Overdue tasks"))],
        rows=data["overdue_tasks"],
        chart={
            "type": "bar",
            "labels": [row["committee"] for row in committees],
            "datasets": [{"label": _("Overdue tasks"), "data": [row["count"] for row in committees]}],
        },
        yearly=False,
        empty=_("No overdue tasks."),
    )


def _org_life(data: dict) -> Figure:
    committees = data["org_life_by_committee"]
    return Figure(
        code="org-life",
        title=_("Behind on organizational life"),
        note=_("Branches and party groups missing meetings in %(year)s up to %(date)s.")
        % {"year": data["year"], "date": data["as_of"].isoformat()},
        columns=[
            ("committee", _("Committee")),
            ("org", _("Organization")),
            ("kind_label", _("Kind")),
            ("due", _("Meetings due")),
            ("held", _("Meetings held")),
            ("missing", _("Meetings missing")),
        ],
        rows=data["org_life_behind"],
        chart={
            "type": "bar",
            "labels": [row["committee"] for row in committees],
            "datasets": [
                {"label": _("Behind"), "data": [row["behind"] for row in committees]},
                {"label": _("Up to date"), "data": [row["checked"] - row["behind"] for row in committees]},
            ],
            "stacked": True,
        },
        empty=_("No branch is behind."),
        links={"org": lambda row: _compliance_calendar(row["org_id"], data["year"])},
    )


def _compliance_calendar(org_id: int, year: int) -> str:
    return f"{reverse('web:life_compliance')}?{urlencode({'org': org_id, 'year': year})}"


def _dues(data: dict) -> Figure:
    rows = data["dues_collection"]
    return Figure(
        code="dues",
        title=_("Dues collection rate"),
        note=_("Dues of %(year)s's months fallen due by %(date)s, and how much of it is paid.")
        % {"year": data["year"], "date": data["as_of"].isoformat()},
        columns=[("committee", _("Committee")), ("due", _("Due")), ("paid", _("Paid")), ("rate", _("Rate (%)"))],
        rows=rows,
        chart={
            "type": "bar",
            "labels": [row["committee"] for row in rows],
            "datasets": [{"label": _("Rate (%)"), "data": [_number(row["rate"]) for row in rows]}],
            "max": 100,
        },
    )


def _grades(data: dict) -> Figure:
    rows = data["grades"]
    return Figure(
        code="grades",
        title=_("Score grades"),
        note=_("Members per grade of the scoring results of %(year)s.") % {"year": data["year"]},
        columns=[("scheme", _("Scheme")), ("label", _("Grade")), ("count", _("Members"))],
        rows=rows,
        chart={
            "type": "bar",
            "labels": [f"{row['label']} · {row['scheme']}" for row in rows],
            "datasets": [{"label": _("Members"), "data": [row["count"] for row in rows]}],
        },
        empty=_("No scoring results for this year yet."),
    )


def _mobile(data: dict) -> Figure:
    rows = data["mobile_members"]
    return Figure(
        code="mobile",
        title=_("Mobile members and lost contacts"),
        note=_("Members away on an open registration, per committee, as of %(date)s.") % {"date": data["as_of"].isoformat()},
        columns=[("committee", _("Committee")), ("mobile", _("Mobile members")), ("lost_contact", _("Lost contact"))],
        rows=rows,
        chart={
            "type": "bar",
            "labels": [row["committee"] for row in rows],
            "datasets": [
                {"label": _("Mobile members"), "data": [row["mobile"] for row in rows]},
                {"label": _("Lost contact"), "data": [row["lost_contact"] for row in rows]},
            ],
            "stacked": True,
        },
        yearly=False,
    )


BUILDERS = {"funnel": _funnel, "overdue": _overdue, "org-life": _org_life, "dues": _dues, "grades": _grades, "mobile": _mobile}


def figures(data: dict) -> list[Figure]:
    return [build(data) for build in BUILDERS.values()]


def figure(data: dict, code: str) -> Figure:
    return BUILDERS[code](data)
