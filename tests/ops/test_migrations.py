"""Upgrades: `migrate_all` migrates the counties side by side with django-tenants' multiprocessing executor."""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from ops.readiness import unmigrated_schemas
from tests.ops.helpers import Operator, manage

pytestmark = pytest.mark.django_db

SLUG = "upgrade"


@pytest.fixture(scope="module")
def operator(django_db_setup, django_db_blocker) -> Iterator[Operator]:
    operator = Operator(django_db_blocker)
    operator.drop(SLUG)
    yield operator
    operator.drop(SLUG)
    operator.close()


def _forget_a_migration(schema: str) -> tuple[str, str]:
    """Unrecord a migration whose operations touch no county table (the public-only tenants app), as if
    the county had been created before it."""
    app, name = max(key for key in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes() if key[0] == "tenants")
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', [app, name])
    return app, name


def test_migrate_all_with_the_multiprocessing_executor_brings_every_county_up_to_date(operator):
    from tenants.services import create_county

    operator.run(lambda: create_county(slug=SLUG, name="升级县", admin_username="admin", admin_password="Upgrade-pass-2026"))
    operator.run(_forget_a_migration, SLUG)
    assert operator.run(unmigrated_schemas) == [SLUG]

    result = manage("migrate_all", "--executor=multiprocessing")

    assert result.returncode == 0, result.stderr
    assert "All schemas migrated (multiprocessing" in result.stdout
    for county in ("alpha", "beta", SLUG):
        assert f"multiprocessing:{county}]" in result.stdout
    assert operator.run(unmigrated_schemas) == []
