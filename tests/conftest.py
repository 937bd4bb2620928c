"""Two real counties, created once per test run by cloning the template schema.

Each test runs in a transaction that is rolled back; the counties themselves persist for the session.
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django_tenants.utils import get_public_schema_name
from rest_framework.test import APIClient

from tenants.models import County
from tests.security.figures import REPORT as SECURITY_FIGURES

COUNTY_ADMIN_PASSWORD = "Admin-pass-2026"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tenants.services import create_county, ensure_platform

    with django_db_blocker.unblock():
        name = connection.settings_dict["NAME"]
        assert name.startswith("test_"), f"refusing to seed counties into the non-test database {name!r}"
        ensure_platform()
        for slug, name in (("alpha", "甲县"), ("beta", "乙县")):
            if not County.objects.filter(slug=slug).exists():
                create_county(slug=slug, name=name, admin_username="admin", admin_password=COUNTY_ADMIN_PASSWORD)
        connection.set_schema_to_public()


@contextmanager
def in_county(county: County) -> Iterator[County]:
    previous = connection.tenant
    connection.set_tenant(county)
    try:
        yield county
    finally:
        connection.set_tenant(previous)


def _county(slug: str) -> Iterator[County]:
    county = County.objects.get(slug=slug)
    connection.set_tenant(county)
    yield county
    connection.set_schema_to_public()


@pytest.fixture
def county_a(db) -> Iterator[County]:
    """Work inside county A; the database connection's search path points at its schema."""
    yield from _county("alpha")


@pytest.fixture
def county_b(db) -> Iterator[County]:
    yield from _county("beta")


@pytest.fixture
def public_schema(db):
    connection.set_schema_to_public()
    assert connection.schema_name == get_public_schema_name()
    yield


class CountyClient(APIClient):
    """An API client addressed to one county by host name, that returns to that county's schema."""

    def __init__(self, county: County, **defaults):
        super().__init__(HTTP_HOST=f"{county.slug}.localhost", **defaults)
        self.county = county

    def request(self, **request):
        try:
            return super().request(**request)
        finally:
            connection.set_tenant(self.county)

    def as_user(self, user) -> "CountyClient":
        self.force_authenticate(user=None)
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=user)
        self.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return self


@pytest.fixture
def api_a(county_a) -> CountyClient:
    return CountyClient(county_a)


@pytest.fixture
def api_b(county_b) -> CountyClient:
    return CountyClient(county_b)


@pytest.fixture
def admin_a(county_a):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")


@pytest.fixture
def admin_api_a(api_a, admin_a) -> CountyClient:
    return api_a.as_user(admin_a)


def counted_statements(queries) -> list[str]:
    """The statements a query-count test counts: not the search-path settings, nor the county's host
    lookup, which a minute-long cache may repeat at any moment (tests/perf/test_tenant_lookup.py counts it)."""
    return [
        q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ") and '"tenants_domain"' not in q["sql"]
    ]


# The security suite's figures, printed after the run. They are here, in the conftest every run loads, because
# in a parallel run the controlling process collects nothing and would never load tests/security/conftest.py.
def pytest_sessionfinish(session):
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # a pytest-xdist worker hands its figures to the controlling process
        output["security_figures"] = json.dumps(SECURITY_FIGURES)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's: the controlling process hears of each worker's end
def pytest_testnodedown(node, error):
    SECURITY_FIGURES.update(json.loads(node.workeroutput.get("security_figures", "{}")))


def pytest_terminal_summary(terminalreporter):
    if not SECURITY_FIGURES:
        return
    terminalreporter.section("security figures")
    for area, figures in SECURITY_FIGURES.items():
        terminalreporter.write_line(f"{area}: {', '.join(f'{name} {value}' for name, value in figures.items())}")
