"""A transfer between two counties of the platform, through the API and the mailbox (DOMAIN.md §5)."""

import datetime

from django.core.files.base import ContentFile

from core.dates import today
from members import archive
from members.models import ArchiveEntry, ArchiveKind, Person, Status
from orgs.models import Role
from tenants.models import Letter
from tests.conftest import in_county
from tests.factories import PersonFactory
from workflows.models import Transfer
from workflows.services.transfer import approve_and_send, request_transfer

from .conftest import user_with_role
from .helpers import accept_in_beta, between_counties, complete, deliver_all, in_alpha, in_beta, request, send, task_of

D = datetime.date


def test_a_transfer_between_counties_ends_completed_with_one_active_record_and_the_archive_in_the_receiver(
    world, client_a, client_b
):
    alpha, beta = world.alpha, world.beta
    sent_entries = sorted(ArchiveEntry.objects.filter(person=alpha.member).values_list("title", flat=True))

    transfer = request(client_a(alpha.secretary), between_counties(alpha.member))
    assert transfer["status"] == "draft"
    approval = task_of(client_a(alpha.reviewer), "approval")
    response = complete(client_a(alpha.reviewer), approval)
    assert response.status_code == 200, response.json()

    sent = client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()
    assert sent["status"] == "sent"
    assert sent["letter_number"]
    with in_county(alpha.county):
        assert Person.objects.get(pk=alpha.member.pk).status == Status.IN_TRANSIT

    assert deliver_all() == {"delivered": 1, "failed": 0}
    assert client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()["status"] == "received"

    incoming = task_of(client_b(beta.admin), "letter_acceptance")
    response = complete(client_b(beta.admin), incoming, org=beta.branch.pk)
    assert response.status_code == 200, response.json()
    assert deliver_all() == {"delivered": 1, "failed": 0}

    done = client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()
    assert done["status"] == "completed"
    assert done["receipt_date"]
    with in_county(alpha.county):
        assert Person.objects.get(pk=alpha.member.pk).status == Status.TRANSFERRED_OUT
    with in_county(beta.county):
        arrived = Person.objects.get(id_number=alpha.member.id_number)
        assert (arrived.status, arrived.stage, arrived.org_id) == (Status.ACTIVE, "full", beta.branch.pk)
        assert arrived.party_standing_since == alpha.member.party_standing_since
        titles = list(ArchiveEntry.objects.filter(person=arrived).values_list("title", flat=True))
        assert sorted(titles[: len(sent_entries)]) == sent_entries
        assert Transfer.objects.get(person=arrived).status == "accepted"
    assert Letter.objects.filter(delivered_at__isnull=True).count() == 0


def test_the_archive_travels_sealed_with_its_documents_and_hand_over_list(world, client_a, client_b):
    alpha = world.alpha
    scan = archive.file_entry(
        actor=alpha.admin,
        person=alpha.member,
        kind=ArchiveKind.MATERIALS,
        title="入党志愿书（扫描件）",
        event_date=D(2009, 6, 1),
        document=ContentFile("志愿书原件".encode(), name="form.pdf"),
    )
    count = ArchiveEntry.objects.filter(person=alpha.member).count()
    send(world, client_a)
    deliver_all()
    assert accept_in_beta(world, client_b).status_code == 200
    with in_beta(world):
        arrived = Person.objects.get(id_number=alpha.member.id_number)
        entries = ArchiveEntry.objects.filter(person=arrived)
        copy = entries.get(title=scan.title)
        with copy.document.open("rb") as stored:
            assert stored.read() == "志愿书原件".encode()
        handover = entries.get(source_step="letter_acceptance")
        # Every entry of the sender, the letter's own among them, is on the list and filed here.
        assert len(handover.data["handover_list"]) == count + 1 == entries.count() - 1
        assert handover.data["digest"]


