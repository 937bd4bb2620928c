"""A transfer within the county: the committees approve as the county sets, the receiving branch takes the member in."""

import datetime

from core.dates import today
from members.models import Person, Status
from orgs.county_settings import set_setting
from workflows.models import WorkflowProcess

from .helpers import complete, open_steps, request, task_of

DAY = datetime.timedelta(days=1)


def within(person, to_org, **extra) -> dict:
    return {"person": person.pk, "kind": "within_county", "to_org": to_org.pk, "reason": "搬迁至河口镇", **extra}


def test_a_transfer_within_the_county_moves_the_member_after_both_committees_approve(world, client_a):
    alpha = world.alpha
    transfer = request(client_a(alpha.secretary), within(alpha.member, alpha.village))
    assert complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval")).status_code == 200
    issued = client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()
    assert (issued["status"], bool(issued["letter_number"])) == ("approved", True)
    assert Person.objects.get(pk=alpha.member.pk).status == Status.IN_TRANSIT

    hekou = client_a(alpha.reviewer_hekou)
    assert complete(hekou, task_of(hekou, "receiving_approval")).status_code == 200
    village = client_a(alpha.secretary_hekou)
    assert complete(village, task_of(village, "branch_acceptance")).status_code == 200

    done = client_a(alpha.secretary_hekou).get(f"/api/transfers/{transfer['id']}/").json()
    assert (done["status"], done["receipt_date"]) == ("completed", today().isoformat())
    moved = Person.objects.get(pk=alpha.member.pk)
    assert (moved.org_id, moved.status) == (alpha.village.pk, Status.ACTIVE)
    assert Person.objects.filter(id_number=alpha.member.id_number).count() == 1


def test_within_one_committee_its_approval_is_asked_once(world, client_a):
    alpha = world.alpha
    transfer = request(client_a(alpha.secretary), within(alpha.member, alpha.west))
    complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval"))
    assert open_steps(transfer["id"]) == ["branch_acceptance"]


def test_where_the_county_asks_no_committee_the_branch_issues_the_letter_itself(world, client_a):
    alpha = world.alpha
    for key in (
        "transfer.within_county.sending_committee_approval",
        "transfer.within_county.receiving_committee_approval",
    ):
        set_setting(actor=alpha.admin, key=key, value=False, effective_from=today())
    transfer = request(client_a(alpha.secretary), within(alpha.member, alpha.village))
    assert (transfer["status"], bool(transfer["letter_number"])) == ("approved", True)
    assert open_steps(transfer["id"]) == ["branch_acceptance"]


def test_a_refusal_by_the_receiving_side_carries_its_reason_and_returns_the_member_to_the_sender(world, client_a):
    alpha = world.alpha
    transfer = request(client_a(alpha.secretary), within(alpha.member, alpha.west))
    complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval"))
    west = client_a(alpha.secretary_west)
    assert complete(west, task_of(west, "branch_acceptance"), "reject").status_code == 400
    assert (
        complete(west, task_of(west, "branch_acceptance"), "reject", reason="该同志不在本社区居住").status_code == 200
    )

    body = client_a(alpha.secretary).get(f"/api/transfers/{transfer['id']}/").json()
    assert (body["status"], body["return_reason"]) == ("returned", "该同志不在本社区居住")
    member = Person.objects.get(pk=alpha.member.pk)
    assert (member.org_id, member.status) == (alpha.east.pk, Status.ACTIVE)
    # Back on the sending committee's task list, acted on for the sending branch.
    assert task_of(client_a(alpha.reviewer), "reissue")["org"] == alpha.chengguan.pk
    assert WorkflowProcess.objects.get(pk=transfer["id"]).org_id == alpha.east.pk


def test_an_expired_letter_is_not_taken_in_but_returned(world, client_a):
    alpha = world.alpha
    issued = today() - 40 * DAY
    request(client_a(alpha.secretary), within(alpha.member, alpha.west, date=issued.isoformat()))
    complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval"), date=issued)
    west = client_a(alpha.secretary_west)
    response = complete(west, task_of(west, "branch_acceptance"))
    assert response.status_code == 400
    assert "expired" in response.json()["detail"]
    assert complete(west, task_of(west, "branch_acceptance"), "reject", reason="介绍信已过期").status_code == 200
    assert Person.objects.get(pk=alpha.member.pk).status == Status.ACTIVE


def test_the_member_moves_to_another_branch_of_the_county(world, client_a):
    alpha = world.alpha
    for target in (alpha.east, alpha.chengguan):
        response = client_a(alpha.secretary).post("/api/transfers/", within(alpha.member, target), format="json")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"to_org"}
