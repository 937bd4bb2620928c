"""The mobile member API (API.md): register, read, contact log, reports; scope and county isolation."""

from django.contrib.auth import get_user_model

from core.dates import today
from members.models import MobileContact, MobileRegistration, Status
from tenants.models import County
from tests.conftest import CountyClient, in_county

from .conftest import months_ago


def body(tree, **fields):
    return {
        "person": tree.member.pk,
        "destination": "广东省深圳市南山区",
        "left_on": months_ago(0, days=3).isoformat(),
        "expected_return": months_ago(-4).isoformat(),
        "host_org_name": "深圳市南山区某园区党委",
        "contact_person": tree.b1_members[0].pk,
        "phone": "13800138000",
        **fields,
    }


def test_register_read_and_record_a_contact_through_the_api(tree, client_for):
    secretary = client_for(tree.secretary)
    created = secretary.post("/api/mobile-members/", body(tree), format="json")
    assert created.status_code == 201, created.json()
    registration = created.json()
    assert registration["certificate_number"] == f"ALPHA-{today().year}-00001"
    assert registration["person_status"] == Status.MOBILE
    assert registration["host_org_name"] == "深圳市南山区某园区党委"
    assert registration["contacts"] == []

    listed = secretary.get("/api/mobile-members/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == registration["id"]

    contact = secretary.post(
        f"/api/mobile-members/{registration['id']}/contacts/",
        {"date": today().isoformat(), "channel": "wechat", "note": "微信视频，思想稳定"},
        format="json",
    )
    assert contact.status_code == 201
    detail = secretary.get(f"/api/mobile-members/{registration['id']}/").json()
    assert [(c["date"], c["channel"]) for c in detail["contacts"]] == [(today().isoformat(), "wechat")]
    assert detail["last_contact"] == today().isoformat()


def test_bad_input_is_refused_and_changes_nothing(tree, client_for):
    answer = client_for(tree.secretary).post(
        "/api/mobile-members/",
        body(tree, destination="  ", left_on=months_ago(-1).isoformat()),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 400
    assert "destination" in answer.json()["errors"]
    assert not MobileRegistration.objects.exists()
    tree.member.refresh_from_db()
    assert tree.member.status == Status.ACTIVE


def test_overdue_contacts_are_flagged_in_the_register(tree, client_for, away):
    overdue = away(person=tree.member, left_on=months_ago(4))
    recent = away(person=tree.b1_members[1], left_on=months_ago(1))
    secretary = client_for(tree.secretary)
    rows = {row["id"]: row for row in secretary.get("/api/mobile-members/").json()["results"]}
    assert rows[overdue.pk]["contact_overdue"] and not rows[recent.pk]["contact_overdue"]
    only = secretary.get("/api/mobile-members/", {"overdue": "1"}).json()["results"]
    assert [row["id"] for row in only] == [overdue.pk]


def test_outside_the_scope_a_registration_is_not_found(tree, client_for, away):
    registration = away()
    other = client_for(tree.secretary_b3)
    assert other.get(f"/api/mobile-members/{registration.pk}/").status_code == 404
    assert (
        other.post(f"/api/mobile-members/{registration.pk}/contacts/", {"channel": "phone"}, format="json").status_code
        == 404
    )
    assert other.get("/api/mobile-members/").json()["count"] == 0
    assert other.post("/api/mobile-members/", body(tree), format="json").status_code == 404
    beta = County.objects.get(slug="beta")
    with in_county(beta):
        admin_b = get_user_model().objects.get(username="admin")
        assert CountyClient(beta).as_user(admin_b).get(f"/api/mobile-members/{registration.pk}/").status_code == 404


def test_the_host_sees_the_member_it_hosts_but_the_origin_keeps_the_contact_log(tree, client_for, away):
    registration = away(host_org=tree.b2)
    host = client_for(tree.secretary_b2)
    assert host.get(f"/api/mobile-members/{registration.pk}/").status_code == 200
    answer = host.post(f"/api/mobile-members/{registration.pk}/contacts/", {"channel": "phone"}, format="json")
    assert answer.status_code == 403
    assert not MobileContact.objects.exists()


def test_the_member_sends_a_report_from_away(tree, client_for, away):
    registration = away()
    member = client_for(tree.member.user)
    assert member.get(f"/api/mobile-members/{registration.pk}/").status_code == 200
    report = member.post(
        f"/api/mobile-members/{registration.pk}/reports/",
        {"date": today().isoformat(), "text": "本季度参加流入地党组织主题党日2次"},
        format="json",
    )
    assert report.status_code == 201
    assert (
        member.post(f"/api/mobile-members/{registration.pk}/contacts/", {"channel": "phone"}, format="json").status_code
        == 403
    )


def test_review_return_and_suspension_through_the_api(tree, client_for, away):
    registration = away(left_on=months_ago(8))
    secretary, reviewer = client_for(tree.secretary), client_for(tree.reviewer)
    review = secretary.post(f"/api/mobile-members/{registration.pk}/reviews/", {"note": "审验合格"}, format="json")
    assert review.status_code == 201
    assert secretary.post(f"/api/mobile-members/{registration.pk}/reviews/", {}, format="json").status_code == 409
    from members.mobile.checks import check_mobile_members

    check_mobile_members()
    refused = secretary.post(f"/api/mobile-members/{registration.pk}/suspend/", {"reason": "停止党籍"}, format="json")
    assert refused.status_code == 403
    suspended = reviewer.post(
        f"/api/mobile-members/{registration.pk}/suspend/", {"reason": "党委会研究决定停止党籍"}, format="json"
    )
    assert suspended.status_code == 200 and suspended.json()["person_status"] == Status.SUSPENDED
    back = secretary.post(f"/api/mobile-members/{registration.pk}/return/", {}, format="json")
    assert back.status_code == 200
    assert back.json()["status"] == "returned"
    # A suspended member stays suspended on return: restoring membership is a decision of its own.
    assert back.json()["person_status"] == Status.SUSPENDED
