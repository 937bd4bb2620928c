"""11,000 open admissions: prototypes driven by the real services, cloned in SQL.

For each step a process may wait at (the `STOPS` below), one person of the pipeline is taken to it
through `start_admission` and `complete_task`, with event dates laid out like a real path ending
ten days ago. Every other person of the pipeline gets a copy of the prototype of a stop of their
stage: the process, its tasks (with viewflow's links between them), the step tasks, the records,
the admission record and the archive entries, with the person, the branch, the approving committee
and their role holders swapped for the copy's own, and every date moved back by a few days to a few
months, so that some tasks are overdue as in a real county.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from members.models import Person, Stage
from orgs.models import Organization, Role, RoleAssignment
from workflows.models import StepTask
from workflows.rules import is_official_workday
from workflows.services.admission import start_admission
from workflows.services.tasks import complete_task

from .generate import SEED, Tree, fast_session, timed

D = datetime.timedelta


@dataclass(frozen=True)
class Entry:
    step: str
    day: int  # days after the application
    decision: str | None = None
    data: dict | None = None


def vote(in_favour: int = 14) -> dict:
    return {"eligible": 20, "present": 16, "in_favour": in_favour, "against": 16 - in_favour, "abstain": 0}


# The path of tests/admission/pipeline.py, as days after the written application.
PATH = [
    Entry("talk", 14, data={"talker": "支部书记"}),
    Entry("activist_decision", 40, data={"recommended_by": ["members", "league"]}),
    Entry("activist_filing", 50),
    Entry("mentors", 55, data={"mentors": "mentor"}),
    Entry("cultivation", 222, "continue", {"assessment": "表现良好"}),
    Entry("cultivation", 404, "propose", {"assessment": "基本具备党员条件"}),
    Entry("candidate_decision", 411),
    Entry("candidate_filing", 421),
    Entry("sponsors", 432, data={"sponsors": "sponsors"}),
    Entry("political_review", 446, data={"conclusion": "政治审查合格"}),
    Entry("training", 460, data={"hours": 24, "days": 3, "passed": True}),
    Entry("branch_review", 471),
    Entry("public_notice", 480, data={"notice": True}),
    Entry("pre_review", 490),
    Entry("admission_form", 497),
    Entry("admission_vote", 504, data=vote()),
    Entry("committee_talk", 525, data={"talker": "组织员"}),
    Entry("admission_approval", 553),
    Entry("county_filing", 561),
    Entry("join_branch", 563, data={"group": ""}),
    Entry("oath", 571),
    Entry("probation_assessment", 595, data={"assessment": "合格"}),
    Entry("probation_assessment", 686, data={"assessment": "合格"}),
    Entry("probation_assessment", 777, data={"assessment": "合格"}),
    Entry("probation_assessment", 868, data={"assessment": "合格"}),
    Entry("conversion_application", 870),
]

# Where processes wait: (the number of path entries recorded, the stage the person then has, weight).
STOPS = [
    (0, Stage.APPLICANT, 5), (1, Stage.APPLICANT, 3),
    (2, Stage.ACTIVIST, 1), (3, Stage.ACTIVIST, 1), (4, Stage.ACTIVIST, 6), (5, Stage.ACTIVIST, 5),
    (6, Stage.ACTIVIST, 1),
    (7, Stage.CANDIDATE, 1), (8, Stage.CANDIDATE, 1), (9, Stage.CANDIDATE, 1), (10, Stage.CANDIDATE, 1),
    (11, Stage.CANDIDATE, 1), (12, Stage.CANDIDATE, 1), (13, Stage.CANDIDATE, 1), (14, Stage.CANDIDATE, 1),
    (15, Stage.CANDIDATE, 1), (16, Stage.CANDIDATE, 1), (17, Stage.CANDIDATE, 1),
    (18, Stage.PROBATIONARY, 1), (19, Stage.PROBATIONARY, 1), (20, Stage.PROBATIONARY, 1),
    (21, Stage.PROBATIONARY, 3), (22, Stage.PROBATIONARY, 3), (23, Stage.PROBATIONARY, 3),
    (24, Stage.PROBATIONARY, 3), (25, Stage.PROBATIONARY, 1), (26, Stage.PROBATIONARY, 2),
]  # fmt: skip


def _workday(day: datetime.date) -> bool:
    official = is_official_workday(day)
    return day.weekday() < 5 if official is None else official


def _notice(after: datetime.date) -> tuple[dict, datetime.date]:
    """Five working days from the first working day after the branch review; the record and its date."""
    start = after + D(days=1)
    while not _workday(start):
        start += D(days=1)
    end, days = start, 1
    while days < 5:
        end += D(days=1)
        days += _workday(end)
    return {"start": start.isoformat(), "end": end.isoformat(), "objections": []}, end


@dataclass
class Actors:
    branch: object
    committee: object
    county: object


def _data(entry: Entry, near: list[int]) -> dict:
    data = dict(entry.data or {})
    if data.get("mentors") == "mentor":
        data["mentors"] = near[:1]
    if data.get("sponsors") == "sponsors":
        data["sponsors"] = near[1:3]
    return data


def drive(person: Person, branch: Organization, actors: Actors, recorded: int, on: datetime.date, near: list[int]) -> int:
    """Start the person's admission and record the first `recorded` steps of the path; the process id."""
    last = PATH[recorded - 1].day if recorded else 0
    applied = on - D(days=10 + last)
    process = start_admission(actor=actors.branch, branch=branch, date=applied, person=person)
    previous = applied
    for entry in PATH[:recorded]:
        day, data = applied + D(days=entry.day), _data(entry, near)
        if data.pop("notice", False):
            data, end = _notice(previous)
            day = max(day, end)
        task = StepTask.objects.get(process=process, step=entry.step, task__status__in=("NEW", "ASSIGNED", "STARTED"))
        actor = actors.branch if task.actor in ("branch", "applicant") else getattr(actors, task.actor)
        complete_task(actor=actor, step_task=task, decision=entry.decision, date=day, data=data, comment="按期办理")
        previous = day
    return process.pk


