"""A step's record reads on the timeline under its fields' labels, with choices and people by name."""

from django.utils import translation

from tests.factories import PersonFactory
from tests.workflows.conftest import days_ago
from tests.workflows.test_pages import PageClient
from workflows.selectors import record_lines
from workflows.services.admission import start_admission
from workflows.services.tasks import complete_task


def _record(process, step: str, actor, days: int, data: dict):
    task = process.step_tasks.get(step=step, task__status="NEW")
    complete_task(actor=actor, step_task=task, date=days_ago(days), data=data)
    return process.records.get(step=step)


def test_a_step_record_reads_under_its_field_labels(county_a, tree, secretary, reviewer, applicant):
    process = start_admission(actor=secretary, branch=tree.branch, date=days_ago(40), person=applicant)
    talk = _record(process, "talk", secretary, 30, {"talker": "王书记"})
    decision = _record(process, "activist_decision", secretary, 20, {"recommended_by": ["members", "league"]})
    _record(process, "activist_filing", reviewer, 15, {})
    mentor = PersonFactory(name="李导师", org=tree.branch)
    mentors = _record(process, "mentors", secretary, 10, {"mentors": [mentor.pk]})

    with translation.override("en"):
        assert record_lines(talk) == [("Who held the talk", "王书记")]
        assert record_lines(decision) == [("Recommended by", "Party members、The Youth League")]
        assert record_lines(mentors) == [("Mentors (1 or 2 full members)", "李导师")]
        page = PageClient(county_a, secretary).get(f"/processes/{process.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Who held the talk: 王书记" in html
    assert "talker:" not in html
