"""Exports carry who made them: the workbook's author and description name the user, and each export
is logged (issue 10)."""

import io

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .events import Kind, record


def stamped(content: bytes, request: HttpRequest, *, what: str, **detail) -> bytes:
    """The .xlsx `content` with the exporting user as its author, and the export logged."""
    book = load_workbook(io.BytesIO(content))
    user, now = request.user.get_username(), timezone.localtime()
    county = getattr(connection.tenant, "name", "")
    book.properties.creator = book.properties.lastModifiedBy = user
    book.properties.created = book.properties.modified = now.replace(tzinfo=None)
    book.properties.description = _("Exported by %(user)s (%(county)s) on %(when)s") % {
        "user": user,
        "county": county,
        "when": now.strftime("%Y-%m-%d %H:%M"),
    }
    out = io.BytesIO()
    book.save(out)
    record(Kind.EXPORT, request, what=what, **detail)
    return out.getvalue()