def _acting_committee(tree_orgs: dict[int, tuple[str, str, bool]], branch: int, root: int) -> int:
    """The nearest committee with approval authority above the branch, else the county (workflows.engine)."""
    path = tree_orgs[branch][0]
    for org in reversed([int(part) for part in path.strip("/").split("/") if part]):
        _path, kind, authority = tree_orgs[org]
        if kind == "committee" and authority:
            return org
    return root


def _holders(role: str) -> dict[int, int]:
    return dict(RoleAssignment.objects.filter(role=role).order_by("org_id", "id").values_list("org_id", "user_id"))


def prototypes(tree: Tree, on: datetime.date, rng: random.Random) -> dict[int, tuple[int, int]]:
    """One process per stop, driven by the services: stop → (process id, person id)."""
    orgs = {pk: (path, kind, authority) for pk, path, kind, authority in
            Organization.objects.values_list("id", "path", "kind", "approval_authority")}
    secretaries, reviewers = _holders(Role.BRANCH_SECRETARY), _holders(Role.COMMITTEE_REVIEWER)
    users = get_user_model().objects.in_bulk(set(secretaries.values()) | set(reviewers.values()))
    admin = RoleAssignment.objects.get(role=Role.COUNTY_ADMIN).user
    made = {}
    for index, (recorded, stage, _weight) in enumerate(STOPS):
        branch_id = rng.choice([b for b in tree.branches if _acting_committee(orgs, b, tree.root) != tree.root])
        committee = _acting_committee(orgs, branch_id, tree.root)
        person = Person.objects.filter(stage=stage, org_id__in=[b for b in tree.branches], user__isnull=True).order_by("id")[index]
        # The prototype starts as an applicant of its branch; its path takes it to the stop's stage.
        Person.objects.filter(pk=person.pk).update(stage=Stage.APPLICANT, org_id=branch_id)
        person.refresh_from_db()
        near = list(Person.objects.filter(org__path__startswith=orgs[committee][0], stage=Stage.FULL, status="active")
                    .order_by("id").values_list("id", flat=True)[:3])
        actors = Actors(users[secretaries[branch_id]], users[reviewers[committee]], admin)
        made[index] = (drive(person, Organization.objects.get(pk=branch_id), actors, recorded, on, near), person.pk)
    return made


CLONE_TABLE = """
CREATE TEMP TABLE bench_clone (
  n int PRIMARY KEY, proto_process bigint, proto_person bigint, proto_branch bigint, proto_committee bigint,
  proto_secretary bigint, proto_reviewer bigint, person bigint, branch bigint, committee bigint,
  secretary bigint, reviewer bigint, shift int, new_process bigint
) ON COMMIT DROP
"""


def _columns(table: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s ORDER BY ordinal_position",
            [table],
        )
        return cursor.fetchall()


def _clone(table: str, source: str, overrides: dict[str, str], skip: tuple[str, ...] = ("id",)) -> None:
    """INSERT … SELECT a copy of each prototype row per clone: overrides by column, dates moved back."""
    names, values = [], []
    for name, kind in _columns(table):
        if name in skip:
            continue
        names.append(name)
        if name in overrides:
            values.append(overrides[name])
        elif kind == "date":
            values.append(f"t.{name} - c.shift")
        elif kind.startswith("timestamp"):
            values.append(f"t.{name} - c.shift * interval '1 day'")
        else:
            values.append(f"t.{name}")
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} {source}")


def _swap(column: str, pairs: tuple[tuple[str, str], ...]) -> str:
    cases = " ".join(f"WHEN t.{column} = c.{old} THEN c.{new}" for old, new in pairs)
    return f"CASE {cases} ELSE t.{column} END"


USERS = (("proto_secretary", "secretary"), ("proto_reviewer", "reviewer"))
ORGS = (("proto_branch", "branch"), ("proto_committee", "committee"))
PEOPLE = (("proto_person", "person"),)


