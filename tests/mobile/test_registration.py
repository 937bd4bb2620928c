"""Registering an outflow (DOMAIN.md §5): who registers, how long away, the certificate and its yearly review."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.dates import today
from core.exceptions import Conflict, RuleViolation
from members.mobile.services import next_certificate_number, review_certificate
from members.models import CertificateSequence, RegistrationStatus, Status
from members.statuses import status_since
from tests.conftest import in_county

from .conftest import months_ago


def test_registering_an_outflow_makes_the_member_mobile_with_a_certificate(tree, away):
    left_on = months_ago(0, days=10)
    registration = away(left_on=left_on, expected_return=months_ago(-4), host_org_name="杭州市某街道党工委")
    tree.member.refresh_from_db()
    assert tree.member.status == Status.MOBILE
    assert status_since(tree.member) == left_on
    assert registration.status == RegistrationStatus.OPEN
    assert registration.org == tree.b1
    assert registration.certificate_issued_on == today()
    assert registration.certificate_number == f"ALPHA-{today().year}-00001"


def test_certificate_numbers_follow_the_county_sequence_without_gaps(tree, away, county_b):
    with in_county(tree.county):
        first = away(person=tree.member)
        second = away(person=tree.b1_members[1])
        with pytest.raises(RuleViolation):
            away(person=tree.b1_members[1])  # refused: the number it would take is not used up
        third = away(person=tree.b1_members[2])
        year = today().year
        assert [r.certificate_number for r in (first, second, third)] == [
            f"ALPHA-{year}-00001",
            f"ALPHA-{year}-00002",
            f"ALPHA-{year}-00003",
        ]
        assert next_certificate_number(year + 1) == f"ALPHA-{year + 1}-00001"
    # Another county numbers its own certificates from 1.
    with in_county(county_b):
        assert not CertificateSequence.objects.exists()
        assert next_certificate_number(today().year) == f"BETA-{today().year}-00001"


def test_a_member_away_less_than_3_months_is_not_registered(tree, away):
    with translation.override("en"), pytest.raises(RuleViolation) as refused:
        away(left_on=months_ago(0), expected_return=months_ago(-2))
    assert "less than 3 months" in refused.value.message
    tree.member.refresh_from_db()
    assert tree.member.status == Status.ACTIVE


def test_six_months_or_more_at_a_place_with_a_party_organization_transfers_the_relation_instead(tree, away):
    with translation.override("en"), pytest.raises(RuleViolation) as refused:
        away(left_on=months_ago(0), expected_return=months_ago(-6), host_org_name="深圳某公司党支部")
    assert "transfers the organizational relation" in refused.value.message
    # Without a fixed place with a party organization, a long absence is registered.
    assert away(left_on=months_ago(0), expected_return=months_ago(-8)).status == RegistrationStatus.OPEN


def test_only_an_active_party_member_registers_and_only_once(tree, away):
    with pytest.raises(RuleViolation) as refused:
        away(person=tree.b1_members[1], contact_person=tree.b1_members[1])
    assert "contact_person" in refused.value.errors
    away(person=tree.probationary)
    with pytest.raises(RuleViolation):
        away(person=tree.probationary)
    applicant = tree.b1_members[2]
    applicant.stage = "applicant"
    applicant.save()
    with pytest.raises(RuleViolation):
        away(person=applicant)


def test_the_contact_person_belongs_to_the_members_own_branch(tree, away):
    with pytest.raises(RuleViolation) as refused:
        away(contact_person=tree.b2_members[0])
    assert "contact_person" in refused.value.errors


def test_another_branchs_secretary_does_not_register_the_member(tree):
    from members.mobile.services import register_outflow

    with pytest.raises(PermissionDenied):
        register_outflow(
            actor=tree.secretary_b2,
            person=tree.member,
            destination="上海",
            left_on=months_ago(1),
            contact_person=tree.b1_members[0],
        )


def test_the_certificate_is_reviewed_once_a_year(tree, away):
    registration = away()
    review = review_certificate(actor=tree.secretary, registration=registration, on=today(), note="审验合格")
    assert review.year == today().year
    with pytest.raises(Conflict):
        review_certificate(actor=tree.secretary, registration=registration, on=today())
