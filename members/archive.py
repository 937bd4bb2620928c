"""The member archive (党员档案, DOMAIN.md §9): workflows file their documents and records into it as they go.

Entries are only ever added; their files live in the archive storage (members.storage) and are never
deleted. Who may read an archive, and the log of every read, are in members.archive_access: `entries_of`
is for the flows that file and for that module, never shown to a reader directly.
"""

import datetime
from typing import Any

from django.core.files import File
from django.db.models import QuerySet

from core.actions import action

from .models import ArchiveEntry, ArchiveKind, Person


def file_entry(
    *,
    actor,
    person: Person,
    kind: ArchiveKind | str,
    title: str,
    event_date: datetime.date,
    data: dict[str, Any] | None = None,
    source_process: int | None = None,
    source_step: str = "",
    imported: bool = False,
    document: File | None = None,
) -> ArchiveEntry:
    """File one document or record (with its file, when there is one) into the person's archive."""
    with action(actor):
        return ArchiveEntry.objects.create(
            person=person,
            kind=kind,
            title=str(title)[: ArchiveEntry._meta.get_field("title").max_length],
            event_date=event_date,
            data=data or {},
            filed_by=actor if getattr(actor, "is_authenticated", False) else None,
            source_process=source_process,
            source_step=source_step,
            imported=imported,
            document=document if document is not None else "",
        )


def entries_of(person: Person) -> QuerySet[ArchiveEntry]:
    """The person's archive in the order the events happened."""
    return ArchiveEntry.objects.filter(person=person).select_related("filed_by")
