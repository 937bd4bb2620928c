from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.exceptions import RuleViolation
from tenants.backups import backup_counties
from tenants.models import County
from tenants.selectors import counties


class Command(BaseCommand):
    help = (
        "Back up counties: each county's schema (pg_dump) and its rows in the public schema, into "
        "<slug>-<time>.tar archives, all from one snapshot (tenants/backups.py)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", metavar="slug", help="the counties to back up")
        parser.add_argument("--all", dest="every", action="store_true", help="every county on the platform")
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="folder for the archives (default: BACKUP_ROOT, else .var/backups)",
        )

    def handle(self, *args, slugs, every, output, **options):
        if every == bool(slugs):
            raise CommandError("Name the counties to back up, or give --all.")
        chosen = list(counties()) if every else list(County.objects.filter(slug__in=slugs).order_by("slug"))
        unknown = set(slugs) - {county.slug for county in chosen}
        if unknown:
            raise CommandError(f"No such county: {', '.join(sorted(unknown))}")
        folder = output or Path(getattr(settings, "BACKUP_ROOT", settings.VAR_DIR / "backups"))
        try:
            archives = backup_counties(chosen, folder)
        except RuleViolation as exc:
            raise CommandError(exc.message) from exc
        for archive in archives:
            self.stdout.write(str(archive))
