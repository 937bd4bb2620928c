"""The only way a person's status changes outside the stages of admission (DOMAIN.md §3).

Flows (disposition now; transfers and mobile members later) call `set_status` with the day the change
took effect and why. The change is audited like every write (auditlog on Person); its audit entry
also carries that day and the reason, which `status_since` reads back.
"""

import datetime

from auditlog.models import LogEntry
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import check_event_date
from core.exceptions import RuleViolation

from .models import Person, Status

# A deceased member's record only keeps its archive.
FINAL_STATUSES = (Status.DECEASED,)


def set_status(*, actor, person: Person, status: str, on: datetime.date, reason: str) -> Person:
    """Give the person a new status from a day on, with the reason (a decision, a letter, a report)."""
    if status not in Status.values:
        raise RuleViolation(_("“%(value)s” is not a known status.") % {"value": status}, field="status")
    check_event_date(on)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Record why the status changes."), field="reason")
    with action(actor):
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.status in FINAL_STATUSES:
            raise RuleViolation(
                _("The status of a person recorded as %(status)s no longer changes.")
                % {"status": Status(person.status).label},
                field="status",
            )
        if person.status == status:
            return person
        person.status = status
        person.save(update_fields=["status", "updated_at"])
        entry = LogEntry.objects.get_for_object(person).order_by("-pk").first()
        if entry is not None:
            entry.additional_data = {"status": status, "on": on.isoformat(), "reason": reason}
            entry.save(update_fields=["additional_data"])
    return person


def status_since(person: Person) -> datetime.date:
    """The day the person's current status took effect.

    The day recorded by `set_status`; for a change made without it, the day of its audit entry; for a
    record that has had its status since it was created (an import), the day it was created.
    """
    for entry in LogEntry.objects.get_for_object(person).order_by("-timestamp", "-pk"):
        change = (entry.changes_dict or {}).get("status")
        if not change or str(change[-1]) != person.status:
            continue
        recorded = (entry.additional_data or {}).get("on")
        return datetime.date.fromisoformat(recorded) if recorded else timezone.localdate(entry.timestamp)
    return timezone.localdate(person.created_at)
