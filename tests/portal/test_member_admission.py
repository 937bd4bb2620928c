"""The member's own pages along an admission: the to-do list holds the forms that are theirs to fill (the
admission form, the written application for conversion), computed from the open tasks of their process,
and the timeline says what is done, what comes next, by when and who acts."""

import datetime

from members import self_service
from tests.admission import conftest as admission
from tests.admission.pipeline import happy_path, open_task, run_until, start
from tests.factories import PersonFactory, UserFactory

# The admission tests' tree, role holders, applicant and full members.
tree, secretary, reviewer, applicant = admission.tree, admission.secretary, admission.reviewer, admission.applicant
county_admin, members, actors = admission.county_admin, admission.members, admission.actors


def test_the_admission_form_is_on_the_members_to_do_list_when_their_task_opens(tree, actors, applicant, members, browser):
    process = start(actors, applicant, tree.branch)
    assert [item.kind for item in self_service.todo_for(applicant)] == []
    run_until(process, actors, happy_path(members), "admission_form")
    task = open_task(process, "admission_form")

    todo = self_service.todo_for(applicant)
    assert [(item.kind, item.url, item.due_date) for item in todo] == [
        ("admission_form", f"/tasks/#task-{task.task_id}", task.due_date)
    ]
    page = browser(applicant.user).get("/me/")
    assert page.status_code == 200
    assert f'href="/tasks/#task-{task.task_id}"' in page.content.decode()
    # The link leads to the inbox, where the task is the member's to record.
    inbox = browser(applicant.user).get("/tasks/")
    assert [item["task"].task_id for item in inbox.context["items"]] == [task.task_id]


def test_the_conversion_application_is_on_the_to_do_list_by_the_end_of_probation(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "conversion_application")
    task = open_task(process, "conversion_application")
    todo = self_service.todo_for(applicant)
    assert [(item.kind, item.due_date) for item in todo] == [("conversion_application", datetime.date(2025, 7, 15))]
    assert todo[0].due_date == task.due_date


def test_the_timeline_shows_what_is_done_what_comes_next_by_when_and_who_acts(tree, actors, applicant, members, browser):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "activist_decision")
    page = browser(applicant.user).get("/me/application/")
    assert page.status_code == 200
    assert [entry["record"].step for entry in page.context["history"]] == ["application", "talk"]
    (upcoming,) = page.context["upcoming"]
    assert upcoming["task"].step == "activist_decision"
    assert upcoming["task"].actor == "branch"
    text = page.content.decode()
    assert "2023-03-15" in text  # the talk, done
    assert upcoming["task"].due_date.isoformat() in text  # by when
    assert tree.branch.name in text  # who acts
    assert f"/people/{applicant.pk}/admission/print/" in text


def test_the_member_home_shows_the_next_step_of_the_application(tree, actors, applicant, members, browser):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "activist_decision")
    page = browser(applicant.user).get("/me/")
    assert [step["task"].step for step in page.context["next_steps"]] == ["activist_decision"]
    assert page.context["application"].pk == process.pk
    # The member's nav reaches /me/ in one click from any page.
    assert 'href="/me/"' in browser(applicant.user).get("/tasks/").content.decode()


def test_the_branchs_public_notice_before_admission_is_published_to_its_members(tree, actors, applicant, members, browser):
    process = start(actors, applicant, tree.branch)
    run_until(process, actors, happy_path(members), "pre_review")
    colleague = members[0]
    colleague.user = UserFactory()
    colleague.save(update_fields=["user"])
    page = browser(colleague.user).get("/me/")
    assert [notice.process.person for notice in page.context["public_notices"]] == [applicant]
    assert "2024-06-17" in page.content.decode()
    # A member of another branch does not see it.
    elsewhere = PersonFactory(org=tree.other_branch, user=UserFactory())
    assert list(browser(elsewhere.user).get("/me/").context["public_notices"]) == []
