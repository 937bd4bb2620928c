from django.core.management.base import BaseCommand, CommandError

from core.exceptions import RuleViolation
from tenants.services import county_domain, create_county


class Command(BaseCommand):
    help = "Create a county: its schema (cloned from the template), domain, root organization and first admin."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-password", required=True)

    def handle(self, *args, slug, name, admin_username, admin_password, **options):
        try:
            county = create_county(slug=slug, name=name, admin_username=admin_username, admin_password=admin_password)
        except RuleViolation as exc:
            raise CommandError("; ".join(m for messages in exc.errors.values() for m in messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created county {county.slug} at {county_domain(county.slug)} in {county.seconds_to_create:.2f}s"
            )
        )
