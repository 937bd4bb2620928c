"""A county's schema is the template's, object for object: tenants.clone copies it in one batch of DDL."""

from django.conf import settings
from django.db import connection

from tenants.clone import clone_schema

SIGNATURE = {
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, a.attcollation
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = %(schema)s::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    """,
    "constraints": """
        SELECT c.relname, k.conname, k.contype, replace(pg_get_constraintdef(k.oid), %(schema)s || '.', ''),
               k.condeferrable, k.condeferred
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid WHERE c.relnamespace = %(schema)s::regnamespace
    """,
    "indexes": """
        SELECT c.relname, replace(pg_get_indexdef(i.indexrelid), %(schema)s || '.', '')
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = %(schema)s::regnamespace
    """,
    "triggers": """
        SELECT t.tgname, t.tgenabled, replace(pg_get_triggerdef(t.oid), %(schema)s || '.', '')
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE c.relnamespace = %(schema)s::regnamespace AND NOT t.tgisinternal
    """,
    "functions": """
        SELECT proname, replace(pg_get_functiondef(oid), %(schema)s || '.', '')
        FROM pg_proc WHERE pronamespace = %(schema)s::regnamespace
    """,
    "relations": "SELECT relname, relkind FROM pg_class WHERE relnamespace = %(schema)s::regnamespace",
}


def signature(schema: str) -> dict[str, set[tuple]]:
    found = {}
    with connection.cursor() as cursor:
        for name, sql in SIGNATURE.items():
            cursor.execute(sql, {"schema": schema})
            found[name] = set(cursor.fetchall())
    return found


def rows(schema: str, table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{schema}".{table} ORDER BY 1')
        return cursor.fetchall()


def test_a_cloned_schema_has_every_object_of_the_template(public_schema):
    template = settings.TENANT_BASE_SCHEMA
    clone_schema(template, "clonecheck")
    expected, cloned = signature(template), signature("clonecheck")
    for part in SIGNATURE:
        assert cloned[part] == expected[part], (part, sorted(expected[part] ^ cloned[part])[:5])
    for table in ("django_migrations", "django_content_type", "auth_permission", "dues_ratetable", "dues_rateband"):
        assert rows("clonecheck", table) == rows(template, table), table


def test_a_cloned_schema_continues_the_template_identity_sequences(public_schema):
    clone_schema(settings.TENANT_BASE_SCHEMA, "clonecheck")
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM clonecheck.django_content_type")
        highest = cursor.fetchone()[0]
        cursor.execute("INSERT INTO clonecheck.django_content_type (app_label, model) VALUES ('perf', 'probe') RETURNING id")
        assert cursor.fetchone()[0] == highest + 1
