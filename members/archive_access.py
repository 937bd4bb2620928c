"""Who reads a member archive (DOMAIN.md §9), and the record of every read.

- Nobody reads their own archive or a close relative's (parents, parents-in-law, spouse, children,
  siblings), recorded as Relatives on either person; this holds for the reader and for whoever decides.
- Reading needs the approval of the committee leader in charge: a request with its reason, approved or
  refused by a holder of `approve_archive_access` over the person's organization (the primary committee's
  reviewer or the county), never by the requester. An approval lets the requester read for
  `rules.ARCHIVE_APPROVAL_VALID_DAYS` days.
- Every read (the index, or one document) is logged: who, whose, when, why. The log is append-only.

A plain request and decision (not a viewflow flow): one decision by one person, no deadline or branches
for a flow to carry, and the decision must be refused to relatives, which the model checks here.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import action
from core.dates import today
from core.exceptions import Conflict, RuleViolation
from orgs.access import can, scope

from . import rules
from .archive import entries_of
from .identity import normalize_id_number
from .models import (
    AccessStatus,
    ArchiveAccessRequest,
    ArchiveEntry,
    ArchiveRead,
    Person,
    Relation,
    Relative,
)


def person_of(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user_id=user.pk).first()


def _names(person: Person) -> Q:
    return Q(relative=person) | Q(id_number=person.id_number)


def are_close_relatives(one: Person, other: Person) -> bool:
    """Whether either person records the other as a close relative (by their record or their ID number)."""
    close = Relative.objects.filter(relation__in=rules.CLOSE_RELATIONS)
    return close.filter(Q(person=one) & _names(other) | Q(person=other) & _names(one)).exists()


def check_not_own_or_relative(user, person: Person, field: str = "person") -> None:
    """DOMAIN.md §9: nobody reads (or approves reading) their own archive or a close relative's."""
    reader = person_of(user)
    if reader is None:
        return
    if reader.pk == person.pk:
        raise RuleViolation(_("Nobody reads their own archive."), field=field)
    if are_close_relatives(reader, person):
        raise RuleViolation(_("Nobody reads the archive of a close relative."), field=field)


# --- Relatives ------------------------------------------------------------------------------------------


def add_relative(
    *, actor, person: Person, relation: str, name: str, id_number: str = "", relative: Person | None = None
) -> Relative:
    """Record a relative on a person; one with a record in the county is linked to it (by ID number if given)."""
    if not can(actor, "manage_relatives", person.org):
        raise PermissionDenied
    if relation not in Relation.values:
        raise RuleViolation(_("“%(value)s” is not a relation.") % {"value": relation}, field="relation")
    name = (name or "").strip() or (relative.name if relative else "")
    if not name:
        raise RuleViolation(_("Enter the relative's name."), field="name")
    id_number = normalize_id_number(id_number) if id_number else (relative.id_number if relative else "")
    if relative is None and id_number:
        relative = Person.objects.filter(id_number=id_number).first()
    if relative is not None and relative.pk == person.pk:
        raise RuleViolation(_("A person is not their own relative."), field="relative")
    with action(actor):
        return Relative.objects.create(
            person=person, relation=relation, name=name, id_number=id_number, relative=relative
        )


def relatives_of(person: Person) -> QuerySet[Relative]:
    return Relative.objects.filter(person=person).select_related("relative")


# --- Requests and decisions -----------------------------------------------------------------------------


def request_access(*, actor, person: Person, reason: str) -> ArchiveAccessRequest:
    """Ask to read a person's archive, saying why; the committee leader in charge decides."""
    if not can(actor, "request_archive_access", person.org):
        raise PermissionDenied
    check_not_own_or_relative(actor, person)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Say why you need to read the archive."), field="reason")
    try:
        with action(actor):
            return ArchiveAccessRequest.objects.create(person=person, requested_by=actor, reason=reason)
    except IntegrityError as pending:
        raise Conflict(_("Your earlier request to read this archive is still waiting for a decision.")) from pending


def may_decide(user, access: ArchiveAccessRequest) -> bool:
    return access.requested_by_id != user.pk and can(user, "approve_archive_access", access.person.org)


def decide_access(*, actor, access: ArchiveAccessRequest, approve: bool, note: str = "") -> ArchiveAccessRequest:
    """Approve or refuse a request; a refusal says why. The requester never decides their own request."""
    if not may_decide(actor, access):
        raise PermissionDenied
    check_not_own_or_relative(actor, access.person)
    note = (note or "").strip()
    if not approve and not note:
        raise RuleViolation(_("Say why the request is refused."), field="note")
    with action(actor):
        access = ArchiveAccessRequest.objects.select_for_update().get(pk=access.pk)
        if access.status != AccessStatus.PENDING:
            raise Conflict(_("This request has already been decided."))
        access.status = AccessStatus.APPROVED if approve else AccessStatus.REFUSED
        access.decided_by = actor
        access.decided_at = timezone.now()
        access.decision_note = note
        if approve:
            access.valid_until = today() + datetime.timedelta(days=rules.ARCHIVE_APPROVAL_VALID_DAYS)
        access.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "valid_until"])
    return access


def approval_for(user, person: Person, on: datetime.date | None = None) -> ArchiveAccessRequest | None:
    """The user's approval in force on the day to read this person's archive, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ArchiveAccessRequest.objects.filter(
            person=person, requested_by=user, status=AccessStatus.APPROVED, valid_until__gte=on or today()
        )
        .order_by("-decided_at")
        .first()
    )


def requests_visible_to(user) -> QuerySet[ArchiveAccessRequest]:
    """The user's own requests, and the requests the user's roles decide."""
    if not getattr(user, "is_authenticated", False):
        return ArchiveAccessRequest.objects.none()
    return ArchiveAccessRequest.objects.filter(
        Q(requested_by=user) | scope(user, "approve_archive_access", "person__org__")
    ).select_related("person", "person__org", "requested_by", "decided_by")


# --- Reading --------------------------------------------------------------------------------------------


def _approved(actor, person: Person) -> ArchiveAccessRequest:
    check_not_own_or_relative(actor, person)
    approval = approval_for(actor, person)
    if approval is None:
        raise PermissionDenied(_("Reading an archive needs an approved request."))
    return approval


def read_archive(*, actor, person: Person) -> tuple[ArchiveAccessRequest, QuerySet[ArchiveEntry]]:
    """The archive's entries for a reader with an approval in force; the read is logged."""
    approval = _approved(actor, person)
    with action(actor):
        ArchiveRead.objects.create(reader=actor, person=person, request=approval, reason=approval.reason)
    return approval, entries_of(person)


def open_document(*, actor, entry: ArchiveEntry) -> File:
    """One entry's stored document, for a reader with an approval in force; the read is logged."""
    approval = _approved(actor, entry.person)
    if not entry.document:
        raise RuleViolation(_("This entry has no document."), field="entry")
    with action(actor):
        ArchiveRead.objects.create(
            reader=actor, person=entry.person, request=approval, reason=approval.reason, entry=entry
        )
    return entry.document.open("rb")


def reads_of(person: Person) -> QuerySet[ArchiveRead]:
    return ArchiveRead.objects.filter(person=person).select_related("reader", "request", "entry")


def may_see_reads(user, person: Person) -> bool:
    """The read log of an archive is shown to those who decide its requests."""
    return can(user, "approve_archive_access", person.org)
