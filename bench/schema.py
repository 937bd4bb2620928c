"""Keeping the bench database's schemas migrated without a pass over 200 counties when nothing changed."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import get_public_schema_name, schema_exists


def pending(schema: str) -> bool:
    """Whether the schema misses a migration of the code (a schema that does not exist misses them all)."""
    if not schema_exists(schema):
        return True
    connection.set_schema(schema, include_public=schema == get_public_schema_name())
    try:
        executor = MigrationExecutor(connection)
        return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    finally:
        connection.set_schema_to_public()
