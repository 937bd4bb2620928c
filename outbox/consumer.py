"""The consuming side of the outbox: a county task whose work is done once per message."""

import logging

from django.conf import settings
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from config.celery import CountyTask

logger = logging.getLogger(__name__)


class OnceTask(CountyTask):
    """A county task run in one transaction with the receipt of its message.

    A message delivered twice (the broker redelivered it after a lost acknowledgement, the outbox's
    sweep published it again, two workers took it) is acted on once: the second delivery finds the
    receipt and returns None. A delivery that dies midway leaves no receipt and no partial work.
    """

    abstract = True
    consumes_once = True

    def __call__(self, *args, **kwargs):
        from .services import claim

        message_id = self.request.id
        in_county = connection.schema_name not in (get_public_schema_name(), settings.TENANT_BASE_SCHEMA)
        if message_id is None or not in_county:  # called as a function, or refused by CountyTask
            return super().__call__(*args, **kwargs)
        with transaction.atomic():
            if not claim(message_id, self.name):
                logger.info("%s: message %s was already acted on; this delivery does nothing", self.name, message_id)
                return None
            return super().__call__(*args, **kwargs)
