import time

from django.conf import settings
from django.core.management.base import BaseCommand

from tenants.services import migrate_everything


class Command(BaseCommand):
    help = (
        "Migrate the public schema, the county template schema, then every county; counties side by side "
        "with --executor=multiprocessing (production's default, TENANT_MULTIPROCESSING_MAX_PROCESSES at once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--executor",
            choices=["standard", "multiprocessing"],
            default=getattr(settings, "TENANT_MIGRATION_EXECUTOR", "standard"),
            help="django-tenants' migration executor for the counties",
        )

    def handle(self, *args, executor, **options):
        started = time.monotonic()
        migrate_everything(verbosity=options["verbosity"], executor=executor)
        self.stdout.write(self.style.SUCCESS(f"All schemas migrated ({executor}, {time.monotonic() - started:.1f}s)."))
