
"""The resident ID number (check digit, length, derived sex and birth date) and the phone number."""

import datetime

import pytest
from django.utils import translation
from stdnum.cn import ric

from core.exceptions import RuleViolation
from members.identity import normalize_id_number
from members.models import Person

# The sample number of GB 11643: born 1949-12-31, a woman (17th digit even), check digit X.
SAMPLE = "11010519491231002X"


def test_a_valid_id_number_is_kept_in_canonical_form():
    assert normalize_id_number(" 11010519491231002x ") == SAMPLE


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "The ID number's check digit is wrong; please check the number."),
        ("11010519491231002", "A resident ID number has 18 characters."),
        ("11010519491231002XX", "A resident ID number has 18 characters."),
        ("110105194913310021", "This is not a valid resident ID number."),  # month 13
    ],
)
def test_invalid_id_numbers_are_refused(number, message):
    with translation.override("en"), pytest.raises(RuleViolation) as refused:
        normalize_id_number(number)
    assert refused.value.message == message
    assert list(refused.value.errors) == ["id_number"]


def _with_check_digit(body: str) -> str:
    return body + ric.calc_check_digit(body + "0")


def test_a_region_code_issued_after_the_birth_year_is_genuine():
    # Numbers were first issued in 1984 with the codes of the day, also to people born earlier.
    number = _with_check_digit("33010219500101003")
    assert normalize_id_number(number) == number


@pytest.mark.parametrize("body", ["00000019900101003", "33010299990101003"])
def test_unknown_regions_and_future_birth_dates_are_refused(body):
    with pytest.raises(RuleViolation):
        normalize_id_number(_with_check_digit(body))


def test_sex_and_birth_date_derive_from_the_id_number(admin_api_a, branch):
    response = admin_api_a.post("/api/people/", {"name": "张三", "id_number": SAMPLE.lower(), "org": branch.id})
    assert response.status_code == 201, response.content
    body = response.json()
    assert Person.objects.get(pk=body["id"]).id_number == SAMPLE  # upper-case X; answers show it masked
    assert (body["id_number"], body["sex"], body["birth_date"]) == (
        f"{SAMPLE[:4]}**********{SAMPLE[-4:]}",
        "female",
        "1949-12-31",
    )


def test_sex_and_birth_date_cannot_be_written(admin_api_a, branch):
    response = admin_api_a.post(
        "/api/people/",
        {"name": "张三", "id_number": SAMPLE, "org": branch.id, "sex": "male", "birth_date": "2000-01-01"},
    )
    assert response.status_code == 201
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.sex, person.birth_date) == ("female", datetime.date(1949, 12, 31))


def test_a_wrong_check_digit_answers_400_and_writes_nothing(admin_api_a, branch):
    response = admin_api_a.post(
        "/api/people/", {"name": "张三", "id_number": "110105194912310021", "org": branch.id}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "The ID number's check digit is wrong; please check the number.",
        "errors": {"id_number": ["The ID number's check digit is wrong; please check the number."]},
    }
    assert not Person.objects.exists()


def test_an_id_number_is_registered_once(admin_api_a, branch):
    assert admin_api_a.post("/api/people/", {"name": "张三", "id_number": SAMPLE, "org": branch.id}).status_code == 201
    response = admin_api_a.post(
        "/api/people/", {"name": "张三三", "id_number": SAMPLE.lower(), "org": branch.id}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"id_number": ["A person with this ID number already exists."]}
    assert Person.objects.count() == 1


@pytest.mark.parametrize("phone", ["13812345678", "138 1234 5678", "0571-87654321", "057187654321", ""])
def test_mobile_and_landline_numbers_are_accepted(admin_api_a, branch, phone):
    response = admin_api_a.post("/api/people/", {"name": "张三", "id_number": SAMPLE, "org": branch.id, "phone": phone})
    assert response.status_code == 201, response.content
    assert response.json()["phone"] == phone.replace(" ", "")


@pytest.mark.parametrize("phone", ["12345", "12812345678", "1381234567x", "23812345678"])
def test_malformed_phone_numbers_are_refused(admin_api_a, branch, phone):
    response = admin_api_a.post("/api/people/", {"name": "张三", "id_number": SAMPLE, "org": branch.id, "phone": phone})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["phone"]


def test_every_field_error_is_reported_at_once(admin_api_a, branch):
    response = admin_api_a.post(
        "/api/people/", {"name": "张三", "id_number": "123", "org": branch.id, "phone": "12345"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"id_number", "phone"}
