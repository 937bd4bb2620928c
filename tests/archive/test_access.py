"""Reading a member archive (DOMAIN.md §9): approval by the committee leader in charge, never one's own or a
close relative's, every read logged in an append-only log."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from members.archive_access import add_relative, decide_access, request_access
from members.models import AppendOnly, ArchiveRead


def ask(client, person, reason="发展党员材料核查"):
    return client.post("/api/archive-requests/", {"person": person.pk, "reason": reason}, format="json")


def approved(tree, reader, person=None):
    access = request_access(actor=reader, person=person or tree.member, reason="换届考察")
    return decide_access(actor=tree.reviewer, access=access, approve=True)


def test_read_without_approval_is_refused(tree, client_for):
    secretary = client_for(tree.secretary)
    assert secretary.get(f"/api/people/{tree.member.pk}/archive/").status_code == 403
    assert secretary.get(f"/api/people/{tree.member.pk}/archive/{tree.entry.pk}/document/").status_code == 403
    pending = ask(secretary, tree.member)
    assert pending.status_code == 201 and pending.json()["status"] == "pending"
    assert secretary.get(f"/api/people/{tree.member.pk}/archive/").status_code == 403
    assert not ArchiveRead.objects.exists()


def test_the_committee_leader_in_charge_approves_and_the_reader_reads(tree, client_for):
    secretary, reviewer = client_for(tree.secretary), client_for(tree.reviewer)
    access = ask(secretary, tree.member).json()
    assert [r["id"] for r in reviewer.get("/api/archive-requests/", {"status": "pending"}).json()["results"]] == [
        access["id"]
    ]
    decided = reviewer.post(f"/api/archive-requests/{access['id']}/decide/", {"decision": "approve"}, format="json")
    assert decided.status_code == 200
    assert decided.json()["status"] == "approved" and decided.json()["valid_until"]
    read = secretary.get(f"/api/people/{tree.member.pk}/archive/")
    assert read.status_code == 200
    assert [entry["title"] for entry in read.json()["entries"]] == ["入党志愿书"]
    document = secretary.get(f"/api/people/{tree.member.pk}/archive/{tree.entry.pk}/document/")
    assert document.status_code == 200
    assert b"".join(document.streaming_content) == b"%PDF-1.4 admission form"
    # Deciding twice is a conflict.
    again = reviewer.post(
        f"/api/archive-requests/{access['id']}/decide/", {"decision": "refuse", "note": "x"}, format="json"
    )
    assert again.status_code == 409


def test_only_the_committee_leader_in_charge_decides(tree, client_for):
    access = ask(client_for(tree.secretary), tree.member).json()
    # The requester may see her request but not decide it; another committee does not even see it.
    assert (
        client_for(tree.secretary)
        .post(f"/api/archive-requests/{access['id']}/decide/", {"decision": "approve"}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(tree.reviewer_t2)
        .post(f"/api/archive-requests/{access['id']}/decide/", {"decision": "approve"}, format="json")
        .status_code
        == 404
    )


def test_a_refusal_says_why_and_reading_stays_refused(tree, client_for):
    reviewer = client_for(tree.reviewer)
    access = ask(client_for(tree.secretary), tree.member).json()
    no_reason = reviewer.post(f"/api/archive-requests/{access['id']}/decide/", {"decision": "refuse"}, format="json")
    assert no_reason.status_code == 400 and "note" in no_reason.json()["errors"]
    refused = reviewer.post(
        f"/api/archive-requests/{access['id']}/decide/", {"decision": "refuse", "note": "理由不充分"}, format="json"
    )
    assert refused.json()["status"] == "refused"
    assert client_for(tree.secretary).get(f"/api/people/{tree.member.pk}/archive/").status_code == 403


def test_own_archive_is_refused(tree, client_for):
    # A secretary asking for her own archive, and a member reading hers.
    own = client_for(tree.secretary).post(
        "/api/archive-requests/",
        {"person": tree.secretary_person.pk, "reason": "自查"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert own.status_code == 400
    assert own.json()["errors"]["person"] == ["Nobody reads their own archive."]
    read = client_for(tree.member.user).get(f"/api/people/{tree.member.pk}/archive/", HTTP_ACCEPT_LANGUAGE="en")
    assert read.status_code == 400
    assert read.json()["errors"]["person"] == ["Nobody reads their own archive."]
    assert not ArchiveRead.objects.exists()


def test_relative_archive_is_refused(tree, client_for):
    add_relative(actor=tree.secretary, person=tree.member, relation="spouse", name="", relative=tree.secretary_person)
    answer = client_for(tree.secretary).post(
        "/api/archive-requests/", {"person": tree.member.pk, "reason": "核查"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 400
    assert answer.json()["errors"]["person"] == ["Nobody reads the archive of a close relative."]


def test_a_relative_recorded_after_the_approval_still_bars_the_read(tree, client_for):
    approved(tree, tree.secretary)
    assert client_for(tree.secretary).get(f"/api/people/{tree.member.pk}/archive/").status_code == 200
    # Recorded on the reader's side, by ID number: a sibling.
    add_relative(
        actor=tree.admin,
        person=tree.secretary_person,
        relation="sibling",
        name="王档案",
        id_number=tree.member.id_number,
    )
    assert client_for(tree.secretary).get(f"/api/people/{tree.member.pk}/archive/").status_code == 400


def test_a_relative_does_not_decide_the_request(tree, client_for):
    reviewer_person = tree.reviewer.person
    add_relative(
        actor=tree.admin, person=tree.member, relation="parent", name=reviewer_person.name, relative=reviewer_person
    )
    access = ask(client_for(tree.secretary), tree.member).json()
    decided = client_for(tree.reviewer).post(
        f"/api/archive-requests/{access['id']}/decide/", {"decision": "approve"}, format="json"
    )
    assert decided.status_code == 400
    assert (
        client_for(tree.admin)
        .post(f"/api/archive-requests/{access['id']}/decide/", {"decision": "approve"}, format="json")
        .status_code
        == 200
    )


def test_an_other_relative_does_not_bar_reading(tree, client_for):
    add_relative(
        actor=tree.secretary, person=tree.member, relation="other", name="表亲", relative=tree.secretary_person
    )
    assert ask(client_for(tree.secretary), tree.member).status_code == 201


def test_every_read_is_logged(tree, client_for):
    approved(tree, tree.secretary)
    secretary = client_for(tree.secretary)
    secretary.get(f"/api/people/{tree.member.pk}/archive/")
    secretary.get(f"/api/people/{tree.member.pk}/archive/{tree.entry.pk}/document/")
    reads = client_for(tree.reviewer).get(f"/api/people/{tree.member.pk}/archive/reads/").json()["results"]
    assert [(r["reader"], r["person"], r["reason"], r["entry"]) for r in reads] == [
        (tree.secretary.pk, tree.member.pk, "换届考察", tree.entry.pk),
        (tree.secretary.pk, tree.member.pk, "换届考察", None),
    ]
    assert all(r["read_at"] for r in reads)
    # The log is for those who decide; the reader does not see it.
    assert secretary.get(f"/api/people/{tree.member.pk}/archive/reads/").status_code == 403


def test_the_read_log_is_append_only(tree, client_for):
    approved(tree, tree.secretary)
    client_for(tree.secretary).get(f"/api/people/{tree.member.pk}/archive/")
    read = ArchiveRead.objects.get()
    with pytest.raises(AppendOnly):
        read.delete()
    with pytest.raises(AppendOnly):
        ArchiveRead.objects.all().delete()
    with pytest.raises(AppendOnly):
        ArchiveRead.objects.update(reason="改写")
    read.reason = "改写"
    with pytest.raises(AppendOnly):
        read.save()
    # Below the application too: the county's schema has a trigger refusing changes.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM members_archiveread")
    assert ArchiveRead.objects.get().reason == "换届考察"


def test_an_archive_outside_the_scope_is_not_found(tree, client_for):
    answer = ask(client_for(tree.secretary_b3), tree.member)
    assert answer.status_code == 404
    assert client_for(tree.secretary_b3).get(f"/api/people/{tree.member.pk}/archive/").status_code == 404


def test_an_archive_of_another_county_is_not_found(tree, api_b):
    from django.contrib.auth import get_user_model

    admin_b = get_user_model().objects.get(username="admin")
    answer = api_b.as_user(admin_b).get(f"/api/people/{tree.member.pk}/archive/")
    assert answer.status_code == 404


def test_relatives_are_recorded_on_the_person_and_linked_by_id_number(tree, client_for):
    secretary = client_for(tree.secretary)
    answer = secretary.post(
        f"/api/people/{tree.member.pk}/relatives/",
        {"relation": "child", "name": "赵书记", "id_number": tree.secretary_person.id_number},
        format="json",
    )
    assert answer.status_code == 201
    assert answer.json()["relative"] == tree.secretary_person.pk
    listed = secretary.get(f"/api/people/{tree.member.pk}/relatives/").json()
    assert [(r["relation"], r["name"]) for r in listed] == [("child", "赵书记")]
    # Now a close relative: the secretary may not ask for the member's archive.
    assert ask(secretary, tree.member).status_code == 400
    bad = secretary.post(
        f"/api/people/{tree.member.pk}/relatives/", {"relation": "cousin", "name": "某"}, format="json"
    )
    assert bad.status_code == 400
    assert client_for(tree.secretary_b3).get(f"/api/people/{tree.member.pk}/relatives/").status_code == 404
