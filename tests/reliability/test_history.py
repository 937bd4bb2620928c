"""The history of decisions, votes, payments and archive reads: captured by triggers, append-only, chained."""

import datetime
import io
import itertools
import logging

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from history.chain import verify_chain
from history.models import (
    EVENT_MODELS,
    GENESIS_HASH,
    ArchiveEntryEvent,
    ChainHead,
    ChainVerification,
    PaymentEvent,
    StepRecordEvent,
)
from members.models import ArchiveEntry, ArchiveKind
from tests.conftest import in_county
from tests.factories import PersonFactory
from tests.workflows.conftest import days_ago
from workflows.models import StepRecord
from workflows.services.admission import start_admission
from workflows.services.tasks import complete_task


def admission_with_talk(secretary, applicant, branch):
    """An admission whose application and talk are recorded: two step records."""
    process = start_admission(actor=secretary, branch=branch, date=days_ago(20), person=applicant)
    talk = process.step_tasks.get(step="talk")
    complete_task(actor=secretary, step_task=talk, date=days_ago(10), data={"talker": "王书记"})
    return process


def chain() -> list[tuple[int, str, str]]:
    """The county's events in chain order: (sequence number, previous hash, hash)."""
    rows = []
    for model in EVENT_MODELS:
        rows += model.objects.values_list("pgh_chain_seq", "pgh_prev_hash", "pgh_hash")
    return sorted(rows)


