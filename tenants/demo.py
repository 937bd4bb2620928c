"""The demo county `demo` (示范县): a living county for newcomers, provisioned by `make run`.

Seeding is idempotent: every organization, person, user and role is looked up by its natural key
(name under its parent, ID number, username) and created only when absent, so a second run
changes nothing and a half-edited demo county is completed rather than duplicated.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django_tenants.utils import schema_context
from stdnum.cn import ric

from core.dates import today as county_today
from members.models import Category, Person, Stage, Status
from members.services import create_person, create_user
from orgs.models import Organization, OrgKind, Role, RoleAssignment
from orgs.selectors import root_organization
from orgs.services import assign_role, create_organization
from workflows.models import Transfer, TransferKind
from workflows.selectors import latest_application_of
from workflows.services.admission import start_admission
from workflows.services.transfer import request_transfer

from .models import County
from .services import create_county, ensure_platform

DEMO_SLUG = "demo"
DEMO_NAME = "示范县"
# One password for every demo sign-in; it passes the password validators of config/settings.
DEMO_PASSWORD = "Xianfeng-2026"
DEMO_ADMIN = "admin"
# 桐庐县, Zhejiang: a region code valid for every birth year used below (stdnum checks it against
# the birth date); the people are invented.
REGION_CODE = "330122"


@dataclass(frozen=True)
class DemoPerson:
    name: str
    born: str
    male: bool
    stage: str = Stage.FULL
    group: int | None = None  # index of the branch's party group; members only
    category: str | None = None  # the branch's category unless given
    status: str = Status.ACTIVE
    education: str = "大专"
    joined: str | None = None  # party standing since, for full members


@dataclass(frozen=True)
class DemoOrg:
    name: str
    kind: str
    category: str = Category.OTHER
    children: tuple["DemoOrg", ...] = ()
    groups: tuple[str, ...] = ()
    people: tuple[DemoPerson, ...] = ()
    units: int = 1
    term_years_ago: float | None = 1.0  # when the current term started; None where terms do not apply


P = DemoPerson
TREE: tuple[DemoOrg, ...] = (
    DemoOrg(
        "城关镇党委",
        OrgKind.COMMITTEE,
        term_years_ago=2,
        children=(
            DemoOrg(
                "城东社区党支部",
                OrgKind.BRANCH,
                Category.COMMUNITY,
                groups=("第一党小组", "第二党小组"),
                people=(
                    P("张建国", "1968-03-12", True, group=0, joined="1995-07-01", education="本科"),
                    P("李秀英", "1972-08-25", False, group=0, joined="2001-06-18"),
                    P("王志强", "1980-11-03", True, group=0, joined="2008-05-20", education="本科"),
                    P("刘丽娟", "1975-02-14", False, group=1, joined="1999-12-10"),
                    P("陈明", "1956-09-30", True, group=1, category=Category.RETIRED, joined="1982-07-01", education="高中"),
                    P("何秀云", "1963-02-20", False, group=1, category=Category.RETIRED, joined="1986-07-01", education="初中"),
                    P("许志刚", "1987-07-07", True, group=0, joined="2013-06-25", education="本科"),
                    P("杨桂芳", "1995-04-06", False, Stage.PROBATIONARY, group=1, education="本科"),
                    P("赵伟", "1993-12-19", True, Stage.CANDIDATE),
                    P("黄海燕", "1998-07-22", False, Stage.ACTIVIST, education="本科"),
                    P("宋佳怡", "2003-05-16", False, Stage.APPLICANT, category=Category.STUDENT, education="本科在读"),
                    P("周浩然", "2001-10-08", True, Stage.APPLICANT),
                ),
            ),
            DemoOrg(
                "城西社区党支部",
                OrgKind.BRANCH,
                Category.COMMUNITY,
                groups=("第一党小组",),
                term_years_ago=2.8,  # the secretary's 3-year term ends within 6 months: a structure warning
                people=(
                    P("吴国平", "1965-01-27", True, group=0, joined="1990-03-15"),
                    P("徐桂兰", "1970-06-11", False, group=0, joined="1998-10-01"),
                    P("孙立新", "1983-09-09", True, group=0, joined="2010-06-30", education="本科"),
                    P("马晓梅", "1990-03-03", False, Stage.ACTIVIST),
                ),
            ),
            DemoOrg(
                "城关镇机关党总支",
                OrgKind.GENERAL_BRANCH,
                Category.GOVERNMENT,
                children=(
                    DemoOrg(
                        "机关第一党支部",
                        OrgKind.BRANCH,
                        Category.GOVERNMENT,
                        groups=("第一党小组",),
                        people=(
                            P("朱红霞", "1978-05-05", False, group=0, joined="2002-07-01", education="研究生"),
                            P("胡斌", "1982-12-01", True, group=0, joined="2006-11-20", education="本科"),
                            P("郭玉兰", "1986-02-18", False, group=0, joined="2012-06-28", education="本科"),
                            P("何立军", "1991-08-30", True, Stage.PROBATIONARY, group=0, education="研究生"),
                        ),
                    ),
                    DemoOrg(
                        "机关第二党支部",
                        OrgKind.BRANCH,
                        Category.GOVERNMENT,
                        people=(
                            P("高雪梅", "1976-10-10", False, joined="2000-05-04", education="本科"),
                            P("林志远", "1984-04-21", True, joined="2009-07-01", education="本科"),
                            P("罗芳", "1988-01-15", False, joined="2014-12-08", education="本科"),
                            P("郑浩", "1994-06-02", True, Stage.CANDIDATE, education="本科"),
                        ),
                    ),
                ),
            ),
        ),
    ),
    DemoOrg(
        "青山乡党委",
        OrgKind.COMMITTEE,
        term_years_ago=3,
        children=(
            DemoOrg(
                "青山村党支部",
                OrgKind.BRANCH,
                Category.VILLAGE,
                groups=("第一党小组", "第二党小组"),
                people=(
                    P("梁德华", "1962-07-07", True, group=0, joined="1988-06-01", education="初中"),
                    P("谢文军", "1971-03-28", True, group=0, joined="1996-07-01", education="高中"),
                    P("唐秀珍", "1974-11-11", False, group=0, joined="2003-04-12", education="初中"),
                    P("韩磊", "1985-09-17", True, group=1, joined="2011-10-09", status=Status.MOBILE),
                    P("冯雅琴", "1989-12-24", False, group=1, joined="2016-06-30"),
                    P("吕建平", "1966-05-15", True, group=1, joined="1992-07-01", education="初中"),
                    P("邓宇", "1996-01-09", True, Stage.PROBATIONARY, group=1),
                    P("曹丽华", "1997-05-29", False, Stage.ACTIVIST, education="高中"),
                    P("彭涛", "2000-08-13", True, Stage.APPLICANT, education="高中"),
                ),
            ),
            DemoOrg(
                "石桥村党支部",
                OrgKind.BRANCH,
                Category.VILLAGE,
                groups=("第一党小组",),
                people=(
                    P("曾庆丰", "1960-02-02", True, group=0, joined="1985-05-01", education="初中"),
                    P("肖春梅", "1968-12-12", False, group=0, joined="1994-07-01", education="高中"),
                    P("田慧", "1979-04-04", False, group=0, joined="2005-06-15", education="高中"),
                    P("董明亮", "1992-10-26", True, Stage.CANDIDATE, education="高中"),
                ),
            ),
            DemoOrg(
                "青山乡非公企业联合党支部",
                OrgKind.JOINT_BRANCH,
                Category.NON_PUBLIC_ENTERPRISE,
                units=3,
                people=(
                    P("袁晓燕", "1981-06-06", False, joined="2007-07-01", education="本科"),
                    P("潘宏", "1977-03-19", True, joined="2004-09-10"),
                    P("蒋欣怡", "1990-11-30", False, joined="2015-05-26", education="本科"),
                    P("蔡国庆", "1999-10-01", True, Stage.ACTIVIST),
                ),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str | None  # None: a member or applicant who signs in to follow their own records
    org: str | None  # the organization the role is held on
    person: str | None  # the person record the sign-in belongs to
    description: str = field(default="", compare=False)


def _secretary(username: str, branch: str, person: str) -> DemoUser:
    return DemoUser(username, Role.BRANCH_SECRETARY, branch, person, f"branch secretary, {branch}")


# Every branch has its secretary; 城东社区党支部 (7 full members) has a branch committee of three.
USERS: tuple[DemoUser, ...] = (
    DemoUser("chengguan", Role.COMMITTEE_REVIEWER, "城关镇党委", "高雪梅", "committee reviewer, 城关镇党委"),
    DemoUser("qingshan", Role.COMMITTEE_REVIEWER, "青山乡党委", "谢文军", "committee reviewer, 青山乡党委"),
    _secretary("zhibu1", "城东社区党支部", "张建国"),
    DemoUser("zhiwei1", Role.BRANCH_COMMITTEE, "城东社区党支部", "李秀英", "branch committee member, 城东社区党支部"),
    DemoUser("zhiwei2", Role.BRANCH_COMMITTEE, "城东社区党支部", "刘丽娟", "branch committee member, 城东社区党支部"),
    DemoUser("dangyuan1", None, None, "王志强", "full member, 城东社区党支部"),
    DemoUser("shenqingren", None, None, "宋佳怡", "applicant, 城东社区党支部"),
    _secretary("zhibu2", "城西社区党支部", "吴国平"),
    _secretary("zhibu3", "机关第一党支部", "朱红霞"),
    _secretary("zhibu4", "机关第二党支部", "林志远"),
    _secretary("zhibu5", "青山村党支部", "梁德华"),
    _secretary("zhibu6", "石桥村党支部", "曾庆丰"),
    _secretary("zhibu7", "青山乡非公企业联合党支部", "潘宏"),
)


@dataclass(frozen=True)
class DemoApplication:
    person: str
    days_ago: int  # the application's date, counted back from the day of seeding
    recorded_by: str  # the applicant's own sign-in, or the branch secretary who received it


# Open admission processes, so the inboxes show work: the branch's talk is due within a month.
APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication("宋佳怡", 10, "shenqingren"),  # handed in by the applicant herself
    DemoApplication("彭涛", 40, "zhibu5"),  # recorded by the branch; its talk is already overdue
)


@dataclass(frozen=True)
class DemoTransfer:
    person: str
    to_branch: str
    days_ago: int
    requested_by: str
    reason: str


# A relation transfer within the county waiting for the committee's approval (and its letter).
TRANSFERS: tuple[DemoTransfer, ...] = (DemoTransfer("许志刚", "城西社区党支部", 3, "zhibu1", "迁居城西社区"),)


def sign_ins() -> list[tuple[str, str, str]]:
    """(username, password, who) for every demo sign-in, the county admin first."""
    rows = [(DEMO_ADMIN, DEMO_PASSWORD, "county administrator, 示范县")]
    return rows + [(user.username, DEMO_PASSWORD, user.description) for user in USERS]


def id_number(person: DemoPerson, serial: int) -> str:
    """A valid ID number: region, birth date, a sequence whose parity gives the sex, check digit."""
    born = datetime.date.fromisoformat(person.born)
    sequence = 100 + serial * 2 + (1 if person.male else 0)
    body = f"{REGION_CODE}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def phone(serial: int) -> str:
    return f"1390579{serial:04d}"


def _walk(orgs: tuple[DemoOrg, ...], parent_name: str | None = None):
    for org in orgs:
        yield org, parent_name
        yield from _walk(org.children, org.name)


def _org(actor, spec: DemoOrg, parent: Organization, today: datetime.date) -> Organization:
    existing = Organization.objects.filter(name=spec.name, parent=parent).first()
    if existing is not None:
        return existing
    term_started_on = None
    if spec.term_years_ago is not None:
        term_started_on = today - datetime.timedelta(days=round(spec.term_years_ago * 365))
    return create_organization(
        actor=actor, name=spec.name, kind=spec.kind, parent=parent, units=spec.units, term_started_on=term_started_on
    )


def _person(actor, spec: DemoPerson, serial: int, org: Organization, category: str) -> Person:
    number = id_number(spec, serial)
    existing = Person.objects.filter(id_number=number).first()
    if existing is not None:
        return existing
    return create_person(
        actor=actor,
        name=spec.name,
        id_number=number,
        org=org,
        phone=phone(serial),
        stage=spec.stage,
        category=spec.category or category,
        status=spec.status,
        education=spec.education,
        party_standing_since=datetime.date.fromisoformat(spec.joined) if spec.joined else None,
    )


def _seed_tree(actor, today: datetime.date) -> tuple[dict[str, Organization], dict[str, Person]]:
    orgs: dict[str, Organization] = {DEMO_NAME: root_organization()}
    people: dict[str, Person] = {}
    serial = 0
    for spec, parent_name in _walk(TREE):
        org = _org(actor, spec, orgs[parent_name or DEMO_NAME], today)
        orgs[spec.name] = org
        groups = [_org(actor, DemoOrg(name, OrgKind.GROUP, term_years_ago=None), org, today) for name in spec.groups]
        for person in spec.people:
            serial += 1
            home = groups[person.group] if person.group is not None else org
            people[person.name] = _person(actor, person, serial, home, spec.category)
    return orgs, people


def _seed_users(actor, orgs: dict[str, Organization], people: dict[str, Person]) -> None:
    user_model = get_user_model()
    for spec in USERS:
        user = user_model.objects.filter(username=spec.username).first()
        if user is None:
            person = people[spec.person] if spec.person else None
            if person is not None and person.user_id is not None:
                person = None  # someone linked this person to another sign-in meanwhile: keep theirs
            user = create_user(actor=actor, username=spec.username, password=DEMO_PASSWORD, person=person)
        if spec.role and not RoleAssignment.objects.filter(user=user, org=orgs[spec.org], role=spec.role).exists():
            assign_role(actor=actor, user=user, org=orgs[spec.org], role=spec.role)


def _seed_applications(people: dict[str, Person], today: datetime.date) -> None:
    user_model = get_user_model()
    for spec in APPLICATIONS:
        person = Person.objects.get(pk=people[spec.person].pk)
        if person.stage != Stage.APPLICANT or latest_application_of(person) is not None:
            continue
        actor = user_model.objects.get(username=spec.recorded_by)
        start_admission(actor=actor, branch=person.org, date=today - datetime.timedelta(days=spec.days_ago), person=person)


def _seed_transfers(orgs: dict[str, Organization], people: dict[str, Person], today: datetime.date) -> None:
    user_model = get_user_model()
    for spec in TRANSFERS:
        person = Person.objects.get(pk=people[spec.person].pk)
        if Transfer.objects.filter(person=person).exists():
            continue
        request_transfer(
            actor=user_model.objects.get(username=spec.requested_by),
            person=person,
            kind=TransferKind.WITHIN_COUNTY,
            to_org=orgs[spec.to_branch],
            date=today - datetime.timedelta(days=spec.days_ago),
            reason=spec.reason,
        )


def seed_demo_county(today: datetime.date | None = None) -> tuple[County, bool]:
    """Create the demo county if absent and fill in whatever of its demo records is missing.

    Returns the county and whether it was created by this call.
    """
    ensure_platform()
    county = County.objects.filter(slug=DEMO_SLUG).first()
    created = county is None
    if created:
        county = create_county(
            slug=DEMO_SLUG, name=DEMO_NAME, admin_username=DEMO_ADMIN, admin_password=DEMO_PASSWORD
        )
    with schema_context(county.schema_name), transaction.atomic():
        today = today or county_today()
        actor = get_user_model().objects.filter(username=DEMO_ADMIN).first()
        orgs, people = _seed_tree(actor, today)
        _seed_users(actor, orgs, people)
        _seed_applications(people, today)
        _seed_transfers(orgs, people, today)
    return county, created
