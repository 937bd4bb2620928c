"""Admissions under way imported from Excel: dry run first, each row a process at its step, history imported."""

import datetime
import io

from dateutil.relativedelta import relativedelta
from openpyxl import Workbook

from members.models import ArchiveEntry, Person, Stage
from tests.factories import make_id_number
from workflows.models import AdmissionRecord, StepRecord, WorkflowProcess
from workflows.services.admission_import import COLUMNS

from .pipeline import fresh, open_tasks

D = datetime.date


def workbook(*rows: dict) -> io.BytesIO:
    sheet_book = Workbook()
    sheet = sheet_book.active
    sheet.append([header for _code, header in COLUMNS])
    for row in rows:
        sheet.append([row.get(code, "") for code, _header in COLUMNS])
    buffer = io.BytesIO()
    sheet_book.save(buffer)
    buffer.seek(0)
    buffer.name = "admissions.xlsx"
    return buffer


def row(branch, name: str = "赵敏", **dates) -> dict:
    return {"name": name, "id_number": make_id_number(birth=D(1995, 6, 1)), "branch": branch.name, **dates}


def upload(api, book, dry_run: bool = False):
    return api.post(f"/api/admissions/import/{'?dry_run=1' if dry_run else ''}", {"file": book}, format="multipart")


def steps_open(process) -> list[str]:
    return [task.step for task in open_tasks(process)]


def test_a_dry_run_checks_every_row_and_writes_nothing(api_a, tree, secretary):
    api = api_a.as_user(secretary)
    rows = (
        row(tree.branch, "甲", application=D(2024, 1, 5), talk=D(2024, 1, 20)),
        row(tree.branch, "乙", application="2024-13-01"),
    )
    report = upload(api, workbook(*rows), dry_run=True)
    assert report.status_code == 200, report.json()
    body = report.json()
    assert (body["created"], body["dry_run"]) == (1, True)
    assert [(rejected["row"], set(rejected["errors"])) for rejected in body["rejected"]] == [(3, {"application"})]
    assert not WorkflowProcess.objects.exists()
    assert not Person.objects.filter(name__in=("甲", "乙")).exists()


def test_each_row_becomes_a_process_at_its_step_with_its_history_imported(api_a, tree, secretary):
    api = api_a.as_user(secretary)
    applicant = row(tree.branch, "申请人", application=D(2026, 10, 1))
    activist = row(tree.branch, "积极分子", application=D(2024, 3, 1), talk=D(2024, 3, 20), activist_decision=D(2024, 9, 2), cultivation=D(2025, 3, 1))  # fmt: skip
    candidate = row(
        tree.branch, "发展对象", application=D(2023, 1, 3), activist_decision=D(2023, 5, 4),
        candidate_decision=D(2024, 6, 1), current_step="political_review",
    )  # fmt: skip
    probationary = row(
        tree.branch, "预备党员", application=D(2022, 2, 1), activist_decision=D(2022, 5, 9),
        candidate_decision=D(2023, 6, 1), admission_vote=D(2025, 12, 20), admission_approval=D(2026, 2, 10),
        probation_assessments=3,
    )  # fmt: skip
    report = upload(api, workbook(applicant, activist, candidate, probationary))
    assert report.json() == {"created": 4, "rejected": [], "dry_run": False}

    def process_of(name: str) -> WorkflowProcess:
        return fresh(WorkflowProcess.objects.get(person__name=name))

    first = process_of("申请人")
    assert (first.person.stage, steps_open(first)) == (Stage.APPLICANT, ["talk"])
    assert first.step_tasks.get().due_date == D(2026, 11, 1)

    second = process_of("积极分子")
    assert (second.person.stage, steps_open(second)) == (Stage.ACTIVIST, ["cultivation"])
    assert second.step_tasks.get().due_date == D(2025, 9, 1)  # six months after the last assessment
    assert second.admission.activist_since == D(2024, 9, 2)

    third = process_of("发展对象")
    assert (third.person.stage, steps_open(third)) == (Stage.CANDIDATE, ["political_review"])

    fourth = process_of("预备党员")
    assert (fourth.person.stage, steps_open(fourth)) == (Stage.PROBATIONARY, ["probation_assessment"])
    assert (fourth.admission.probation_start, fourth.admission.probation_end) == (D(2025, 12, 20), D(2026, 12, 20))
    assert fourth.step_tasks.get().due_date == D(2025, 12, 20) + relativedelta(months=12)  # the fourth quarter

    history = api.get(f"/api/admissions/{second.pk}/").json()
    assert [(h["step"], h["date"], h["imported"]) for h in history["history"]] == [
        ("application", "2024-03-01", True),
        ("talk", "2024-03-20", True),
        ("activist_decision", "2024-09-02", True),
        ("cultivation", "2025-03-01", True),
    ]
    assert AdmissionRecord.objects.filter(imported=True).count() == 4
    filed = ArchiveEntry.objects.filter(person=second.person)
    assert filed.count() == 4
    assert all(filed.values_list("imported", flat=True))


