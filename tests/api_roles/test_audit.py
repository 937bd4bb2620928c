"""Every change to people, organizations, roles and users is recorded with the acting user."""

from auditlog.models import LogEntry
from django.contrib.auth import get_user_model

from members.models import Person
from orgs.models import Organization, Role, RoleAssignment


def _entries(instance, action: int):
    return LogEntry.objects.get_for_object(instance).filter(action=action)


def test_creating_and_updating_a_person_records_the_actor(tree, client_for):
    api = client_for(tree.secretary)
    response = api.post("/api/people/", {"name": "新人", "id_number": "11010519491231002X", "org": tree.b1.id})
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    created = _entries(person, LogEntry.Action.CREATE).get()
    assert created.actor == tree.secretary

    assert api.patch(f"/api/people/{person.id}/", {"phone": "13912345678"}, format="json").status_code == 200
    updated = _entries(person, LogEntry.Action.UPDATE).get()
    assert updated.actor == tree.secretary
    assert updated.changes_dict["phone"] == ["", "13912345678"]


def test_a_refused_change_records_nothing(tree, client_for):
    api = client_for(tree.secretary)
    before = LogEntry.objects.count()
    response = api.patch(f"/api/people/{tree.p1.id}/", {"stage": "applicant", "phone": "13912345678"}, format="json")
    assert response.status_code == 400
    assert LogEntry.objects.count() == before
    assert Person.objects.get(pk=tree.p1.pk).phone == ""


def test_organization_role_and_user_changes_record_the_actor(tree, client_for):
    api = client_for(tree.admin)
    org_id = api.post("/api/orgs/", {"name": "新党支部", "kind": "branch", "parent": tree.t1.id}).json()["id"]
    user_id = api.post("/api/users/", {"username": "newcomer", "password": "Strong-pass-2026"}).json()["id"]
    role_id = api.post("/api/roles/", {"user": user_id, "org": org_id, "role": Role.BRANCH_SECRETARY}).json()["id"]

    assert _entries(Organization.objects.get(pk=org_id), LogEntry.Action.CREATE).get().actor == tree.admin
    user = get_user_model().objects.get(pk=user_id)
    user_entry = _entries(user, LogEntry.Action.CREATE).get()
    assert user_entry.actor == tree.admin
    assert "password" not in user_entry.changes_dict
    assert _entries(RoleAssignment.objects.get(pk=role_id), LogEntry.Action.CREATE).get().actor == tree.admin

    assert api.delete(f"/api/roles/{role_id}/").status_code == 204
    deleted = LogEntry.objects.filter(
        content_type__model="roleassignment", object_pk=str(role_id), action=LogEntry.Action.DELETE
    ).get()
    assert deleted.actor == tree.admin
