"""POST /api/people/import/ (a per-row report; bad rows never half-written; ?dry_run=1 writes nothing)
and GET /api/people/export.xlsx (scope, filters and masking as in the list)."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from members.models import Person, Stage
from orgs import access
from orgs.models import Role, RoleAssignment
from tests.conftest import CountyClient
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, make_id_number

HEADERS = ["姓名", "身份证号", "手机", "所在组织", "阶段", "类别", "状态"]


def _xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(headers)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("people.xlsx", buffer.getvalue())


def _import(api, rows, query: str = "", **kwargs):
    return api.post(f"/api/people/import/{query}", {"file": _xlsx(rows, **kwargs)}, format="multipart")


@pytest.fixture
def existing(branch):
    return PersonFactory(name="老张", org=branch, stage=Stage.FULL, phone="13800000001")


@pytest.fixture
def mixed_rows(branch, existing):
    return [
        ["王芳", make_id_number(male=False), "13912345678", "城关社区党支部", "正式党员", "社区", "正常"],  # row 2
        ["李强", make_id_number(), "", str(branch.id), "activist", "village", "active"],  # row 3
        ["赵错", "110105194912310021", "13912345678", "城关社区党支部", "", "", ""],  # row 4: check digit
        ["钱错", make_id_number(), "12345", "不存在的党支部", "", "", ""],  # row 5: phone and organization
        ["老张", existing.id_number, "13800000002", "", "正式党员", "", ""],  # row 6: update by ID number
    ]


def test_an_import_reports_created_updated_and_rejected_rows(admin_api_a, mixed_rows, existing):
    before = Person.objects.count()
    response = _import(admin_api_a, mixed_rows)
    assert response.status_code == 200, response.content
    report = response.json()
    assert (report["created"], report["updated"]) == (2, 1)
    assert [(r["row"], sorted(r["errors"])) for r in report["rejected"]] == [(4, ["id_number"]), (5, ["org", "phone"])]
    assert Person.objects.count() == before + 2
    wang = Person.objects.get(name="王芳")
    assert (wang.stage, wang.category, wang.status, wang.sex) == ("full", "community", "active", "female")
    assert Person.objects.get(name="李强").stage == "activist"
    assert not Person.objects.filter(name__in=["赵错", "钱错"]).exists()
    existing.refresh_from_db()
    assert existing.phone == "13800000002"


def test_a_dry_run_reports_the_same_and_writes_nothing(admin_api_a, mixed_rows, existing):
    before, log_before = Person.objects.count(), LogEntry.objects.count()
    report = _import(admin_api_a, mixed_rows, "?dry_run=1").json()
    assert (report["created"], report["updated"], len(report["rejected"])) == (2, 1, 2)
    assert report["dry_run"] is True
    assert Person.objects.count() == before
    assert LogEntry.objects.count() == log_before
    existing.refresh_from_db()
    assert existing.phone == "13800000001"


def test_a_row_is_never_half_written(admin_api_a, existing):
    # A new phone together with a stage change: the stage is refused, so the phone is not written either.
    report = _import(admin_api_a, [["老张", existing.id_number, "13800000009", "", "预备党员", "", ""]]).json()
    assert report["rejected"] == [{"row": 2, "errors": {"stage": [report["rejected"][0]["errors"]["stage"][0]]}}]
    existing.refresh_from_db()
    assert (existing.phone, existing.stage) == ("13800000001", "full")


def test_imported_changes_are_audited_with_the_importer(admin_api_a, admin_a, branch):
    _import(admin_api_a, [["王芳", make_id_number(), "", str(branch.id), "", "", ""]])
    entry = LogEntry.objects.get_for_object(Person.objects.get(name="王芳")).get()
    assert entry.actor == admin_a


def test_english_column_codes_are_accepted(admin_api_a, branch):
    headers = ["name", "id_number", "phone", "org", "stage", "category", "status"]
    report = _import(
        admin_api_a, [["Li", make_id_number(), "", str(branch.id), "candidate", "other", "active"]], headers=headers
    )
    assert report.json()["created"] == 1
    assert Person.objects.get(name="Li").stage == "candidate"


def test_an_unknown_stage_label_is_refused_with_its_row(admin_api_a, branch):
    report = _import(admin_api_a, [["张三", make_id_number(), "", str(branch.id), "党员", "", ""]]).json()
    assert report["rejected"][0]["row"] == 2
    assert list(report["rejected"][0]["errors"]) == ["stage"]


def test_rows_outside_the_callers_scope_are_rejected(county_a, branch, committee):
    other_branch = OrganizationFactory(name="别的党支部", parent=committee)
    outsider = PersonFactory(name="外人", org=other_branch)
    secretary = UserFactory()
    RoleAssignment.objects.create(user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
    api = CountyClient(county_a).as_user(secretary)
    report = _import(
        api,
        [
            ["新人", make_id_number(), "", "别的党支部", "", "", ""],
            ["外人", outsider.id_number, "13912345678", "城关社区党支部", "", "", ""],
            ["自己人", make_id_number(), "", "城关社区党支部", "", "", ""],
        ],
    ).json()
    assert report["created"] == 1
    assert [(r["row"], list(r["errors"])) for r in report["rejected"]] == [(2, ["org"]), (3, ["id_number"])]
    outsider.refresh_from_db()
    assert (outsider.org, outsider.phone) == (other_branch, "")


def test_members_without_a_role_cannot_import(county_a, branch):
    user = UserFactory()
    PersonFactory(org=branch, user=user)
    api = CountyClient(county_a).as_user(user)
    assert _import(api, [["新人", make_id_number(), "", str(branch.id), "", "", ""]]).status_code == 403


def test_a_file_that_is_not_a_workbook_is_refused(admin_api_a):
    response = admin_api_a.post(
        "/api/people/import/", {"file": SimpleUploadedFile("people.xlsx", b"not a workbook")}, format="multipart"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["file"]


def test_a_workbook_without_the_required_columns_is_refused(admin_api_a, branch):
    response = _import(admin_api_a, [["张三", str(branch.id)]], headers=["姓名", "所在组织"])
    assert response.status_code == 400
    assert "身份证号" in response.json()["detail"]


def _exported(api, **params) -> list[list]:
    response = api.get("/api/people/export.xlsx", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_the_export_lists_people_with_the_import_columns(admin_api_a, existing, branch):
    rows = _exported(admin_api_a)
    assert rows[0] == HEADERS
    assert rows[1:] == [["老张", existing.id_number, "13800000001", "城关社区党支部", "正式党员", "其他", "正常"]]


def test_the_export_respects_filters_and_scope(county_a, admin_api_a, existing, branch, committee):
    other = PersonFactory(name="别人", org=OrganizationFactory(parent=committee), stage=Stage.ACTIVIST)
    assert {row[0] for row in _exported(admin_api_a)[1:]} == {"老张", "别人"}
    assert {row[0] for row in _exported(admin_api_a, stage="activist")[1:]} == {other.name}
    secretary = UserFactory()
    RoleAssignment.objects.create(user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
    assert {row[0] for row in _exported(CountyClient(county_a).as_user(secretary))[1:]} == {"老张"}


def test_the_export_masks_id_numbers_the_caller_may_not_see(county_a, existing, branch, monkeypatch):
    monkeypatch.setitem(access.CAPABILITIES, "view_id_number", frozenset({Role.COUNTY_ADMIN}))
    secretary = UserFactory()
    RoleAssignment.objects.create(user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
    [row] = _exported(CountyClient(county_a).as_user(secretary))[1:]
    assert row[1] == f"{existing.id_number[:4]}**********{existing.id_number[-4:]}"


def test_an_exported_file_imports_again_unchanged(admin_api_a, existing):
    PersonFactory(name="新人", org=existing.org, stage=Stage.CANDIDATE, phone="0571-87654321")
    content = admin_api_a.get("/api/people/export.xlsx").content
    response = admin_api_a.post(
        "/api/people/import/", {"file": SimpleUploadedFile("people.xlsx", content)}, format="multipart"
    )
    assert response.json() == {"created": 0, "updated": 0, "unchanged": 2, "rejected": [], "dry_run": False}


def test_the_export_answers_a_client_asking_for_a_spreadsheet(admin_api_a, existing):
    response = admin_api_a.get(
        "/api/people/export.xlsx", HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.status_code == 200
    assert response.content.startswith(b"PK")
