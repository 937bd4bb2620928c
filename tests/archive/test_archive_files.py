"""The member archive's files: kept in the archive storage, never deleted (DOMAIN.md §9)."""

import datetime

import pytest
from django.core.files.base import ContentFile

from members.archive import file_entry
from members.models import ArchiveKind, ProtectedArchive
from tests.factories import PersonFactory


def test_archive_file_is_never_deleted(county_a, admin_a):
    person = PersonFactory()
    entry = file_entry(
        actor=admin_a,
        person=person,
        kind=ArchiveKind.MATERIALS,
        title="入党志愿书扫描件",
        event_date=datetime.date(2024, 3, 1),
        document=ContentFile("扫描件".encode(), name="form.pdf"),
    )
    name = entry.document.name
    assert name.startswith(f"{county_a.schema_name}/{person.pk}/")
    assert entry.document.storage.exists(name)

    with pytest.raises(ProtectedArchive):
        entry.document.delete()
    with pytest.raises(ProtectedArchive):
        entry.delete()
    with pytest.raises(ProtectedArchive):
        entry.document.storage.delete(name)
    assert entry.document.storage.exists(name)
    entry.refresh_from_db()
    assert entry.document.read().decode() == "扫描件"


def test_archive_file_of_the_same_name_never_overwrites_another(county_a, admin_a):
    person = PersonFactory()
    first, second = (
        file_entry(
            actor=admin_a,
            person=person,
            kind=ArchiveKind.MATERIALS,
            title=title,
            event_date=datetime.date(2024, 3, 1),
            document=ContentFile(title.encode(), name="scan.pdf"),
        )
        for title in ("第一份", "第二份")
    )
    assert first.document.name != second.document.name
    assert first.document.open().read().decode() == "第一份"


def test_the_s3_archive_is_private_never_overwrites_and_never_deletes(tmp_path):
    from django.core.files.storage.handler import StorageHandler

    from config.settings.base import archive_storage
    from members.storage_s3 import ArchiveS3Storage

    environ = {
        "ARCHIVE_S3_BUCKET": "county-archive",
        "ARCHIVE_S3_ENDPOINT_URL": "https://minio.internal:9000",
        "ARCHIVE_S3_ACCESS_KEY_ID": "key-id",
        "ARCHIVE_S3_SECRET_ACCESS_KEY": "secret",
        "ARCHIVE_S3_PREFIX": "xianfeng/archive",
    }
    storage = StorageHandler({"archive": archive_storage(tmp_path, environ)})["archive"]

    assert isinstance(storage, ArchiveS3Storage)
    assert (storage.bucket_name, storage.location) == ("county-archive", "xianfeng/archive")
    assert storage.default_acl == "private" and storage.file_overwrite is False
    link = storage.url("demo/1/2026/abc-form.pdf")
    assert link.startswith("https://minio.internal:9000/county-archive/xianfeng/archive/demo/1/2026/abc-form.pdf?")
    assert "X-Amz-Signature=" in link or "Signature=" in link
    with pytest.raises(ProtectedArchive):
        storage.delete("demo/1/2026/abc-form.pdf")
