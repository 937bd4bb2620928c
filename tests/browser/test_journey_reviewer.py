"""A township reviewer clears the inbox: every step waiting for the committee is recorded, one after the other.

The pictures go to the user guide (docs/guide/reviewer.md) as reviewer-*.png.
"""

import pytest

from .conftest import DESKTOP, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Steps that need a record field besides the decision, the date and the comment, and what the reviewer writes in it.
FIELDS = {"data_talker": "组织委员李明"}


def _waiting(scene) -> list[tuple[int, str]]:
    from workflows.models import StepTask

    return list(
        StepTask.objects.filter(process_id__in=scene.township_processes, task__status="NEW", actor="committee")
        .order_by("task_id")
        .values_list("task_id", "step")
    )


def test_a_reviewer_clears_the_inbox(open_page, scene, county):
    from workflows.models import StepRecord

    waiting = _waiting(scene)
    # Two activists to file, and the committee's talk with a candidate (its approval follows once the talk is in).
    assert sorted(step for _task, step in waiting) == ["activist_filing", "activist_filing", "committee_talk"]
    page = open_page(DESKTOP)
    sign_in(page, scene.township_username, "/")
    page.locator("#nav-tasks").click()
    page.wait_for_url("**/tasks/")
    cards = page.locator("section.card[id^=task-]")
    assert sorted(int(card_id.removeprefix("task-")) for card_id in cards.evaluate_all("els => els.map(e => e.id)")) == [
        task for task, _step in waiting
    ]
    shoot(page, "reviewer-1-inbox")

    recorded = []
    for _round in range(10):  # a step done may bring the next one of the same committee; the loop stops when none is left
        if cards.count() == 0:
            break
        card = cards.first
        task_id = int(card.get_attribute("id").removeprefix("task-"))
        for field, value in FIELDS.items():
            box = card.locator(f"#id_task-{task_id}-{field}")
            if box.count():
                box.fill(value)
        if not recorded:
            card.scroll_into_view_if_needed()
            shoot(page, "reviewer-2-step")
        card.locator("form[action$='/complete/'] button[type=submit]").click()
        page.wait_for_url("**/processes/*/")
        assert page.locator("ul.messages li.success").count() == 1
        if not recorded:
            shoot(page, "reviewer-3-recorded")
        recorded.append(task_id)
        page.locator("#nav-tasks").click()
        page.wait_for_url("**/tasks/")
    empty = page.locator("main p.muted").last.inner_text()
    shoot(page, "reviewer-4-empty")

    assert cards.count() == 0 and empty.strip()
    assert _waiting(scene) == []
    assert len(recorded) == 4  # the approval came after the committee's talk
    records = StepRecord.objects.filter(process_id__in=scene.township_processes, actor__username=scene.township_username)
    assert sorted(records.values_list("step", flat=True)) == [
        "activist_filing",
        "activist_filing",
        "admission_approval",
        "committee_talk",
    ]
