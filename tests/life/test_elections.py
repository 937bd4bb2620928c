"""Terms and elections (DOMAIN.md §2): approval before, filing after, and the new term."""

import pytest

from core.exceptions import Conflict, RuleViolation
from orgs.checks import structure_warnings, term_ends_on
from orgs.life.elections import file_election, record_election

from .conftest import D


def _officers(life) -> list[dict]:
    secretary, organization, propaganda = life.b1_members[:3]
    return [
        {"person": secretary.pk, "position": "secretary"},
        {"person": organization.pk, "position": "organization"},
        {"person": propaganda.pk, "position": "propaganda"},
    ]


def test_an_election_starts_the_new_term(life, client_for):
    life.b1.term_started_on = D(2023, 4, 1)
    life.b1.save()
    body = {"org": life.b1.pk, "approved_on": "2026-02-10", "held_on": "2026-03-01", "officers": _officers(life)}
    response = client_for(life.secretary).post("/api/elections/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["term_ends_on"] == "2029-03-01"
    assert [row["position"] for row in response.json()["officers"]] == ["secretary", "organization", "propaganda"]
    life.b1.refresh_from_db()
    assert life.b1.term_started_on == D(2026, 3, 1)
    assert term_ends_on(life.b1) == D(2029, 3, 1)
    assert not {"term_overdue", "term_ending"} & {w["code"] for w in structure_warnings(life.b1, on=D(2026, 6, 1))}


def test_an_older_election_entered_from_paper_does_not_move_the_term_back(life):
    life.b1.term_started_on = D(2024, 3, 1)
    life.b1.save()
    record_election(
        actor=life.secretary, org=life.b1, approved_on=D(2021, 2, 1), held_on=D(2021, 3, 1), officers=_officers(life)
    )
    life.b1.refresh_from_db()
    assert life.b1.term_started_on == D(2024, 3, 1)


def test_the_upper_committee_approves_before_the_election(life):
    with pytest.raises(RuleViolation) as refused:
        record_election(
            actor=life.secretary,
            org=life.b1,
            approved_on=D(2026, 3, 2),
            held_on=D(2026, 3, 1),
            officers=_officers(life),
        )
    assert "approved_on" in refused.value.errors
    life.b1.refresh_from_db()
    assert life.b1.term_started_on is None


def test_the_election_is_filed_after_it_is_held_and_once(life, client_for):
    election = record_election(
        actor=life.secretary, org=life.b1, approved_on=D(2026, 2, 10), held_on=D(2026, 3, 1), officers=_officers(life)
    )
    with pytest.raises(RuleViolation):
        file_election(actor=life.secretary, election=election, date=D(2026, 2, 28))
    api = client_for(life.reviewer)
    response = api.post(f"/api/elections/{election.pk}/filing/", {"date": "2026-03-05"}, format="json")
    assert response.status_code == 200 and response.json()["filed_on"] == "2026-03-05"
    with pytest.raises(Conflict):
        file_election(actor=life.secretary, election=election, date=D(2026, 3, 6))


def test_only_active_full_members_of_the_organization_are_elected(life):
    for officer in (life.probationary, life.b2_members[0]):
        officers = _officers(life)
        officers[1]["person"] = officer.pk
        with pytest.raises(RuleViolation) as refused:
            record_election(
                actor=life.secretary, org=life.b1, approved_on=D(2026, 2, 10), held_on=D(2026, 3, 1), officers=officers
            )
        assert "officers" in refused.value.errors


def test_exactly_one_secretary_is_elected(life):
    officers = _officers(life)
    officers[1]["position"] = "secretary"
    with pytest.raises(RuleViolation):
        record_election(
            actor=life.secretary, org=life.b1, approved_on=D(2026, 2, 10), held_on=D(2026, 3, 1), officers=officers
        )
    with pytest.raises(RuleViolation):
        record_election(
            actor=life.secretary,
            org=life.b1,
            approved_on=D(2026, 2, 10),
            held_on=D(2026, 3, 1),
            officers=_officers(life)[1:],
        )


def test_a_party_group_has_no_term(life):
    with pytest.raises(RuleViolation) as refused:
        record_election(
            actor=life.secretary,
            org=life.g1,
            approved_on=D(2026, 2, 10),
            held_on=D(2026, 3, 1),
            officers=_officers(life),
        )
    assert "org" in refused.value.errors


def test_elections_keep_to_the_callers_scope(life, client_for):
    body = {"org": life.b1.pk, "approved_on": "2026-02-10", "held_on": "2026-03-01", "officers": _officers(life)}
    assert client_for(life.secretary_b2).post("/api/elections/", body, format="json").status_code == 400
    election = client_for(life.reviewer).post("/api/elections/", body, format="json").json()
    assert client_for(life.secretary_b2).get(f"/api/elections/{election['id']}/").status_code == 404
    assert client_for(life.secretary).get("/api/elections/", {"org": life.b1.pk}).json()["count"] == 1
