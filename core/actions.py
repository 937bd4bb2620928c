"""Every write is one action: it runs in one transaction and its audit entries name the actor.

The actor is named twice: to django-auditlog, and to django-pghistory, whose database triggers store
it in each event row of the tamper-evident history (history/).
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pghistory
from auditlog.context import set_actor
from django.db import transaction


@contextmanager
def action(actor) -> Iterator[None]:
    """Wrap a service's writes: atomic, and every audit log entry they cause is attributed to actor."""
    with transaction.atomic():
        if actor is None or not getattr(actor, "is_authenticated", False):
            yield
        else:
            with set_actor(actor), pghistory.context(user=actor.pk):
                yield