def refused(sql: str, params=()) -> str:
    """Run a statement the database must refuse; the error's text."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    return str(refusal.value)


def test_a_recorded_step_is_in_the_history_with_the_actor(county_a, tree, secretary, applicant):
    process = admission_with_talk(secretary, applicant, tree.branch)

    talk = StepRecord.objects.get(process=process, step="talk")
    event = StepRecordEvent.objects.get(pgh_obj_id=talk.pk)
    assert event.pgh_label == "insert"
    assert (event.step, event.decision, event.data) == ("talk", "approve", {"talker": "王书记"})
    assert event.actor_id == secretary.pk
    assert event.pgh_context["user"] == secretary.pk


def test_queryset_update_is_captured(county_a, tree, secretary, applicant):
    process = admission_with_talk(secretary, applicant, tree.branch)

    StepRecord.objects.filter(process=process).update(comment="改写")

    updates = StepRecordEvent.objects.filter(pgh_label="update", process_id=process.pk)
    assert sorted(updates.values_list("step", "comment")) == [("application", "改写"), ("talk", "改写")]


def test_bulk_writes_are_captured(county_a):
    person = PersonFactory()
    entries = ArchiveEntry.objects.bulk_create(
        [
            ArchiveEntry(
                person=person, kind=ArchiveKind.TRAINING, title=f"培训记录 {n}", event_date=datetime.date(2025, 1, n)
            )
            for n in (1, 2, 3)
        ]
    )

    ArchiveEntry.objects.bulk_update(
        [ArchiveEntry(pk=entry.pk, title=f"{entry.title}（更正）") for entry in entries], ["title"]
    )

    events = ArchiveEntryEvent.objects.filter(person_id=person.pk)
    assert events.filter(pgh_label="insert").count() == 3
    assert sorted(events.filter(pgh_label="update").values_list("title", flat=True)) == [
        "培训记录 1（更正）",
        "培训记录 2（更正）",
        "培训记录 3（更正）",
    ]


def test_raw_sql_writes_are_captured(county_a, tree, secretary, applicant):
    process = admission_with_talk(secretary, applicant, tree.branch)
    talk = StepRecord.objects.get(process=process, step="talk")

    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_steprecord SET decision = 'reject' WHERE id = %s", [talk.pk])
        cursor.execute(
            "INSERT INTO workflows_steprecord (process_id, step, decision, event_date, comment, data, late, imported,"
            " recorded_at) VALUES (%s, 'talk', 'approve', %s, '', '{}', false, true, now()) RETURNING id",
            [process.pk, days_ago(5)],
        )
        inserted = cursor.fetchone()[0]
        cursor.execute("DELETE FROM workflows_steprecord WHERE id = %s", [inserted])

    assert StepRecordEvent.objects.get(pgh_obj_id=talk.pk, pgh_label="update").decision == "reject"
    assert list(
        StepRecordEvent.objects.filter(pgh_obj_id=inserted).values_list("pgh_label", flat=True).order_by("pgh_id")
    ) == [
        "insert",
        "delete",
    ]


def test_a_payment_is_in_the_history(county_a, admin_a):
    from tests.dues.factories import DuesBaseFactory, month, pay

    base = DuesBaseFactory()
    payment = pay(base.person, [month("2025-03")])

    event = PaymentEvent.objects.get(pgh_obj_id=payment.pk)
    assert (event.amount, event.paid_on, event.person_id) == (payment.amount, payment.paid_on, base.person_id)
    assert event.pgh_context["user"] == admin_a.pk


def test_events_cannot_be_rewritten_or_removed(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    event = StepRecordEvent.objects.filter(step="talk").get()

    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        StepRecordEvent.objects.filter(pk=event.pk).update(decision="reject")
    with pytest.raises(DatabaseError, match="Cannot update or delete"), transaction.atomic():
        StepRecordEvent.objects.filter(pk=event.pk).delete()
    assert "Cannot update or delete" in refused(
        "UPDATE history_steprecordevent SET decision = 'reject' WHERE pgh_id = %s", [event.pk]
    )
    assert "Cannot update or delete" in refused("DELETE FROM history_steprecordevent")
    assert "Cannot truncate" in refused("TRUNCATE history_steprecordevent")
    event.refresh_from_db()
    assert event.decision == "approve"


def test_the_checks_are_append_only_too(county_a):
    verify_chain()
    assert "Cannot update or delete" in refused("DELETE FROM history_chainverification")
    assert "Cannot update or delete" in refused("UPDATE history_chainverification SET ok = true")


def test_each_countys_events_form_one_chain_in_commit_order(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    PersonFactory()  # not audited: no event
    ArchiveEntry.objects.create(person=applicant, kind=ArchiveKind.TRAINING, title="培训", event_date=days_ago(3))

    links = chain()
    assert [seq for seq, _prev, _hash in links] == list(range(1, len(links) + 1))
    assert links[0][1] == GENESIS_HASH
    assert all(later[1] == earlier[2] for earlier, later in itertools.pairwise(links))
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (links[-1][0], links[-1][2])


def test_the_chain_of_one_county_does_not_move_another(county_a, tree, secretary, applicant, county_b):
    with in_county(county_a):
        admission_with_talk(secretary, applicant, tree.branch)
        alpha_head = ChainHead.objects.get().seq
    assert not ChainHead.objects.exists()  # beta
    with in_county(county_a):
        assert ChainHead.objects.get().seq == alpha_head


def test_an_intact_chain_verifies(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)

    result = verify_chain()

    assert result.ok
    assert result.through_seq == ChainHead.objects.get().seq
    assert result.reason == ""


def test_an_intact_chain_verifies_whatever_the_sessions_time_zone(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Asia/Shanghai'")

    assert verify_chain().ok


def test_a_tampered_event_is_detected(county_a, tree, secretary, applicant, caplog):
    admission_with_talk(secretary, applicant, tree.branch)
    talk = StepRecordEvent.objects.get(step="talk")
    # Only with the protection switched off (as a database owner could) can the row change.
    with pgtrigger.ignore("history.StepRecordEvent:append_only"):
        StepRecordEvent.objects.filter(pk=talk.pk).update(decision="reject")

    with caplog.at_level(logging.CRITICAL, logger="history.chain"):
        result = verify_chain()

    assert not result.ok
    assert (result.broken_at_seq, result.broken_table) == (talk.pgh_chain_seq, "history_steprecordevent")
    assert result.reason == "its content no longer matches its hash"
    assert result.through_seq == talk.pgh_chain_seq - 1
    assert any("broken at event" in record.getMessage() for record in caplog.records)


def test_a_removed_event_is_detected(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    first = StepRecordEvent.objects.get(step="application")
    with pgtrigger.ignore("history.StepRecordEvent:append_only"):
        StepRecordEvent.objects.filter(pk=first.pk).delete()

    result = verify_chain()

    assert not result.ok
    assert result.broken_at_seq == first.pgh_chain_seq
    assert result.reason == f"event #{first.pgh_chain_seq} is missing"


def test_a_rehashed_event_breaks_the_link_to_the_next(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    first = StepRecordEvent.objects.order_by("pgh_chain_seq").first()
    # A forger who rewrites a row and recomputes its hash still breaks the next event's link.
    with pgtrigger.ignore("history.StepRecordEvent:append_only"), connection.cursor() as cursor:
        cursor.execute("UPDATE history_steprecordevent SET comment = 'forged' WHERE pgh_id = %s", [first.pk])
        cursor.execute(
            "UPDATE history_steprecordevent e"
            " SET pgh_hash = history_event_digest(e.pgh_prev_hash, 'history_steprecordevent', e) WHERE pgh_id = %s",
            [first.pk],
        )

    result = verify_chain()

    assert not result.ok
    assert (result.broken_at_seq, result.reason) == (first.pgh_chain_seq + 1, "it does not follow the event before it")


def test_a_cut_off_tail_is_detected_by_an_earlier_check(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    assert verify_chain().ok
    last = max((event for model in EVENT_MODELS for event in model.objects.all()), key=lambda e: e.pgh_chain_seq)
    # Drop the newest event and wind the head back to the one before: the chain itself is consistent again.
    with pgtrigger.ignore(f"{last._meta.label}:append_only"):
        type(last).objects.filter(pk=last.pk).delete()
    ChainHead.objects.update(seq=last.pgh_chain_seq - 1, hash=last.pgh_prev_hash)

    result = verify_chain()

    assert not result.ok
    assert result.broken_at_seq == last.pgh_chain_seq
    assert result.reason == f"an earlier check saw the chain reach event #{last.pgh_chain_seq}"
    assert ChainVerification.objects.filter(ok=True).count() == 1


def test_the_operators_command_reports_each_county_and_fails_on_a_break(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    out = io.StringIO()
    call_command("verify_history", "--county", "alpha", stdout=out)
    assert out.getvalue().startswith(f"alpha: intact through event #{ChainHead.objects.get().seq}")

    with pgtrigger.ignore("history.StepRecordEvent:append_only"):
        StepRecordEvent.objects.filter(step="talk").update(comment="改")
    with pytest.raises(CommandError, match="History chain broken in: alpha"):
        call_command("verify_history", "--county", "alpha", stdout=io.StringIO())


def test_the_chain_is_checked_every_night_in_every_county():
    from config.celery import app

    app.loader.import_default_modules()  # what a worker and beat do at start: find every app's tasks
    entry = app.conf.beat_schedule["history-chain-check"]
    assert (entry["task"], entry["args"]) == ("config.run_in_every_county", ("history.tasks.verify_chain",))
    assert "history.tasks.verify_chain" in app.tasks
