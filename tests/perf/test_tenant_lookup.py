"""Tenant resolution costs at most one lookup per request, and none once the host is cached."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import CountyClient


def _queries(client: CountyClient) -> list[str]:
    """The statements of an anonymous request that its view answers without the database (401)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/me/")
    assert response.status_code == 401
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]


def test_the_county_is_looked_up_once_then_read_from_the_cache(county_a):
    client = CountyClient(county_a)
    cache.clear()
    first = _queries(client)
    assert len(first) == 1 and "tenants_domain" in first[0], first
    assert _queries(client) == []
    assert _queries(client) == []
