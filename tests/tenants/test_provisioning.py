"""Provisioning counties: `manage.py create_county` and POST /api/platform/counties/ by platform operators."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgs.models import Organization, OrgKind, Role, RoleAssignment
from tenants.models import County, Domain
from tests.conftest import COUNTY_ADMIN_PASSWORD, CountyClient, in_county

NEW_ADMIN_PASSWORD = "Chief-pass-2026"


def platform_client(user=None) -> APIClient:
    """A client of the platform itself, on the bare base domain."""
    client = APIClient(HTTP_HOST="localhost")
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def operator(public_schema):
    """A platform operator: a staff user of the public schema."""
    return get_user_model().objects.create_user(username="operator", password="Operator-pass-1", is_staff=True)


def assert_county_is_ready(slug: str, name: str, admin_username: str) -> None:
    county = County.objects.get(slug=slug)
    assert county.schema_name == slug
    assert Domain.objects.filter(tenant=county, domain=f"{slug}.localhost", is_primary=True).exists()
    with in_county(county):
        root = Organization.objects.get(parent__isnull=True)
        assert (root.kind, root.name) == (OrgKind.COUNTY, name)
        assert RoleAssignment.objects.filter(user__username=admin_username, org=root, role=Role.COUNTY_ADMIN).exists()
        response = CountyClient(county).post(
            "/api/auth/token/", {"username": admin_username, "password": NEW_ADMIN_PASSWORD}
        )
        assert response.status_code == 200


def test_create_county_command_creates_the_schema_domain_root_organization_and_admin(public_schema):
    out = io.StringIO()
    call_command(
        "create_county", slug="gamma", name="丙县", admin_username="chief", admin_password=NEW_ADMIN_PASSWORD, stdout=out
    )
    assert "Created county gamma at gamma.localhost" in out.getvalue()
    assert_county_is_ready("gamma", "丙县", "chief")


def test_create_county_command_refuses_a_bad_slug_and_creates_nothing(public_schema):
    before = County.objects.count()
    with translation.override("en"), pytest.raises(CommandError, match="lowercase"):
        call_command("create_county", slug="Bad-Slug", name="坏县", admin_username="chief", admin_password=NEW_ADMIN_PASSWORD)
    assert County.objects.count() == before


def test_a_platform_operator_creates_a_county_through_the_api(operator):
    response = platform_client(operator).post(
        "/api/platform/counties/",
        {"slug": "delta", "name": "丁县", "admin_username": "chief", "admin_password": NEW_ADMIN_PASSWORD},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["slug"], body["name"], body["domain"]) == ("delta", "丁县", "delta.localhost")
    assert "admin_password" not in body
    assert_county_is_ready("delta", "丁县", "chief")


def test_the_platform_lists_counties_without_its_own_row(operator):
    response = platform_client(operator).get("/api/platform/counties/")
    assert response.status_code == 200
    slugs = [county["slug"] for county in response.json()["results"]]
    assert {"alpha", "beta"} <= set(slugs)
    assert "platform" not in slugs


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"slug": "Bad Slug!"}, "slug"),
        ({"slug": "x"}, "slug"),
        ({"slug": "public"}, "slug"),
        ({"name": " "}, "name"),
        ({"admin_password": "12345678"}, "admin_password"),
    ],
)
def test_a_bad_request_answers_400_with_the_field_in_error_and_creates_nothing(operator, changes, field):
    before = County.objects.count()
    request = {"slug": "eta", "name": "戊县", "admin_username": "chief", "admin_password": NEW_ADMIN_PASSWORD, **changes}
    response = platform_client(operator).post("/api/platform/counties/", request, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert field in body["errors"]
    assert County.objects.count() == before


def test_an_existing_county_code_answers_400(operator):
    response = platform_client(operator).post(
        "/api/platform/counties/",
        {"slug": "alpha", "name": "又一个甲县", "admin_username": "chief", "admin_password": NEW_ADMIN_PASSWORD},
        format="json",
    )
    assert response.status_code == 400
    assert "slug" in response.json()["errors"]


def test_a_signed_in_user_who_is_not_an_operator_is_refused(public_schema):
    clerk = get_user_model().objects.create_user(username="clerk", password="Clerk-pass-2026")
    response = platform_client(clerk).post("/api/platform/counties/", {"slug": "epsilon"}, format="json")
    assert response.status_code == 403
    assert not County.objects.filter(slug="epsilon").exists()


def test_a_county_users_token_is_refused_by_the_platform(county_a):
    token = CountyClient(county_a).post(
        "/api/auth/token/", {"username": "admin", "password": COUNTY_ADMIN_PASSWORD}
    ).json()["token"]
    client = APIClient(HTTP_HOST="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/platform/counties/").status_code == 401
    assert client.post("/api/platform/counties/", {"slug": "zeta"}, format="json").status_code == 401


def test_the_platform_api_is_not_served_on_a_county_host(admin_api_a):
    assert admin_api_a.get("/api/platform/counties/").status_code == 404


def test_a_platform_operators_token_is_refused_by_a_county(operator):
    token = Token.objects.create(user=operator).key
    alpha = County.objects.get(slug="alpha")
    with in_county(alpha):
        client = CountyClient(alpha)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/people/").status_code == 401
