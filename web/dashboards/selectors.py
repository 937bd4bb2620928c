"""The figures of the county dashboards, each read in a few grouped queries over the viewer's subtrees.

A county admin sees the county, a committee reviewer their committee's subtree (orgs.access, capability
`view_dashboard`). Rows are grouped by primary committee (a committee with approval authority, the
township or street); what sits under none of them is counted on the viewer's own organization.

The rules stay where they live: overdue tasks are workflows.selectors.overdue_filter, organizational life
is orgs.life.compliance, the collection rate reads dues.selectors.collection_by_org, grade labels come from
the scheme's bands (scoring.selectors.band_labels), lost contact is the member status the daily mobile
check sets (members.mobile.checks).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dues.selectors import collection_by_org
from members.models import MobileRegistration, Person, RegistrationStatus, Stage, Status
from orgs.access import roots
from orgs.life.compliance import compliance
from orgs.models import Organization, OrgKind
from scoring.config import parse_config
from scoring.models import Result, Scheme
from scoring.selectors import band_labels
from workflows.engine import OPEN_STATUSES
from workflows.models import AdmissionRecord, StepTask
from workflows.selectors import overdue_filter

CAPABILITY = "view_dashboard"

# The admission funnel: the date on the admission record at which a person reaches each stage.
FUNNEL_STAGES: tuple[tuple[str, str], ...] = (
    (Stage.APPLICANT, "applied_on"),
    (Stage.ACTIVIST, "activist_since"),
    (Stage.CANDIDATE, "candidate_since"),
    (Stage.PROBATIONARY, "probation_start"),
    (Stage.FULL, "converted_on"),
)


@dataclass(frozen=True)
class Viewer:
    """Whose figures: the organizations whose subtrees the viewer's roles open, and the units rows are grouped by."""

    roots: tuple[Organization, ...]
    units: tuple[Organization, ...]  # primary committees in scope and the roots, in tree order

    def within(self, field: str = "org__") -> Q:
        condition = Q(pk__in=[])
        for root in self.roots:
            condition |= Q(**{f"{field}path__startswith": root.path})
        return condition

    @cached_property
    def order(self) -> dict[int, int]:
        """Each unit's place in the tree order, to sort rows by committee."""
        return {unit.pk: index for index, unit in enumerate(self.units)}

    def unit_of(self, path: str) -> Organization:
        """The deepest unit above (or at) the organization at `path`."""
        return max((unit for unit in self.units if path.startswith(unit.path)), key=lambda unit: len(unit.path))


def viewer(user) -> Viewer | None:
    """The viewer's scope, or None when no role of theirs opens the dashboards."""
    held = sorted(roots(user, CAPABILITY), key=lambda org: org.path)
    # A role inside another role's subtree adds nothing.
    top = [org for org in held if not any(org.path.startswith(other.path) and org.pk != other.pk for other in held)]
    top = list({org.pk: org for org in top}.values())
    if not top:
        return None
    scope = Q(pk__in=[])
    for root in top:
        scope |= Q(path__startswith=root.path)
    committees = Organization.objects.filter(scope, kind=OrgKind.COMMITTEE, approval_authority=True)
    units = {org.pk: org for org in [*top, *committees]}
    return Viewer(roots=tuple(top), units=tuple(sorted(units.values(), key=lambda org: org.path)))


def _unit_row(unit: Organization) -> dict:
    return {"committee_id": unit.pk, "committee": unit.name}


# --- admission funnel ---------------------------------------------------------------------------------


def admission_funnel(view: Viewer, year: int) -> list[dict]:
    """How many people reached each stage of admission in `year` (by the dates on their admission records),
    counted where their process runs. One query."""
    counts = AdmissionRecord.objects.filter(view.within("process__org__")).aggregate(
        **{stage: Count("id", filter=Q(**{f"{field}__year": year})) for stage, field in FUNNEL_STAGES}
    )
    return [{"stage": stage, "label": str(Stage(stage).label), "count": counts[stage]} for stage, _field in FUNNEL_STAGES]


# --- overdue tasks ------------------------------------------------------------------------------------


def overdue_tasks(view: Viewer, on: datetime.date) -> list[dict]:
    """Open tasks past their due date (or flagged overdue), per organization that acts on them, with its
    primary committee. One query."""
    rows = (
        StepTask.objects.filter(view.within(), overdue_filter(on), task__status__in=OPEN_STATUSES)
        .values_list("org_id", "org__name", "org__path")
        .annotate(count=Count("id"))
        .order_by()
    )
    found = [
        {**_unit_row(view.unit_of(path)), "org_id": org_id, "org": name, "count": count}
        for org_id, name, path, count in rows
    ]
    return sorted(found, key=lambda row: (view.order[row["committee_id"]], row["org"]))


def overdue_by_committee(view: Viewer, rows: list[dict]) -> list[dict]:
    totals = {unit.pk: 0 for unit in view.units}
    for row in rows:
        totals[row["committee_id"]] += row["count"]
    return [{**_unit_row(unit), "count": totals[unit.pk]} for unit in view.units]


# --- organizational life ------------------------------------------------------------------------------


