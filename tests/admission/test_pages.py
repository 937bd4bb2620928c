"""The step forms of the inbox: each step's own record fields, recorded through the page."""

from tests.workflows.test_pages import PageClient
from workflows.models import StepRecord

from .pipeline import happy_path, open_task, run_until, start


def test_the_mentors_form_offers_the_full_members_and_records_the_choice(county_a, tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "mentors")
    task = open_task(process, "mentors")
    prefix = f"task-{task.task_id}"
    browser = PageClient(county_a, actors.branch)

    html = browser.get("/tasks/").content.decode()
    for member in members:
        assert f'name="{prefix}-data_mentors" value="{member.pk}"' in html
    assert f'value="{applicant.pk}"' not in html

    done = browser.post(
        f"/tasks/{task.task_id}/complete/",
        {
            f"{prefix}-decision": "approve",
            f"{prefix}-date": path[0].date.isoformat(),
            f"{prefix}-data_mentors": [members[0].pk, members[1].pk],
        },
    )
    assert done.status_code == 302
    assert StepRecord.objects.get(step="mentors").data == {"mentors": [members[0].pk, members[1].pk]}


def test_the_training_form_records_hours_days_and_the_result(county_a, tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "training")
    task = open_task(process, "training")
    prefix = f"task-{task.task_id}"
    browser = PageClient(county_a, actors.committee)
    html = browser.get("/tasks/").content.decode()
    for field in ("hours", "days", "passed"):
        assert f"{prefix}-data_{field}" in html

    fields = {f"{prefix}-decision": "approve", f"{prefix}-date": path[0].date.isoformat(), f"{prefix}-data_hours": "16"}
    refused = browser.post(f"/tasks/{task.task_id}/complete/", {**fields, f"{prefix}-data_passed": "true"})
    assert refused.status_code == 400
    assert not StepRecord.objects.filter(step="training").exists()

    done = browser.post(
        f"/tasks/{task.task_id}/complete/", {**fields, f"{prefix}-data_days": "3", f"{prefix}-data_passed": "true"}
    )
    assert done.status_code == 302
    assert StepRecord.objects.get(step="training").data == {"hours": 16, "days": 3, "passed": True}


def test_the_applicant_page_shows_the_next_step_and_its_due_date(county_a, tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "mentors")
    html = PageClient(county_a, applicant.user).get("/me/application/").content.decode()
    assert html.count("<li>") >= 4
    assert open_task(process, "mentors").due_date.isoformat() in html
