"""Structured logs: one JSON object per line, each with the county and the request id."""

import logging

from pythonjsonlogger.json import JsonFormatter

from .context import county, request_id

FIELDS = "%(levelname)s %(name)s %(message)s %(county)s %(request_id)s"


class ContextFilter(logging.Filter):
    """Adds `county` and `request_id` to every record (None outside any county or request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.county = county()
        record.request_id = request_id()
        return True


def json_formatter() -> JsonFormatter:
    # The time in ISO 8601 and UTC, the same in gunicorn's master and in Django's processes.
    return JsonFormatter(FIELDS, timestamp="time", rename_fields={"levelname": "level", "name": "logger"})


def json_logging(level: str = "INFO") -> dict:
    """A LOGGING setting (and gunicorn's logconfig_dict) writing JSON lines to standard error."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "ops.logs.ContextFilter"}},
        "formatters": {"json": {"()": "ops.logs.json_formatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # weasyprint narrates every stylesheet it parses at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            # gunicorn's own messages like everyone's; its access lines not at all: Django logs each
            # request itself, with the county and the request id (ops.middleware).
            "gunicorn.error": {"handlers": [], "propagate": True},
            "gunicorn.access": {"handlers": [], "propagate": False},
        },
    }
