"""The full ID number on an explicit request, and only then (docs/decisions/0010-personal-data.md).

Every answer shows an ID number masked (3301**********1234), except to the person it belongs to. The
county and the committee in charge of the person (view_id_number) may ask for the full number, giving
a reason; each request is logged: who, whose, when, why and from where.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.events import Kind, record
from core.exceptions import RuleViolation

from .identity import mask_id_number, mask_phone
from .models import Person
from .selectors import is_own_record, may_see_id_number, may_see_phone


def shown_id_number(user, person: Person) -> str:
    """The ID number as any answer shows it: whole to its owner, masked to everyone else."""
    return person.id_number if is_own_record(user, person) else mask_id_number(person.id_number)


def shown_phone(user, person: Person) -> str:
    return person.phone if may_see_phone(user, person) else mask_phone(person.phone)


def disclose_id_number(*, actor, person: Person, reason: str, request: HttpRequest | None = None) -> str:
    """The full ID number, for a user who may have it and says why; the disclosure is logged."""
    if not may_see_id_number(actor, person):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Say why the full ID number is needed."), field="reason")
    record(Kind.ID_NUMBER_SHOWN, request, user=actor, person=person.pk, reason=reason)
    return person.id_number
