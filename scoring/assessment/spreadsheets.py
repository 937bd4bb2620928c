"""Excel (.xlsx) exports: an indicator system as its table (一级指标, 二级指标, 分值, 考评内容, 评分标准, 考评材料),
and a year's results."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .config import IndicatorSystem
from .evidence import SOURCES

WRAP = Alignment(wrap_text=True, vertical="top")


def _save(book: Workbook) -> bytes:
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _header(sheet, headers: list[str]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def write_indicator_system(name: str, year: int, system: IndicatorSystem) -> bytes:
    """One row per line of the scoring standard, under its area and indicator; then the weights, grades and vetoes."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Indicators")
    _header(sheet, [_("Area"), _("Area points"), _("Indicator"), _("Points"), _("Content"), _("Scoring standard"),
                    _("Criterion points"), _("Kind"), _("Evidence to check"), _("Automatic evidence")])
    for area in system.areas:
        for indicator in area.indicators:
            for criterion in indicator.criteria:
                points = criterion.points if criterion.kind == "award" else -criterion.points
                sheet.append([
                    area.label, area.points, indicator.label, indicator.points, indicator.content, criterion.label,
                    points, criterion.kind, indicator.evidence,
                    str(SOURCES[criterion.source["code"]].label) if criterion.source else "",
                ])
    sheet.append([_("Total"), system.full_marks])
    for column, width in zip("ABCDEFGHIJ", (22, 8, 20, 8, 40, 60, 10, 10, 40, 20), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
    rules = book.create_sheet(_("Weights and grades"))
    _header(rules, [_("Stage"), _("Weight")])
    for stage, weight in system.stages.items():
        rules.append([stage, weight])
    rules.append([])
    rules.append([_("Grade"), _("From"), _("To")])
    for band in system.grades:
        rules.append([band.label, " ".join(band.lower.as_json()) if band.lower else "", " ".join(band.upper.as_json()) if band.upper else ""])
    rules.append([])
    rules.append([_("One-vote vetoes and exclusions")])
    for finding in (*system.vetoes, *system.exclusions):
        rules.append([finding.label])
    rules.column_dimensions["A"].width = 60
    book.properties.title = f"{year} {name}"
    return _save(book)


def write_results(rows: list[dict], year: int, exported_by: str) -> bytes:
    """The league table of a year: rank, organization, the four stages, total, grade, stars, vetoes."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(year)
    _header(sheet, [_("Rank"), _("Organization"), _("Self-assessment"), _("On-site check"), _("Report appraisal"),
                    _("Satisfaction"), _("Total"), _("Grade"), _("Stars"), _("Vetoed by"), _("Excluded from awards")])
    for row in rows:
        sheet.append([
            row["rank"], row["org"].name,
            *[Decimal(row[key]) if row[key] is not None else None
              for key in ("self_score", "onsite_score", "report_score", "satisfaction_score", "total")],
            row["grade_label"], row["stars"], row["veto_label"] or row["vetoed_by"], _("yes") if row["excluded_from_awards"] else "",
        ])
    sheet.append([])
    sheet.append([_("Exported by %(user)s") % {"user": exported_by}])
    sheet.column_dimensions["B"].width = 28
    return _save(book)
