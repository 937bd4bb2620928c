"""Provisioning counties: the template schema, the platform's own tenant, and new counties."""

import re
import time

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from core.exceptions import RuleViolation

from .models import County, Domain

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]{1,39}$")
RESERVED_SLUGS = {"public", "www", "api", "admin", "platform", "static", settings.TENANT_BASE_SCHEMA}


def county_domain(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def ensure_platform() -> County:
    """The public schema's own tenant row, answering on the bare base domain."""
    platform, _created = County.objects.get_or_create(
        schema_name=get_public_schema_name(), defaults={"slug": "platform", "name": "先锋平台"}
    )
    Domain.objects.get_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": platform, "is_primary": True})
    return platform


# The template states this process found complete: the code's migrations do not change while it runs,
# so a template whose recorded migrations are as they were is still complete (loading them costs ~0.7 s).
_complete_templates: set[tuple[str, str]] = set()


def _misses_migrations(schema: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*), max(id) FROM "{schema}".django_migrations')
        state = (schema, str(cursor.fetchone()))
    if state in _complete_templates:
        return False
    connection.set_schema(schema, include_public=False)
    try:
        executor = MigrationExecutor(connection)
        missing = bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    finally:
        connection.set_schema_to_public()
    if not missing:
        _complete_templates.add(state)
    return missing


def ensure_template_schema(verbosity: int = 0) -> None:
    """Create and migrate the empty schema that new counties are cloned from (only when it misses a migration:
    a county's creation checks it, and a pass of `migrate_schemas` costs seconds even with nothing to do)."""
    template = settings.TENANT_BASE_SCHEMA
    if not schema_exists(template):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{template}"')
    elif not _misses_migrations(template):
        return
    call_command("migrate_schemas", tenant=True, schema_name=template, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


def migrate_everything(verbosity: int = 0, executor: str = "standard") -> None:
    """Public schema, the template, then every county: what a deploy runs. The `multiprocessing`
    executor migrates TENANT_MULTIPROCESSING_MAX_PROCESSES counties side by side."""
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=verbosity)
    ensure_platform()
    ensure_template_schema(verbosity)
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=verbosity, executor=executor)


def validate_new_county(slug: str, name: str, admin_username: str, admin_password: str) -> None:
    errors: dict[str, list[str]] = {}
    if not SLUG_PATTERN.match(slug or "") or slug in RESERVED_SLUGS:
        errors["slug"] = [_("A county code is 2 to 40 lowercase letters or digits and starts with a letter.")]
    elif County.objects.filter(slug=slug).exists():
        errors["slug"] = [_("A county with this code already exists.")]
    if not (name or "").strip():
        errors["name"] = [_("The county needs a name.")]
    if not (admin_username or "").strip():
        errors["admin_username"] = [_("The first county administrator needs a username.")]
    try:
        validate_password(admin_password or "")
    except ValidationError as exc:
        errors["admin_password"] = list(exc.messages)
    if errors:
        raise RuleViolation(next(iter(errors.values()))[0], errors=errors)


def create_county(*, slug: str, name: str, admin_username: str, admin_password: str) -> County:
    """Clone a county's schema from the template and give it a root organization and a first admin."""
    from orgs.services import create_root_organization

    validate_new_county(slug, name, admin_username, admin_password)
    ensure_template_schema()
    started = time.monotonic()
    with transaction.atomic():
        county = County(schema_name=slug, slug=slug, name=name.strip())
        county.save(verbosity=0)
        Domain.objects.create(domain=county_domain(slug), tenant=county, is_primary=True)
        with schema_context(county.schema_name):
            create_root_organization(
                name=county.name, admin_username=admin_username.strip(), admin_password=admin_password
            )
    county.seconds_to_create = time.monotonic() - started
    return county
