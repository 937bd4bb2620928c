"""The mailbox between counties under faults: Celery delivers at least once, the letter's effect happens once.

A worker killed between sending and acknowledging is the worker that ran `mailbox.receive` (the
letter's effect in the receiving county) and died before `mailbox.acknowledge`: the letter is still
pending, and the next attempt must find the earlier work instead of doing it again.
"""

from django.db import connection

from members.models import ArchiveEntry, Person, Status
from tenants import mailbox
from tenants.models import County, Letter
from tenants.tasks import deliver_letter
from workflows.models import StepTask, Transfer, TransferStatus

from .helpers import accept_in_beta, between_counties, complete, deliver_all, in_alpha, in_beta, request, send, task_of


def the_letter(transfer: dict) -> Letter:
    return Letter.objects.get(kind=Letter.Kind.LETTER, payload__letter__letter_number=transfer["letter_number"])


def from_public(function, *args):
    """Run a mailbox function from the public schema, as the delivery worker does."""
    previous = connection.tenant
    connection.set_schema_to_public()
    try:
        return function(*args)
    finally:
        connection.set_tenant(previous)


def test_delivering_a_letter_twice_opens_one_transfer_and_one_task_in_the_receiver(world, client_a):
    letter = the_letter(send(world, client_a))
    assert from_public(mailbox.deliver, letter.pk) is True
    assert from_public(mailbox.deliver, letter.pk) is False
    with in_beta(world):
        incoming = Transfer.objects.filter(letter_id=letter.pk)
        assert incoming.count() == 1
        assert StepTask.objects.filter(process_id=incoming.get().pk, step="letter_acceptance").count() == 1


def test_a_worker_killed_between_receiving_and_acknowledging_still_gives_one_member(world, client_a, client_b):
    letter = the_letter(send(world, client_a))
    # The first worker did the letter's work in beta and died before acknowledging it.
    assert from_public(mailbox.receive, letter.pk) is True
    letter.refresh_from_db()
    assert letter.delivered_at is None
    # The message comes again (a redelivery, or the beat sweep): the work is found, the letter acknowledged.
    assert deliver_all() == {"delivered": 1, "failed": 0}
    with in_beta(world):
        assert Transfer.objects.filter(letter_id=letter.pk).count() == 1

    assert accept_in_beta(world, client_b).status_code == 200
    receipt = Letter.objects.get(in_reply_to=letter)
    # Same for the receipt: received once by a worker that died, then delivered.
    assert from_public(mailbox.receive, receipt.pk) is True
    assert deliver_all() == {"delivered": 1, "failed": 0}

    with in_beta(world):
        assert Person.objects.filter(id_number=world.alpha.member.id_number).count() == 1
        assert Person.objects.get(id_number=world.alpha.member.id_number).status == Status.ACTIVE
    with in_alpha(world):
        assert Person.objects.get(pk=world.alpha.member.pk).status == Status.TRANSFERRED_OUT
        assert Transfer.objects.get(letter_id=letter.pk).status == TransferStatus.COMPLETED
        receipts = ArchiveEntry.objects.filter(person=world.alpha.member, source_step="await_receipt")
        assert receipts.count() == 1


def test_a_letter_is_never_delivered_twice(world, client_a):
    letter = the_letter(send(world, client_a))
    assert deliver_all() == {"delivered": 1, "failed": 0}
    letter.refresh_from_db()
    delivered_at = letter.delivered_at
    assert delivered_at is not None
    assert deliver_all() == {"delivered": 0, "failed": 0}
    assert from_public(mailbox.receive, letter.pk) is False
    assert from_public(mailbox.acknowledge, letter.pk) is False
    letter.refresh_from_db()
    assert (letter.delivered_at, letter.attempts) == (delivered_at, 1)


def test_the_delivery_task_run_twice_gives_one_incoming_transfer(world, client_a):
    letter = the_letter(send(world, client_a))
    assert from_public(lambda: deliver_letter.apply(args=[str(letter.pk)]).get()) is True
    assert from_public(lambda: deliver_letter.apply(args=[str(letter.pk)]).get()) is False
    with in_beta(world):
        assert Transfer.objects.filter(letter_id=letter.pk).count() == 1


def test_the_receipt_delivered_twice_completes_the_transfer_once(world, client_a, client_b):
    letter = the_letter(send(world, client_a))
    deliver_all()
    accept_in_beta(world, client_b)
    receipt = Letter.objects.get(in_reply_to=letter)
    assert from_public(mailbox.deliver, receipt.pk) is True
    # A duplicate arriving after the acknowledgement was lost: the handler runs again and finds nothing to do.
    Letter.objects.filter(pk=receipt.pk).update(delivered_at=None)
    assert from_public(mailbox.deliver, receipt.pk) is True
    with in_alpha(world):
        assert ArchiveEntry.objects.filter(person=world.alpha.member, source_step="await_receipt").count() == 1
        assert Transfer.objects.get(letter_id=letter.pk).status == TransferStatus.COMPLETED


def test_the_letter_is_written_in_the_same_transaction_as_the_member_going_in_transit(world, client_a):
    alpha = world.alpha
    transfer = request(client_a(alpha.secretary), between_counties(alpha.member))
    # Meanwhile the member has been suspended: the approval is refused, and neither change nor letter is kept.
    Person.objects.filter(pk=alpha.member.pk).update(status=Status.SUSPENDED)
    response = complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval"))
    assert response.status_code == 400
    assert not Letter.objects.exists()
    assert client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()["status"] == "draft"


def test_the_letter_is_queued_for_delivery_only_once_the_transaction_commits(
    world, client_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        letter = the_letter(send(world, client_a))
    assert len(callbacks) == 1
    assert letter.delivered_at is None  # nothing was delivered inside the transaction


def test_a_letter_that_fails_to_deliver_stays_in_the_mailbox_with_its_error(world):
    alpha, beta = County.objects.get(slug="alpha"), County.objects.get(slug="beta")
    broken = Letter.objects.create(kind=Letter.Kind.LETTER, from_county=alpha, to_county=beta, payload={"letter": {}})
    assert deliver_all() == {"delivered": 0, "failed": 1}
    broken.refresh_from_db()
    assert (broken.delivered_at, broken.attempts) == (None, 1)
    assert "KeyError" in broken.last_error
    with in_beta(world):
        assert not Transfer.objects.exists()


def test_the_receiving_county_sees_the_letter_as_a_transfer_task_of_its_county_admin(world, client_a, client_b):
    send(world, client_a)
    deliver_all()
    assert task_of(client_b(world.beta.admin), "letter_acceptance")["flow"] == "transfer"
    assert client_b(world.beta.reviewer).get("/api/tasks/?flow=transfer").json()["count"] == 0
