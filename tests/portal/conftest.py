"""Page clients for the portal tests: a browser session of county A signed in as a user.

Each test module brings its own organization tree (the admission tree of tests/admission, or the
disposition tree of tests/disposition) by importing its fixtures."""

import pytest
from django.test import Client


@pytest.fixture
def browser(county_a):
    def signed_in(user) -> Client:
        client = Client(HTTP_HOST=f"{county_a.slug}.localhost")
        client.force_login(user)
        return client

    return signed_in
