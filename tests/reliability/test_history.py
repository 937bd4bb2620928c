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
    ChainLink,
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


def commit_point() -> None:
    """Run now what the commit runs before it ends: the deferred triggers that link events into the chain.

    Tests end in a rollback, never a commit; from here on each statement's events are linked at once.
    """
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def link_of(event) -> ChainLink:
    return ChainLink.objects.get(event_table=event._meta.db_table, event_id=event.pk)


def last_event():
    return max((event for model in EVENT_MODELS for event in model.objects.all()), key=lambda e: link_of(e).seq)


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
    commit_point()
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


def test_the_checks_and_the_links_are_append_only_too(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    verify_chain()
    assert "Cannot update or delete" in refused("DELETE FROM history_chainverification")
    assert "Cannot update or delete" in refused("UPDATE history_chainverification SET ok = true")
    assert "Cannot update or delete" in refused("UPDATE history_chainlink SET hash = prev_hash")
    assert "Cannot update or delete" in refused("DELETE FROM history_chainlink")
    assert "Cannot truncate" in refused("TRUNCATE history_chainlink")


def test_events_are_linked_into_one_chain_per_county_when_their_transaction_commits(
    county_a, tree, secretary, applicant
):
    admission_with_talk(secretary, applicant, tree.branch)
    PersonFactory()  # not audited: no event
    ArchiveEntry.objects.create(person=applicant, kind=ArchiveKind.TRAINING, title="培训", event_date=days_ago(3))
    events = [event for model in EVENT_MODELS for event in model.objects.all()]
    assert not ChainLink.objects.exists()  # not committed yet

    commit_point()

    links = list(ChainLink.objects.values_list("seq", "event_table", "event_id", "prev_hash", "hash"))
    assert sorted((table, event_id) for _seq, table, event_id, _prev, _hash in links) == sorted(
        (event._meta.db_table, event.pk) for event in events
    )
    assert [link[0] for link in links] == list(range(1, len(events) + 1))
    assert links[0][3] == GENESIS_HASH
    assert all(later[3] == earlier[4] for earlier, later in itertools.pairwise(links))
    head = ChainHead.objects.get()
    assert (head.seq, head.hash) == (links[-1][0], links[-1][4])


def test_the_chain_of_one_county_does_not_move_another(county_a, tree, secretary, applicant, county_b):
    with in_county(county_a):
        admission_with_talk(secretary, applicant, tree.branch)
        commit_point()
        alpha_head = ChainHead.objects.get().seq
    assert not ChainHead.objects.exists()  # beta
    assert not ChainLink.objects.exists()
    with in_county(county_a):
        assert ChainHead.objects.get().seq == alpha_head


def test_an_intact_chain_verifies(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()

    result = verify_chain()

    assert result.ok
    assert result.through_seq == ChainHead.objects.get().seq
    assert result.reason == ""


def test_an_intact_chain_verifies_whatever_the_sessions_time_zone(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL TIME ZONE 'Asia/Shanghai'")

    assert verify_chain().ok


def test_a_raw_insert_of_an_event_is_chained_like_any_other(county_a, tree, secretary, applicant):
    process = admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO history_steprecordevent (pgh_created_at, pgh_label, pgh_obj_id, id, process_id, step,"
            " decision, event_date, comment, data, late, imported, recorded_at)"
            " VALUES (now(), 'insert', 0, 0, %s, 'talk', 'approve', %s, '', '{}', false, false, now()) RETURNING pgh_id",
            [process.pk, days_ago(1)],
        )
        forged = cursor.fetchone()[0]

    assert (
        ChainLink.objects.get(event_table="history_steprecordevent", event_id=forged).seq == ChainHead.objects.get().seq
    )
    assert verify_chain().ok  # in the chain for good: it can no longer be removed unnoticed


def test_a_tampered_event_is_detected(county_a, tree, secretary, applicant, caplog):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    talk = StepRecordEvent.objects.get(step="talk")
    # Only with the protection switched off (as a database owner could) can the row change.
    with pgtrigger.ignore("history.StepRecordEvent:append_only"):
        StepRecordEvent.objects.filter(pk=talk.pk).update(decision="reject")

    with caplog.at_level(logging.CRITICAL, logger="history.chain"):
        result = verify_chain()

    seq = link_of(talk).seq
    assert not result.ok
    assert (result.broken_at_seq, result.broken_table) == (seq, "history_steprecordevent")
    assert result.reason == "its content no longer matches its hash"
    assert result.through_seq == seq - 1
    assert any("broken at link" in record.getMessage() for record in caplog.records)


def test_a_removed_event_is_detected(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    first = StepRecordEvent.objects.get(step="application")
    with pgtrigger.ignore("history.StepRecordEvent:append_only"):
        StepRecordEvent.objects.filter(pk=first.pk).delete()

    result = verify_chain()

    assert not result.ok
    assert (result.broken_at_seq, result.reason) == (link_of(first).seq, "its event is missing")


def test_a_removed_link_is_detected(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    with pgtrigger.ignore("history.ChainLink:append_only"):
        ChainLink.objects.filter(seq=2).delete()

    result = verify_chain()

    assert not result.ok
    assert (result.broken_at_seq, result.reason) == (2, "link #2 is missing")


def test_a_rehashed_event_breaks_the_link_to_the_next(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    first = StepRecordEvent.objects.get(step="application")
    seq = link_of(first).seq
    # A forger who rewrites a row and recomputes its link's hash still breaks the next link.
    with (
        pgtrigger.ignore("history.StepRecordEvent:append_only", "history.ChainLink:append_only"),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE history_steprecordevent SET comment = 'forged' WHERE pgh_id = %s", [first.pk])
        cursor.execute(
            "UPDATE history_chainlink l SET hash = history_event_digest(l.prev_hash, l.event_table, e)"
            " FROM history_steprecordevent e WHERE l.seq = %s AND e.pgh_id = l.event_id",
            [seq],
        )

    result = verify_chain()

    assert not result.ok
    assert (result.broken_at_seq, result.reason) == (seq + 1, "it does not follow the event before it")


def test_a_cut_off_tail_is_detected_by_an_earlier_check(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    assert verify_chain().ok
    last = last_event()
    link = link_of(last)
    # Drop the newest event and its link, wind the head back: the chain itself is consistent again.
    with pgtrigger.ignore(f"{last._meta.label}:append_only", "history.ChainLink:append_only"):
        type(last).objects.filter(pk=last.pk).delete()
        ChainLink.objects.filter(seq=link.seq).delete()
    ChainHead.objects.update(seq=link.seq - 1, hash=link.prev_hash)

    result = verify_chain()

    assert not result.ok
    assert result.broken_at_seq == link.seq
    assert result.reason == f"an earlier check saw the chain reach link #{link.seq}"
    assert ChainVerification.objects.filter(ok=True).count() == 1


def test_an_event_written_with_the_chain_switched_off_is_detected(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    with pgtrigger.ignore("history.StepRecordEvent:chain"):
        StepRecord.objects.filter(step="talk").update(comment="悄悄改")
    quiet = StepRecordEvent.objects.get(pgh_label="update")

    result = verify_chain()

    assert not result.ok
    assert (result.broken_table, result.reason) == ("history_steprecordevent", f"event {quiet.pk} is not in the chain")


def test_the_operators_command_reports_each_county_and_fails_on_a_break(county_a, tree, secretary, applicant):
    admission_with_talk(secretary, applicant, tree.branch)
    commit_point()
    out = io.StringIO()
    call_command("verify_history", "--county", "alpha", stdout=out)
    assert out.getvalue().startswith(f"alpha: intact through link #{ChainHead.objects.get().seq}")

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
