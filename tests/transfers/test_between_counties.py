"""A transfer between two counties of the platform, through the API and the mailbox (DOMAIN.md §5)."""

from members.models import ArchiveEntry, Person, Status
from tenants.models import Letter
from tests.conftest import in_county
from workflows.models import Transfer

from .helpers import between_counties, complete, deliver_all, request, task_of


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
