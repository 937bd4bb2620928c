"""Working on committed records beside the test's transaction: an operator thread, and manage.py in a process."""

import os
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection

from tenants.backups import people_checksum, table_counts
from tenants.models import County, Domain


class Operator:
    """Runs checks in one thread of its own: its own connection, committed reads, no test transaction."""

    def __init__(self, blocker):
        self.thread = ThreadPoolExecutor(max_workers=1)
        self.blocker = blocker  # pytest-django's switch for database access, for every thread at once

    def run(self, function: Callable, *args):
        with self.blocker.unblock():
            return self.thread.submit(function, *args).result(timeout=120)

    def close(self) -> None:
        self.run(lambda: connection.close())
        self.thread.shutdown()

    def counts(self, schema: str) -> dict[str, int]:
        return self.run(table_counts, schema)

    def checksum(self, schema: str) -> str:
        return self.run(people_checksum, schema)

    def domains(self, slug: str) -> list[str]:
        return self.run(lambda: list(Domain.objects.filter(tenant__slug=slug).values_list("domain", flat=True)))

    def schemas(self, prefix: str) -> list[str]:
        def names() -> list[str]:
            with connection.cursor() as cursor:
                cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s ORDER BY 1", [f"{prefix}%"])
                return [row[0] for row in cursor.fetchall()]

        return self.run(names)

    def drop(self, slug: str) -> None:
        def drop() -> None:
            connection.set_schema_to_public()
            for county in County.objects.filter(slug=slug):
                county.delete(force_drop=True)

        self.run(drop)


def manage(*args: str) -> subprocess.CompletedProcess:
    db = connection.settings_dict  # after django_db_setup: this run's test database
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )
