"""Rows for every list endpoint of the API, so that its query count can be read at 3 rows and at 30.

`LISTS` maps each paginated list of the OpenAPI schema to a `Maker`: what one more row is (made with
its own organization, person or user, so that a relation read per row shows as a query per row),
where the list is read, and by whom. A new list endpoint needs an entry here: the test that compares
the schema with `LISTS` fails until it has one.
"""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model

from core.dates import today
from dues.models import (
    AnnualPublication,
    Arrears,
    DuesBase,
    Payment,
    RateTable,
    Relief,
    Remittance,
    UseEntry,
)
from members.models import ArchiveAccessRequest, ArchiveRead, Person, Stage
from orgs.models import (
    Appraisal,
    AppraisalResult,
    Attendance,
    CareRecipient,
    CommunityRegistration,
    CountySetting,
    ElectedOfficer,
    Election,
    Meeting,
    Organization,
    OrgKind,
    Post,
    Reminder,
    Role,
    RoleAssignment,
)
from orgs.rules import COUNTY_SETTING_DEFAULTS
from scoring.models import Entry, Objection, Publication, Result, Scheme, SchemeVersion
from scoring.presets import preset_config
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, make_id_number
from workflows.models import DevelopmentPlan, DisciplinarySanction, DispositionProposal

_serial = itertools.count(1)
DAY = datetime.timedelta(days=1)


@dataclass
class Estate:
    """One test's organizations and role holders: a township committee with a general branch, and the
    county admin who reads most lists."""

    admin: object
    committee: Organization
    general_branch: Organization
    secretary: object  # branch secretary of the general branch: acts on every branch below it
    shared: dict = field(default_factory=dict)

    @classmethod
    def create(cls) -> "Estate":
        committee = OrganizationFactory(kind=OrgKind.COMMITTEE, name=f"第{next(_serial)}镇党委")
        general_branch = OrganizationFactory(kind=OrgKind.GENERAL_BRANCH, parent=committee, name="机关党总支")
        secretary = UserFactory()
        RoleAssignment.objects.create(user=secretary, org=general_branch, role=Role.BRANCH_SECRETARY)
        return cls(get_user_model().objects.get(username="admin"), committee, general_branch, secretary)

    def branch(self) -> Organization:
        """A new branch for each row: rows differ in their organization, as in a county."""
        return OrganizationFactory(parent=self.general_branch, name=f"第{next(_serial)}党支部")

    def member(self, **fields) -> Person:
        fields.setdefault("org", self.branch())
        fields.setdefault("stage", Stage.FULL)
        return PersonFactory(**fields)

    def once(self, key: str, make: Callable[[], object]):
        """An object shared by the rows of one list (the person whose archive reads are listed)."""
        if key not in self.shared:
            self.shared[key] = make()
        return self.shared[key]


@dataclass(frozen=True)
class Maker:
    add: Callable[[Estate, int], None]  # add this many rows
    path: Callable[[Estate], str] | None = None  # where the list is read (default: the schema's path)
    reader: Callable[[Estate], object] = lambda estate: estate.admin


def _n(count: int) -> range:
    return range(count)


def _year() -> int:
    return today().year - 1


# --- organizations and people -------------------------------------------------------------------------


def add_orgs(estate: Estate, count: int) -> None:
    for _ in _n(count):
        estate.branch()


def add_people(estate: Estate, count: int) -> None:
    for _ in _n(count):
        estate.member(user=UserFactory())


def add_users(estate: Estate, count: int) -> None:
    for _ in _n(count):
        estate.member(user=UserFactory())


def add_roles(estate: Estate, count: int) -> None:
    for _ in _n(count):
        RoleAssignment.objects.create(user=UserFactory(), org=estate.branch(), role=Role.BRANCH_COMMITTEE)


def add_county_settings(estate: Estate, count: int) -> None:
    key = sorted(COUNTY_SETTING_DEFAULTS)[0]
    start = estate.once("setting_day", lambda: [datetime.date(2000, 1, 1)])
    for _ in _n(count):
        start[0] += DAY
        CountySetting.objects.create(key=key, value=COUNTY_SETTING_DEFAULTS[key], effective_from=start[0])


# --- archive --------------------------------------------------------------------------------------------


def add_archive_requests(estate: Estate, count: int) -> None:
    for _ in _n(count):
        ArchiveAccessRequest.objects.create(person=estate.member(), requested_by=estate.admin, reason="政审需要")


def _archived(estate: Estate) -> Person:
    return estate.once("archived", estate.member)


def add_archive_reads(estate: Estate, count: int) -> None:
    person = _archived(estate)
    for _ in _n(count):
        reader = UserFactory()
        request = ArchiveAccessRequest.objects.create(person=person, requested_by=reader, reason="组织考察")
        ArchiveRead.objects.create(reader=reader, person=person, request=request, reason="组织考察")


