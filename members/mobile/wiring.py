"""How other modules learn of mobile members, through the hooks they offer (`connect`, from MembersConfig.ready).

- disposition proposals: the day a member was last reached (`register_last_contact`), and the 2-year
  removal ground for a member already suspended after lost contact (the built-in source only reads
  members whose status is still `lost_contact`);
- organizational life: the members a host organization hosts may be recorded at its meetings, and
  that attendance counts as their organizational life;
- dues: dues.selectors.collecting_org reads `selectors.collecting_host`.
"""

import datetime
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta

from orgs.life.selectors import register_attendee_source
from workflows.disposition_rules import LOST_CONTACT_REMOVAL_MONTHS
from workflows.models import Grounds
from workflows.services.disposition_proposals import Finding, register_last_contact, register_source

from ..models import MobileRegistration, RegistrationStatus, Status
from .selectors import hosted_by, last_contact_of, with_last_contact
from .services import months_between


def suspended_lost_contact_2y(on: datetime.date) -> Iterator[Finding]:
    """DOMAIN.md §5: still unreachable 2 years after the last contact, though already suspended: removal."""
    away = MobileRegistration.objects.filter(status=RegistrationStatus.OPEN, person__status=Status.SUSPENDED)
    for registration in with_last_contact(away).select_related("person"):
        since = registration.last_contact
        if since + relativedelta(months=LOST_CONTACT_REMOVAL_MONTHS) <= on:
            evidence = {"months": months_between(since, on), "lost_contact_since": since.isoformat()}
            yield Finding(registration.person, since, evidence)


def connect() -> None:
    register_last_contact(last_contact_of)
    register_source(Grounds.LOST_CONTACT_2Y, suspended_lost_contact_2y)
    register_attendee_source(hosted_by)
