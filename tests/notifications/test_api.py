"""The notifications API: a user's own notices (paginated, unread filter), marking them read, and the channels."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from drf_spectacular.generators import SchemaGenerator

from notifications.models import Delivery, Kind, Notice, Preference
from notifications.services import notify
from tests.conftest import CountyClient
from tests.factories import PersonFactory, UserFactory


@pytest.fixture
def member(county_a):
    return UserFactory(email="member@example.cn")


@pytest.fixture
def api(county_a):
    return lambda user: CountyClient(county_a).as_user(user)


def tell(user, key: str, kind: str = Kind.DUES_DUE) -> Notice:
    [notice] = notify(None, [user], kind, key=key, title=f"title {key}", body="body", link="/me/dues/")
    return notice


def test_a_member_lists_only_their_own_notices(member, api):
    other = UserFactory()
    mine = [tell(member, f"k{i}") for i in range(3)]
    tell(other, "k0")

    body = api(member).get("/api/me/notifications/").json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [n.pk for n in reversed(mine)]  # newest first
    assert body["results"][0] | {"created_at": None} == {
        "id": mine[2].pk,
        "kind": "dues_due",
        "title": "title k2",
        "body": "body",
        "link": "/me/dues/",
        "object_type": "",
        "object_id": "",
        "process": None,
        "created_at": None,
        "read_at": None,
        "read": False,
    }


def test_the_unread_filter_and_marking_read(member, api):
    first, second = tell(member, "a"), tell(member, "b")
    client = api(member)

    read = client.post(f"/api/me/notifications/{first.pk}/read/")
    assert read.status_code == 200 and read.json()["read"] is True
    assert [row["id"] for row in client.get("/api/me/notifications/?unread=true").json()["results"]] == [second.pk]
    again = client.post(f"/api/me/notifications/{first.pk}/read/")  # reading again changes nothing
    assert again.json()["read_at"] == read.json()["read_at"]

    assert client.post("/api/me/notifications/read-all/").json() == {"marked": 1}
    assert client.get("/api/me/notifications/?unread=true").json()["count"] == 0
    assert client.get("/api/me/notifications/").json()["count"] == 2


def test_another_users_notice_answers_404(member, api):
    theirs = tell(UserFactory(), "x")
    response = api(member).post(f"/api/me/notifications/{theirs.pk}/read/")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api(member).post("/api/me/notifications/read-all/").json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_default_to_the_application_and_e_mail(member, api):
    assert api(member).get("/api/me/notification-preferences/").json() == {
        "in_app": True,
        "email": True,
        "sms": False,
        "wechat": False,
        "phone": "",
        "wechat_id": "",
    }
    notice = tell(member, "default")
    assert list(notice.deliveries.values_list("channel", flat=True)) == ["email"]


def test_preferences_are_respected(member, api):
    client = api(member)
    changed = client.patch(
        "/api/me/notification-preferences/", {"email": False, "sms": True, "phone": "13800138000"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["email"], changed.json()["sms"], changed.json()["in_app"]) == (False, True, True)

    notice = tell(member, "chosen")
    assert list(notice.deliveries.values_list("channel", flat=True)) == ["sms"]
    assert Notice.objects.filter(recipient=member).count() == 1  # in the application all the same


def test_sms_without_a_number_is_refused_and_nothing_changes(county_a, api):
    user = UserFactory()
    response = api(user).patch("/api/me/notification-preferences/", {"sms": True}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()["errors"]
    assert not Preference.objects.filter(user=user).exists()


def test_sms_goes_to_the_number_of_the_member_record(county_a, api):
    user = UserFactory()
    PersonFactory(user=user, phone="13900139000")
    assert api(user).patch("/api/me/notification-preferences/", {"sms": True}, format="json").status_code == 200
    notice = tell(user, "to-record")
    assert list(notice.deliveries.values_list("channel", flat=True)) == ["sms"]  # no e-mail address: no e-mail


def test_wechat_needs_its_id(member, api):
    client = api(member)
    assert client.patch("/api/me/notification-preferences/", {"wechat": True}, format="json").status_code == 400
    ok = client.patch("/api/me/notification-preferences/", {"wechat": True, "wechat_id": "wx-member"}, format="json")
    assert ok.status_code == 200
    assert sorted(tell(member, "wx").deliveries.values_list("channel", flat=True)) == ["email", "wechat"]


def test_an_inactive_user_is_not_told(county_a):
    gone = UserFactory(is_active=False)
    assert notify(None, [gone], Kind.DUES_DUE, key="k", title="t") == []
    assert not Delivery.objects.exists()


def test_the_schema_documents_the_endpoints_with_their_serializers(county_a):
    schema = SchemaGenerator(urlconf="config.urls").get_schema(request=None, public=True)
    paths = schema["paths"]
    listed = paths["/api/me/notifications/"]["get"]
    assert listed["responses"]["200"]["content"]["application/json"]["schema"]["$ref"] == (
        "#/components/schemas/PaginatedNoticeList"
    )
    assert any(p["name"] == "unread" for p in listed["parameters"])
    assert "/api/me/notifications/{id}/read/" in paths
    assert "/api/me/notifications/read-all/" in paths
    assert set(paths["/api/me/notification-preferences/"]) >= {"get", "patch"}
    assert "in_app" in schema["components"]["schemas"]["Preference"]["properties"]


def test_the_unread_count_is_one_query(member, api):
    from notifications.selectors import unread_count

    tell(member, "one")
    with CaptureQueriesContext(connection) as queries:
        assert unread_count(member) == 1
    assert len([q for q in queries.captured_queries if not q["sql"].startswith("SET ")]) == 1
