"""Democratic appraisal of members (民主评议党员, DOMAIN.md §2): once a year per branch.

Each member writes a self-assessment; members vote on each other (qualified, basically qualified,
unqualified) and, where the branch invites them, the masses say whether they are satisfied. Ballots
are anonymous: the appraisal keeps counts per member, entered sheet by sheet or as counted totals.
The branch then decides each member's grade. Under the county's two-ballot rule a member with more
than 30% "unqualified" among members, or more than 30% "unsatisfied" among the masses, is
unqualified, and no other grade may be recorded. Each member's result is filed in the member archive;
scoring's feeds read the grades (scoring.feeds: appraisal_qualified, appraisal_basically_qualified).
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date, today
from core.exceptions import Conflict, RuleViolation
from members import archive
from members.models import ArchiveKind, Person
from orgs import rules
from orgs.county_settings import setting
from orgs.models import BRANCH_KINDS, Organization

from .models import Appraisal, AppraisalResult, Grade, MassesOpinion, Meeting, MeetingKind
from .selectors import TAKING_PART_STATUSES, members_of

MEMBER, MASSES = "member", "masses"
VOTERS = (MEMBER, MASSES)
CHOICES = {MEMBER: Grade, MASSES: MassesOpinion}
# The count field of AppraisalResult for each voter's choice.
COUNT_FIELDS = {
    (MEMBER, Grade.QUALIFIED): "member_qualified",
    (MEMBER, Grade.BASICALLY_QUALIFIED): "member_basically_qualified",
    (MEMBER, Grade.UNQUALIFIED): "member_unqualified",
    (MASSES, MassesOpinion.SATISFIED): "masses_satisfied",
    (MASSES, MassesOpinion.BASICALLY_SATISFIED): "masses_basically_satisfied",
    (MASSES, MassesOpinion.UNSATISFIED): "masses_unsatisfied",
}
# Highest first: a tie between two grades goes to the higher one.
GRADE_ORDER = (Grade.QUALIFIED, Grade.BASICALLY_QUALIFIED, Grade.UNQUALIFIED)


def _more_than_share(part: int, total: int) -> bool:
    # 超过30%: strictly more, compared in integers so that exactly 30% never tips over.
    return total > 0 and part * 100 > rules.TWO_BALLOT_SHARE_PERCENT * total


def two_ballot_unqualified(
    *, member_unqualified: int, member_total: int, masses_unsatisfied: int = 0, masses_total: int = 0
) -> bool:
    """The two-ballot rule: more than 30% unqualified among members, or more than 30% unsatisfied among the masses."""
    return _more_than_share(member_unqualified, member_total) or _more_than_share(masses_unsatisfied, masses_total)


def member_ballots(result: AppraisalResult) -> int:
    return result.member_qualified + result.member_basically_qualified + result.member_unqualified


def masses_ballots(result: AppraisalResult) -> int:
    return result.masses_satisfied + result.masses_basically_satisfied + result.masses_unsatisfied


def rule_makes_unqualified(result: AppraisalResult) -> bool:
    return result.appraisal.two_ballot_rule and two_ballot_unqualified(
        member_unqualified=result.member_unqualified,
        member_total=member_ballots(result),
        masses_unsatisfied=result.masses_unsatisfied,
        masses_total=masses_ballots(result),
    )


def suggested_grade(result: AppraisalResult) -> str | None:
    """The grade the ballots point to: the two-ballot rule first, then the members' most frequent choice."""
    if rule_makes_unqualified(result):
        return Grade.UNQUALIFIED
    if member_ballots(result) == 0:
        return None
    counts = {grade: getattr(result, COUNT_FIELDS[(MEMBER, grade)]) for grade in GRADE_ORDER}
    return max(GRADE_ORDER, key=lambda grade: (counts[grade], -GRADE_ORDER.index(grade)))


def open_appraisal(*, actor, org: Organization, year: int, masses_ballots: bool | None = None) -> Appraisal:
    """Open a branch's appraisal for a year, with every member taking part as a subject."""
    if org.kind not in BRANCH_KINDS:
        raise RuleViolation(_("A democratic appraisal is held by a branch."), field="org")
    if year > today().year:
        raise RuleViolation(_("An appraisal is held for the current or a past year."), field="year")
    if Appraisal.objects.filter(org=org, year=year).exists():
        raise RuleViolation(_("This branch already has an appraisal for %(year)d.") % {"year": year}, field="year")
    # The county's options in force at the end of that year, or today for the running year.
    options_on = min(today(), datetime.date(year, 12, 31))
    if masses_ballots is None:
        masses_ballots = setting("appraisal.masses_ballots", on=options_on)
    subjects = list(members_of(org, TAKING_PART_STATUSES).order_by("id"))
    if not subjects:
        raise RuleViolation(_("The branch has no members to appraise."), field="org")
    with action(actor):
        appraisal = Appraisal.objects.create(
            org=org,
            year=year,
            two_ballot_rule=setting("appraisal.two_ballot_rule", on=options_on),
            masses_ballots=masses_ballots,
            created_by=actor,
        )
        for person in subjects:
            AppraisalResult.objects.create(appraisal=appraisal, person=person)
    return appraisal


