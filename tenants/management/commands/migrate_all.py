from django.core.management.base import BaseCommand

from tenants.services import migrate_everything


class Command(BaseCommand):
    help = "Migrate the public schema, the county template schema, then every county."

    def handle(self, *args, **options):
        migrate_everything(verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS("All schemas migrated."))
