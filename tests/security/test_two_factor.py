"""Optional two-factor sign-in with an authenticator app (issue 10, OWASP ASVS 6.3.3): set up by anyone,
asked at every sign-in once set up, and required of county admins and committee reviewers when the
county says so."""

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.two_factor import SETTING
from core.dates import today
from orgs.county_settings import set_setting
from orgs.models import Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, UserFactory

PASSWORD = "Long-pass-word-2026"


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows now (or `steps_ahead` periods later)."""
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


def client(county) -> CountyClient:
    return CountyClient(county, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def reviewer(county_a):
    user = UserFactory(username="reviewer", password=PASSWORD)
    committee = OrganizationFactory(kind="committee", parent=root_organization())
    RoleAssignment.objects.create(user=user, org=committee, role=Role.COMMITTEE_REVIEWER)
    return user


@pytest.fixture
def device(reviewer) -> TOTPDevice:
    return TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)


def sign_in(county, username: str = "reviewer"):
    browser = client(county)
    assert browser.post("/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return browser


def test_a_user_sets_up_an_authenticator_with_its_first_code(reviewer, county_a):
    browser = sign_in(county_a)
    page = browser.get("/account/two-factor/")
    assert page.status_code == 200
    pending = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert page.context["secret"].replace(" ", "") in page.content.decode().replace(" ", "")
    response = browser.post("/account/two-factor/", {"code": code(pending), "next": "/tasks/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert TOTPDevice.objects.get(user=reviewer).confirmed
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_ENROLLED, username="reviewer").exists()


def test_once_set_up_every_sign_in_asks_for_the_code(device, county_a):
    browser = sign_in(county_a)
    response = browser.get("/tasks/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/two-factor/?next=")
    assert browser.get("/api/me/").status_code == 403  # the API through the same session, too
    key_before = browser.session.session_key
    response = browser.post("/login/two-factor/", {"code": code(device), "next": "/tasks/"})
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    assert browser.get("/tasks/").status_code == 200
    assert browser.session.session_key != key_before  # a new session key once the second factor is given


def test_a_wrong_code_is_refused_and_logged(device, county_a):
    browser = sign_in(county_a)
    response = browser.post("/login/two-factor/", {"code": code(device, steps_ahead=40)})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert browser.get("/tasks/").status_code == 302
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.TWO_FACTOR_FAILED, username="reviewer").exists()


def test_the_token_endpoint_asks_for_the_code_once_set_up(device, county_a):
    api = client(county_a)
    response = api.post("/api/auth/token/", {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 400
    assert response.json()["errors"]["otp"] == ["Enter the current code from your authenticator app."]
    response = api.post("/api/auth/token/", {"username": "reviewer", "password": PASSWORD, "otp": code(device)})
    assert response.status_code == 200 and response.json()["token"]


@pytest.fixture
def required(county_a, admin_a):
    set_setting(actor=admin_a, key=SETTING, value=True, effective_from=today())


def test_a_county_may_require_it_of_admins_and_reviewers(reviewer, county_a, required):
    browser = sign_in(county_a)
    response = browser.get("/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/account/two-factor/")
    api = client(county_a)
    response = api.post("/api/auth/token/", {"username": "reviewer", "password": PASSWORD})
    assert response.status_code == 400
    assert "Set up two-factor sign-in" in response.json()["errors"]["otp"][0]


def test_the_requirement_leaves_other_roles_free(county_a, required):
    secretary = UserFactory(username="secretary", password=PASSWORD)
    RoleAssignment.objects.create(
        user=secretary, org=OrganizationFactory(parent=root_organization()), role=Role.BRANCH_SECRETARY
    )
    browser = sign_in(county_a, "secretary")
    assert browser.get("/tasks/").status_code == 200
    assert SESSION_KEY in browser.session
