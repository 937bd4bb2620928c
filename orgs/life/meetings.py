"""Recording meetings (三会一课, themed party days, organizational life meetings, appraisal meetings).

Whether the caller may record for an organization is asked of orgs.access ("record_meeting") by the
caller; these services hold the rules of the record itself.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date
from core.exceptions import RuleViolation
from members.models import Person
from orgs.models import BRANCH_KINDS, Organization, OrgKind

from .models import Attendance, AttendanceStatus, Meeting, MeetingKind
from .selectors import attendee_candidates

BRANCH_LEVEL = (*BRANCH_KINDS, OrgKind.GENERAL_BRANCH)
# Who holds which meeting: a party group holds its group meeting; the rest are the branch's (or general branch's).
HOSTS = {kind: BRANCH_LEVEL for kind in MeetingKind.values} | {MeetingKind.GROUP_MEETING: (OrgKind.GROUP,)}


def _check_host(kind: str, org: Organization) -> None:
    if kind not in MeetingKind.values:
        raise RuleViolation(_("“%(kind)s” is not a kind of meeting.") % {"kind": kind}, field="kind")
    if org.kind not in HOSTS[kind]:
        raise RuleViolation(
            _("A %(org_kind)s does not hold a %(meeting)s.")
            % {"org_kind": OrgKind(org.kind).label, "meeting": MeetingKind(kind).label},
            field="org",
        )


def _clean_lecturer(kind: str, lecturer: str) -> str:
    lecturer = (lecturer or "").strip()
    if kind == MeetingKind.LECTURE and not lecturer:
        raise RuleViolation(_("Name the lecturer of the party lecture."), field="lecturer")
    if kind != MeetingKind.LECTURE and lecturer:
        raise RuleViolation(_("Only a party lecture has a lecturer."), field="lecturer")
    return lecturer


def _person_id(value: Any) -> Any:
    return value.pk if isinstance(value, Person) else value


def _clean_attendance(org: Organization, rows: Iterable[Mapping[str, Any]]) -> list[tuple[int, str, str]]:
    """[(person id, status, reason)], with every row's problems reported together."""
    rows = list(rows)
    ids = [_person_id(row.get("person")) for row in rows]
    known = set(
        attendee_candidates(org).filter(pk__in=[i for i in ids if isinstance(i, int)]).values_list("pk", flat=True)
    )
    cleaned, problems, seen = [], [], set()
    for number, (row, person_id) in enumerate(zip(rows, ids, strict=True), start=1):
        status = row.get("status")
        reason = (row.get("reason") or "").strip()
        if person_id not in known:
            # The same words for an unknown id and for someone else's member: nothing is revealed.
            problems.append(
                _("Row %(row)d: this person is not a member of the organization or of its party groups.")
                % {"row": number}
            )
        elif person_id in seen:
            problems.append(_("Row %(row)d: this person is already on the list.") % {"row": number})
        if status not in AttendanceStatus.values:
            problems.append(_("Row %(row)d: attendance is present, excused or absent.") % {"row": number})
        elif status == AttendanceStatus.EXCUSED and not reason:
            problems.append(_("Row %(row)d: give the reason for the excused absence.") % {"row": number})
        seen.add(person_id)
        cleaned.append((person_id, status, reason if status != AttendanceStatus.PRESENT else ""))
    if problems:
        raise RuleViolation(problems[0], errors={"attendance": problems})
    return cleaned


def record_meeting(
    *,
    actor,
    org: Organization,
    kind: str,
    date: datetime.date,
    topic: str,
    minutes: str = "",
    lecturer: str = "",
    attendance: Iterable[Mapping[str, Any]] = (),
) -> Meeting:
    """Record a meeting that took place, with its attendance: [{"person", "status", "reason"}]."""
    _check_host(kind, org)
    check_event_date(date)
    topic = (topic or "").strip()
    if not topic:
        raise RuleViolation(_("Enter the topic of the meeting."), field="topic")
    lecturer = _clean_lecturer(kind, lecturer)
    rows = _clean_attendance(org, attendance)
    with action(actor):
        meeting = Meeting.objects.create(
            org=org, kind=kind, date=date, topic=topic, minutes=minutes or "", lecturer=lecturer, recorded_by=actor
        )
        for person_id, status, reason in rows:
            Attendance.objects.create(meeting=meeting, person_id=person_id, status=status, reason=reason)
    return meeting
