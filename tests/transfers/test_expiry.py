"""An introduction letter is valid 30 days unless said, at most 3 months; once expired unused it is void and reissued."""

import datetime

from dateutil.relativedelta import relativedelta

from core.dates import today
from members.models import Person, Status
from tenants.models import Letter
from workflows.models import Transfer, TransferStatus
from workflows.services.transfer import expire_letters

from .helpers import (
    accept_in_beta,
    between_counties,
    complete,
    deliver_all,
    in_alpha,
    in_beta,
    outside,
    request,
    send,
    task_of,
)

DAY = datetime.timedelta(days=1)


def test_a_letter_is_valid_30_days_unless_said_and_at_most_3_months(world, client_a):
    transfer = send(world, client_a)
    assert transfer["valid_until"] == (today() + 30 * DAY).isoformat()

    alpha = world.alpha
    other = request(client_a(alpha.secretary), between_counties(alpha.members[0]))
    approval = task_of(client_a(alpha.reviewer), "approval")
    too_long = (today() + relativedelta(months=3) - today()).days + 1
    response = complete(client_a(alpha.reviewer), approval, valid_days=too_long)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"data.valid_days"}
    assert complete(client_a(alpha.reviewer), approval, valid_days=too_long - 1).status_code == 200
    body = client_a(alpha.reviewer).get(f"/api/transfers/{other['id']}/").json()
    assert body["valid_until"] == (today() + relativedelta(months=3)).isoformat()


def expired_letter(world, client_a) -> dict:
    """A letter issued 40 days ago for 30 days: it expired 10 days ago."""
    issued = today() - 40 * DAY
    return send(world, client_a, requested=issued, approved=issued)


def test_an_expired_letter_is_void_and_the_member_active_again_at_the_sender(world, client_a):
    transfer = expired_letter(world, client_a)
    with in_alpha(world):
        assert expire_letters() == {"expired": 1, "cancelled": 0}
        assert Person.objects.get(pk=world.alpha.member.pk).status == Status.ACTIVE
    body = client_a(world.alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()
    assert body["status"] == "expired"
    assert [step["step"] for step in body["current_steps"]] == ["reissue"]
    letter = Letter.objects.get(kind=Letter.Kind.LETTER)
    assert letter.voided_at is not None
    # A void letter is never delivered.
    assert deliver_all() == {"delivered": 0, "failed": 0}
    with in_beta(world):
        assert not Transfer.objects.exists()


def test_a_void_letter_already_delivered_cannot_be_accepted_and_its_task_closes(world, client_a, client_b):
    expired_letter(world, client_a)
    deliver_all()
    with in_alpha(world):
        expire_letters()
    response = accept_in_beta(world, client_b)
    assert response.status_code == 400
    assert "expired" in response.json()["detail"]
    with in_beta(world):
        assert expire_letters() == {"expired": 0, "cancelled": 1}
        assert Transfer.objects.get().status == TransferStatus.EXPIRED
        assert not Person.objects.filter(id_number=world.alpha.member.id_number).exists()
    assert client_b(world.beta.admin).get("/api/tasks/?flow=transfer").json()["count"] == 0


def test_an_expired_letter_can_be_reissued_and_then_accepted(world, client_a, client_b):
    transfer = expired_letter(world, client_a)
    with in_alpha(world):
        expire_letters()
    response = complete(client_a(world.alpha.reviewer), task_of(client_a(world.alpha.reviewer), "reissue"))
    assert response.status_code == 200, response.json()
    reissued = client_a(world.alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()
    assert (reissued["status"], reissued["valid_until"]) == ("sent", (today() + 30 * DAY).isoformat())
    assert reissued["earlier_letters"][0]["status"] == "expired"
    with in_alpha(world):
        assert Person.objects.get(pk=world.alpha.member.pk).status == Status.IN_TRANSIT
    assert deliver_all() == {"delivered": 1, "failed": 0}
    assert accept_in_beta(world, client_b).status_code == 200
    deliver_all()
    assert client_a(world.alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()["status"] == "completed"


def test_a_letter_answered_within_its_validity_is_not_voided_after_it(world, client_a, client_b):
    issued = today() - 40 * DAY
    transfer = send(world, client_a, requested=issued, approved=issued)
    deliver_all()
    # Accepted on its last valid day; the receipt has not reached the sender when the sweep runs.
    assert accept_in_beta(world, client_b, date=issued + 30 * DAY).status_code == 200
    with in_alpha(world):
        assert expire_letters() == {"expired": 0, "cancelled": 0}
    deliver_all()
    assert client_a(world.alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()["status"] == "completed"


def test_the_expiry_sweep_is_idempotent(world, client_a):
    expired_letter(world, client_a)
    with in_alpha(world):
        assert expire_letters()["expired"] == 1
        assert expire_letters() == {"expired": 0, "cancelled": 0}


def test_a_paper_letter_expired_unused_is_void_and_takes_no_receipt(world, client_a):
    alpha = world.alpha
    issued = today() - 40 * DAY
    transfer = request(client_a(alpha.secretary), {**outside(alpha.member), "date": issued.isoformat()})
    complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval"), date=issued)
    with in_alpha(world):
        assert expire_letters() == {"expired": 1, "cancelled": 0}
        assert Person.objects.get(pk=alpha.member.pk).status == Status.ACTIVE
    receipt = client_a(alpha.reviewer).post(f"/api/transfers/{transfer['id']}/receipt/", {}, format="json")
    assert receipt.status_code == 409
    assert task_of(client_a(alpha.reviewer), "reissue")
