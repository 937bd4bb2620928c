"""Fuzzing (issue 10): schemathesis reads /api/schema/ and sends every operation generated requests, valid
and invalid, as county alpha's admin, in-process through the WSGI application (no network). No answer
may be a server error, and every documented answer must match the schema.

Bounded for CI: a few examples per operation, derandomized (the same cases on every run), no example
database; each request runs in a savepoint that is rolled back, so one case never changes the next.
"""

from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from .figures import REPORT

MAX_EXAMPLES = 3
FIGURES: Counter = Counter()


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, kept from closing the test's connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def alpha_headers(estate) -> dict[str, str]:
    return {"Host": f"{estate.county.slug}.localhost", "Authorization": f"Token {estate.token(estate.admin)}"}


@pytest.fixture
def api_schema(estate, wsgi_app, alpha_headers):
    config = SchemathesisConfig.from_dict(
        {
            "seed": 10,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "mode": "all"},
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        }
    )
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app, config=config, headers=alpha_headers)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4.32 reads and renames `node._nodeid`, which pytest 9 keeps as `node._id` now."""
    request.node._nodeid = request.node.nodeid


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_without_a_server_error_and_as_documented(case, estate, alpha_headers):
    with transaction.atomic():
        response = case.call(headers=alpha_headers, base_url=f"http://{alpha_headers['Host']}")
        transaction.set_rollback(True)
    connection.set_tenant(estate.county)
    FIGURES["cases"] += 1
    FIGURES["server errors"] += response.status_code >= 500
    FIGURES[f"operation {case.operation.label}"] = 1
    REPORT["fuzzing"] = {
        "operations": sum(1 for key in FIGURES if key.startswith("operation ")),
        "cases": FIGURES["cases"],
        "server errors": FIGURES["server errors"],
    }
    case.validate_response(
        response,
        checks=[response_schema_conformance, content_type_conformance],
        additional_checks=[],
    )
    assert response.status_code < 500, response.text[:500]
