"""What a web process needs before it takes traffic: the database, the broker, and every schema migrated."""

from functools import cache

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name

# Enough names to act on; the count says how many more there are.
LISTED_UNMIGRATED = 20


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # a probe reports failures instead of raising them
        return f"error: {exc.__class__.__name__}"


def broker_status() -> str:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # a probe reports failures instead of raising them
        return f"error: {exc.__class__.__name__}"


@cache
def expected_migrations() -> frozenset[str]:
    """Every migration of this code. django-tenants records all of them in every schema (public,
    template, each county), the ones whose app lives elsewhere as no-ops."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return frozenset(f"{app}.{name}" for app, name in graph.nodes)


def schemas() -> list[str]:
    """The public schema, the template new counties are cloned from, then every county."""
    from tenants.selectors import counties

    return [get_public_schema_name(), settings.TENANT_BASE_SCHEMA, *counties().values_list("schema_name", flat=True)]


def unmigrated_schemas() -> list[str]:
    """Schemas that miss a migration of this code (or have no migration table yet), in one query each step."""
    expected = expected_migrations()
    names = schemas()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s FROM unnest(%s::text[]) AS s WHERE to_regclass(quote_ident(s) || '.django_migrations') IS NOT NULL",
            [names],
        )
        present = [row[0] for row in cursor.fetchall()]
        applied: dict[str, int] = {}
        if present:
            quote = connection.ops.quote_name
            union = " UNION ALL ".join(
                f"SELECT %s AS s, app || '.' || name AS m FROM {quote(schema)}.django_migrations" for schema in present
            )
            cursor.execute(
                f"SELECT s, count(DISTINCT m) FROM ({union}) AS applied WHERE m = ANY(%s) GROUP BY s",
                [*present, list(expected)],
            )
            applied = dict(cursor.fetchall())
    return [schema for schema in names if applied.get(schema, 0) < len(expected)]


def migration_status() -> tuple[str, list[str]]:
    try:
        missing = unmigrated_schemas()
    except Exception as exc:  # a probe reports failures instead of raising them
        return f"error: {exc.__class__.__name__}", []
    return ("ok" if not missing else "pending"), missing


def readiness() -> dict:
    database = database_status()
    broker = broker_status()
    migrations, unmigrated = migration_status() if database == "ok" else ("unknown", [])
    ready = database == broker == migrations == "ok"
    body = {"status": "ok" if ready else "unavailable", "database": database, "broker": broker, "migrations": migrations}
    if unmigrated:
        body["unmigrated"] = {"count": len(unmigrated), "schemas": unmigrated[:LISTED_UNMIGRATED]}
    return body
