"""The security suite's figures, printed at the end of the run so they can be quoted."""

import json

import pytest

from tests.conftest import CountyClient

from .estate import Estate, build
from .surface import Surface, surface

# Figures the suite's tests fill in: {"isolation": {...}, "fuzzing": {...}, ...}.
REPORT: dict[str, dict] = {}

# The sign-in page, the sign-out and the language switch serve anonymous callers by design.
PUBLIC_PAGES = ("web:login", "web:logout", "web:set_language")


@pytest.fixture
def estate(county_a, admin_a) -> Estate:
    return build(county_a, admin_a)


@pytest.fixture
def attack_surface(estate) -> Surface:
    """The API's operations as its served OpenAPI document lists them, and the county's pages."""
    response = CountyClient(estate.county).as_user(estate.admin).get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return surface(response.json(), estate.admin, PUBLIC_PAGES)


def pytest_sessionfinish(session):
    # A worker of a parallel run (pytest-xdist) hands its figures to the run that prints them.
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["security_figures"] = json.dumps(REPORT)


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: the controller hears of each worker's end
def pytest_testnodedown(node, error):
    REPORT.update(json.loads(node.workeroutput.get("security_figures", "{}")))


def pytest_terminal_summary(terminalreporter):
    if not REPORT:
        return
    terminalreporter.section("security figures")
    for area, figures in REPORT.items():
        line = ", ".join(f"{name} {value}" for name, value in figures.items())
        terminalreporter.write_line(f"{area}: {line}")
