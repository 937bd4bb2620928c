"""The synthetic county of `make bench`: the size of a large real county, from a fixed seed.

Shapes (issue 12, from national statistics and one large district): 70,000 people, 1,900
organizations (22 primary committees, 14 of them townships with approval authority, 120 general
branches, 1,100 branches, 658 party groups), three years of organizational life, dues and score
entries, and 11,000 people in the admission pipeline, each with an open admission process.

Generation is set-based: the tree, the people and the users through COPY and bulk inserts, the
years of records by INSERT … SELECT over generate_series with a seeded random(); open admissions
are cloned in SQL from prototype processes that the real admission services drive step by step
(bench.admissions). The county is kept between runs: its schema carries the fingerprint of this
generator (its source, its sizes, the month it is anchored to and the migrations it was built on),
and a run whose fingerprint matches reuses it.
"""

import datetime
import hashlib
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django_tenants.utils import schema_context
from stdnum.cn import ric

from core.dates import today
from members.models import Category, Stage, Status
from orgs.models import Organization, OrgKind, Role, RoleAssignment
from tenants.models import County, Domain

SEED = 20260412
SLUG = "bench"
NAME = "基准县"
ADMIN = "admin"
PASSWORD = "Bench-pass-2026"

PEOPLE = 70_000
OPEN_ADMISSIONS = 11_000
COMMITTEES = 22
APPROVING_COMMITTEES = 14  # the township reviewers of the issue
GENERAL_BRANCHES = 120
BRANCHES = 1_100
GROUPS = 658  # 1 county + 22 + 120 + 1,100 + 658 = 1,900 organizations
# Beside the pipeline: members who left the roll (transferred out, deceased, removed) stay on file.
OFF_ROLL = 1_000
REGION_CODE = "330122"  # a region code valid for every birth year used (tenants.demo uses it too)

HERE = Path(__file__).resolve().parent
SOURCES = ("generate.py", "admissions.py", "records.py", "settings.py")


def years(on: datetime.date) -> tuple[int, int, int]:
    """The three years of records: two complete years and the current one up to last month."""
    return on.year - 2, on.year - 1, on.year


def fingerprint(on: datetime.date) -> str:
    """What the cached county was generated from; any change regenerates it."""
    digest = hashlib.sha256()
    for name in SOURCES:
        digest.update((HERE / name).read_bytes())
    for migration in sorted(settings.BASE_DIR.glob("*/migrations/0*.py")):
        digest.update(str(migration.relative_to(settings.BASE_DIR)).encode())
    digest.update(f"{on:%Y-%m}".encode())
    return digest.hexdigest()[:16]


def stored_fingerprint(schema: str = SLUG) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s", [schema]
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _set_fingerprint(value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON SCHEMA \"{SLUG}\" IS %s", [value])


@dataclass
class Tree:
    root: int
    committees: list[int]
    approving: list[int]
    general_branches: list[int]
    branches: list[int]
    groups_of: dict[int, list[int]]
    category_of: dict[int, str]


def copy_rows(table: str, columns: tuple[str, ...], rows) -> int:
    """COPY rows (tuples) into a table of the current schema; returns how many."""
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _insert_orgs(rows: list[tuple[str, str, int | None, bool, int]]) -> list[int]:
    """Insert organizations (name, kind, parent, approval authority, units) in order; returns their ids."""
    now = datetime.datetime.now(datetime.UTC)
    created = Organization.objects.bulk_create(
        [
            Organization(name=name, kind=kind, parent_id=parent, approval_authority=authority, units=units,
                         term_started_on=None, created_at=now)
            for name, kind, parent, authority, units in rows
        ],
        batch_size=2000,
    )
    return [org.pk for org in created]