def test_an_archive_whose_seal_is_broken_is_not_filed(world, client_a, client_b):
    send(world, client_a)
    deliver_all()
    with in_beta(world):
        incoming = Transfer.objects.get()
        incoming.payload["archive"]["entries"][0]["title"] = "改动过的标题"
        incoming.save(update_fields=["payload"])
    response = accept_in_beta(world, client_b)
    assert response.status_code == 400
    assert "seal" in response.json()["detail"]
    with in_beta(world):
        assert not Person.objects.filter(id_number=world.alpha.member.id_number).exists()


def test_a_returned_letter_restores_the_senders_active_status_and_goes_back_to_its_task_list(world, client_a, client_b):
    alpha, beta = world.alpha, world.beta
    transfer = send(world, client_a)
    deliver_all()
    task = task_of(client_b(beta.admin), "letter_acceptance")
    assert complete(client_b(beta.admin), task, decision="reject").status_code == 400  # a return carries its reason
    assert complete(client_b(beta.admin), task, decision="reject", reason="该同志未到我县报到").status_code == 200
    deliver_all()

    returned = client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()
    assert returned["status"] == "returned"
    assert "该同志未到我县报到" in returned["return_reason"]
    assert [step["step"] for step in returned["current_steps"]] == ["reissue"]
    assert task_of(client_a(alpha.reviewer), "reissue")
    with in_alpha(world):
        assert Person.objects.get(pk=alpha.member.pk).status == Status.ACTIVE
    with in_beta(world):
        assert not Person.objects.filter(id_number=alpha.member.id_number).exists()
        assert Transfer.objects.get().status == "returned"


def test_a_reissued_letter_has_a_new_number_and_the_earlier_one_is_kept(world, client_a, client_b):
    alpha = world.alpha
    transfer = send(world, client_a)
    deliver_all()
    complete(
        client_b(world.beta.admin),
        task_of(client_b(world.beta.admin), "letter_acceptance"),
        "reject",
        reason="材料不全",
    )
    deliver_all()
    response = complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "reissue"))
    assert response.status_code == 200, response.json()
    reissued = client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()
    assert reissued["status"] == "sent"
    assert reissued["letter_number"] != transfer["letter_number"]
    assert [letter["letter_number"] for letter in reissued["earlier_letters"]] == [transfer["letter_number"]]
    deliver_all()
    assert accept_in_beta(world, client_b).status_code == 200
    deliver_all()
    assert client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()["status"] == "completed"


def test_closing_a_returned_transfer_keeps_the_member_at_home(world, client_a, client_b):
    alpha = world.alpha
    transfer = send(world, client_a)
    deliver_all()
    complete(
        client_b(world.beta.admin),
        task_of(client_b(world.beta.admin), "letter_acceptance"),
        "reject",
        reason="查无此组织",
    )
    deliver_all()
    closed = complete(
        client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "reissue"), "reject", reason="不再转出"
    )
    assert closed.status_code == 200
    body = client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()
    assert (body["status"], body["process_status"], body["current_steps"]) == ("returned", "done", [])
    with in_alpha(world):
        assert Person.objects.get(pk=alpha.member.pk).status == Status.ACTIVE


def test_the_receiving_county_accepts_into_one_of_its_branches(world, client_a, client_b):
    send(world, client_a)
    deliver_all()
    task = task_of(client_b(world.beta.admin), "letter_acceptance")
    assert complete(client_b(world.beta.admin), task).json()["errors"] == {
        "data.org": ["Choose the branch the member joins."]
    }
    committee = complete(client_b(world.beta.admin), task, org=world.beta.committee.pk)
    assert committee.status_code == 400
    assert complete(client_b(world.beta.admin), task, org=world.beta.branch.pk).status_code == 200
    again = complete(client_b(world.beta.admin), task, org=world.beta.branch.pk)
    assert again.status_code == 409


def test_the_receiving_committee_checks_the_archive_against_the_member_after_acceptance(world, client_a, client_b):
    send(world, client_a)
    deliver_all()
    accept_in_beta(world, client_b)
    check = task_of(client_b(world.beta.reviewer), "archive_check")
    assert complete(client_b(world.beta.reviewer), check, talker="王书记").status_code == 200
    with in_beta(world):
        incoming = Transfer.objects.get()
        assert (incoming.status, incoming.completed_on is not None) == ("completed", True)
        assert ArchiveEntry.objects.filter(person=incoming.person, source_step="archive_check").count() == 1


