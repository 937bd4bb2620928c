"""The only way a person's stage changes (DOMAIN.md §3): applicant → activist → candidate → probationary → full.

The admission flow calls these at its deciding steps; each move is one audited action. A move
skips no stage and never goes back, except the one return the rules allow: a candidate whom
the vote or the approval does not pass stays an activist.
"""

import datetime

from django.utils.translation import gettext as _

from core.actions import action
from core.exceptions import RuleViolation

from .models import Person, Stage, Status

ORDER: tuple[str, ...] = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FULL)


def next_stage(stage: str) -> str | None:
    index = ORDER.index(stage)
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def _save(person: Person, *fields: str) -> Person:
    person.save(update_fields=[*fields, "updated_at"])
    return person


def advance_stage(*, actor, person: Person, to: str, on: datetime.date) -> Person:
    """Move the person one stage on. Reaching `full` starts the party standing on that day (党章第七条)."""
    with action(actor):
        person = Person.objects.select_for_update().get(pk=person.pk)
        if next_stage(person.stage) != to:
            raise RuleViolation(
                _("A %(stage)s cannot become a %(to)s: the stages follow each other in order.")
                % {"stage": Stage(person.stage).label, "to": Stage(to).label},
                field="stage",
            )
        person.stage = to
        if to == Stage.FULL:
            person.party_standing_since = on
            return _save(person, "stage", "party_standing_since")
        return _save(person, "stage")


def return_to_activist(*, actor, person: Person) -> Person:
    """A candidate not passed by the vote or the approval stays an activist (DOMAIN.md §4)."""
    with action(actor):
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.stage != Stage.CANDIDATE:
            raise RuleViolation(_("Only a candidate returns to being an activist."), field="stage")
        person.stage = Stage.ACTIVIST
        return _save(person, "stage")


def reject_application(*, actor, person: Person) -> Person:
    """The application is not accepted: the person keeps their stage, with the status `rejected`."""
    with action(actor):
        person.status = Status.REJECTED
        return _save(person, "status")


def cancel_probation(*, actor, person: Person) -> Person:
    """The branch general meeting cancels a probationary member's probation (党章第七条)."""
    if person.stage != Stage.PROBATIONARY:
        raise RuleViolation(_("Only a probationary member's probation can be cancelled."), field="stage")
    with action(actor):
        person.status = Status.PROBATION_CANCELLED
        return _save(person, "status")
