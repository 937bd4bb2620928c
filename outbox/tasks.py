"""The outbox's sweep, run by Celery beat (config.celery) over every county."""

import logging

from celery import shared_task
from django_tenants.utils import tenant_context

from .services import sweep

logger = logging.getLogger(__name__)


@shared_task(name="outbox.tasks.sweep_all")
def sweep_all() -> dict:
    """Publish every county's messages left unpublished or unconsumed; one county's failure skips only it."""
    from tenants.selectors import counties

    published = 0
    for county in counties():
        try:
            with tenant_context(county):
                published += sweep()["published"]
        except Exception:
            logger.exception("Outbox sweep of county %s failed", county.schema_name)
    return {"published": published}
