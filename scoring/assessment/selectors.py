"""Reads of organization assessments, always through the caller's scope: the sheets with their evidence,
the league table and its chart, an organization's record, the weak and lax organizations."""

from decimal import Decimal
from xml.sax.saxutils import escape

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from orgs.access import roots, scope
from orgs.models import Organization
from workflows.engine import OPEN_STATUSES, may_act
from workflows.models import StepTask

from .config import SHEET_STAGES, IndicatorSystem, read_system
from .evidence import SOURCES
from .models import (
    Assessment,
    AssessmentScheme,
    AssessmentStatus,
    Evidence,
    IndicatorScore,
    SecretaryFlag,
    WeakOrganization,
)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def schemes_visible_to(user) -> QuerySet[AssessmentScheme]:
    if not _signed_in(user) or not roots(user, "view_assessments"):
        return AssessmentScheme.objects.none()
    return AssessmentScheme.objects.all()


def assessments_visible_to(user) -> QuerySet[Assessment]:
    if not _signed_in(user):
        return Assessment.objects.none()
    # Each assessment's open steps in one query for a whole list (read by open_steps).
    steps = StepTask.objects.filter(task__status__in=OPEN_STATUSES).select_related("task", "org", "process")
    return (
        Assessment.objects.filter(scope(user, "view_assessments"))
        .select_related("org", "scheme", "process")
        .prefetch_related(Prefetch("process__step_tasks", queryset=steps, to_attr="open_steps_prefetched"))
    )


def weak_visible_to(user) -> QuerySet[WeakOrganization]:
    if not _signed_in(user):
        return WeakOrganization.objects.none()
    return WeakOrganization.objects.filter(scope(user, "view_assessments")).select_related("org", "assessment").prefetch_related("tasks")


def flags_visible_to(user) -> QuerySet[SecretaryFlag]:
    if not _signed_in(user):
        return SecretaryFlag.objects.none()
    return SecretaryFlag.objects.filter(scope(user, "handle_secretary_flags")).select_related("org", "secretary", "assessment")


def in_subtree(queryset: QuerySet, org: Organization, field: str = "org__") -> QuerySet:
    return queryset.filter(**{f"{field}path__startswith": org.path})


def open_steps(assessment: Assessment) -> list[StepTask]:
    if assessment.process_id is None:
        return []
    prefetched = getattr(assessment.process, "open_steps_prefetched", None)
    if prefetched is not None:
        return prefetched
    return list(
        StepTask.objects.filter(process_id=assessment.process_id, task__status__in=OPEN_STATUSES).select_related("task", "org", "process")
    )


def actionable_steps(user, assessment: Assessment) -> dict[str, StepTask]:
    """The open steps of the assessment the user may record, by step code."""
    return {step_task.step: step_task for step_task in open_steps(assessment) if may_act(user, step_task)}


def grade_label(assessment: Assessment) -> str:
    return read_system(assessment.config).grade_label(assessment.grade) if assessment.grade else ""


def sheet(assessment: Assessment, stage: str, system: IndicatorSystem | None = None) -> list[dict]:
    """The indicator system with, for each criterion, the evidence the system found and the value on the sheet."""
    system = system or read_system(assessment.config)
    found = {row.criterion: row for row in Evidence.objects.filter(assessment=assessment)}
    scored = {row.criterion: row for row in IndicatorScore.objects.filter(assessment=assessment, stage=stage)}
    indicator_scores = (assessment.sheets.get(stage) or {}).get("indicators", {})
    areas = []
    for area in system.areas:
        indicators = []
        for indicator in area.indicators:
            criteria = []
            for criterion in indicator.criteria:
                evidence, score = found.get(criterion.code), scored.get(criterion.code)
                criteria.append(
                    {
                        "code": criterion.code,
                        "label": criterion.label,
                        "points": criterion.points,
                        "kind": criterion.kind,
                        "min": criterion.min,
                        "max": criterion.max,
                        "source": criterion.source["code"] if criterion.source else "",
                        "source_label": str(SOURCES[criterion.source["code"]].label) if criterion.source else "",
                        "evidence": None if evidence is None else {
                            "suggested": evidence.suggested, "text": evidence.text, "as_of": evidence.as_of, "detail": evidence.detail,
                        },
                        "value": score.value if score else None,
                        "overridden": score.overridden if score else False,
                        "reason": score.reason if score else "",
                        "note": score.note if score else "",
                    }
                )
            indicators.append(
                {
                    "code": indicator.code,
                    "label": indicator.label,
                    "points": indicator.points,
                    "content": indicator.content,
                    "evidence": indicator.evidence,
                    "start": indicator.start,
                    "score": indicator_scores.get(indicator.code),
                    "criteria": criteria,
                }
            )
        areas.append({"code": area.code, "label": area.label, "points": area.points, "indicators": indicators})
    return areas


def sheets(assessment: Assessment) -> dict[str, dict]:
    system = read_system(assessment.config)
    return {
        stage: {
            "weight": system.weight(stage),
            "total": (assessment.sheets.get(stage) or {}).get("total"),
            "submitted_on": (assessment.sheets.get(stage) or {}).get("submitted_on"),
            "areas": sheet(assessment, stage, system),
        }
        for stage in SHEET_STAGES
    }


