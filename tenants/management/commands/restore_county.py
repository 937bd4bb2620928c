from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import RuleViolation
from tenants.backups import restore_county


class Command(BaseCommand):
    help = (
        "Restore a county from a backup_county archive: under its own code when that county is absent, "
        "as a copy under another code (--as), or over the live county (--replace, whose schema is kept aside)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--as", dest="slug", default=None, help="restore as a new county with this code")
        parser.add_argument("--replace", action="store_true", help="replace the live county of the archive")

    def handle(self, *args, archive, slug, replace, **options):
        if not archive.is_file():
            raise CommandError(f"No such archive: {archive}")
        try:
            restored = restore_county(archive, slug=slug, replace=replace)
        except RuleViolation as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"Restored county {restored.county.slug}: {restored.tables} tables, {restored.rows} rows, "
            "every table's count and the people checksum as in the backup."
        )
        if restored.skipped_rows:
            self.stdout.write(f"Left out {restored.skipped_rows} public rows that point at counties not here.")
        if restored.set_aside:
            self.stdout.write(
                f"The replaced schema is kept as {restored.set_aside}; drop it once satisfied: "
                f'DROP SCHEMA "{restored.set_aside}" CASCADE'
            )
