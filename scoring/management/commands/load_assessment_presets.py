"""Load the seeds' indicator systems (scoring.assessment.presets) for a year into one county or every county."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from scoring.assessment.services import load_presets
from tenants.selectors import counties


class Command(BaseCommand):
    help = "Load the preset indicator systems (seed 001 annual assessment, seed 002 community checklist) for a year."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--county", help="the county's slug; every county when left out")

    def handle(self, *args, year: int, county: str | None = None, **options) -> None:
        chosen = counties()
        if county:
            chosen = chosen.filter(slug=county)
            if not chosen.exists():
                raise CommandError(f"No county {county!r}.")
        for each in chosen:
            with tenant_context(each):
                created = load_presets(year=year)
            self.stdout.write(f"{each.slug}: {len(created)} indicator systems loaded for {year}")
