"""Backing up counties and restoring one: its schema (pg_dump) and its rows in the public schema.

An archive `<slug>-<UTC time>.tar` holds
- `schema.dump`: pg_dump's custom format of the county's schema;
- `public.json`: the county's public rows (County, its Domains, and its letters in the mailbox:
  every public model with a foreign key to County), in Django's serialization;
- `manifest.json`: the county, the time, every table's row count and a checksum of the people table,
  taken in the same snapshot as the dump, so a restore can prove it got everything back.

Several counties backed up together share one snapshot: a letter between two of them is in both or
in neither. A restore goes into a schema that does not exist yet (the county was dropped, or a new
database, or a copy under another code), or with `replace` over the live county, whose schema is
renamed aside (kept, never dropped) and brought back if the restore fails.
"""

import datetime
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_exists

from core.exceptions import RuleViolation

from .middleware import host_cache_key
from .models import County, Domain
from .services import RESERVED_SLUGS, SLUG_PATTERN, county_domain

ARCHIVE_FORMAT = 1


@dataclass
class Restored:
    county: County
    tables: int
    rows: int
    set_aside: str | None  # the replaced schema, renamed and kept
    skipped_rows: int  # public rows that point at a county absent from this database


def postgres_binary(name: str) -> str:
    """pg_dump, pg_restore or psql of the server's major version: PG_BIN_DIR, Debian's folder, or PATH."""
    major = connection.pg_version // 10000
    folders = [os.environ["PG_BIN_DIR"]] if os.environ.get("PG_BIN_DIR") else []
    folders.append(f"/usr/lib/postgresql/{major}/bin")
    for folder in folders:
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    raise RuleViolation(
        _("%(name)s of PostgreSQL %(major)s was not found: install postgresql-client-%(major)s or set PG_BIN_DIR.")
        % {"name": name, "major": major}
    )