# --- organizational life -----------------------------------------------------------------------------


def add_meetings(estate: Estate, count: int) -> None:
    for _ in _n(count):
        branch = estate.branch()
        meeting = Meeting.objects.create(org=branch, kind="general_meeting", date=today() - 10 * DAY, topic="支部党员大会")
        for status in ("present", "absent"):
            Attendance.objects.create(meeting=meeting, person=estate.member(org=branch), status=status)


def add_appraisals(estate: Estate, count: int) -> None:
    for _ in _n(count):
        branch = estate.branch()
        appraisal = Appraisal.objects.create(org=branch, year=_year(), two_ballot_rule=True, masses_ballots=True)
        for _member in range(2):
            AppraisalResult.objects.create(appraisal=appraisal, person=estate.member(org=branch), grade="qualified")


def add_elections(estate: Estate, count: int) -> None:
    for _ in _n(count):
        branch = estate.branch()
        election = Election.objects.create(org=branch, approved_on=today() - 30 * DAY, held_on=today() - 20 * DAY)
        ElectedOfficer.objects.create(election=election, person=estate.member(org=branch), position="secretary")


def add_care_recipients(estate: Estate, count: int) -> None:
    for _ in _n(count):
        recipient = CareRecipient.objects.create(person=estate.member(), reason="elderly_sick", since=today() - 90 * DAY)
        recipient.visits.create(date=today() - 5 * DAY, visitors="支部书记")


def add_community_registrations(estate: Estate, count: int) -> None:
    community = estate.once("community", estate.branch)
    for _ in _n(count):
        CommunityRegistration.objects.create(person=estate.member(), community=community, registered_on=today() - 30 * DAY)


def add_posts(estate: Estate, count: int) -> None:
    for _ in _n(count):
        branch = estate.branch()
        Post.objects.create(org=branch, person=estate.member(org=branch), title="党员示范岗", commitment="带头服务群众",
                            assigned_on=today() - 30 * DAY)


def add_reminders(estate: Estate, count: int) -> None:
    for _ in _n(count):
        Reminder.objects.create(org=estate.branch(), kind="general_meeting", due_on=today() + 10 * DAY,
                                key=f"perf-{next(_serial)}")


# --- admission, disposition, transfers --------------------------------------------------------------


def add_plans(estate: Estate, count: int) -> None:
    for _ in _n(count):
        committee = OrganizationFactory(kind=OrgKind.COMMITTEE, name=f"第{next(_serial)}乡党委")
        DevelopmentPlan.objects.create(year=_year(), committee=committee, quota=12)


def add_tasks(estate: Estate, count: int) -> None:
    from workflows.services.admission import start_admission

    for _ in _n(count):
        applicant = estate.member(stage=Stage.APPLICANT, id_number=make_id_number(birth=datetime.date(1998, 4, 1)))
        start_admission(actor=estate.secretary, branch=applicant.org, date=today() - 3 * DAY, person=applicant)


def add_notices(estate: Estate, count: int) -> None:
    from notifications.models import Kind
    from notifications.services import notify

    for _ in _n(count):
        person = estate.member()
        notify(None, [estate.secretary], Kind.DECISION, key=f"perf:{person.pk}", title=person.name, about=person)


def add_dispositions(estate: Estate, count: int) -> None:
    from workflows.services.disposition import start_case

    for _ in _n(count):
        start_case(actor=estate.secretary, person=estate.member(), grounds="appraisal_unqualified", measure="rectification",
                   date=today() - 3 * DAY, rectification_months=6)


def add_proposals(estate: Estate, count: int) -> None:
    for _ in _n(count):
        DispositionProposal.objects.create(person=estate.member(), grounds="dues_unpaid_6m", since=today() - 200 * DAY)


def add_sanctions(estate: Estate, count: int) -> None:
    for _ in _n(count):
        DisciplinarySanction.objects.create(person=estate.member(), kind="warning", reference=f"纪字〔{next(_serial)}〕号",
                                            decided_on=today() - 40 * DAY, decided_by="县纪委")


def add_transfers(estate: Estate, count: int) -> None:
    from workflows.services.transfer import request_transfer

    for _ in _n(count):
        request_transfer(actor=estate.secretary, person=estate.member(), kind="within_county", date=today() - 2 * DAY,
                         reason="工作调动", to_org=estate.branch())


def add_mobile_members(estate: Estate, count: int) -> None:
    from members.models_mobile import MobileRegistration

    for _ in _n(count):
        branch = estate.branch()
        MobileRegistration.objects.create(
            person=estate.member(org=branch), org=branch, destination="浙江省杭州市", left_on=today() - 60 * DAY,
            contact_person=estate.member(org=branch), certificate_number=f"LD{next(_serial):06d}",
            certificate_issued_on=today() - 55 * DAY,
        )


