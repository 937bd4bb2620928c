import pytest
from django.contrib.auth import get_user_model

from tenants.models import County
from tests.conftest import COUNTY_ADMIN_PASSWORD, CountyClient, in_county


def test_health_answers_in_a_county(api_a):
    response = api_a.get("/api/health/")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_token_of_one_county_is_refused_by_another(county_a):
    beta = County.objects.get(slug="beta")
    api_a = CountyClient(county_a)
    token = api_a.post("/api/auth/token/", {"username": "admin", "password": COUNTY_ADMIN_PASSWORD}).json()["token"]
    with in_county(beta):
        api_b = CountyClient(beta)
        api_b.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert api_b.get("/api/health/").status_code == 200
        assert api_b.get("/api/schema/").status_code == 401


def test_users_of_one_county_do_not_exist_in_another(county_a):
    get_user_model().objects.create_user(username="only-in-alpha", password="x-pass-word-1")
    with in_county(County.objects.get(slug="beta")):
        assert not get_user_model().objects.filter(username="only-in-alpha").exists()


@pytest.mark.parametrize("username", ["admin"])
def test_password_of_one_county_does_not_sign_in_at_another(county_b, username):
    get_user_model().objects.filter(username=username).update(username="renamed-admin")
    response = CountyClient(county_b).post("/api/auth/token/", {"username": username, "password": COUNTY_ADMIN_PASSWORD})
    assert response.status_code == 400
