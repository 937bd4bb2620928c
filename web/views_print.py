"""Printable forms for the paper records counties still keep (A4, print CSS): a person's admission
registration form, a meeting record with its attendance. (The dues collection sheet prints from views_dues.)
Each reads through the same scope as the page it is printed from."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from members.disclosure import shown_id_number
from members.models import Person
from members.selectors import people_visible_to
from orgs.life.models import AttendanceStatus
from orgs.life.selectors import meetings_visible_to
from workflows import selectors
from workflows.models import AdmissionRecord

VOTE_STEPS = ("admission_vote", "conversion_vote")
PEOPLE_FIELDS = ("mentors", "sponsors")


def _names(ids) -> list[str]:
    wanted = [value for value in (ids or []) if str(value).isdigit()]
    names = dict(Person.objects.filter(pk__in=wanted).values_list("pk", "name"))
    return [names.get(int(value), str(value)) for value in wanted]


def admission_form_context(user, person: Person) -> dict:
    """The admission record of a person as the paper form (入党志愿书) summarises it: the dates of each stage,
    mentors and sponsors (introducers), the votes, and every step recorded with its date."""
    record = AdmissionRecord.objects.filter(person=person).select_related("process", "process__org").order_by("-applied_on", "-id").first()
    context: dict = {"person": person, "id_number": shown_id_number(user, person), "admission": record}
    if record is None:
        return context
    process = record.process
    history = list(selectors.history(process))
    people: dict[str, list[str]] = {}
    votes = []
    for entry in history:
        for field in PEOPLE_FIELDS:
            if entry.data.get(field):
                people[field] = _names(entry.data[field])
        if entry.step in VOTE_STEPS and entry.data:
            votes.append({"title": selectors.step_title(process, entry.step), "date": entry.event_date, "data": entry.data})
    context.update(
        process=process,
        mentors=people.get("mentors", []),
        sponsors=people.get("sponsors", []),
        votes=votes,
        steps=[
            {"record": entry, "title": selectors.step_title(process, entry.step), "decision": selectors.decision_label(entry.decision)}
            for entry in history
        ],
    )
    return context


@login_required
def admission_form(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(people_visible_to(request.user), pk=pk)
    return render(request, "print/admission_form.html", admission_form_context(request.user, person))


@login_required
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(meetings_visible_to(request.user).select_related("recorded_by"), pk=pk)
    attendance = list(meeting.attendance.select_related("person").order_by("person__name"))
    counts = {status: sum(1 for row in attendance if row.status == status) for status in AttendanceStatus.values}
    context = {"meeting": meeting, "attendance": attendance, "counts": counts, "statuses": AttendanceStatus}
    return render(request, "print/meeting.html", context)