def test_a_transfer_goes_to_another_county_of_the_platform(world, client_a):
    alpha = world.alpha
    for county in ("alpha", "nowhere", "public"):
        response = client_a(alpha.secretary).post(
            "/api/transfers/", between_counties(alpha.member, to_county=county), format="json"
        )
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"to_county"}
    missing_name = client_a(alpha.secretary).post(
        "/api/transfers/", between_counties(alpha.member, to_org_name=" "), format="json"
    )
    assert set(missing_name.json()["errors"]) == {"to_org_name"}


def test_one_transfer_of_a_person_at_a_time_and_only_from_the_active_roll(world, client_a):
    alpha = world.alpha
    request(client_a(alpha.secretary), between_counties(alpha.member))
    again = client_a(alpha.secretary).post("/api/transfers/", between_counties(alpha.member), format="json")
    assert again.json()["errors"] == {"person": ["A transfer of this person is already under way."]}
    suspended = alpha.members[0]
    Person.objects.filter(pk=suspended.pk).update(status=Status.SUSPENDED)
    response = client_a(alpha.secretary).post("/api/transfers/", between_counties(suspended), format="json")
    assert response.status_code == 400
    assert "active roll" in response.json()["detail"]


def test_a_transfer_is_requested_and_read_only_within_the_callers_scope(world, client_a, client_b):
    alpha = world.alpha
    outsider = client_a(alpha.secretary_hekou)
    assert outsider.post("/api/transfers/", between_counties(alpha.member), format="json").status_code == 404
    transfer = request(client_a(alpha.secretary), between_counties(alpha.member))
    assert outsider.get(f"/api/transfers/{transfer['id']}/").status_code == 404
    assert outsider.get("/api/transfers/").json()["count"] == 0
    assert client_a(alpha.secretary).get("/api/transfers/").json()["count"] == 1
    # Another county never sees the sender's record, only the letter it receives.
    assert client_b(world.beta.admin).get(f"/api/transfers/{transfer['id']}/").status_code == 404


def test_a_member_already_on_the_receiving_roll_is_never_created_twice(world, client_a, client_b):
    with in_beta(world):
        PersonFactory(org=world.beta.branch, id_number=world.alpha.member.id_number, name="张三丰")
    send(world, client_a)
    deliver_all()
    response = accept_in_beta(world, client_b)
    assert response.status_code == 400
    assert "already on this county's roll" in response.json()["detail"]
    with in_beta(world):
        assert Person.objects.filter(id_number=world.alpha.member.id_number).count() == 1


def test_a_member_who_comes_back_finds_their_earlier_record_again(world, client_a, client_b):
    alpha, beta = world.alpha, world.beta
    send(world, client_a)
    deliver_all()
    accept_in_beta(world, client_b)
    deliver_all()
    # Back from beta to alpha, through the plain services (a branch secretary's request, the committee's approval).
    with in_beta(world):
        arrived = Person.objects.get(id_number=alpha.member.id_number)
        secretary = user_with_role(beta.branch, Role.BRANCH_SECRETARY)
        back = request_transfer(
            actor=secretary,
            person=arrived,
            kind="between_counties",
            to_county="alpha",
            to_org_name="甲县城关镇东街社区党支部",
            reason="返回原籍",
            date=today(),
        )
        back = approve_and_send(actor=beta.reviewer, transfer=back)
        assert back.status == "sent"
    assert deliver_all() == {"delivered": 1, "failed": 0}
    incoming = task_of(client_a(alpha.admin), "letter_acceptance")
    assert complete(client_a(alpha.admin), incoming, org=alpha.west.pk).status_code == 200
    deliver_all()
    with in_alpha(world):
        again = Person.objects.get(id_number=alpha.member.id_number)
        assert (again.pk, again.status, again.org_id) == (alpha.member.pk, Status.ACTIVE, alpha.west.pk)
    with in_beta(world):
        assert Person.objects.get(pk=arrived.pk).status == Status.TRANSFERRED_OUT
