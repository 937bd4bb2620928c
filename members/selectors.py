"""Reads of people, always through the caller's scope."""

from django.db.models import Q, QuerySet

from orgs.access import can, scope
from orgs.models import Organization

from .models import Person


def people_visible_to(user) -> QuerySet[Person]:
    """The people whose organizations the user's roles cover, and the user's own record."""
    if not getattr(user, "is_authenticated", False):
        return Person.objects.none()
    return Person.objects.filter(scope(user, "view_person") | Q(user_id=user.pk)).select_related("org")


def is_own_record(user, person: Person) -> bool:
    return getattr(user, "is_authenticated", False) and person.user_id == user.pk


def may_see_id_number(user, person: Person) -> bool:
    """Whether the user may have the full ID number on request (members.disclosure): the person, and
    the roles holding view_id_number over the person's organization."""
    return is_own_record(user, person) or can(user, "view_id_number", person.org)


def may_see_phone(user, person: Person) -> bool:
    """A phone number is shown in full to the roles that cover the person, and to the person."""
    return is_own_record(user, person) or can(user, "view_person", person.org)


def in_subtree(people: QuerySet[Person], org: Organization) -> QuerySet[Person]:
    return people.filter(org__path__startswith=org.path)


def search(people: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Name contains the text, or the ID number starts with it (a whole number matches itself)."""
    text = text.strip()
    if not text:
        return people
    return people.filter(Q(name__icontains=text) | Q(id_number__startswith=text.upper()))