def _open(appraisal: Appraisal) -> None:
    if appraisal.is_decided:
        raise Conflict(_("The appraisal has been decided; it no longer changes."))


def _lock_open(appraisal: Appraisal) -> None:
    """Inside the write: hold the appraisal's row, and find it still undecided (a concurrent decision wins)."""
    if not list(Appraisal.objects.select_for_update().filter(pk=appraisal.pk, decided_on__isnull=True).values("pk")):
        raise Conflict(_("The appraisal has been decided; it no longer changes."))


def _result_of(appraisal: Appraisal, person: Any, field: str = "person") -> AppraisalResult:
    person_id = person.pk if isinstance(person, Person) else person
    result = appraisal.results.filter(person_id=person_id).first() if isinstance(person_id, int) else None
    if result is None:
        raise RuleViolation(_("This person is not among the members of this appraisal."), field=field)
    return result


def record_self_assessment(
    *, actor, appraisal: Appraisal, person: Person | int, text: str, date: datetime.date
) -> AppraisalResult:
    _open(appraisal)
    result = _result_of(appraisal, person)
    text = (text or "").strip()
    if not text:
        raise RuleViolation(_("Enter the self-assessment."), field="text")
    check_event_date(date)
    with action(actor):
        _lock_open(appraisal)
        result.self_assessment = text
        result.self_assessed_on = date
        result.save(update_fields=["self_assessment", "self_assessed_on"])
    return result


def _check_voter(appraisal: Appraisal, voter: str) -> None:
    if voter not in VOTERS:
        raise RuleViolation(_("A ballot is cast by a member or by the masses."), field="voter")
    if voter == MASSES and not appraisal.masses_ballots:
        raise RuleViolation(_("The masses do not vote in this appraisal."), field="voter")


def _subject_ids(appraisal: Appraisal) -> set[int]:
    return set(appraisal.results.values_list("person_id", flat=True))


def _choice_problem(voter: str, choice: Any) -> str | None:
    if choice not in CHOICES[voter].values:
        return _("“%(choice)s” is not a choice on this ballot (%(choices)s).") % {
            "choice": choice,
            "choices": ", ".join(CHOICES[voter].values),
        }
    return None


def record_ballots(*, actor, appraisal: Appraisal, voter: str, sheets: Iterable[Iterable[Mapping[str, Any]]]) -> int:
    """Add ballot sheets, each one voter's [{"person", "choice"}]; a member left off a sheet is an abstention."""
    _open(appraisal)
    _check_voter(appraisal, voter)
    subjects = _subject_ids(appraisal)
    increments: dict[tuple[int, str], int] = {}
    problems = []
    sheets = [list(sheet) for sheet in sheets]
    if not sheets:
        raise RuleViolation(_("Enter at least one ballot sheet."), field="sheets")
    for number, sheet in enumerate(sheets, start=1):
        marked = set()
        for mark in sheet:
            person_id, choice = mark.get("person"), mark.get("choice")
            if person_id not in subjects:
                problems.append(_("Sheet %(sheet)d: a person who is not appraised here.") % {"sheet": number})
            elif person_id in marked:
                problems.append(_("Sheet %(sheet)d: one member is marked twice.") % {"sheet": number})
            problem = _choice_problem(voter, choice)
            if problem:
                problems.append(_("Sheet %(sheet)d: %(problem)s") % {"sheet": number, "problem": problem})
            elif person_id in subjects and person_id not in marked:
                key = (person_id, COUNT_FIELDS[(voter, choice)])
                increments[key] = increments.get(key, 0) + 1
            marked.add(person_id)
    if problems:
        raise RuleViolation(problems[0], errors={"sheets": problems})
    with action(actor):
        _lock_open(appraisal)
        for (person_id, count_field), count in increments.items():
            result = appraisal.results.get(person_id=person_id)
            setattr(result, count_field, F(count_field) + count)
            result.save(update_fields=[count_field])
    return len(sheets)


