"""The archive in an S3-compatible bucket (django-storages' S3 backend, which needs boto3 installed)."""

from storages.backends.s3 import S3Storage

from .storage import NeverDelete


class ArchiveS3Storage(NeverDelete, S3Storage):
    """A bucket that keeps every version: no deletes, no overwrites (see `archive_storage` in the settings)."""