# --- dues -------------------------------------------------------------------------------------------------


def add_bases(estate: Estate, count: int) -> None:
    table = RateTable.objects.order_by("-effective_from").first()
    for _ in _n(count):
        DuesBase.objects.create(person=estate.member(), year=_year(), kind="salaried", monthly_base=Decimal("4000.00"),
                                rate_table=table, rate=Decimal("0.0100"), monthly_amount=Decimal("40.00"))


def add_payments(estate: Estate, count: int) -> None:
    for _ in _n(count):
        person = estate.member()
        Payment.objects.create(person=person, org=person.org, amount=Decimal("120.00"), dues_amount=Decimal("120.00"),
                               paid_on=today() - 5 * DAY, channel="wechat")


def add_reliefs(estate: Estate, count: int) -> None:
    month = today().replace(day=1)
    for _ in _n(count):
        person = estate.member()
        Relief.objects.create(person=person, org=person.org, kind="waive", start_month=month, end_month=month,
                              reason="因病生活困难", proposed_on=today() - 5 * DAY)


def add_arrears(estate: Estate, count: int) -> None:
    for _ in _n(count):
        Arrears.objects.create(person=estate.member(), as_of=today(), months_unpaid=4, consecutive_unpaid=4,
                               since=today() - 120 * DAY)


def add_remittances(estate: Estate, count: int) -> None:
    for _ in _n(count):
        Remittance.objects.create(org=estate.branch(), to_org=estate.committee, year=_year(), quarter=1,
                                  amount=Decimal("300.00"), remitted_on=datetime.date(_year(), 4, 10),
                                  deadline=datetime.date(_year(), 9, 30))


def add_uses(estate: Estate, count: int) -> None:
    for _ in _n(count):
        UseEntry.objects.create(org=estate.branch(), date=today() - 5 * DAY, amount=Decimal("80.00"), purpose="购买学习资料")


def add_dues_publications(estate: Estate, count: int) -> None:
    for _ in _n(count):
        AnnualPublication.objects.create(org=estate.branch(), year=_year(), collected=Decimal("1000.00"),
                                         remitted=Decimal("900.00"), used=Decimal("50.00"), members_owing=10,
                                         members_paid_in_full=9, published_on=today() - 5 * DAY)


# --- scoring --------------------------------------------------------------------------------------------


def _scheme(estate: Estate) -> Scheme:
    def make() -> Scheme:
        config = preset_config("red_yellow")
        scheme = Scheme.objects.create(year=_year(), category="", preset="red_yellow", name="红黄榜", config=config)
        SchemeVersion.objects.create(scheme=scheme, version=1, name=scheme.name, config=config)
        return scheme

    return estate.once("scheme", make)


def _entry(estate: Estate) -> Entry:
    person = estate.member()
    return Entry.objects.create(scheme=_scheme(estate), year=_year(), person=person, org=person.org, item="volunteer",
                                date=datetime.date(_year(), 6, 1), approval_level="general_meeting", source="member",
                                status="approved")


def add_entries(estate: Estate, count: int) -> None:
    for _ in _n(count):
        _entry(estate)


def add_objections(estate: Estate, count: int) -> None:
    for _ in _n(count):
        Objection.objects.create(entry=_entry(estate), raised_on=datetime.date(_year(), 6, 10), text="与事实不符",
                                 raised_by=UserFactory())


def add_results(estate: Estate, count: int) -> None:
    scheme = _scheme(estate)
    for _ in _n(count):
        person = estate.member()
        Result.objects.create(person=person, year=_year(), scheme=scheme, scheme_version=1, org=person.org,
                              stage=person.stage, total=Decimal("85.00"), grade="class_1")


def add_score_publications(estate: Estate, count: int) -> None:
    for _ in _n(count):
        Publication.objects.create(org=estate.branch(), year=_year(), period="q1", kind="summary",
                                   published_on=datetime.date(_year(), 4, 5), published_by=UserFactory())


def add_schemes(estate: Estate, count: int) -> None:
    years = estate.once("scheme_years", lambda: [2000])
    config = preset_config("twelve_point")
    for _ in _n(count):
        years[0] += 1
        scheme = Scheme.objects.create(year=years[0], category="", preset="twelve_point", name="十二分制", config=config,
                                       created_by=UserFactory())
        SchemeVersion.objects.create(scheme=scheme, version=1, name=scheme.name, config=config, changed_by=UserFactory())


def add_scheme_versions(estate: Estate, count: int) -> None:
    scheme = _scheme(estate)
    for _ in _n(count):
        SchemeVersion.objects.create(scheme=scheme, version=scheme.versions.count() + 1, name=scheme.name,
                                     config=scheme.config, changed_by=UserFactory())


