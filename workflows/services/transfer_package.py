"""What travels with a transfer between counties, and how the receiving county unpacks it.

The letter's payload carries the person's record, the admission under way (its dates, its history and
the step at which it continues), and the member archive sealed: every entry with its document, a
written hand-over list, and a digest over both that the receiver checks before it files anything
(DOMAIN.md §5, §9). Nothing in it points into the sender's schema.
"""

import base64
import datetime
import hashlib
import json
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from core.exceptions import RuleViolation
from members import archive, stages
from members.models import ArchiveEntry, ArchiveKind, Person, Stage, Status
from members.services import create_person, update_person
from members.statuses import set_status
from orgs.models import Organization

from .. import transfer_rules as rule
from ..flows.admission import AdmissionFlow
from ..models import AdmissionRecord, StepRecord, Transfer, WorkflowProcess
from .tasks import track_open_tasks

PERSON_FIELDS = ("name", "id_number", "phone", "category", "education", "stage")
ADMISSION_DATES = (
    "applied_on",
    "activist_since",
    "cultivation_since",
    "candidate_since",
    "vote_date",
    "probation_start",
    "probation_end",
)
ADMISSION_NUMBERS = ("prior_activist_days", "extended_months", "prior_probation_assessments")


def _day(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# --- Packing (the sending county) --------------------------------------------------------------------


def person_package(person: Person) -> dict[str, Any]:
    return {
        **{name: getattr(person, name) for name in PERSON_FIELDS},
        "party_standing_since": _day(person.party_standing_since),
    }


def admission_package(person: Person) -> dict[str, Any] | None:
    """The admission under way: its dates, its recorded steps, and the step the receiver continues at."""
    admission = rule.open_admission(person)
    if admission is None:
        return None
    history = StepRecord.objects.filter(process_id=admission.process_id).order_by("event_date", "recorded_at", "id")
    return {
        **{name: _day(getattr(admission, name)) for name in ADMISSION_DATES},
        **{name: getattr(admission, name) for name in ADMISSION_NUMBERS},
        "rule_version": admission.rule_version,
        "resume_at": rule.resume_step(admission),
        "history": [
            {
                "step": record.step,
                "decision": record.decision,
                "event_date": _day(record.event_date),
                "comment": record.comment,
                "data": record.data,
                "late": record.late,
            }
            for record in history
        ],
    }


def _document(entry: ArchiveEntry) -> dict[str, str] | None:
    if not entry.document:
        return None
    with entry.document.open("rb") as stored:
        content = stored.read()
    return {
        "name": entry.document.name.rsplit("/", 1)[-1],
        "sha256": hashlib.sha256(content).hexdigest(),
        "content": base64.b64encode(content).decode("ascii"),
    }


def _digest(entries: list[dict[str, Any]], handover_list: list[dict[str, Any]]) -> str:
    """The seal: a digest over the entries and the hand-over list (documents by their own digest)."""
    sealed = [{**entry, "document": (entry["document"] or {}).get("sha256")} for entry in entries]
    text = json.dumps({"entries": sealed, "handover_list": handover_list}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed_archive(person: Person, on: datetime.date) -> dict[str, Any]:
    """The member archive as it leaves: every entry (never a pointer), the hand-over list, and the seal."""
    entries = [
        {
            "kind": entry.kind,
            "title": entry.title,
            "event_date": _day(entry.event_date),
            "data": entry.data,
            "source_step": entry.source_step,
            "document": _document(entry),
        }
        for entry in ArchiveEntry.objects.filter(person=person).order_by("event_date", "filed_at", "id")
    ]
    handover_list = [
        {"no": number, "title": entry["title"], "event_date": entry["event_date"], "document": bool(entry["document"])}
        for number, entry in enumerate(entries, start=1)
    ]
    return {
        "sealed_on": _day(on),
        "entries": entries,
        "handover_list": handover_list,
        "digest": _digest(entries, handover_list),
    }


def letter_payload(transfer: Transfer, person: Person) -> dict[str, Any]:
    return {
        "letter": {
            "letter_number": transfer.letter_number,
            "issued_on": _day(transfer.issued_on),
            "valid_until": _day(transfer.valid_until),
            "reason": transfer.reason,
            "from_org_name": transfer.from_org.name,
            "to_org_name": transfer.to_org_name,
        },
        "person": person_package(person),
        "admission": admission_package(person),
        "archive": sealed_archive(person, transfer.issued_on),
    }


# --- Unpacking (the receiving county) ----------------------------------------------------------------


def check_seal(sealed: dict[str, Any]) -> None:
    """The archive arrives as it was sealed: the digest and every document's own digest still match."""
    entries, handover_list = sealed.get("entries", []), sealed.get("handover_list", [])
    broken = _digest(entries, handover_list) != sealed.get("digest")
    for entry in entries:
        document = entry["document"]
        if document and hashlib.sha256(base64.b64decode(document["content"])).hexdigest() != document["sha256"]:
            broken = True
    if broken:
        raise RuleViolation(
            _("The archive's seal is broken: return the letter and ask the sending county to send it again."),
            field="data.org",
        )


def _catch_up_stage(
    actor, person: Person, stage: str, party_standing_since: datetime.date | None, on: datetime.date
) -> Person:
    """An earlier record of the person moves on to the letter's stage; full membership from its own day."""
    order = stages.ORDER
    if order.index(person.stage) > order.index(stage):
        raise RuleViolation(
            _("This county's earlier record of the person is further on (%(stage)s) than the letter's.")
            % {"stage": Stage(person.stage).label},
            field="data.org",
        )
    while person.stage != stage:
        to = stages.next_stage(person.stage)
        day = party_standing_since if to == Stage.FULL and party_standing_since else on
        person = stages.advance_stage(actor=actor, person=person, to=to, on=day)
    return person


def person_in_receiver(actor, sent: dict[str, Any], branch: Organization, on: datetime.date) -> Person:
    """The person on this county's active roll: a new record, or the record of one who once transferred out."""
    party_standing_since = _date(sent.get("party_standing_since"))
    existing = Person.objects.filter(id_number=sent["id_number"]).first()
    if existing is None:
        return create_person(
            actor=actor,
            org=branch,
            party_standing_since=party_standing_since,
            **{name: sent[name] for name in PERSON_FIELDS},
        )
    if existing.status != Status.TRANSFERRED_OUT:
        raise RuleViolation(
            _("A person with this ID number is already on this county's roll: return the letter with the reason."),
            field="data.org",
        )
    person = update_person(actor=actor, person=existing, org=branch, name=sent["name"], phone=sent["phone"])
    person = _catch_up_stage(actor, person, sent["stage"], party_standing_since, on)
    return set_status(actor=actor, person=person, status=Status.ACTIVE, on=on, reason=_("Transferred in"))


def continue_admission(actor, person: Person, branch: Organization, sent: dict[str, Any]) -> WorkflowProcess:
    """The admission continues here at the step the sender had reached, its history imported."""
    process = AdmissionFlow.imported.run(person=person, branch=branch, actor=actor, resume_at=sent["resume_at"])
    AdmissionRecord.objects.create(
        process=process,
        person=person,
        **{name: _date(sent[name]) for name in ADMISSION_DATES},
        **{name: sent[name] for name in ADMISSION_NUMBERS},
        rule_version=sent["rule_version"],
        imported=True,
    )
    StepRecord.objects.bulk_create(
        StepRecord(
            process=process,
            step=record["step"],
            decision=record["decision"],
            event_date=_date(record["event_date"]),
            comment=record["comment"],
            data=record["data"],
            late=record["late"],
            imported=True,
        )
        for record in sent["history"]
    )
    track_open_tasks(process)
    return process


def file_archive(actor, person: Person, sealed: dict[str, Any], transfer: Transfer, on: datetime.date) -> int:
    """File the arriving archive entry by entry, then its hand-over list; answers the number of entries."""
    for entry in sealed["entries"]:
        document = entry["document"]
        archive.file_entry(
            actor=actor,
            person=person,
            kind=entry["kind"],
            title=entry["title"],
            event_date=_date(entry["event_date"]),
            data=entry["data"],
            source_step=entry["source_step"],
            imported=True,
            document=ContentFile(base64.b64decode(document["content"]), name=document["name"]) if document else None,
        )
    archive.file_entry(
        actor=actor,
        person=person,
        kind=ArchiveKind.MATERIALS,
        title=_("Archive received with the transfer: hand-over list"),
        event_date=on,
        data={
            "letter_number": transfer.letter_number,
            "from": f"{transfer.from_county_name} {transfer.from_org_name}",
            "sealed_on": sealed["sealed_on"],
            "digest": sealed["digest"],
            "handover_list": sealed["handover_list"],
        },
        source_process=transfer.pk,
        source_step="letter_acceptance",
    )
    return len(sealed["entries"])
