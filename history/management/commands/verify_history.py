"""Check the history hash chain of every county (or one) now, as the nightly beat task does."""

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from history.chain import verify_chain
from tenants.selectors import counties


class Command(BaseCommand):
    help = "Verify each county's history hash chain; exits with an error if any chain is broken."

    def add_arguments(self, parser):
        parser.add_argument("--county", help="Only this county (its code).")

    def handle(self, *args, county=None, **options):
        chosen = counties().filter(slug=county) if county else counties()
        if county and not chosen.exists():
            raise CommandError(f"No county with the code {county!r}.")
        broken = []
        for each in chosen:
            with tenant_context(each):
                result = verify_chain()
            if result.ok:
                self.stdout.write(f"{each.slug}: intact through link #{result.through_seq} ({result.head_hash})")
            else:
                broken.append(each.slug)
                self.stdout.write(
                    f"{each.slug}: BROKEN at link #{result.broken_at_seq} {result.broken_table}: {result.reason}"
                )
        if broken:
            raise CommandError(f"History chain broken in: {', '.join(broken)}")
