"""The member archive: each admission step files its record as it happens; nothing is ever deleted."""

import datetime

import pytest

from members.archive import entries_of, file_entry
from members.models import ArchiveEntry, ArchiveKind, ProtectedArchive

from .pipeline import APPLIED, fresh, happy_path, record, run_until, start


def test_each_step_files_its_record_into_the_archive_as_it_happens(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    application = entries_of(applicant).get()
    assert (application.kind, application.event_date, application.source_step) == ("application", APPLIED, "application")
    assert (application.source_process, application.filed_by) == (process.pk, actors.branch)

    path = run_until(process, actors, happy_path(members), "training")
    entries = list(entries_of(applicant))
    by_step = {entry.source_step: entry for entry in entries}
    assert [entry.source_step for entry in entries] == [
        "application", "talk", "activist_decision", "activist_filing", "mentors", "cultivation", "cultivation",
        "candidate_decision", "candidate_filing", "sponsors", "political_review",
    ]  # fmt: skip
    assert by_step["talk"].kind == ArchiveKind.TALK
    assert by_step["talk"].data == {"decision": "approve", "talker": "王书记"}
    assert by_step["talk"].filed_by == actors.branch
    assert by_step["activist_filing"].filed_by == actors.committee
    assert by_step["political_review"].kind == ArchiveKind.POLITICAL_REVIEW
    assert by_step["political_review"].data["conclusion"] == "政治审查合格"
    assert by_step["sponsors"].data["sponsors"] == [members[1].pk, members[2].pk]

    record(process, actors, path[0])
    training = entries_of(applicant).last()
    assert (training.kind, training.event_date, training.data["hours"]) == (ArchiveKind.TRAINING, path[0].date, 24)


def test_the_archive_keeps_the_vote_report_the_admission_form_and_the_conversion(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    for entry in happy_path(members):
        record(process, actors, entry)
    kinds = list(entries_of(fresh(process).person).values_list("source_step", "kind"))
    assert ("admission_form", ArchiveKind.ADMISSION_FORM) in kinds
    assert ("admission_vote", ArchiveKind.VOTE) in kinds
    assert ("conversion_application", ArchiveKind.CONVERSION_APPLICATION) in kinds
    assert ("conversion_approval", ArchiveKind.APPROVAL) in kinds
    assert kinds[-1] == ("archive", ArchiveKind.MATERIALS)
    vote = entries_of(applicant).get(source_step="admission_vote")
    assert vote.data["in_favour"] == 14


def test_a_rejection_is_filed_with_its_reason(tree, actors, applicant, members):
    process = start(actors, applicant, tree.branch)
    path = run_until(process, actors, happy_path(members), "talk")
    record(process, actors, path[0], decision="reject", data={"talker": "王书记", "reason": "年龄材料不实"})
    talk = entries_of(applicant).get(source_step="talk")
    assert (talk.data["decision"], talk.data["reason"]) == ("reject", "年龄材料不实")


def test_nothing_is_ever_deleted_from_the_archive(tree, actors, applicant):
    entry = file_entry(
        actor=actors.branch,
        person=applicant,
        kind=ArchiveKind.ASSESSMENT,
        title="年度考察",
        event_date=datetime.date(2024, 1, 5),
    )
    with pytest.raises(ProtectedArchive):
        entry.delete()
    with pytest.raises(ProtectedArchive):
        ArchiveEntry.objects.filter(person=applicant).delete()
    assert entries_of(applicant).count() == 1