# --- assessing organizations --------------------------------------------------------------------------


def _assessment_scheme(estate: Estate):
    from scoring.assessment.services import create_scheme

    return estate.once("assessment_scheme", lambda: create_scheme(actor=estate.admin, year=_year(), name="年度考核",
                                                                  preset="annual"))


def _assessment(estate: Estate, opened: bool = False):
    from scoring.assessment.models import Assessment
    from scoring.assessment.services import open_assessment

    scheme = _assessment_scheme(estate)
    if opened:
        return open_assessment(actor=estate.admin, scheme=scheme, org=estate.branch(), on=today())
    return Assessment.objects.create(scheme=scheme, scheme_version=scheme.version, config=scheme.config,
                                     org=estate.branch(), year=scheme.year, opened_on=today())


def add_assessments(estate: Estate, count: int) -> None:
    for _ in _n(count):
        _assessment(estate, opened=True)


def add_assessment_schemes(estate: Estate, count: int) -> None:
    from scoring.assessment.services import create_scheme

    for _ in _n(count):
        create_scheme(actor=estate.admin, year=_year(), name=f"考核方案{next(_serial)}", preset="annual")


def add_secretary_flags(estate: Estate, count: int) -> None:
    from scoring.assessment.models import SecretaryFlag

    for _ in _n(count):
        assessment = _assessment(estate)
        SecretaryFlag.objects.create(org=assessment.org, secretary=estate.member(org=assessment.org),
                                     assessment=assessment, years=[_year() - 1, _year()], raised_on=today())


def add_weak(estate: Estate, count: int) -> None:
    from scoring.assessment.models import WeakOrganization

    for _ in _n(count):
        assessment = _assessment(estate)
        WeakOrganization.objects.create(org=assessment.org, year=_year(), reasons="班子不健全", assessment=assessment,
                                        listed_on=today(), listed_by=UserFactory())


LISTS: dict[str, Maker] = {
    "/api/orgs/": Maker(add_orgs),
    "/api/people/": Maker(add_people),
    "/api/users/": Maker(add_users),
    "/api/roles/": Maker(add_roles),
    "/api/county-settings/": Maker(add_county_settings),
    "/api/archive-requests/": Maker(add_archive_requests),
    "/api/people/{id}/archive/reads/": Maker(add_archive_reads, lambda e: f"/api/people/{_archived(e).pk}/archive/reads/"),
    "/api/meetings/": Maker(add_meetings),
    "/api/appraisals/": Maker(add_appraisals),
    "/api/elections/": Maker(add_elections),
    "/api/care-recipients/": Maker(add_care_recipients),
    "/api/community-registrations/": Maker(add_community_registrations),
    "/api/posts/": Maker(add_posts),
    "/api/life-reminders/": Maker(add_reminders),
    "/api/admissions/plans/": Maker(add_plans),
    "/api/tasks/": Maker(add_tasks, reader=lambda e: e.secretary),
    "/api/me/notifications/": Maker(add_notices, reader=lambda e: e.secretary),
    "/api/dispositions/": Maker(add_dispositions),
    "/api/dispositions/proposals/": Maker(add_proposals),
    "/api/dispositions/sanctions/": Maker(add_sanctions),
    "/api/transfers/": Maker(add_transfers),
    "/api/mobile-members/": Maker(add_mobile_members),
    "/api/dues/bases/": Maker(add_bases),
    "/api/dues/payments/": Maker(add_payments),
    "/api/dues/reliefs/": Maker(add_reliefs),
    "/api/dues/arrears/": Maker(add_arrears),
    "/api/dues/remittances/": Maker(add_remittances),
    "/api/dues/uses/": Maker(add_uses),
    "/api/dues/publications/": Maker(add_dues_publications),
    "/api/scoring/entries/": Maker(add_entries),
    "/api/scoring/objections/": Maker(add_objections),
    "/api/scoring/results/": Maker(add_results, lambda e: f"/api/scoring/results/?year={_year()}"),
    "/api/scoring/publications/": Maker(add_score_publications),
    "/api/scoring/schemes/": Maker(add_schemes),
    "/api/assessments/": Maker(add_assessments),
    "/api/assessments/schemes/": Maker(add_assessment_schemes),
    "/api/assessments/secretary-flags/": Maker(add_secretary_flags),
    "/api/assessments/weak/": Maker(add_weak),
    "/api/scoring/schemes/{id}/versions/": Maker(add_scheme_versions,
                                                 lambda e: f"/api/scoring/schemes/{_scheme(e).pk}/versions/"),
}

# Paginated in the schema, but not lists of rows: what they list does not grow with the rows of a table.
NOT_ROW_LISTS = {
    "/api/orgs/{id}/checks/": "the structure warnings of one organization: a fixed set of rules, each checked once",
}
