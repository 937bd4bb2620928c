"""What one more county costs a PostgreSQL server, measured here; deploy/SCALING.md quotes the result.

    .venv/bin/python bench/scaling.py [--counties 50] [--processes 2]

Works in a database of its own (`xianfeng_scaling` on the embedded cluster, or SCALING_DATABASE on
DATABASE_URL's server), dropped and created afresh on every run. It migrates the public schema and
the template, creates counties one by one the way operators do (create_county: a clone of the
template schema), and measures
- the time to create a county;
- one county's schema: tables, relations (with indexes, sequences, TOAST), size on disk when empty;
- the system catalog: rows in pg_class and pg_attribute and its size on disk, per county added;
- a deploy's migration pass over every county with nothing to apply (django-tenants' standard and
  multiprocessing executors), and one DDL statement (ADD and DROP COLUMN) run in every county;
- the cache one PostgreSQL backend builds as it serves county after county (pg_backend_memory_contexts),
  which a persistent connection keeps;
- the backup of one county (backup_county) and its archive's size;
and extrapolates them to 300, 1,000 and 3,000 counties. Results: bench/results/scaling.json.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "scaling.json"
PASSWORD = "Scaling-pass-2026"
EXTRAPOLATE_TO = (300, 1000, 3000)


def database_url(name: str) -> str:
    from config.settings.base import embedded_database_url

    parts = urlsplit(os.environ.get("DATABASE_URL") or embedded_database_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if name in {"xianfeng", "postgres", "template0", "template1"} or name.startswith("test_"):
        raise SystemExit(f"bench/scaling.py drops and creates its own database; it refuses {name!r}")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def scalar(query: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchone()[0]


def catalog() -> dict[str, int]:
    """The system catalog's size: what every county's tables, columns and indexes add to."""
    return {
        "pg_class_rows": scalar("SELECT count(*) FROM pg_class"),
        "pg_attribute_rows": scalar("SELECT count(*) FROM pg_attribute"),
        "pg_depend_rows": scalar("SELECT count(*) FROM pg_depend"),
        "catalog_bytes": scalar(
            "SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'pg_catalog' AND c.relkind IN ('r', 'm')"
        ),
        "database_bytes": scalar("SELECT pg_database_size(current_database())"),
    }


def schema_shape(schema: str) -> dict[str, int]:
    return {
        "tables": scalar("SELECT count(*) FROM pg_tables WHERE schemaname = %s", [schema]),
        "indexes": scalar("SELECT count(*) FROM pg_indexes WHERE schemaname = %s", [schema]),
        "relations": scalar("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s", [schema]),
        "bytes_on_disk": scalar(
            "SELECT coalesce(sum(pg_total_relation_size(format('%%I.%%I', schemaname, tablename)::regclass)), 0)::bigint "
            "FROM pg_tables WHERE schemaname = %s",
            [schema],
        ),
    }


def timed(function, *args, **kwargs) -> float:
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def migration_pass(executor: str) -> float:
    from django.core.management import call_command

    return timed(call_command, "migrate_schemas", tenant=True, interactive=False, verbosity=0, executor=executor)


def ddl_in_every_county(schemas: list[str]) -> list[float]:
    """One catalog-only DDL statement per county, as a migration adding a nullable column runs it."""
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for schema in schemas:
            started = time.perf_counter()
            cursor.execute(f'ALTER TABLE "{schema}".members_person ADD COLUMN scaling_probe integer NULL')
            cursor.execute(f'ALTER TABLE "{schema}".members_person DROP COLUMN scaling_probe')
            times.append(time.perf_counter() - started)
    return times


def backend_cache(schemas: list[str], every: int) -> list[tuple[int, int]]:
    """(counties served, bytes of the backend's memory) for one connection that reads every table of
    county after county, as a persistent connection of a busy web process eventually does."""
    from django.db import connection

    connection.close()
    points = []
    with connection.cursor() as cursor:
        for served, schema in enumerate([None, *schemas]):
            if schema is not None:
                cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [schema])
                for (table,) in cursor.fetchall():
                    cursor.execute(f'SELECT 1 FROM "{schema}"."{table}" LIMIT 1')
            if served % every == 0 or served == len(schemas):
                cursor.execute("SELECT sum(total_bytes) FROM pg_backend_memory_contexts")
                points.append((served, int(cursor.fetchone()[0])))
    connection.close()
    return points


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares growth of y per unit of x."""
    points = [(float(x), float(y)) for x, y in points]
    xs, ys = zip(*points, strict=True)
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x in xs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counties", type=int, default=50, help="at least 10")
    parser.add_argument("--processes", type=int, default=2, help="the multiprocessing executor's processes")
    parser.add_argument("--database", default=os.environ.get("SCALING_DATABASE", "xianfeng_scaling"))
    args = parser.parse_args()

    url = database_url(args.database)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from ops.readiness import unmigrated_schemas
    from tenants.backups import backup_counties
    from tenants.selectors import counties
    from tenants.services import create_county, migrate_everything

    settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = args.processes
    log = print
    log(f"database {args.database}; PostgreSQL {connection.pg_version}")
    first_migration = timed(migrate_everything)
    log(f"public schema and template migrated in {first_migration:.1f}s")
    before = catalog()
    template = schema_shape(settings.TENANT_BASE_SCHEMA)

    create_times, clone_times, growth = [], [], [(0, before)]
    for index in range(args.counties):
        slug = f"county{index + 1:04d}"
        started = time.perf_counter()
        created = create_county(slug=slug, name=f"县{index + 1}", admin_username="admin", admin_password=PASSWORD)
        create_times.append(time.perf_counter() - started)
        # The clone and the county's first rows, without the check that the template is migrated.
        clone_times.append(created.seconds_to_create)
        if (index + 1) % 10 == 0 or index + 1 == args.counties:
            growth.append((index + 1, catalog()))
            log(f"{index + 1} counties, last created in {create_times[-1]:.2f}s")
    schemas = list(counties().values_list("schema_name", flat=True))
    n = len(schemas)
    after = catalog()
    county = schema_shape(schemas[0])

    if unmigrated_schemas():
        # The code gained a migration while counties were being created: apply it before timing
        # passes that find nothing to do, as a deploy's pass over unchanged counties does.
        migration_pass("standard")
    standard = migration_pass("standard")
    log(f"migration pass, standard executor: {standard:.1f}s")
    parallel = migration_pass("multiprocessing")
    log(f"migration pass, multiprocessing executor ({args.processes} processes): {parallel:.1f}s")
    connection.close()
    ddl = ddl_in_every_county(schemas)
    cache_points = backend_cache(schemas, every=10)
    cache_per_county = slope(cache_points)
    with tempfile.TemporaryDirectory() as folder:
        one = counties().first()
        backup_seconds = timed(backup_counties, [one], Path(folder))
        archive_bytes = sum(path.stat().st_size for path in Path(folder).glob("*.tar"))

    per_county = {
        key: slope([(count, measured[key]) for count, measured in growth]) for key in after if key != "database_bytes"
    }
    per_county["database_bytes"] = slope([(count, measured["database_bytes"]) for count, measured in growth])
    result = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "postgresql": connection.pg_version},
        "counties": n,
        "first_migration_seconds": round(first_migration, 1),
        "template_schema": template,
        "county_schema": county,
        "create_county_seconds": {
            "median": round(statistics.median(create_times), 2),
            "max": round(max(create_times), 2),
            "clone_median": round(statistics.median(clone_times), 2),
        },
        "catalog_before": before,
        "catalog_after": after,
        "catalog_growth_per_county": {key: round(value, 1) for key, value in per_county.items()},
        "migration_pass_seconds": {
            "standard": round(standard, 1),
            "standard_per_county": round(standard / n, 3),
            "multiprocessing": round(parallel, 1),
            "multiprocessing_per_county": round(parallel / n, 3),
            "processes": args.processes,
        },
        "ddl_per_county_ms": {"median": round(statistics.median(ddl) * 1000, 1), "max": round(max(ddl) * 1000, 1)},
        "backend_cache": {"points": cache_points, "bytes_per_county": round(cache_per_county)},
        "backup_one_county": {"seconds": round(backup_seconds, 2), "archive_bytes": archive_bytes},
        "extrapolated": {
            str(total): {
                "pg_class_rows": round(before["pg_class_rows"] + per_county["pg_class_rows"] * total),
                "pg_attribute_rows": round(before["pg_attribute_rows"] + per_county["pg_attribute_rows"] * total),
                "catalog_mb": round((before["catalog_bytes"] + per_county["catalog_bytes"] * total) / 2**20),
                "empty_schemas_mb": round(county["bytes_on_disk"] * total / 2**20),
                "migration_pass_standard_minutes": round(standard / n * total / 60, 1),
                "migration_pass_multiprocessing_minutes": round(parallel / n * total / 60, 1),
                "ddl_in_every_county_seconds": round(statistics.median(ddl) * total, 1),
                "backend_cache_mb_after_every_county": round((cache_points[0][1] + cache_per_county * total) / 2**20),
                "backup_all_minutes": round(backup_seconds * total / 60, 1),
            }
            for total in EXTRAPOLATE_TO
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1) + "\n")
    log(json.dumps(result, indent=1))
    log(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
