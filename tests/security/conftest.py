"""The security suite's fixtures: the county's estate and the attack surface its API documents."""

import pytest

from tests.conftest import CountyClient

from .estate import Estate, build
from .surface import Surface, surface

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
