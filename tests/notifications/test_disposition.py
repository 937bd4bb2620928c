"""A disposition decision is a decision on the member's own case: the member is told (issue 9)."""

from notifications.models import Kind, Notice
from tests.disposition.conftest import tree  # noqa: F401  (the disposition tree, with a member who signs in)
from tests.disposition.pipeline import run_case
from workflows.engine import Step
from workflows.models import StepRecord


def test_a_disposition_decision_tells_the_member(tree):  # noqa: F811
    process = run_case(tree, tree.member, "rectification", through="approval")

    approval = StepRecord.objects.get(process=process, step="approval")
    told = {notice.key: notice for notice in Notice.objects.filter(recipient=tree.member.user, kind=Kind.DECISION)}
    assert f"decision:{approval.pk}" in told
    assert told[f"decision:{approval.pk}"].link == f"/dispositions/{process.pk}/"
    # Only the steps that chose between decisions are told; the investigation records facts.
    choices = {
        record.pk
        for record in StepRecord.objects.filter(process=process).select_related("task")
        if isinstance(record.task.flow_task, Step) and len(record.task.flow_task.decisions) > 1
    }
    assert set(told) == {f"decision:{pk}" for pk in choices}
    assert not Notice.objects.filter(kind=Kind.DECISION).exclude(recipient=tree.member.user).exists()


def test_the_member_follows_the_notice_to_their_case(tree):  # noqa: F811
    from django.test import Client

    process = run_case(tree, tree.member, "rectification", through="approval")
    notice = Notice.objects.filter(recipient=tree.member.user, kind=Kind.DECISION).first()
    client = Client(HTTP_HOST=f"{tree.county.slug}.localhost")
    client.force_login(tree.member.user)
    followed = client.post(f"/me/notifications/{notice.pk}/read/", {"follow": "1"})
    assert followed["Location"] == f"/dispositions/{process.pk}/"
    assert client.get(followed["Location"]).status_code == 200
