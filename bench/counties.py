"""Counties on the platform: creating one (a clone of the template schema), and one new-column
migration (the bench-only app `bench.newcolumn`, migration 0002) over 200 counties.

The 200 counties are the bench county and the counties `fleet…` created beside it once (four at a
time, by `create_county`) and kept with the bench database. Before each timed migration every county is put back to the state before
0002 in one untimed SQL batch (the column dropped, the migration's record removed); the template
keeps the column, so that counties created meanwhile are cloned with it.
"""

import time
from collections.abc import Callable

from django.core.management import call_command
from django.db import connection, transaction
from django_tenants.utils import get_public_schema_name

from tenants.models import County
from tenants.services import create_county

from .forking import fork_pool
from .generate import PASSWORD, _drop

FLEET = 200
FLEET_WORKERS = 4
APP, MIGRATION, TABLE, COLUMN = "bench_newcolumn", "0002_marker_note", "bench_newcolumn_marker", "note"


def county_schemas() -> list[str]:
    return list(County.objects.exclude(schema_name=get_public_schema_name()).order_by("schema_name").values_list("schema_name", flat=True))


def new_county(reps: int) -> list[float]:
    """Create a county `reps` times (each dropped again, untimed); the seconds of each."""
    seconds = []
    for rep in range(reps):
        slug = f"benchnew{rep}"
        _drop(slug)
        started = time.perf_counter()
        create_county(slug=slug, name="新建县", admin_username="admin", admin_password=PASSWORD)
        seconds.append(time.perf_counter() - started)
        connection.set_schema_to_public()
        _drop(slug)
    return seconds


def _create_fleet_county(number: int) -> float:
    """In a worker process: create county fleetNNN; its seconds."""
    slug = f"fleet{number:03d}"
    started = time.perf_counter()
    create_county(slug=slug, name=f"第{number}县", admin_username="admin", admin_password=PASSWORD)
    connection.close()
    return time.perf_counter() - started


def ensure_fleet(log: Callable[[str], None]) -> list[float]:
    """Counties until there are 200 on the platform (created 4 at a time); the seconds each new one took."""
    existing = set(county_schemas())
    missing = FLEET - len(existing)
    if missing <= 0:
        return []
    numbers = [n for n in range(1, FLEET + 1) if f"fleet{n:03d}" not in existing][:missing]
    log(f"  creating {len(numbers)} counties, {FLEET_WORKERS} at a time")
    connection.close()  # the forked workers open their own connections
    with fork_pool(FLEET_WORKERS) as pool:
        seconds = pool.map(_create_fleet_county, numbers, chunksize=1)
    connection.set_schema_to_public()
    return seconds


def _reset(schemas: list[str]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for schema in schemas:
            cursor.execute(f'ALTER TABLE "{schema}".{TABLE} DROP COLUMN IF EXISTS {COLUMN}')
            cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', [APP, MIGRATION])


def _applied(schemas: list[str]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = ANY(%s) AND table_name = %s "
            "AND column_name = %s",
            [schemas, TABLE, COLUMN],
        )
        return cursor.fetchone()[0]


def migrate_fleet(reps: int) -> tuple[list[float], int, str]:
    """`migrate_schemas` over every county for the one new column; seconds per run, counties, a check."""
    connection.set_schema_to_public()
    schemas = county_schemas()
    seconds = []
    for _rep in range(reps):
        _reset(schemas)
        started = time.perf_counter()
        call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
        seconds.append(time.perf_counter() - started)
        connection.set_schema_to_public()
    applied = _applied(schemas)
    return seconds, len(schemas), f"column added in {applied} of {len(schemas)} counties"
