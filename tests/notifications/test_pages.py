"""The notifications pages: the list (mark read, follow the link), the channels form, the unread badge in the nav."""

import re

import pytest
from django.test import Client

from notifications.models import Kind, Notice, Preference
from notifications.services import notify
from tests.factories import UserFactory


@pytest.fixture
def browser(county_a):
    def signed_in(user) -> Client:
        client = Client(HTTP_HOST=f"{county_a.slug}.localhost")
        client.force_login(user)
        return client

    return signed_in


def tell(user, key: str) -> Notice:
    [notice] = notify(None, [user], Kind.DECISION, key=key, title=f"notice-{key}", link="/me/application/")
    return notice


def badge(html: str) -> str | None:
    found = re.search(r'id="nav-notifications"[^>]*>.*?(?:<span class="badge">(\d+)</span>)?</a>', html, re.S)
    return found.group(1) if found else "no link"


def test_the_list_shows_only_ones_own_notices_with_the_unread_count(county_a, browser):
    user, other = UserFactory(), UserFactory()
    mine = [tell(user, "a"), tell(user, "b")]
    theirs = tell(other, "c")

    page = browser(user).get("/me/notifications/")
    html = page.content.decode()
    assert page.status_code == 200
    assert all(f'id="notice-{n.pk}"' in html for n in mine)
    assert f'id="notice-{theirs.pk}"' not in html
    assert badge(html) == "2"
    assert 'name="viewport"' in html  # laid out for a phone


def test_marking_read_clears_the_badge_and_follows_the_link(county_a, browser):
    user = UserFactory()
    first, second = tell(user, "a"), tell(user, "b")
    client = browser(user)

    followed = client.post(f"/me/notifications/{first.pk}/read/", {"follow": "1"})
    assert (followed.status_code, followed["Location"]) == (302, "/me/application/")
    first.refresh_from_db()
    assert first.read_at is not None
    unread = client.get("/me/notifications/?unread=1").content.decode()
    assert f'id="notice-{second.pk}"' in unread and f'id="notice-{first.pk}"' not in unread
    assert badge(unread) == "1"

    assert client.post("/me/notifications/read-all/").status_code == 302
    assert badge(client.get("/me/notifications/").content.decode()) is None


def test_another_users_notice_cannot_be_marked(county_a, browser):
    theirs = tell(UserFactory(), "x")
    assert browser(UserFactory()).post(f"/me/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_channels_form_saves_the_choice(county_a, browser):
    user = UserFactory(email="m@example.cn")
    client = browser(user)
    assert client.get("/me/notifications/channels/").status_code == 200

    saved = client.post("/me/notifications/channels/", {"sms": "on", "phone": "13800138000", "wechat_id": ""})
    assert saved.status_code == 302
    preference = Preference.objects.get(user=user)
    assert (preference.email, preference.sms, preference.wechat, preference.phone) == (
        False,
        True,
        False,
        "13800138000",
    )


def test_the_channels_form_refuses_sms_without_a_number(county_a, browser):
    user = UserFactory()
    page = browser(user).post("/me/notifications/channels/", {"sms": "on", "phone": ""})
    assert page.status_code == 200
    assert 'class="error"' in page.content.decode()
    assert not Preference.objects.filter(user=user).exists()
