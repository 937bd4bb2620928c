"""A branch secretary: records a branch general meeting with its attendance, then the talk with a new applicant.

The pictures go to the user guide (docs/guide/secretary.md) as secretary-*.png.
"""

import pytest

from .conftest import DESKTOP, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_secretary_records_a_meeting_and_completes_a_step(open_page, scene, county):
    from core.dates import today
    from orgs.life.models import Meeting
    from orgs.life.selectors import attendee_candidates
    from orgs.models import Organization
    from workflows.models import StepRecord, StepTask

    branch = Organization.objects.get(pk=scene.branch)
    attendees = list(attendee_candidates(branch).order_by("id"))
    excused, present = attendees[0], attendees[1:]
    talk = StepTask.objects.get(process_id=scene.talk_process, step="talk", task__status="NEW")
    meetings_before = Meeting.objects.filter(org=branch).count()
    page = open_page(DESKTOP)

    # 1. Record a meeting: kind, date, topic, minutes, and one radio per member on the roll.
    sign_in(page, scene.secretary_username, "/life/meetings/new/")
    assert page.locator("table.grid tbody tr").count() == len(attendees)
    page.select_option("#kind", "general_meeting")
    page.fill("#date", today().isoformat())
    page.fill("#topic", "学习贯彻党的二十届三中全会精神")
    page.fill("#minutes", "传达学习会议精神，讨论本支部下半年工作安排。")
    for person in present:
        page.check(f"input[name=status_{person.pk}][value=present]")
    page.check(f"input[name=status_{excused.pk}][value=excused]")
    page.fill(f"input[name=reason_{excused.pk}]", "外出务工")
    shoot(page, "secretary-1-meeting")
    page.locator("main form[method=post] button[type=submit]").click()

    # 2. The compliance calendar of the branch, where the meeting now counts.
    page.wait_for_url(f"**/life/compliance/?org={branch.pk}&year={today().year}")
    assert page.locator("ul.messages li.success").count() == 1
    shoot(page, "secretary-2-calendar")

    meeting = Meeting.objects.filter(org=branch).latest("id")
    assert Meeting.objects.filter(org=branch).count() == meetings_before + 1
    assert meeting.kind == "general_meeting" and meeting.date == today()
    statuses = dict(meeting.attendance.values_list("person_id", "status"))
    assert statuses == {excused.pk: "excused"} | {person.pk: "present" for person in present}

    # 3. The inbox, one click from any page: the talk with the applicant, recorded with who held it.
    page.locator("#nav-tasks").click()
    page.wait_for_url("**/tasks/")
    card = page.locator(f"#task-{talk.task_id}")
    card.wait_for()
    card.locator(f"#id_task-{talk.task_id}-data_talker").fill("王书记")
    card.scroll_into_view_if_needed()
    shoot(page, "secretary-3-inbox")
    card.locator("form[action$='/complete/'] button[type=submit]").click()
    page.wait_for_url(f"**/processes/{scene.talk_process}/")
    recorded = page.locator("ol.timeline > li").count()
    shoot(page, "secretary-4-recorded")

    assert recorded == 2  # the application and the talk
    record = StepRecord.objects.select_related("actor").get(process_id=scene.talk_process, step="talk")
    assert record.actor.username == scene.secretary_username
    assert record.data["talker"] == "王书记"
    assert StepTask.objects.filter(process_id=scene.talk_process, step="activist_decision", task__status="NEW").exists()