def clone(made: dict[int, tuple[int, int]], tree: Tree, rng: random.Random) -> int:
    orgs = {pk: (path, kind, authority) for pk, path, kind, authority in
            Organization.objects.values_list("id", "path", "kind", "approval_authority")}
    secretaries, reviewers = _holders(Role.BRANCH_SECRETARY), _holders(Role.COMMITTEE_REVIEWER)
    admin = RoleAssignment.objects.get(role=Role.COUNTY_ADMIN).user_id
    protos = {}
    for index, (process_id, person_id) in made.items():
        branch = Person.objects.get(pk=person_id).org_id
        committee = _acting_committee(orgs, branch, tree.root)
        protos[index] = (process_id, person_id, branch, committee, secretaries[branch], reviewers.get(committee, admin))
    taken = {person_id for _process, person_id in made.values()}
    rows = []
    people = Person.objects.filter(stage__in=list(Stage)[:4], status="active", user__isnull=True).exclude(pk__in=taken)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM viewflow_process")
        base = cursor.fetchone()[0] + 1
    for n, (person_id, stage, branch) in enumerate(people.order_by("id").values_list("id", "stage", "org_id")):
        choices = [(index, weight) for index, (_r, stop_stage, weight) in enumerate(STOPS) if stop_stage == stage]
        index = rng.choices([c[0] for c in choices], weights=[c[1] for c in choices])[0]
        committee = _acting_committee(orgs, branch, tree.root)
        shift = min(int(rng.expovariate(1 / 25)), 200)
        rows.append((n, *protos[index][:2], protos[index][2], protos[index][3], *protos[index][4:], person_id, branch,
                     committee, secretaries[branch], reviewers.get(committee, admin), shift, base + n))
    with connection.cursor() as cursor:
        cursor.execute(CLONE_TABLE)
        with cursor.cursor.copy("COPY bench_clone FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(
            "CREATE TEMP TABLE bench_task_map ON COMMIT DROP AS "
            "SELECT t.id AS old_id, c.n, (SELECT coalesce(max(id), 0) FROM viewflow_task) "
            "+ row_number() OVER (ORDER BY c.n, t.id) AS new_id "
            "FROM viewflow_task t JOIN bench_clone c ON t.process_id = c.proto_process"
        )
        cursor.execute("CREATE INDEX ON bench_task_map (old_id, n)")
        cursor.execute("ANALYZE bench_clone; ANALYZE bench_task_map")
    by_process = "JOIN bench_clone c ON t.{column} = c.proto_process"
    task = "(SELECT m.new_id FROM bench_task_map m WHERE m.old_id = t.{column} AND m.n = c.n)"
    _clone("viewflow_process", f"FROM viewflow_process t {by_process.format(column='id')}", {"id": "c.new_process"}, skip=())
    _clone("workflows_workflowprocess", f"FROM workflows_workflowprocess t {by_process.format(column='process_ptr_id')}",
           {"process_ptr_id": "c.new_process", "person_id": "c.person", "org_id": "c.branch"}, skip=())
    _clone("viewflow_task", f"FROM viewflow_task t {by_process.format(column='process_id')}",
           {"id": task.format(column="id"), "process_id": "c.new_process", "owner_id": _swap("owner_id", USERS)}, skip=())
    _clone("viewflow_task_previous",
           "FROM viewflow_task_previous t JOIN viewflow_task ft ON ft.id = t.from_task_id "
           "JOIN bench_clone c ON ft.process_id = c.proto_process",
           {"from_task_id": task.format(column="from_task_id"), "to_task_id": task.format(column="to_task_id")})
    _clone("workflows_steptask", f"FROM workflows_steptask t {by_process.format(column='process_id')}",
           {"task_id": task.format(column="task_id"), "process_id": "c.new_process", "org_id": _swap("org_id", ORGS)})
    _clone("workflows_steprecord", f"FROM workflows_steprecord t {by_process.format(column='process_id')}",
           {"task_id": task.format(column="task_id"), "process_id": "c.new_process", "actor_id": _swap("actor_id", USERS),
            "on_behalf_of_org_id": _swap("on_behalf_of_org_id", ORGS),
            "on_behalf_of_person_id": _swap("on_behalf_of_person_id", PEOPLE)})
    _clone("workflows_admissionrecord", f"FROM workflows_admissionrecord t {by_process.format(column='process_id')}",
           {"process_id": "c.new_process", "person_id": "c.person"})
    _clone("members_archiveentry", f"FROM members_archiveentry t {by_process.format(column='source_process')}",
           {"person_id": "c.person", "source_process": "c.new_process", "filed_by_id": _swap("filed_by_id", USERS)})
    with connection.cursor() as cursor:
        for table in ("viewflow_process", "viewflow_task"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return len(rows)


def generate(tree: Tree, on: datetime.date, log: Callable[[str], None]) -> None:
    rng = random.Random(SEED + 1)
    with transaction.atomic(), timed(log, f"{len(STOPS)} prototype admissions driven through the services"):
        made = prototypes(tree, on, rng)
    with transaction.atomic(), timed(log, "open admissions cloned from them"):
        fast_session()
        clone(made, tree, rng)
