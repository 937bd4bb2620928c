"""Cloning the template schema for a new county in one batch of DDL.

django-tenants clones with pg-clone-schema, a PL/pgSQL function that walks the catalog object by
object (about 7 seconds for our 107 tables) and then runs `migrate_schemas --fake` over the copy
(about 2 seconds more). Here the template's definition is read from the catalog once, as the
statements that rebuild it (tables with their defaults and identity columns, the rows the
migrations seeded, constraints, indexes, functions and triggers, every name kept so later
migrations find what they alter), and replayed for each new schema in one round trip. The rows of
`django_migrations` come with the copy, so the new county is at the template's migrations.

The definition is cached per process and keyed by the template's migration state: migrating the
template gives the next county the new definition. A template object of a kind this does not copy
(a view, a type) stops the clone instead of leaving it out.
"""

from dataclasses import dataclass

from django.db import connection

_cache: dict[tuple[str, str], "Definition"] = {}


class UnsupportedTemplate(RuntimeError):
    """The template holds an object this clone does not copy."""


@dataclass(frozen=True)
class Definition:
    """The template as statements: before the rows (tables), the rows, then constraints, indexes, code."""

    tables: list[str]  # with their primary keys, unique and check constraints
    copies: list[str]  # INSERT … SELECT from the template, and the identity sequences set after them
    constraints: list[str]  # foreign keys
    indexes: list[str]
    functions: list[str]
    triggers: list[str]

    def statements(self, template: str, schema: str) -> list[str]:
        source, target = _quote(template), _quote(schema)
        copies = [s.replace("{source}", source).replace("{target}", target) for s in self.copies]
        # The catalog prints some names qualified whatever the search path (an index's table, a function).
        tables = [_requalify(s, template, schema) for s in self.tables]
        code = [_requalify(s, template, schema) for s in (*self.constraints, *self.indexes, *self.functions, *self.triggers)]
        return [f"CREATE SCHEMA {target}", f"SET LOCAL search_path = {target}, public", *tables, *copies, *code]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _requalify(sql: str, template: str, schema: str) -> str:
    for old, new in ((f"{_quote(template)}.", f"{_quote(schema)}."), (f"{template}.", f"{_quote(schema)}.")):
        sql = sql.replace(old, new)
    return sql


def _rows(cursor, sql: str, params=None) -> list[tuple]:
    cursor.execute(sql, params or [])
    return cursor.fetchall()


def _state(cursor, template: str) -> str:
    """The template's migration state: what the cached definition was read from."""
    return str(_rows(cursor, f"SELECT count(*), max(id) FROM {_quote(template)}.django_migrations")[0])


def _check_supported(cursor, template: str) -> None:
    kinds = _rows(
        cursor,
        "SELECT relkind, count(*) FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind NOT IN ('r', 'i', 'S') "
        "GROUP BY relkind",
        [template],
    )
    types = _rows(
        cursor,
        "SELECT count(*) FROM pg_type t WHERE t.typnamespace = %s::regnamespace AND t.typtype NOT IN ('c', 'b') ",
        [template],
    )[0][0]
    sequences = _rows(
        cursor,
        "SELECT count(*) FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = %s::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = s.seqrelid AND d.deptype = 'i')",
        [template],
    )[0][0]
    if kinds or types or sequences:
        raise UnsupportedTemplate(
            f"template schema {template} holds relations {kinds}, {types} types, {sequences} sequences outside "
            "identity columns: tenants.clone copies tables, indexes, identity columns, constraints, functions and triggers"
        )