def build_tree(rng: random.Random, on: datetime.date) -> Tree:
    """County → 22 committees → 120 general branches → 1,100 branches → 658 party groups."""
    root = Organization.objects.get(parent__isnull=True)
    townships = [f"{name}镇党委" for name in ["城关", "青山", "白沙", "东溪", "南塘", "西岭", "北岸", "石门", "桃源", "金河", "龙泉", "新桥"]]
    townships += ["城东街道党工委", "城西街道党工委"]
    others = ["县直机关工委", "县国资委党委", "县教育局党委", "县卫健局党委", "县非公企业党委", "县社会组织党委",
              "县经济开发区党委", "县公安局党委"]
    committees = _insert_orgs(
        [(name, OrgKind.COMMITTEE, root.pk, index < APPROVING_COMMITTEES, 1)
         for index, name in enumerate(townships + others)]
    )
    approving = committees[:APPROVING_COMMITTEES]
    committee_category = {
        committee: (Category.VILLAGE if index < 12 else Category.COMMUNITY if index < 14 else
                    [Category.GOVERNMENT, Category.ENTERPRISE, Category.GOVERNMENT, Category.GOVERNMENT,
                     Category.NON_PUBLIC_ENTERPRISE, Category.NON_PUBLIC_ENTERPRISE, Category.NON_PUBLIC_ENTERPRISE,
                     Category.GOVERNMENT][index - 14])
        for index, committee in enumerate(committees)
    }
    # Townships hold most branches (villages and communities); the sector committees the rest.
    weights = [6 if committee in approving else 3 for committee in committees]
    gb_parents = rng.choices(committees, weights=weights, k=GENERAL_BRANCHES)
    general_branches = _insert_orgs(
        [(f"第{index + 1}党总支", OrgKind.GENERAL_BRANCH, parent, False, 1) for index, parent in enumerate(gb_parents)]
    )
    gb_committee = dict(zip(general_branches, gb_parents, strict=True))
    branch_rows, branch_committee = [], []
    for index in range(BRANCHES):
        if rng.random() < 0.3:
            parent = rng.choice(general_branches)
            committee = gb_committee[parent]
        else:
            committee = rng.choices(committees, weights=weights)[0]
            parent = committee
        joint = rng.random() < 0.05
        kind = OrgKind.JOINT_BRANCH if joint else OrgKind.BRANCH
        branch_rows.append((f"第{index + 1}{'联合' if joint else ''}党支部", kind, parent, False, rng.randint(2, 5) if joint else 1))
        branch_committee.append(committee)
    branches = _insert_orgs(branch_rows)
    category_of = {branch: committee_category[committee] for branch, committee in zip(branches, branch_committee, strict=True)}
    group_parents = sorted(rng.sample(branches, GROUPS // 2)) * 2
    groups = _insert_orgs(
        [(f"第{1 + index // (GROUPS // 2)}党小组", OrgKind.GROUP, parent, False, 1) for index, parent in enumerate(group_parents)]
    )
    groups_of: dict[int, list[int]] = {}
    for group, parent in zip(groups, group_parents, strict=True):
        groups_of.setdefault(parent, []).append(group)
    # Materialized paths, top down, in one statement per level.
    with connection.cursor() as cursor:
        for kind in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, "branches", OrgKind.GROUP):
            kinds = [OrgKind.BRANCH, OrgKind.JOINT_BRANCH] if kind == "branches" else [kind]
            for _pass in range(2):  # a branch under a general branch needs its parent's path first
                cursor.execute(
                    "UPDATE orgs_organization o SET path = p.path || o.id || '/' FROM orgs_organization p "
                    "WHERE o.parent_id = p.id AND o.kind = ANY(%s) AND p.path <> ''",
                    [kinds],
                )
        terms = [on - datetime.timedelta(days=rng.randint(30, 3 * 365)) for _ in range(COMMITTEES + GENERAL_BRANCHES + BRANCHES)]
        cursor.execute(
            "UPDATE orgs_organization o SET term_started_on = t.started FROM unnest(%s::bigint[], %s::date[]) AS t(id, started) "
            "WHERE o.id = t.id",
            [committees + general_branches + branches, terms],
        )
    return Tree(root.pk, committees, approving, general_branches, branches, groups_of, category_of)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏辉建国志斌海燕宇浩凯晨晓雪琳慧颖欣婷雨"


@dataclass(frozen=True)
class PersonRow:
    id_number: str
    name: str
    sex: str
    birth_date: datetime.date
    org: int
    stage: str
    category: str
    status: str
    education: str
    standing_since: datetime.date | None
    phone: str


def _id_number(rng: random.Random, born: datetime.date, male: bool, used: set[str]) -> str:
    while True:
        order = rng.randrange(0, 500) * 2 + (1 if male else 0)
        body = f"{REGION_CODE}{born:%Y%m%d}{order:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in used:
            used.add(number)
            return number


def _born(rng: random.Random, on: datetime.date, low: int, high: int) -> datetime.date:
    return on - datetime.timedelta(days=rng.randint(low * 365 + 30, high * 365))


# The pipeline's people by stage, matching the steps their processes wait at (bench.admissions).
PIPELINE_STAGES = {Stage.APPLICANT: 3_300, Stage.ACTIVIST: 4_400, Stage.CANDIDATE: 1_650, Stage.PROBATIONARY: 1_650}
EDUCATION = ["初中", "高中", "中专", "大专", "本科", "研究生"]


def people_rows(rng: random.Random, tree: Tree, on: datetime.date) -> list[PersonRow]:
    """70,000 people: branches of skewed size (villages large, joint branches small), groups inside them."""
    assert sum(PIPELINE_STAGES.values()) == OPEN_ADMISSIONS
    sizes = [max(3, int(rng.lognormvariate(3.7, 0.6))) for _ in tree.branches]
    members = PEOPLE - OPEN_ADMISSIONS
    scale = members / sum(sizes)
    homes: list[int] = []
    for branch, size in zip(tree.branches, sizes, strict=True):
        homes += [branch] * max(3, round(size * scale))
    homes = (homes + rng.choices(tree.branches, k=max(0, members - len(homes))))[:members]
    rng.shuffle(homes)
    used: set[str] = set()
    rows = []
    for index, branch in enumerate(homes):
        male = rng.random() < 0.72
        category = tree.category_of[branch]
        born = _born(rng, on, 22, 88)
        if on.year - born.year >= 62 and rng.random() < 0.7:
            category = Category.RETIRED
        groups = tree.groups_of.get(branch)
        org = rng.choice(groups) if groups and rng.random() < 0.8 else branch
        status = Status.ACTIVE
        if index < OFF_ROLL:
            status = rng.choice([Status.TRANSFERRED_OUT, Status.DECEASED, Status.REMOVED, Status.WITHDRAWN])
        elif rng.random() < 0.03:
            status = rng.choice([Status.MOBILE, Status.LOST_CONTACT, Status.MOBILE])
        standing = born + datetime.timedelta(days=rng.randint(19 * 365, max(19 * 365 + 1, (on - born).days - 400)))
        rows.append(
            PersonRow(
                _id_number(rng, born, male, used), rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                "male" if male else "female", born, org, Stage.FULL, category, status, rng.choice(EDUCATION), standing,
                f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            )
        )
    for stage, count in PIPELINE_STAGES.items():
        for _ in range(count):
            branch = rng.choice(tree.branches)
            male = rng.random() < 0.6
            born = _born(rng, on, 21, 45)
            rows.append(
                PersonRow(
                    _id_number(rng, born, male, used), rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2)),
                    "male" if male else "female", born, branch, stage, tree.category_of[branch], Status.ACTIVE,
                    rng.choice(EDUCATION[2:]), None, f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                )
            )
    return rows


