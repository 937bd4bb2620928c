"""Query counts of the API's lists: the same at 3 rows as at 30, so an N+1 query fails the suite.

Every paginated list of the OpenAPI schema is read at 3 rows and at 30 (after one warm-up read that
fills the per-process caches: the county's host lookup, content types). The lists come from the schema,
so a new list endpoint is covered as soon as it exists: the first test asks for its rows in tests/perf/rows.py.
"""

from functools import cache

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from tests.conftest import CountyClient, counted_statements

from .rows import LISTS, NOT_ROW_LISTS, Estate

FEW, MANY = 3, 30


@cache
def schema_lists() -> frozenset[str]:
    """The paths whose GET answers a paginated list, as the schema documents them."""
    schema = SchemaGenerator(urlconf="config.urls").get_schema(request=None, public=True)
    lists = set()
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        body = get["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
        if body.get("$ref", "").startswith("#/components/schemas/Paginated"):
            lists.add(path)
    return frozenset(lists)


def test_every_list_endpoint_has_rows_to_count(db):
    lists = schema_lists()
    missing = sorted(lists - set(LISTS) - set(NOT_ROW_LISTS))
    assert not missing, f"list endpoints without rows in tests/perf/rows.py: {missing}"
    assert not sorted((set(LISTS) | set(NOT_ROW_LISTS)) - lists), "rows for list endpoints the schema no longer has"


def _read(client: CountyClient, path: str) -> tuple[int, list[str]]:
    """The number of rows listed, and the statements one read of the list runs (search-path settings aside)."""
    client.get("/api/me/")  # the county's host stays cached for a minute: a slow row maker may outlast it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {"page_size": 100} if "?" not in path else None)
    assert response.status_code == 200, (path, response.status_code, response.content[:300])
    body = response.json()
    count = body["count"] if isinstance(body, dict) else len(body)  # a few lists answer a bare array
    return count, counted_statements(queries)


@pytest.mark.parametrize("path", sorted(LISTS))
def test_list_queries_do_not_grow_with_rows(county_a, path):
    estate = Estate.create()
    maker = LISTS[path]
    client = CountyClient(county_a).as_user(maker.reader(estate))
    where = maker.path(estate) if maker.path else path
    maker.add(estate, FEW)
    _read(client, where)  # warm the per-process caches
    count_few, few = _read(client, where)
    maker.add(estate, MANY - FEW)
    count_many, many = _read(client, where)
    assert count_many - count_few == MANY - FEW, f"{where} lists {count_few} then {count_many} rows"
    grown = [sql[:160] for sql in many if sql not in few or many.count(sql) > few.count(sql)]
    assert len(many) == len(few), f"{where}: {len(few)} queries at {count_few} rows, {len(many)} at {count_many}: {grown[:5]}"