def league(assessments: QuerySet[Assessment]) -> list[dict]:
    """The league table: confirmed results first by total, highest first; those under way after them."""
    rows = []
    ordered = assessments.order_by(F("total").desc(nulls_last=True), "org__path")
    labels: dict[int, IndicatorSystem] = {}
    rank = 0
    for assessment in ordered:
        system = labels.setdefault(assessment.scheme_id, read_system(assessment.config))
        confirmed = assessment.status == AssessmentStatus.CONFIRMED
        if confirmed:
            rank += 1
        rows.append(
            {
                "rank": rank if confirmed else None,
                "assessment": assessment,
                "org": assessment.org,
                "total": assessment.total,
                "grade": assessment.grade,
                "grade_label": system.grade_label(assessment.grade) if assessment.grade else "",
                "stars": assessment.stars,
                "vetoed_by": assessment.vetoed_by,
                "veto_label": system.finding(assessment.vetoed_by).label if assessment.vetoed_by and system.finding(assessment.vetoed_by) else "",
                "excluded_from_awards": assessment.excluded_from_awards,
                "self_score": assessment.self_score,
                "onsite_score": assessment.onsite_score,
                "report_score": assessment.report_score,
                "satisfaction_score": assessment.satisfaction_score,
                "status": assessment.status,
            }
        )
    return rows


def grade_counts(rows: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in rows:
        if row["grade"]:
            counts[row["grade_label"]] = counts.get(row["grade_label"], 0) + 1
    return counts


GRADE_COLOURS = {"excellent": "#b71c1c", "good": "#e57373", "qualified": "#9e9e9e", "unqualified": "#424242"}
BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH = 22, 6, 180, 420


def chart_svg(rows: list[dict]) -> str:
    """The league table as a horizontal bar chart, drawn on the server (no script, no CDN): one bar per
    confirmed result, its length the total out of 100, its colour the grade, with 60, 80 and 90 marked."""
    shown = [row for row in rows if row["total"] is not None]
    height = max(1, len(shown)) * (BAR_HEIGHT + GAP) + 30
    width = LABEL_WIDTH + BAR_WIDTH + 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Noto Sans CJK SC, sans-serif" font-size="12">',
        f"<title>{escape(_('Results of the assessment by organization'))}</title>",
    ]
    for mark in (60, 80, 90, 100):
        x = LABEL_WIDTH + BAR_WIDTH * mark / 100
        parts.append(f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#ccc" stroke-dasharray="3 3"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="#666">{mark}</text>')
    for index, row in enumerate(shown):
        y = index * (BAR_HEIGHT + GAP) + 4
        length = BAR_WIDTH * min(Decimal(100), max(Decimal(0), row["total"])) / 100
        colour = GRADE_COLOURS.get(row["grade"], "#607d8b")
        label = escape(row["org"].name)
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{label}</text>')
        parts.append(
            f'<rect class="grade-{escape(row["grade"])}" x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"><title>{label}: {row["total"]} {escape(row["grade_label"])}</title></rect>'
        )
        stars = "★" * (row["stars"] or 0)
        parts.append(f'<text x="{LABEL_WIDTH + float(length) + 6:.1f}" y="{y + 15}">{row["total"]} {stars}</text>')
    parts.append("</svg>")
    return "".join(parts)


def record(org: Organization, assessments: QuerySet[Assessment], flags: QuerySet[SecretaryFlag]) -> dict:
    """An organization's record: its results year by year, its weak and lax listings, and its flagged
    secretaries (for those who decide on them)."""
    results = []
    for assessment in assessments.filter(org=org).order_by("-year"):
        system = read_system(assessment.config)
        results.append(
            {
                "id": assessment.pk,
                "year": assessment.year,
                "scheme": assessment.scheme.name,
                "status": assessment.status,
                "total": None if assessment.total is None else str(assessment.total),
                "grade": assessment.grade,
                "grade_label": system.grade_label(assessment.grade) if assessment.grade else "",
                "stars": assessment.stars,
                "vetoed_by": assessment.vetoed_by,
                "excluded_from_awards": assessment.excluded_from_awards,
                "confirmed_on": assessment.confirmed_on,
            }
        )
    weak = [
        {"id": listing.pk, "year": listing.year, "status": listing.status, "reasons": listing.reasons, "deadline": listing.deadline,
         "closed_on": listing.closed_on}
        for listing in WeakOrganization.objects.filter(org=org).order_by("-year")
    ]
    flags = [
        {"id": flag.pk, "years": flag.years, "raised_on": flag.raised_on, "handled_on": flag.handled_on, "measure": flag.measure,
         "secretary": flag.secretary.name if flag.secretary else ""}
        for flag in flags.filter(org=org)
    ]
    return {"org": org.pk, "name": org.name, "results": results, "weak": weak, "secretary_flags": flags}


def orgs_with_assessments(user) -> QuerySet[Organization]:
    return Organization.objects.filter(scope(user, "view_assessments", field="")).exclude(Q(kind="group"))
