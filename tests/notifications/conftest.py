"""The admission tree and pipeline (tests/admission) are the events most notices come from."""

import pytest

from tests.admission.conftest import actors, county_admin, members  # noqa: F401
from tests.workflows.conftest import applicant, reviewer, secretary, tree  # noqa: F401

from .channels import FlakyEmailBackend, FlakySms


@pytest.fixture(autouse=True)
def _fresh_channels():
    FlakyEmailBackend.reset()
    FlakySms.reset()
    yield


@pytest.fixture
def flaky_channels(settings):
    """E-mail and SMS that fail the first attempt of each message and succeed after."""
    settings.EMAIL_BACKEND = "tests.notifications.channels.FlakyEmailBackend"
    settings.NOTIFICATION_ADAPTERS = {"sms": "tests.notifications.channels.FlakySms"}
    return settings
