"""Where the member archive's files live (DOMAIN.md §9): never deleted, never overwritten.

Settings name the backend under STORAGES["archive"] (config/settings/base.py `archive_storage`): a
local folder under .var/archive by default, an S3-compatible bucket when ARCHIVE_S3_BUCKET is set.
Every county's files sit under its own schema name, so two counties never share a path.
"""

import posixpath
import uuid

from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db import connection
from django.utils import timezone


class NeverDelete:
    """Refuses to delete a stored file: an archive document outlives its entry, its person and its county."""

    def delete(self, name: str) -> None:
        from .models import ProtectedArchive  # models import this module for the file field

        raise ProtectedArchive(name)


class ArchiveFileSystemStorage(NeverDelete, FileSystemStorage):
    """The local folder (default .var/archive)."""


def archive_storage() -> Storage:
    """The configured archive storage (a callable, so migrations do not freeze the backend)."""
    return storages["archive"]


def archive_upload_to(instance, filename: str) -> str:
    """<county schema>/<person id>/<year>/<random>-<original name>: unique, readable, never reused."""
    name = posixpath.basename(filename.replace("\\", "/")) or "document"
    return f"{connection.schema_name}/{instance.person_id}/{timezone.localdate():%Y}/{uuid.uuid4().hex[:12]}-{name}"
