"""Drive transfers through the API and the mailbox, as the counties' clerks and the worker would."""

import datetime

from django.db import connection

from tenants import mailbox
from tenants.models import County
from tests.conftest import in_county
from workflows.engine import OPEN_STATUSES
from workflows.models import StepTask, Transfer

D = datetime.date


def between_counties(person, date: datetime.date | None = None, **extra) -> dict:
    body = {
        "person": person.pk,
        "kind": "between_counties",
        "to_county": "beta",
        "to_org_name": "乙县新城街道幸福社区党支部",
        "reason": "工作调动",
        **extra,
    }
    if date is not None:
        body["date"] = date.isoformat()
    return body


def outside(person) -> dict:
    return {
        "person": person.pk,
        "kind": "outside_platform",
        "to_name": "中共浙江省杭州市某区委组织部",
        "to_address": "杭州市某区某路1号",
        "reason": "工作调动",
    }


def request(client, body: dict) -> dict:
    response = client.post("/api/transfers/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def task_of(client, step: str) -> dict:
    """The caller's one open task of this transfer step, as /api/tasks/ lists it."""
    tasks = [task for task in client.get("/api/tasks/?flow=transfer").json()["results"] if task["step"] == step]
    assert len(tasks) == 1, tasks
    return tasks[0]


def complete(client, task: dict, decision: str = "approve", date: datetime.date | None = None, **data):
    body = {"decision": decision, "data": data}
    if date is not None:
        body["date"] = date.isoformat()
    return client.post(f"/api/tasks/{task['id']}/complete/", body, format="json")


def deliver_all() -> dict:
    """The beat sweep of the mailbox, run from the public schema like the worker."""
    previous = connection.tenant
    connection.set_schema_to_public()
    try:
        return mailbox.deliver_pending()
    finally:
        connection.set_tenant(previous)


def open_steps(transfer_id: int) -> list[str]:
    return sorted(
        StepTask.objects.filter(process_id=transfer_id, task__status__in=OPEN_STATUSES).values_list("step", flat=True)
    )


def incoming_of(letter_id) -> list[Transfer]:
    with in_county(County.objects.get(slug="beta")):
        return list(Transfer.objects.filter(letter_id=letter_id))


def send(world, client_a, person=None, requested=None, approved=None, **data) -> dict:
    """Request a transfer of the member to beta and have alpha's committee approve it: the letter is out."""
    alpha = world.alpha
    transfer = request(client_a(alpha.secretary), between_counties(person or alpha.member, date=requested))
    approval = task_of(client_a(alpha.reviewer), "approval")
    response = complete(client_a(alpha.reviewer), approval, date=approved, **data)
    assert response.status_code == 200, response.json()
    return client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()


def accept_in_beta(world, client_b, date: datetime.date | None = None):
    beta = world.beta
    return complete(
        client_b(beta.admin), task_of(client_b(beta.admin), "letter_acceptance"), date=date, org=beta.branch.pk
    )


def in_beta(world):
    return in_county(world.beta.county)


def in_alpha(world):
    return in_county(world.alpha.county)