def _tables(cursor, template: str) -> tuple[list[str], list[str]]:
    tables, copies = [], []
    for oid, name in _rows(
        cursor, "SELECT oid, relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r' ORDER BY relname",
        [template],
    ):
        columns, names, identities = [], [], []
        for column, kind, not_null, default, identity, generated, collation in _rows(
            cursor,
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid),
                   a.attidentity, a.attgenerated,
                   CASE WHEN a.attcollation <> t.typcollation THEN (SELECT quote_ident(collname) FROM pg_collation
                                                                     WHERE oid = a.attcollation) END
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """,
            [oid],
        ):
            parts = [_quote(column), kind]
            if collation:
                parts.append(f"COLLATE {collation}")
            if generated:
                parts.append(f"GENERATED ALWAYS AS ({default}) STORED")
            elif default is not None:
                parts.append(f"DEFAULT {default}")
            if identity:
                parts.append("GENERATED ALWAYS AS IDENTITY" if identity == "a" else "GENERATED BY DEFAULT AS IDENTITY")
                identities.append(column)
            if not_null:
                parts.append("NOT NULL")
            columns.append(" ".join(parts))
            if not generated:
                names.append(_quote(column))
        # Primary keys, unique and check constraints inside the table's statement (one statement, not one each).
        columns += [
            f"CONSTRAINT {_quote(constraint)} {definition}"
            for constraint, definition in _rows(
                cursor,
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s "
                "AND contype IN ('p', 'u', 'c', 'x') ORDER BY contype, conname",
                [oid],
            )
        ]
        tables.append(f"CREATE TABLE {_quote(name)} ({', '.join(columns)})")
        if _rows(cursor, f"SELECT EXISTS (SELECT 1 FROM {_quote(template)}.{_quote(name)})")[0][0]:
            listed = ", ".join(names)
            copies.append(
                f"INSERT INTO {{target}}.{_quote(name)} ({listed}) OVERRIDING SYSTEM VALUE "
                f"SELECT {listed} FROM {{source}}.{_quote(name)}"
            )
            copies += [
                f"SELECT setval(pg_get_serial_sequence('{{target}}.{_quote(name)}', '{column}'), "
                f"(SELECT max({_quote(column)}) FROM {{target}}.{_quote(name)}))"
                for column in identities
            ]
    return tables, copies


def read_definition(template: str) -> Definition:
    """The statements that rebuild the template, read from the catalog (names printed unqualified)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL search_path = {_quote(template)}")
        _check_supported(cursor, template)
        tables, copies = _tables(cursor, template)
        namespace = [template]
        # Foreign keys once every table (and the keys they refer to) exists.
        constraints = [
            f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(name)} {definition}"
            for table, name, definition in _rows(
                cursor,
                """
                SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                WHERE c.relnamespace = %s::regnamespace AND k.contype = 'f' ORDER BY c.relname, k.conname
                """,
                namespace,
            )
        ]
        indexes = [
            definition
            for (definition,) in _rows(
                cursor,
                """
                SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE c.relnamespace = %s::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
                ORDER BY c.relname
                """,
                namespace,
            )
        ]
        functions = [
            definition
            for (definition,) in _rows(
                cursor,
                "SELECT pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = %s::regnamespace AND prokind = 'f' "
                "ORDER BY proname, oid",
                namespace,
            )
        ]
        triggers = [
            definition
            for (definition,) in _rows(
                cursor,
                """
                SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE c.relnamespace = %s::regnamespace AND NOT t.tgisinternal ORDER BY c.relname, t.tgname
                """,
                namespace,
            )
        ]
        cursor.execute("SET LOCAL search_path = public")
    return Definition(tables, copies, constraints, indexes, functions, triggers)


def definition_of(template: str) -> Definition:
    with connection.cursor() as cursor:
        key = (template, _state(cursor, template))
    if key not in _cache:
        _cache.clear()
        _cache[key] = read_definition(template)
    return _cache[key]


def clone_schema(template: str, schema: str) -> None:
    """Create `schema` as a copy of `template` (structure, the seeded rows, the migrations' record).

    Runs in the caller's transaction when there is one; otherwise in its own.
    """
    from django.db import transaction

    with transaction.atomic():
        statements = definition_of(template).statements(template, schema)
        with connection.cursor() as cursor:
            cursor.execute(";\n".join(statements))
            cursor.execute("SET LOCAL search_path = public")