def insert_people(rows: list[PersonRow]) -> None:
    now = datetime.datetime.now(datetime.UTC)
    copy_rows(
        "members_person",
        ("name", "id_number", "sex", "birth_date", "phone", "org_id", "stage", "category", "status", "education",
         "under_party_probation", "party_standing_since", "created_at", "updated_at"),
        (
            (row.name, row.id_number, row.sex, row.birth_date, row.phone, row.org, row.stage, row.category, row.status,
             row.education, False, row.standing_since, now, now)
            for row in rows
        ),
    )


def insert_users(tree: Tree) -> None:
    """A reviewer for each township committee and a secretary (a full member, signed in) for each branch."""
    user_model = get_user_model()
    password = make_password(PASSWORD)
    reviewers = [user_model(username=f"reviewer{index + 1:02d}", password=password) for index in range(len(tree.approving))]
    secretaries = [user_model(username=f"secretary{index + 1:04d}", password=password) for index in range(len(tree.branches))]
    user_model.objects.bulk_create(reviewers + secretaries, batch_size=2000)
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=user, org_id=org, role=Role.COMMITTEE_REVIEWER) for user, org in zip(reviewers, tree.approving, strict=True)]
        + [RoleAssignment(user=user, org_id=org, role=Role.BRANCH_SECRETARY) for user, org in zip(secretaries, tree.branches, strict=True)],
        batch_size=2000,
    )
    # The secretary is the first full member on the roll of the branch or one of its groups.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE members_person p SET user_id = s.user_id FROM (
              SELECT DISTINCT ON (ra.org_id) ra.user_id, p.id AS person_id
              FROM orgs_roleassignment ra
              JOIN orgs_organization o ON o.id = ra.org_id OR o.parent_id = ra.org_id
              JOIN members_person p ON p.org_id = o.id
              WHERE ra.role = 'branch_secretary' AND p.stage = 'full' AND p.status = 'active'
              ORDER BY ra.org_id, p.id
            ) s WHERE p.id = s.person_id
            """
        )


@transaction.atomic
def _drop(slug: str) -> None:
    """All or nothing, letters included: the product keeps every letter (they protect their counties), but
    the bench's transfer letters are the bench's own and go with the county they were exchanged with."""
    county = County.objects.filter(schema_name=slug).first()
    if county is not None:
        with connection.cursor() as cursor:
            # One statement, so a receipt and the letter it answers go together (the reply's key is deferred).
            cursor.execute(
                "DELETE FROM tenants_letter WHERE from_county_id = %s OR to_county_id = %s", [county.pk, county.pk]
            )
        Domain.objects.filter(tenant=county).delete()
        County.objects.filter(pk=county.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{slug}" CASCADE')


def fast_session() -> None:
    """For a bulk-generating transaction: no parallel workers (random() stays in row order), no wait for
    the disk at commit, and no triggers (foreign-key checks, history) when the role may turn them off."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


