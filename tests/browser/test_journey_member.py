"""A member on their phone: finds the form that is theirs on their page, follows their application, and writes it.

The member is a probationary member whose probation ends in two weeks: the written application for
conversion is hers to hand in. The pictures go to the user guide (docs/guide/member.md) as member-*.png.
"""

import pytest

from .conftest import PHONE, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_member_follows_their_application_and_writes_the_form_due(open_page, scene, county):
    from core.dates import today
    from scoring.models import Result
    from workflows.models import StepRecord, StepTask

    due = StepTask.objects.get(process_id=scene.member_process, step="conversion_application", task__status="NEW")
    page = open_page(PHONE)

    # 1. My page: the to-do list names the form, with the date it is due.
    sign_in(page, scene.member_username, "/me/")
    todo = page.locator("#todo li.todo-conversion_application")
    assert todo.count() == 1
    assert due.due_date.isoformat() in todo.inner_text()
    shoot(page, "member-1-home")

    # 2. My application: what is done (the history brought in by the branch) and what comes next.
    page.locator("#card-application h2 a").click()
    page.wait_for_url("**/me/application/")
    done_before = page.locator("ol.timeline > li").count()
    next_steps = page.locator("ol.timeline + h2 + ul > li")
    assert next_steps.count() == 1 and due.due_date.isoformat() in next_steps.first.inner_text()
    shoot(page, "member-2-application")

    # 3. The form, one click from my page: only my own step is there.
    page.goto("/me/")
    page.locator("#todo li.todo-conversion_application a").click()
    page.wait_for_url(f"**/tasks/#task-{due.task_id}")
    card = page.locator(f"#task-{due.task_id}")
    assert page.locator("section.card[id^=task-]").count() == 1
    card.locator(f"#id_task-{due.task_id}-comment").fill("本人预备期满，申请按期转为正式党员。")
    shoot(page, "member-3-form")

    # 4. Handed in: the application moves on to the branch's vote, and the to-do list is clear of it.
    card.locator("form[action$='/complete/'] button[type=submit]").click()
    page.wait_for_url(f"**/processes/{scene.member_process}/")
    page.goto("/me/application/")
    done_after = page.locator("ol.timeline > li").count()
    coming = page.locator("ol.timeline + h2 + ul > li").all_inner_texts()
    shoot(page, "member-4-handed-in")
    page.goto("/me/")
    still_to_do = page.locator("#todo li.todo-conversion_application").count()

    # 5. My scores, one click from my page: this year's total and grade, and my entries.
    page.locator("#card-scores h2 a").click()
    page.wait_for_url("**/me/scores/")
    total = page.locator("main section.card table tr").first.locator("td").inner_text()
    shoot(page, "member-5-scores")

    result = Result.objects.get(person__user__username=scene.member_username, year=today().year)
    assert total == str(result.total)
    record = StepRecord.objects.select_related("actor").get(process_id=scene.member_process, step="conversion_application")
    assert record.actor.username == scene.member_username
    assert record.comment.startswith("本人预备期满")
    assert done_after == done_before + 1
    assert still_to_do == 0
    vote = StepTask.objects.get(process_id=scene.member_process, step="conversion_vote", task__status="NEW")
    assert len(coming) == 1 and vote.org.name in coming[0]


def test_a_member_sees_only_their_own_records(open_page, scene, county):
    """Another applicant's process is not found for the member; their own is."""
    page = open_page(PHONE)
    sign_in(page, scene.member_username, "/me/")
    other = page.goto(f"/processes/{scene.filing_process}/")
    own = page.goto(f"/processes/{scene.member_process}/")
    assert other.status == 404
    assert own.status == 200
