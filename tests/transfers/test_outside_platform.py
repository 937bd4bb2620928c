"""A transfer to an organization outside the platform: a printable letter, and its paper receipt registered by hand."""

import io

from pypdf import PdfReader

from accounts.models import SecurityEvent
from members.identity import mask_id_number
from members.models import Person, Status

from .helpers import complete, outside, request, send, task_of


def issued(world, client_a) -> dict:
    alpha = world.alpha
    transfer = request(client_a(alpha.secretary), outside(alpha.member))
    assert complete(client_a(alpha.reviewer), task_of(client_a(alpha.reviewer), "approval")).status_code == 200
    return client_a(alpha.reviewer).get(f"/api/transfers/{transfer['id']}/").json()


def test_the_printed_letter_carries_the_chinese_name_and_the_letter_number_in_three_parts(world, client_a):
    transfer = issued(world, client_a)
    response = client_a(world.alpha.secretary).get(f"/api/transfers/{transfer['id']}/letter.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "张三丰" in text
    assert transfer["letter_number"] in text
    assert "中共浙江省杭州市某区委组织部" in text
    assert text.count(f"No. {transfer['letter_number']}") == 3  # stub, letter, receipt
    assert transfer["valid_until"] in text
    fonts = {str(font["/BaseFont"]) for page in pdf.pages for font in page["/Resources"]["/Font"].values()}
    assert any("Noto-Sans-CJK-SC" in font for font in fonts), fonts


def test_there_is_no_letter_to_print_before_it_is_issued(world, client_a):
    transfer = request(client_a(world.alpha.secretary), outside(world.alpha.member))
    assert client_a(world.alpha.secretary).get(f"/api/transfers/{transfer['id']}/letter.pdf").status_code == 409


def test_registering_the_paper_receipt_completes_the_transfer(world, client_a):
    transfer = issued(world, client_a)
    assert Person.objects.get(pk=world.alpha.member.pk).status == Status.IN_TRANSIT
    response = client_a(world.alpha.reviewer).post(
        f"/api/transfers/{transfer['id']}/receipt/", {"date": transfer["issued_on"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["receipt_date"], body["process_status"]) == (
        "completed",
        transfer["issued_on"],
        "done",
    )
    assert [entry["decision"] for entry in body["history"]][-1] == "receipted"
    assert Person.objects.get(pk=world.alpha.member.pk).status == Status.TRANSFERRED_OUT


def test_a_receipt_is_registered_once(world, client_a):
    transfer = issued(world, client_a)
    url = f"/api/transfers/{transfer['id']}/receipt/"
    assert client_a(world.alpha.reviewer).post(url, {}, format="json").status_code == 200
    assert client_a(world.alpha.reviewer).post(url, {}, format="json").status_code == 409


def test_the_receipt_is_registered_by_the_committee_that_issued_the_letter(world, client_a):
    transfer = issued(world, client_a)
    url = f"/api/transfers/{transfer['id']}/receipt/"
    assert client_a(world.alpha.secretary).post(url, {}, format="json").status_code == 403


def test_only_a_letter_outside_the_platform_takes_a_paper_receipt(world, client_a):
    transfer = send(world, client_a)
    response = client_a(world.alpha.reviewer).post(f"/api/transfers/{transfer['id']}/receipt/", {}, format="json")
    assert response.status_code == 400


def test_the_organization_outside_the_platform_is_named(world, client_a):
    body = {**outside(world.alpha.member), "to_name": ""}
    response = client_a(world.alpha.secretary).post("/api/transfers/", body, format="json")
    assert set(response.json()["errors"]) == {"to_name"}


def pdf_text(response) -> str:
    assert response.status_code == 200
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_the_letter_carries_the_whole_id_number_only_for_those_who_may_have_it_and_each_print_is_logged(
    world, client_a
):
    transfer = issued(world, client_a)
    number = world.alpha.member.id_number
    url = f"/api/transfers/{transfer['id']}/letter.pdf"
    assert number in pdf_text(client_a(world.alpha.reviewer).get(url))
    by_branch = pdf_text(client_a(world.alpha.secretary).get(url))
    assert number not in by_branch
    assert mask_id_number(number) in by_branch
    prints = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.EXPORT, detail__what="transfer_letter")
    assert sorted((event.username, event.detail["full_id_numbers"]) for event in prints) == sorted(
        [(world.alpha.reviewer.username, 1), (world.alpha.secretary.username, 0)]
    )