def record_tally(*, actor, appraisal: Appraisal, voter: str, counts: Iterable[Mapping[str, Any]]) -> None:
    """Set the counted totals of paper ballots: [{"person", <choice>: number, ...}] replaces that voter's counts."""
    _open(appraisal)
    _check_voter(appraisal, voter)
    subjects = _subject_ids(appraisal)
    rows, problems = [], []
    for number, row in enumerate(counts, start=1):
        person_id = row.get("person")
        if person_id not in subjects:
            problems.append(_("Row %(row)d: a person who is not appraised here.") % {"row": number})
            continue
        values = {}
        for choice in CHOICES[voter].values:
            value = row.get(choice, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append(_("Row %(row)d: counts are whole numbers, 0 or more.") % {"row": number})
                break
            values[COUNT_FIELDS[(voter, choice)]] = value
        rows.append((person_id, values))
    if problems:
        raise RuleViolation(problems[0], errors={"counts": problems})
    with action(actor):
        _lock_open(appraisal)
        for person_id, values in rows:
            result = appraisal.results.get(person_id=person_id)
            for count_field, value in values.items():
                setattr(result, count_field, value)
            result.save(update_fields=list(values))


def decide_appraisal(
    *,
    actor,
    appraisal: Appraisal,
    date: datetime.date,
    grades: Mapping[int, str] | None = None,
    meeting: Meeting | None = None,
) -> Appraisal:
    """Record every member's grade: the one given, or else the one the ballots point to."""
    _open(appraisal)
    check_event_date(date)
    if date < datetime.date(appraisal.year, 1, 1):
        raise RuleViolation(_("The appraisal is decided in or after the year it covers."), field="date")
    if meeting is not None and (
        meeting.org_id != appraisal.org_id
        or meeting.kind != MeetingKind.APPRAISAL
        or meeting.date.year != appraisal.year
    ):
        raise RuleViolation(_("Choose this branch's appraisal meeting of that year."), field="meeting")
    grades = dict(grades or {})
    results = list(appraisal.results.select_related("person", "appraisal"))
    unknown = set(grades) - {result.person_id for result in results}
    if unknown:
        raise RuleViolation(_("A grade is given for a person who is not appraised here."), field="grades")
    problems, decided = [], []
    for result in results:
        grade = grades.get(result.person_id) or suggested_grade(result)
        name = result.person.name
        if grade is None:
            problems.append(_("%(name)s: no ballots were counted; give the grade.") % {"name": name})
        elif grade not in Grade.values:
            problems.append(_("%(name)s: “%(grade)s” is not a grade.") % {"name": name, "grade": grade})
        elif rule_makes_unqualified(result) and grade != Grade.UNQUALIFIED:
            problems.append(
                _(
                    "%(name)s: more than %(share)d%% of the ballots are against; the two-ballot rule makes the grade unqualified."
                )
                % {"name": name, "share": rules.TWO_BALLOT_SHARE_PERCENT}
            )
        else:
            decided.append((result, grade))
    if problems:
        raise RuleViolation(problems[0], errors={"grades": problems})
    with action(actor):
        _lock_open(appraisal)
        for result, grade in decided:
            result.grade = grade
            result.save(update_fields=["grade"])
        appraisal.decided_on = date
        appraisal.meeting = meeting or appraisal.meeting
        appraisal.save(update_fields=["decided_on", "meeting"])
        for result, grade in decided:
            _file_result(actor, appraisal, result, grade)
    return appraisal


def _file_result(actor, appraisal: Appraisal, result: AppraisalResult, grade: str) -> None:
    """DOMAIN.md §9: the member archive keeps the appraisal results."""
    archive.file_entry(
        actor=actor,
        person=result.person,
        kind=ArchiveKind.ASSESSMENT,
        title=_("Democratic appraisal %(year)d: %(grade)s") % {"year": appraisal.year, "grade": Grade(grade).label},
        event_date=appraisal.decided_on,
        data={
            "appraisal": appraisal.pk,
            "year": appraisal.year,
            "org": appraisal.org.name,
            "grade": grade,
            "self_assessment": result.self_assessment,
            "member_ballots": {choice: getattr(result, COUNT_FIELDS[(MEMBER, choice)]) for choice in Grade.values},
            "masses_ballots": (
                {choice: getattr(result, COUNT_FIELDS[(MASSES, choice)]) for choice in MassesOpinion.values}
                if appraisal.masses_ballots
                else None
            ),
        },
    )
