"""The daily check of mobile members (DOMAIN.md §5), run by Celery beat in every county (members.tasks).

- no contact for 3 months: the member is flagged `lost_contact` (scoring's veto feed reads the status);
- 6 months of lost contact: suspension is proposed; 2 years: removal as self-lapsed. Both are disposition
  proposals (workflows.services.disposition_proposals, grounds lost_contact_6m / lost_contact_2y), counted
  from the last contact this module reports through `register_last_contact`; a person decides on each.

Idempotent: a member already flagged is not flagged again, and the proposals' refresh leaves the same rows.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from core.dates import today
from workflows.services.disposition_proposals import refresh_proposals

from .. import rules
from ..models import MobileRegistration, RegistrationStatus, Status
from ..statuses import set_status
from .selectors import with_last_contact


def flag_lost_contact(on: datetime.date, actor=None) -> int:
    """Flag every member away whose last contact is 3 months or more before `on`; returns how many were flagged."""
    flagged = 0
    away = MobileRegistration.objects.filter(status=RegistrationStatus.OPEN, person__status=Status.MOBILE)
    for registration in with_last_contact(away).select_related("person"):
        lost_from = registration.last_contact + relativedelta(months=rules.LOST_CONTACT_FLAG_MONTHS)
        if lost_from > on:
            continue
        set_status(
            actor=actor,
            person=registration.person,
            status=Status.LOST_CONTACT,
            on=lost_from,
            reason=_("No contact for %(months)d months (last contact %(date)s)")
            % {"months": rules.LOST_CONTACT_FLAG_MONTHS, "date": registration.last_contact.isoformat()},
        )
        flagged += 1
    return flagged


def check_mobile_members(on: datetime.date | None = None, actor=None) -> dict[str, int]:
    """Flag lost contact, then bring the disposition proposals up to date with it."""
    on = on or today()
    flagged = flag_lost_contact(on, actor=actor)
    proposals = refresh_proposals(actor=actor, on=on)
    return {"flagged_lost_contact": flagged, **{f"proposals_{key}": value for key, value in proposals.items()}}