@contextmanager
def indexes_deferred(*tables: str) -> Iterator[None]:
    """Drop the plain indexes of these tables for a bulk load and build them again after it: one sort
    per index instead of millions of insertions. Indexes behind constraints stay."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS (
              SELECT 1 FROM pg_constraint c
              WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
            """,
            [list(tables)],
        )
        definitions = cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in definitions:
            cursor.execute(definition)


def timed(log: Callable[[str], None], label: str):
    class _Timer:
        def __enter__(self):
            self.started = time.monotonic()

        def __exit__(self, *exc):
            if exc[0] is None:
                log(f"  {label}: {time.monotonic() - self.started:.1f}s")

    return _Timer()


def generate(log: Callable[[str], None] = print) -> County:
    """Drop and regenerate the bench county."""
    from bench import admissions, records
    from tenants.services import create_county

    on = today()
    rng = random.Random(SEED)
    connection.set_schema_to_public()
    _drop(SLUG)
    with timed(log, "county schema cloned from the template"):
        county = create_county(slug=SLUG, name=NAME, admin_username=ADMIN, admin_password=PASSWORD)
    with schema_context(SLUG):
        with transaction.atomic(), timed(log, "1,900 organizations, 70,000 people, 1,114 users"):
            tree = build_tree(rng, on)
            insert_people(people_rows(rng, tree, on))
            insert_users(tree)
        records.generate(tree, on, log)
        admissions.generate(tree, on, log)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.set_schema_to_public()
    _set_fingerprint(fingerprint(on))
    return county


def ensure_county(log: Callable[[str], None] = print) -> tuple[County, bool]:
    """The bench county, regenerated only when the generator's fingerprint changed; True if generated."""
    connection.set_schema_to_public()
    if stored_fingerprint() == fingerprint(today()) and County.objects.filter(schema_name=SLUG).exists():
        return County.objects.get(schema_name=SLUG), False
    log(f"Generating the bench county (seed {SEED}) into database {connection.settings_dict['NAME']}")
    return generate(log), True