def _client_arguments() -> tuple[list[str], dict[str, str]]:
    """The connection of the default database, for PostgreSQL's own command-line programs."""
    db = connection.settings_dict
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", db["HOST"]]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", db["USER"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return arguments, env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuleViolation(_("%(what)s failed: %(error)s") % {"what": what, "error": result.stderr.strip()[-2000:]})


def county_models() -> list[type[models.Model]]:
    """Public-schema models whose rows belong to counties: a foreign key to County (Domain, Letter, …)."""
    public_apps = set(settings.SHARED_APPS) - set(settings.TENANT_APPS)
    found = []
    for model in apps.get_models():
        if model is County or model._meta.app_config.name not in public_apps:
            continue
        if _county_keys(model):
            found.append(model)
    return sorted(found, key=lambda model: model is not Domain)  # domains first


def _county_keys(model: type[models.Model]) -> list[models.ForeignKey]:
    return [field for field in model._meta.concrete_fields if field.is_relation and field.related_model is County]


def table_counts(schema: str) -> dict[str, int]:
    """Every table of the schema and its number of rows, in one query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
        tables = [row[0] for row in cursor.fetchall()]
        if not tables:
            return {}
        quote = connection.ops.quote_name
        cursor.execute(
            " UNION ALL ".join(f"SELECT %s, count(*) FROM {quote(schema)}.{quote(table)}" for table in tables), tables
        )
        return dict(cursor.fetchall())


def people_checksum(schema: str) -> str:
    """MD5 of every row of the people table, in id order, as PostgreSQL prints them."""
    from members.models import Person

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT md5(coalesce(string_agg(p::text, E'\\n' ORDER BY p.id), '')) "
            f"FROM {quote(schema)}.{quote(Person._meta.db_table)} AS p"
        )
        return cursor.fetchone()[0]


def _public_rows(county: County) -> list[models.Model]:
    rows: list[models.Model] = [county]
    for model in county_models():
        condition = models.Q()
        for field in _county_keys(model):
            condition |= models.Q(**{field.attname: county.pk})
        rows += list(model.objects.filter(condition).order_by("pk"))
    return rows


def _referenced_counties(rows: Iterable[models.Model]) -> dict[str, str]:
    """{county id: slug} of every county the rows point at, so a restore can find them by code."""
    ids = {row.pk for row in rows if isinstance(row, County)}
    for row in rows:
        if not isinstance(row, County):
            ids |= {getattr(row, field.attname) for field in _county_keys(type(row))}
    return {str(pk): slug for pk, slug in County.objects.filter(pk__in=ids).values_list("pk", "slug")}


def backup_counties(counties: Iterable[County], folder: Path) -> list[Path]:
    """One archive per county in `folder`, all taken from one snapshot of the database."""
    if connection.in_atomic_block:
        raise RuleViolation(_("A backup takes its own snapshot: run it outside any transaction."))
    folder.mkdir(parents=True, exist_ok=True)
    pg_dump = postgres_binary("pg_dump")
    arguments, env = _client_arguments()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    archives = []
    connection.set_schema_to_public()
    with transaction.atomic(), tempfile.TemporaryDirectory() as scratch:
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        for county in counties:
            work = Path(scratch) / county.slug
            work.mkdir()
            _run(
                [pg_dump, *arguments, f"--snapshot={snapshot}", f"--schema={county.schema_name}", "--format=custom",
                 f"--file={work / 'schema.dump'}"],
                env,
                f"pg_dump of {county.schema_name}",
            )
            rows = _public_rows(county)
            (work / "public.json").write_text(serializers.serialize("json", rows, indent=1))
            manifest = {
                "format": ARCHIVE_FORMAT,
                "slug": county.slug,
                "schema": county.schema_name,
                "name": county.name,
                "taken_at": timezone.now().isoformat(),
                "server_version": connection.pg_version,
                "tables": table_counts(county.schema_name),
                "people_checksum": people_checksum(county.schema_name),
                "counties": _referenced_counties(rows),
            }
            (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
            archive = folder / f"{county.slug}-{stamp}.tar"
            with tarfile.open(archive, "w") as tar:
                for name in ("manifest.json", "public.json", "schema.dump"):
                    tar.add(work / name, arcname=name)
            archives.append(archive)
    return archives


def rename_schema(lines: Iterable[str], old: str, new: str) -> Iterator[str]:
    """pg_restore's script with the schema `old` called `new`, leaving the rows of COPY blocks as they are."""
    if old == new:
        yield from lines
        return
    quoted_new = connection.ops.quote_name(new)
    name = rf'(?:"{re.escape(old)}"|{re.escape(old)})'
    qualified = re.compile(rf"(?<![\w$\"]){name}(?=\.)")
    schema_statement = re.compile(rf"(\bSCHEMA ){name}(?=[\s;])")
    in_copy = False
    for line in lines:
        if in_copy:
            in_copy = line.rstrip("\n") != "\\."
            yield line
            continue
        line = schema_statement.sub(lambda match: match.group(1) + quoted_new, qualified.sub(quoted_new, line))
        in_copy = line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;")
        yield line


def _load_schema(dump: Path, old: str, new: str) -> None:
    """Create schema `new` from the dump of schema `old`, in one transaction."""
    arguments, env = _client_arguments()
    restore = subprocess.Popen(
        [postgres_binary("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(dump)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    psql = subprocess.Popen(
        [postgres_binary("psql"), *arguments, "--quiet", "--no-psqlrc", "--single-transaction",
         "--set=ON_ERROR_STOP=1", "--file=-"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        for line in rename_schema(restore.stdout, old, new):
            psql.stdin.write(line)
    except BrokenPipeError:
        pass  # psql stopped at an error: its message follows
    finally:
        psql.stdin.close()
    errors = psql.stderr.read()
    if psql.wait() != 0 or restore.wait() != 0:
        raise RuleViolation(_("Restoring the schema failed: %(error)s") % {"error": (errors or restore.stderr.read())[-2000:]})


def _verify(schema: str, manifest: dict) -> None:
    restored = table_counts(schema)
    expected = manifest["tables"]
    if restored != expected:
        different = sorted(table for table in set(restored) | set(expected) if restored.get(table) != expected.get(table))
        raise RuleViolation(_("The restored schema differs from the backup in %(tables)s.") % {"tables": ", ".join(different)})
    if people_checksum(schema) != manifest["people_checksum"]:
        raise RuleViolation(_("The restored people differ from the backup's."))


def _insert_public_rows(objects: list, manifest: dict, target: str) -> tuple[County, int]:
    """The county's public rows, pointing at this database's counties (found by code); returns the county
    and how many rows were left out because they point at a county this database does not have."""
    [original] = [item.object for item in objects if isinstance(item.object, County)]
    copy = target != manifest["slug"]
    county = original
    if copy or County.objects.filter(pk=original.pk).exists():
        county.pk = None
    county.schema_name = county.slug = target
    County.objects.bulk_create([county])
    ids = {slug: pk for slug, pk in County.objects.filter(slug__in=manifest["counties"].values()).values_list("slug", "pk")}
    ids[manifest["slug"]] = county.pk
    if copy:
        Domain.objects.create(domain=county_domain(target), tenant=county, is_primary=True)
        return county, sum(1 for item in objects if not isinstance(item.object, County | Domain))

    skipped = 0
    for model in county_models():
        rows = []
        for item in objects:
            row = item.object
            if type(row) is not model:
                continue
            slugs = [manifest["counties"].get(str(getattr(row, field.attname))) for field in _county_keys(model)]
            if not all(slug in ids for slug in slugs):
                skipped += 1
                continue
            for field, slug in zip(_county_keys(model), slugs, strict=True):
                setattr(row, field.attname, ids[slug])
            if model.objects.filter(pk=row.pk).exists() and model is Domain:
                row.pk = None
            rows.append(row)
        model.objects.bulk_create(rows, ignore_conflicts=True)
    # Rows that kept their ids may lie beyond an identity sequence of a fresh database.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [County, *county_models()]):
            cursor.execute(statement)
    return county, skipped


def read_archive(archive: Path, folder: Path) -> tuple[dict, list, Path]:
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    manifest = json.loads((folder / "manifest.json").read_text())
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise RuleViolation(_("This is not a county backup this version can read."))
    objects = list(serializers.deserialize("json", (folder / "public.json").read_text()))
    return manifest, objects, folder / "schema.dump"


def _set_aside(county: County) -> str:
    aside = f"{county.schema_name}_old_{timezone.now():%Y%m%d%H%M%S}"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER SCHEMA {quote(county.schema_name)} RENAME TO {quote(aside)}")
    return aside


def _put_back(aside: str, schema: str) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {quote(schema)} CASCADE")
        cursor.execute(f"ALTER SCHEMA {quote(aside)} RENAME TO {quote(schema)}")


def _reopen_letters(county: County, since: datetime.datetime) -> None:
    """Letters delivered to the county after the backup are delivered again: the restored schema has
    not seen them, and delivery is idempotent by the letter's UUID (tenants.mailbox)."""
    from .models import Letter

    Letter.objects.filter(to_county=county, delivered_at__gt=since).update(delivered_at=None, attempts=0, last_error="")


def restore_county(archive: Path, slug: str | None = None, replace: bool = False) -> Restored:
    """Restore a county from its archive, under its own code or as a copy under `slug`."""
    if connection.in_atomic_block:
        raise RuleViolation(_("A restore runs its own transactions: run it outside any transaction."))
    connection.set_schema_to_public()
    with tempfile.TemporaryDirectory() as scratch:
        manifest, objects, dump = read_archive(archive, Path(scratch))
        target = slug or manifest["slug"]
        if not SLUG_PATTERN.match(target) or target in RESERVED_SLUGS or target == get_public_schema_name():
            raise RuleViolation(_("A county code is 2 to 40 lowercase letters or digits and starts with a letter."))
        live = County.objects.filter(slug=target).first()
        if (live or schema_exists(target)) and not replace:
            raise RuleViolation(_("County %(slug)s exists: restore it under another code, or replace it.") % {"slug": target})
        if replace and target != manifest["slug"]:
            raise RuleViolation(_("Only a county's own backup can replace it."))
        if replace and live is None:
            raise RuleViolation(_("There is no county %(slug)s to replace.") % {"slug": target})

        aside = _set_aside(live) if live else None
        try:
            _load_schema(dump, manifest["schema"], target)
            _verify(target, manifest)
            if live:
                _reopen_letters(live, datetime.datetime.fromisoformat(manifest["taken_at"]))
                county, skipped = live, 0
            else:
                with transaction.atomic():
                    county, skipped = _insert_public_rows(objects, manifest, target)
        except Exception:
            if aside:
                _put_back(aside, target)
            elif schema_exists(target):
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP SCHEMA {connection.ops.quote_name(target)} CASCADE")
            raise
    # A backup older than the code gets the migrations it lacks.
    call_command("migrate_schemas", tenant=True, schema_name=target, interactive=False, verbosity=0)
    connection.set_schema_to_public()
    for domain in Domain.objects.filter(tenant=county).values_list("domain", flat=True):
        cache.delete(host_cache_key(domain))
    tables = manifest["tables"]
    return Restored(county, len(tables), sum(tables.values()), aside, skipped)