def test_an_imported_process_goes_on_like_any_other(api_a, tree, secretary):
    api = api_a.as_user(secretary)
    upload(api, workbook(row(tree.branch, "续办", application=D(2026, 10, 1), talk=D(2026, 10, 20))))
    process = WorkflowProcess.objects.get(person__name="续办")
    task = process.step_tasks.get()
    refused = api.post(f"/api/tasks/{task.task_id}/complete/", {"date": "2026-10-19", "data": {"recommended_by": ["members"]}}, format="json")
    assert refused.status_code == 400  # not before the imported talk
    done = api.post(f"/api/tasks/{task.task_id}/complete/", {"date": "2026-11-02", "data": {"recommended_by": ["members"]}}, format="json")
    assert done.status_code == 200, done.json()
    assert fresh(process).person.stage == Stage.ACTIVIST
    assert steps_open(process) == ["activist_filing"]


def test_imported_dates_keep_the_rules(api_a, tree, secretary):
    api = api_a.as_user(secretary)
    too_young = {**row(tree.branch, "未满十八"), "id_number": make_id_number(birth=D(2008, 12, 1)), "application": D(2026, 11, 1)}
    too_soon = row(tree.branch, "未满一年", application=D(2024, 1, 2), activist_decision=D(2024, 3, 1), candidate_decision=D(2025, 2, 28))  # fmt: skip
    out_of_order = row(tree.branch, "日期颠倒", application=D(2024, 5, 2), talk=D(2024, 4, 1))
    late_approval = row(
        tree.branch, "审批超期", application=D(2022, 1, 2), activist_decision=D(2022, 3, 1),
        candidate_decision=D(2023, 3, 1), admission_vote=D(2024, 1, 10), admission_approval=D(2024, 5, 10),
    )  # fmt: skip
    too_late = {**late_approval, "id_number": make_id_number(birth=D(1995, 6, 1)), "name": "超过六个月", "admission_approval": D(2024, 7, 11), "special_reason": "换届"}  # fmt: skip
    missing_milestone = row(tree.branch, "缺少日期", application=D(2024, 1, 2), current_step="sponsors")
    future = row(tree.branch, "未来日期", application=datetime.date.today() + datetime.timedelta(days=3))
    report = upload(api, workbook(too_young, too_soon, out_of_order, late_approval, too_late, missing_milestone, future)).json()
    assert report["created"] == 0
    fields = {rejected["row"]: set(rejected["errors"]) for rejected in report["rejected"]}
    assert fields == {
        2: {"application"},
        3: {"candidate_decision"},
        4: {"talk"},
        5: {"special_reason"},
        6: {"admission_approval"},
        7: {"activist_decision"},
        8: {"application"},
    }
    assert not WorkflowProcess.objects.exists()

    with_reason = {**late_approval, "special_reason": "党委换届"}
    assert upload(api, workbook(with_reason)).json()["created"] == 1
    approval = StepRecord.objects.get(step="admission_approval")
    assert (approval.imported, approval.data) == (True, {"special_reason": "党委换届"})


def test_a_person_already_further_on_or_under_way_is_refused(api_a, tree, secretary):
    from tests.factories import PersonFactory

    api = api_a.as_user(secretary)
    member = PersonFactory(org=tree.branch, stage=Stage.FULL)
    report = upload(api, workbook({**row(tree.branch), "id_number": member.id_number, "application": D(2024, 1, 2)})).json()
    assert report["rejected"][0]["errors"].keys() == {"id_number"}

    first = row(tree.branch, "重复", application=D(2026, 10, 1))
    assert upload(api, workbook(first)).json()["created"] == 1
    again = upload(api, workbook(first)).json()
    assert again["rejected"][0]["errors"].keys() == {"id_number"}


def test_importing_admissions_needs_a_role_that_imports(api_a, tree, applicant):
    response = upload(api_a.as_user(applicant.user), workbook(row(tree.branch, application=D(2026, 10, 1))))
    assert response.status_code == 403
