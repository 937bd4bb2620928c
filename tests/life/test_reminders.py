"""Reminders before a branch falls behind, and political birthday greetings; run daily per county by beat."""

from django.db import connection

from orgs import tasks
from orgs.life.models import Reminder
from orgs.life.reminders import create_reminders
from orgs.models import CountySetting
from tests.factories import UserFactory

from .conftest import D, meeting


def _reminded(org) -> set[str]:
    return set(Reminder.objects.filter(org=org).values_list("kind", flat=True))


def test_a_branch_is_reminded_of_the_meetings_still_owed_as_their_period_ends(life):
    meeting(life, life.b1, "committee_meeting", D(2025, 3, 4))
    meeting(life, life.b1, "themed_day", D(2025, 3, 8))
    create_reminders(on=D(2025, 3, 26))
    assert _reminded(life.b1) == {"general_meeting", "lecture"}
    assert _reminded(life.g1) == {"group_meeting"}
    assert _reminded(life.b2) == {"general_meeting", "lecture", "themed_day"}
    lecture = Reminder.objects.get(org=life.b1, kind="lecture")
    assert (lecture.period_start, lecture.due_on) == (D(2025, 1, 1), D(2025, 3, 31))


def test_nothing_is_reminded_while_the_period_has_time_left(life):
    create_reminders(on=D(2025, 3, 10))
    assert not Reminder.objects.exists()


def test_the_themed_day_is_reminded_ahead_of_the_countys_fixed_day(life):
    CountySetting.objects.create(key="org_life.themed_day_of_month", value=9, effective_from=D(2025, 1, 1))
    create_reminders(on=D(2025, 4, 3))
    reminder = Reminder.objects.get(org=life.b1, kind="themed_day")
    assert reminder.due_on == D(2025, 4, 9)
    assert _reminded(life.b1) == {"themed_day"}


def test_reminders_are_written_once(life):
    assert create_reminders(on=D(2025, 3, 26)) > 0
    count = Reminder.objects.count()
    assert create_reminders(on=D(2025, 3, 26)) == 0
    assert create_reminders(on=D(2025, 3, 27)) == 0
    assert Reminder.objects.count() == count


def test_a_political_birthday_reminds_the_branch_and_greets_the_member(life, client_for):
    member = life.g1_members[0]
    member.party_standing_since = D(2010, 4, 5)
    member.user = UserFactory()
    member.save()
    create_reminders(on=D(2025, 4, 1))
    greeting = Reminder.objects.get(kind="political_birthday")
    assert (greeting.org, greeting.person, greeting.due_on) == (life.b1, member, D(2025, 4, 5))
    secretary_sees = client_for(life.secretary).get("/api/life-reminders/", {"kind": "political_birthday"}).json()
    assert [row["person"] for row in secretary_sees["results"]] == [member.pk]
    member_sees = client_for(member.user).get("/api/life-reminders/").json()
    assert [row["kind"] for row in member_sees["results"]] == ["political_birthday"]
    assert (
        client_for(life.secretary_b2).get("/api/life-reminders/", {"kind": "political_birthday"}).json()["count"] == 0
    )


def test_the_daily_task_runs_in_the_county_that_sent_it_and_is_idempotent(life):
    first = tasks.remind_org_life.apply().get()
    assert first["county"] == connection.schema_name == life.county.schema_name
    assert tasks.remind_org_life.apply().get()["reminders"] == 0
