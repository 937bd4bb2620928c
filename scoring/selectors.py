"""Reads of scoring, always through the caller's scope.

Role holders see the entries, results and lists of the organizations their roles cover. A member sees
their own entries and result, and the lists published for their branch — nothing else.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from members.models import Person
from orgs.access import scope
from orgs.models import Organization
from orgs.selectors import branch_of

from .compute import outcomes_until
from .config import SchemeConfig, parse_config
from .models import Entry, EntryStatus, Objection, Publication, Result, Scheme


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def person_of(user) -> Person | None:
    if not _signed_in(user):
        return None
    return Person.objects.filter(user_id=user.pk).select_related("org").first()


def schemes_visible_to(user) -> QuerySet[Scheme]:
    """A county's schemes are its published rules: everyone signed in reads them."""
    return Scheme.objects.all() if _signed_in(user) else Scheme.objects.none()


def entries_visible_to(user) -> QuerySet[Entry]:
    if not _signed_in(user):
        return Entry.objects.none()
    return Entry.objects.filter(scope(user, "view_scores") | Q(person__user_id=user.pk)).select_related(
        "person", "org", "scheme"
    )


def results_visible_to(user) -> QuerySet[Result]:
    if not _signed_in(user):
        return Result.objects.none()
    return Result.objects.filter(scope(user, "view_scores") | Q(person__user_id=user.pk)).select_related(
        "person", "org", "scheme"
    )


def people_scored_visible_to(user) -> QuerySet[Person]:
    if not _signed_in(user):
        return Person.objects.none()
    return Person.objects.filter(scope(user, "view_scores") | Q(user_id=user.pk))


def publications_visible_to(user) -> QuerySet[Publication]:
    """Lists of the organizations the user's roles cover, and the lists published for the member's own branch."""
    if not _signed_in(user):
        return Publication.objects.none()
    own = Q(pk__in=[])
    person = person_of(user)
    if person is not None:
        branch = branch_of(person.org) or person.org
        own = Q(org_id=branch.pk)
    return Publication.objects.filter(scope(user, "view_scores") | own).select_related("org", "published_by")


def objections_visible_to(user) -> QuerySet[Objection]:
    if not _signed_in(user):
        return Objection.objects.none()
    return Objection.objects.filter(
        scope(user, "view_scores", field="entry__org__") | Q(raised_by_id=user.pk) | Q(entry__person__user_id=user.pk)
    ).select_related("entry", "entry__person")


def entries_under_notice_for(person: Person, on: datetime.date) -> QuerySet[Entry]:
    """The entries of the member's branch under public notice on this day: the ones they may object to."""
    branch = branch_of(person.org) or person.org
    return (
        Entry.objects.filter(status=EntryStatus.NOTICED, org__path__startswith=branch.path, notice_ends_on__gte=on)
        .select_related("person")
        .order_by("notice_ends_on", "person__name", "date", "id")
    )


def in_subtree(queryset: QuerySet, org: Organization, field: str = "org__") -> QuerySet:
    return queryset.filter(**{f"{field}path__startswith": org.path})


def results_with_consequence(kind: str, year: int) -> QuerySet[Result]:
    """The results of a year that trigger a consequence of this kind, e.g. `disposition_proposal` (the
    disposition module's `score_unqualified` ground) or `probation_extension_proposal`."""
    return Result.objects.filter(year=year, consequences__contains=[{"kind": kind}]).select_related("person", "org")


def band_labels(config: SchemeConfig) -> dict[str, tuple[str, str]]:
    """Each band's label and the list (red or yellow) it is published on."""
    return {band.code: (band.label, band.list_name) for band in config.bands}


def grade_label(result: Result) -> str:
    if not result.grade:
        return ""
    return band_labels(parse_config(result.scheme.config)).get(result.grade, (result.grade, ""))[0]


def component_lines(result: Result) -> list[tuple[str, Any]]:
    """A result's points per component under the scheme's labels, in the scheme's order."""
    components = parse_config(result.scheme.config).components
    values = dict(result.components or {})
    lines = [(component.label, values.pop(code)) for code, component in components.items() if code in values]
    return lines + list(values.items())  # a component the scheme no longer has keeps its code


def result_rows(results: QuerySet[Result]) -> list[dict]:
    """Results as rows of a board or a spreadsheet, highest total first, with their band labels and lists."""
    labels: dict[int, dict[str, tuple[str, str]]] = {}
    rows = []
    for result in results.select_related("person", "org", "scheme").order_by("org__path", "-total", "person__name"):
        if result.scheme_id not in labels:
            labels[result.scheme_id] = band_labels(parse_config(result.scheme.config))
        label, list_name = labels[result.scheme_id].get(result.grade, ("", ""))
        rows.append(
            {
                "result": result,
                "person": result.person,
                "name": result.person.name,
                "org": result.org,
                "total": result.total,
                "grade": result.grade,
                "grade_label": label,
                "list": list_name,
                "vetoed_by": result.vetoed_by,
                "components": result.components,
                "consequences": result.consequences,
            }
        )
    return rows


def period_rows(org: Organization, year: int, until: datetime.date) -> list[dict]:
    """The rows of a published list: the members' totals and bands on the entries dated up to `until`."""
    outcomes = outcomes_until(org, year, until)
    names = dict(Person.objects.filter(pk__in=[person_id for person_id, _outcome in outcomes]).values_list("id", "name"))
    rows = []
    for person_id, outcome in outcomes:
        band = outcome.band
        rows.append(
            {
                "person": person_id,
                "name": names.get(person_id, ""),
                "total": str(outcome.total),
                "grade": band.code if band else "",
                "grade_label": band.label if band else "",
                "list": band.list_name if band else "",
                "vetoed_by": outcome.vetoed_by or "",
            }
        )
    rows.sort(key=lambda row: (-Decimal(row["total"]), row["name"]))
    return rows


def grade_chart(results: QuerySet[Result]) -> list[dict]:
    """Per organization, how many members got each band, in the scheme's order (the board's chart)."""
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    schemes: dict[int, int] = {}
    for org_id, org_name, grade, scheme_id in results.values_list("org_id", "org__name", "grade", "scheme_id"):
        per_org = counts.setdefault(org_id, {})
        per_org[grade] = per_org.get(grade, 0) + 1
        names[org_id] = org_name
        schemes.setdefault(org_id, scheme_id)
    bands = {scheme.pk: parse_config(scheme.config).bands for scheme in Scheme.objects.filter(pk__in=set(schemes.values()))}
    chart = []
    for org_id, grades in sorted(counts.items(), key=lambda pair: names[pair[0]]):
        total = sum(grades.values())
        order = [(band.code, band.label, band.list_name) for band in bands.get(schemes[org_id], ())]
        order += [(grade, grade or "—", "") for grade in grades if grade not in {code for code, _l, _n in order}]
        chart.append(
            {
                "org": org_id,
                "name": names[org_id],
                "total": total,
                "bars": [
                    {"grade": code, "label": label, "list": list_name, "count": grades.get(code, 0),
                     "percent": round(100 * grades.get(code, 0) / total)}
                    for code, label, list_name in order
                ],
            }
        )
    return chart
