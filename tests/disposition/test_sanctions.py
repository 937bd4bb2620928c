"""Disciplinary sanctions (党纪处分) recorded with the disposition module: who records them, their rules, the
archive, and the rule that a disposition measure does not duplicate a sanction for the same facts."""

import pytest
from django.utils import translation

from core.exceptions import RuleViolation
from members.archive import entries_of
from members.models import Stage
from tests.factories import PersonFactory
from workflows.models import DisciplinarySanction

from .pipeline import D, investigation, open_case, record

SANCTION = {
    "kind": "party_probation",
    "reference": "县纪委〔2026〕12号",
    "decided_on": "2026-05-20",
    "decided_by": "县纪委",
    "probation_months": 12,
}


def test_the_primary_committee_records_a_sanction_and_it_is_filed_in_the_member_archive(tree, client_for):
    response = client_for(tree.reviewer).post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION})
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "party_probation"
    filed = entries_of(tree.member).get(kind="sanction")
    assert (filed.event_date, filed.data["reference"], filed.data["probation_months"]) == (D(2026, 5, 20), "县纪委〔2026〕12号", 12)
    # The branch follows its members' sanctions but does not record them.
    listed = client_for(tree.secretary).get("/api/dispositions/sanctions/", {"person": tree.member.pk}).json()
    assert [row["reference"] for row in listed["results"]] == ["县纪委〔2026〕12号"]
    refused = client_for(tree.secretary).post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION, "reference": "x"})
    assert refused.status_code == 403
    # Outside the caller's scope the person is not found.
    assert client_for(tree.secretary_b2).get("/api/dispositions/sanctions/").json()["count"] == 0
    outside = client_for(tree.secretary_b2).post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION})
    assert outside.status_code == 404


def test_probation_within_the_party_lasts_one_year_or_two_and_no_other_sanction_has_a_period(tree, client_for):
    client = client_for(tree.reviewer)
    six_months = client.post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION, "probation_months": 6})
    assert six_months.status_code == 400
    assert "probation_months" in six_months.json()["errors"]
    warning = client.post(
        "/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION, "kind": "warning", "probation_months": 12}
    )
    assert "probation_months" in warning.json()["errors"]
    two_years = client.post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION, "probation_months": 24})
    assert two_years.status_code == 201
    assert not DisciplinarySanction.objects.filter(probation_months=6).exists()


def test_a_sanction_is_recorded_for_a_party_member_once_per_decision(tree, client_for):
    client = client_for(tree.reviewer)
    applicant = PersonFactory(org=tree.b1, stage=Stage.APPLICANT)
    assert client.post("/api/dispositions/sanctions/", {"person": applicant.pk, **SANCTION}).status_code == 400
    assert client.post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION}).status_code == 201
    again = client.post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION})
    assert again.status_code == 400
    assert "reference" in again.json()["errors"]
    future = client.post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION, "reference": "2", "decided_on": "2099-01-01"})
    assert future.status_code == 400
    assert DisciplinarySanction.objects.count() == 1


def test_a_measure_does_not_duplicate_a_recorded_sanction_for_the_same_facts(tree, client_for):
    client_for(tree.reviewer).post("/api/dispositions/sanctions/", {"person": tree.member.pk, **SANCTION})
    with pytest.raises(RuleViolation) as refused, translation.override("en"):
        open_case(tree, tree.member, "removal", start=D(2026, 11, 1), sanction_reference="县纪委〔2026〕12号")
    assert "sanction_reference" in refused.value.errors
    assert "A disciplinary sanction" in refused.value.errors["sanction_reference"][0]
    case = open_case(tree, tree.member, "removal", start=D(2026, 11, 1))
    with pytest.raises(RuleViolation) as refused:
        record(
            case, "investigation", tree.secretary, D(2026, 11, 2),
            **investigation(tree, "removal", sanction_reference="县纪委〔2026〕12号"),
        )
    assert "data.sanction_reference" in refused.value.errors
    # Other facts of the same member may still be disposed of.
    record(case, "investigation", tree.secretary, D(2026, 11, 2), **investigation(tree, "removal", sanction_reference="另案"))
