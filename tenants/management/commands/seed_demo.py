from django.core.management.base import BaseCommand

from tenants.demo import DEMO_NAME, DEMO_SLUG, seed_demo_county, sign_ins
from tenants.services import county_domain


class Command(BaseCommand):
    help = (
        f"Create the demo county `{DEMO_SLUG}` ({DEMO_NAME}) if absent and fill in its organizations, "
        "people, users and roles. Safe to run again: nothing is duplicated."
    )

    def handle(self, *args, **options):
        county, created = seed_demo_county()
        if options["verbosity"] == 0:
            return
        if created:
            self.stdout.write(f"Created the demo county in {county.seconds_to_create:.2f}s.")
        self.stdout.write(f"Demo county {county.name} at {county_domain(county.slug)}; sign-ins:")
        rows = sign_ins()
        width = max(len(username) for username, _password, _who in rows)
        for username, password, who in rows:
            self.stdout.write(f"  {username:<{width}}  {password}  {who}")