def org_life_behind(view: Viewer, year: int, on: datetime.date) -> dict:
    """Branches and party groups with meetings missing in `year` up to `on` (orgs.life.compliance: a period
    over without the meetings its frequency asks for), and per committee how many are checked and behind.
    A few queries per root, whatever the number of branches."""
    start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), on)
    behind: list[dict] = []
    checked = {unit.pk: 0 for unit in view.units}
    late = {unit.pk: 0 for unit in view.units}
    if start <= end:
        for root in view.roots:
            found = compliance(root, start, end, on=on)
            paths = dict(Organization.objects.filter(pk__in=[o["org"] for o in found["organizations"]]).values_list("pk", "path"))
            for org in found["organizations"]:
                unit = view.unit_of(paths[org["org"]])
                checked[unit.pk] += 1
                if org["missing"]:
                    late[unit.pk] += 1
                    behind.append(
                        {
                            **_unit_row(unit),
                            "org_id": org["org"],
                            "org": org["name"],
                            "kind": org["kind"],
                            "kind_label": str(OrgKind(org["kind"]).label),
                            "due": org["due"],
                            "held": org["held"],
                            "missing": org["missing"],
                            "path": paths[org["org"]],
                        }
                    )
    behind.sort(key=lambda row: (view.order[row["committee_id"]], row.pop("path")))
    committees = [{**_unit_row(unit), "checked": checked[unit.pk], "behind": late[unit.pk]} for unit in view.units]
    return {"organizations": behind, "committees": committees}


# --- dues collection rate -----------------------------------------------------------------------------


def _rate(paid: Decimal, due: Decimal) -> Decimal | None:
    return (paid * 100 / due).quantize(Decimal("0.1")) if due else None


def dues_collection(view: Viewer, year: int, on: datetime.date) -> list[dict]:
    """Per committee: the dues of `year`'s months fallen due by `on`, what of it is paid, and the rate (%)."""
    due = {unit.pk: Decimal("0.00") for unit in view.units}
    paid = dict(due)
    for path, owed, settled in collection_by_org(Person.objects.filter(view.within()), year, on):
        unit = view.unit_of(path)
        due[unit.pk] += owed
        paid[unit.pk] += settled
    return [
        {**_unit_row(unit), "due": due[unit.pk], "paid": paid[unit.pk], "rate": _rate(paid[unit.pk], due[unit.pk])}
        for unit in view.units
    ]


# --- score grades -------------------------------------------------------------------------------------


def grade_distribution(view: Viewer, year: int) -> list[dict]:
    """How many members got each band of their scheme in `year`, in the scheme's order. Two queries."""
    counts = dict(
        ((scheme_id, grade), count)
        for scheme_id, grade, count in Result.objects.filter(view.within(), year=year)
        .values_list("scheme_id", "grade")
        .annotate(count=Count("id"))
        .order_by()
    )
    rows = []
    for scheme in Scheme.objects.filter(pk__in={scheme_id for scheme_id, _grade in counts}).order_by("name", "pk"):
        labels = band_labels(parse_config(scheme.config))
        for grade in [*labels, *sorted({g for s, g in counts if s == scheme.pk} - set(labels))]:
            label = labels.get(grade, (grade, ""))[0] if grade else _("No grade")
            rows.append(
                {"scheme": scheme.name, "grade": grade, "label": str(label), "count": counts.get((scheme.pk, grade), 0)}
            )
    return rows


# --- mobile members -----------------------------------------------------------------------------------


def mobile_members(view: Viewer) -> list[dict]:
    """Per committee: members away on an open registration, and those of them flagged as lost contact. One query."""
    away = {unit.pk: 0 for unit in view.units}
    lost = dict(away)
    rows = (
        MobileRegistration.objects.filter(view.within(), status=RegistrationStatus.OPEN)
        .values_list("org__path")
        .annotate(
            away=Count("id", filter=Q(person__status=Status.MOBILE)),
            lost=Count("id", filter=Q(person__status=Status.LOST_CONTACT)),
        )
        .order_by()
    )
    for path, mobile, lost_contact in rows:
        unit = view.unit_of(path)
        away[unit.pk] += mobile
        lost[unit.pk] += lost_contact
    return [{**_unit_row(unit), "mobile": away[unit.pk], "lost_contact": lost[unit.pk]} for unit in view.units]


# --- everything ---------------------------------------------------------------------------------------


CODES = ("funnel", "overdue", "org-life", "dues", "grades", "mobile")


def dashboard(view: Viewer, year: int, on: datetime.date, codes: tuple[str, ...] = CODES) -> dict:
    """The figures named by `codes` (all by default) for one viewer and year, as of `on`."""
    data: dict = {"year": year, "as_of": on}
    if "funnel" in codes:
        data["funnel"] = admission_funnel(view, year)
    if "overdue" in codes:
        data["overdue_tasks"] = overdue_tasks(view, on)
        data["overdue_by_committee"] = overdue_by_committee(view, data["overdue_tasks"])
    if "org-life" in codes:
        life = org_life_behind(view, year, on)
        data["org_life_behind"], data["org_life_by_committee"] = life["organizations"], life["committees"]
    if "dues" in codes:
        data["dues_collection"] = dues_collection(view, year, on)
    if "grades" in codes:
        data["grades"] = grade_distribution(view, year)
    if "mobile" in codes:
        data["mobile_members"] = mobile_members(view)
    return data
