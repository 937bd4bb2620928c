"""Which request or task is running, and in which county: read by the log filter and Sentry."""

import contextvars

from django.http import HttpRequest

current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("current_request", default=None)


def request_id() -> str | None:
    """The request's id (RequestMiddleware), or in a Celery task the task's id."""
    request = current_request.get()
    if request is not None:
        return getattr(request, "request_id", None)
    from celery import current_task

    return current_task.request.id if current_task else None


def county() -> str | None:
    """The schema of the county being served, once the host name has named one."""
    request = current_request.get()
    if request is not None:
        tenant = getattr(request, "tenant", None)  # set by CountyMiddleware after RequestMiddleware ran
        return tenant.schema_name if tenant is not None else None
    from django.conf import settings

    if not settings.configured:
        return None
    from django.db import connection

    # Outside a request (a Celery task, a command) the connection's schema is the county's:
    # tenant-schemas-celery switches to the sender's schema before the task runs.
    return getattr(connection, "schema_name", None)
