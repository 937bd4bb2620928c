"""Signing in (issue 10, OWASP ASVS 6.2, 6.3, 7.2-7.4, 16.3): lockout after repeated failures on the page
and the token endpoint, each caller by their own address behind a proxy, password rules, a new session
at sign-in, idle and absolute timeouts, tokens that expire, disabling a user, CSRF, the security log."""

import datetime
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import SecurityEvent
from accounts.sessions import SEEN, STARTED
from orgs.models import Role, RoleAssignment
from orgs.selectors import root_organization
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, UserFactory

PASSWORD = "Long-pass-word-2026"
Kind = SecurityEvent.Kind


@pytest.fixture
def clerk(county_a):
    user = UserFactory(username="clerk", password=PASSWORD)
    RoleAssignment.objects.create(
        user=user, org=OrganizationFactory(parent=root_organization()), role=Role.BRANCH_SECRETARY
    )
    return user


def client(county, **extra) -> CountyClient:
    return CountyClient(county, HTTP_ACCEPT_LANGUAGE="en", **extra)


def sign_in(browser: CountyClient, username: str, password: str):
    return browser.post("/login/", {"username": username, "password": password})


def events(kind: str):
    return SecurityEvent.objects.filter(kind=kind)


# --- lockout -------------------------------------------------------------------------------------------


@pytest.fixture
def browser(county_a) -> CountyClient:
    return client(county_a)


def test_the_sign_in_page_locks_a_username_at_an_address_out_after_five_failures(clerk, browser, county_a):
    for _attempt in range(4):
        assert sign_in(browser, "clerk", "wrong-password").status_code == 200  # the form again, with its error
    assert sign_in(browser, "clerk", "wrong-password").status_code == 429  # the fifth failure locks
    response = sign_in(browser, "clerk", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert SESSION_KEY not in browser.session
    assert events(Kind.LOCKED_OUT).filter(username="clerk").exists()
    # Another user at the same address, or the same user from elsewhere, may still sign in.
    UserFactory(username="colleague", password=PASSWORD)
    assert sign_in(browser, "colleague", PASSWORD).status_code == 302
    elsewhere = client(county_a, REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere, "clerk", PASSWORD).status_code == 302


def test_the_token_endpoint_locks_out_like_the_sign_in_page(clerk, county_a):
    api = client(county_a)
    for _attempt in range(4):
        response = api.post("/api/auth/token/", {"username": "clerk", "password": "wrong-password"})
        assert response.status_code == 400
        assert response.json()["detail"] == "Unable to sign in with these credentials."
    assert api.post("/api/auth/token/", {"username": "clerk", "password": "wrong-password"}).status_code == 429
    response = api.post("/api/auth/token/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert not Token.objects.filter(user=clerk).exists()
    # The page shares the count: the same caller is locked out there too.
    assert sign_in(client(county_a), "clerk", PASSWORD).status_code == 429


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_each_caller_is_counted_at_their_own_address(clerk, county_a):
    """The proxy's own address is the same for everyone; the address it appended to X-Forwarded-For is not.
    What a caller writes further left in the header is ignored."""
    attacker = client(county_a, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.66")
    for _attempt in range(5):
        sign_in(attacker, "clerk", "wrong-password")
    assert sign_in(attacker, "clerk", PASSWORD).status_code == 429
    spoofing = client(county_a, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 203.0.113.66")
    assert sign_in(spoofing, "clerk", PASSWORD).status_code == 429
    colleague = client(county_a, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.67")
    assert sign_in(colleague, "clerk", PASSWORD).status_code == 302
    failure = events(Kind.SIGN_IN_FAILED).filter(username="clerk").first()
    assert failure.address == "203.0.113.66"


# --- passwords and sessions --------------------------------------------------------------------------


def test_a_password_like_the_username_or_a_common_one_is_refused(county_a, admin_api_a):
    for password in ("wangxiaoming1", "password123"):
        response = admin_api_a.post("/api/users/", {"username": "wangxiaoming", "password": password})
        assert response.status_code == 400, password
        assert response.json()["errors"]["password"]


def test_signing_in_starts_a_new_session(clerk, browser):
    browser.get("/login/")
    session = browser.session
    session["before"] = "anonymous visit"
    session.save()
    before = session.session_key
    browser.cookies["sessionid"] = before
    assert sign_in(browser, "clerk", PASSWORD).status_code == 302
    after = browser.cookies["sessionid"].value
    assert after != before
    assert events(Kind.SIGN_IN).filter(username="clerk", detail__channel="session").exists()


def _age_session(browser: CountyClient, *, idle: float = 0, age: float = 0) -> None:
    session = browser.session
    now = time.time()
    session[SEEN] = now - idle
    session[STARTED] = now - age
    session.save()


def test_a_session_idle_for_more_than_thirty_minutes_ends(clerk, browser):
    browser.force_login(clerk)
    _age_session(browser, idle=29 * 60, age=3 * 3600)
    assert browser.get("/tasks/").status_code == 200
    _age_session(browser, idle=31 * 60, age=3 * 3600)
    response = browser.get("/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert events(Kind.SESSION_EXPIRED).filter(username="clerk").exists()


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(clerk, browser):
    browser.force_login(clerk)
    _age_session(browser, idle=10, age=12 * 3600 + 60)
    response = browser.get("/tasks/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_token_expires_twelve_hours_after_it_was_issued(clerk, county_a):
    api = client(county_a)
    key = api.post("/api/auth/token/", {"username": "clerk", "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/me/").status_code == 200
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(hours=12, minutes=1))
    assert api.get("/api/me/").status_code == 401
    api.credentials()
    fresh = api.post("/api/auth/token/", {"username": "clerk", "password": PASSWORD}).json()["token"]
    assert fresh != key


def test_disabling_a_user_ends_their_sessions_and_tokens_at_once(clerk, county_a, admin_api_a, browser):
    browser.force_login(clerk)
    assert browser.get("/tasks/").status_code == 200
    api = client(county_a).as_user(clerk)
    assert api.get("/api/me/").status_code == 200

    response = admin_api_a.post(f"/api/users/{clerk.pk}/disable/")
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert browser.get("/tasks/").status_code == 302
    assert api.get("/api/me/").status_code == 401
    assert not Token.objects.filter(user=clerk).exists()
    assert client(county_a).post("/api/auth/token/", {"username": "clerk", "password": PASSWORD}).status_code == 400
    event = events(Kind.USER_DISABLED).get()
    assert (event.username, event.detail["subject"], event.detail["sessions"]) == ("admin", clerk.pk, 1)

    assert admin_api_a.post(f"/api/users/{clerk.pk}/enable/").json()["is_active"] is True
    assert client(county_a).post("/api/auth/token/", {"username": "clerk", "password": PASSWORD}).status_code == 200


def test_only_county_admins_disable_users_and_never_themselves(clerk, county_a, admin_a, admin_api_a):
    assert client(county_a).as_user(clerk).post(f"/api/users/{admin_a.pk}/disable/").status_code == 403
    response = admin_api_a.post(f"/api/users/{admin_a.pk}/disable/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["detail"] == "You cannot disable your own account."


def test_pages_refuse_a_form_without_its_csrf_token(clerk, county_a):
    browser = client(county_a, enforce_csrf_checks=True)
    browser.force_login(clerk)
    assert browser.post("/logout/").status_code == 403
    page = browser.get("/tasks/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else browser.cookies["csrftoken"].value
    assert browser.post("/logout/", {"csrfmiddlewaretoken": token}).status_code == 302


def test_the_api_refuses_a_session_write_without_its_csrf_token(clerk, county_a, admin_a):
    browser = client(county_a, enforce_csrf_checks=True)
    browser.force_login(admin_a)
    response = browser.post("/api/users/", {"username": "newcomer", "password": PASSWORD})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_sign_ins_failures_and_refusals_are_logged_with_the_address(clerk, county_a):
    browser = client(county_a, REMOTE_ADDR="192.0.2.10")
    sign_in(browser, "clerk", "wrong-password")
    sign_in(browser, "clerk", PASSWORD)
    failed = events(Kind.SIGN_IN_FAILED).get(username="clerk")
    signed_in = events(Kind.SIGN_IN).get(username="clerk")
    assert (failed.address, signed_in.address, signed_in.user_id) == ("192.0.2.10", "192.0.2.10", clerk.pk)
    api = client(county_a).as_user(clerk)
    assert api.get("/api/users/").status_code == 403
    refused = events(Kind.REFUSED).get(username="clerk")
    assert (refused.method, refused.path, refused.status) == ("GET", "/api/users/", 403)


def test_the_security_log_cannot_be_rewritten(clerk, county_a):
    from django.db import InternalError, ProgrammingError, transaction

    sign_in(client(county_a), "clerk", "wrong-password")
    event = events(Kind.SIGN_IN_FAILED).get()
    for rewrite in (lambda: events(Kind.SIGN_IN_FAILED).update(username="someone"), event.delete):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
            rewrite()
    assert events(Kind.SIGN_IN_FAILED).get().username == "clerk"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_address_that_is_no_address_is_logged_as_unknown(clerk, county_a):
    browser = client(county_a, HTTP_X_FORWARDED_FOR="not-an-address")
    assert sign_in(browser, "clerk", PASSWORD).status_code == 302
    assert events(Kind.SIGN_IN).get(username="clerk").address is None
