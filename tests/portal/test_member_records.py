"""The member's own records on /me/: dues, mobile registration, appeals, their branch's published lists,
and isolation: a member reaches their own records and their branch's published lists, no one else's."""

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from core.dates import today
from dues.services import publish_annual
from members import self_service
from members.mobile.services import record_report, register_outflow
from tests.disposition import conftest as disposition
from tests.disposition.pipeline import run_case
from tests.dues.factories import DuesBaseFactory
from tests.factories import PersonFactory, UserFactory
from workflows.services.disposition import file_appeal

tree = disposition.tree  # the disposition tests' tree: T1 with B1 (a member with a sign-in) and B2, T2 with B3


def _away(tree, person):
    return register_outflow(
        actor=tree.secretary,
        person=person,
        destination="广东省深圳市",
        left_on=today() - relativedelta(months=2),
        contact_person=tree.b1_members[0],
    )


def test_unpaid_dues_put_paying_on_the_to_do_list(tree, browser):
    DuesBaseFactory(person=tree.member, monthly_base=Decimal("4500.00"))
    todo = self_service.todo_for(tree.member)
    dues = [item for item in todo if item.kind == "dues"]
    assert [item.url for item in dues] == ["/me/dues/"]
    page = browser(tree.member.user).get("/me/")
    assert page.context["arrears_months"] == 12
    # The dues page says what is due, what is paid and how to pay.
    my_dues = browser(tree.member.user).get("/me/dues/?year=2025")
    assert [line.due for line in my_dues.context["months"]][:1] == [Decimal("45.00")]
    assert 'class="how-to-pay"' in my_dues.content.decode()


def test_a_member_away_reads_their_registration_and_certificate_and_has_reports_to_make(tree, browser):
    registration = _away(tree, tree.member)
    todo = self_service.todo_for(tree.member)
    assert [(item.kind, item.url) for item in todo] == [("mobile_report", f"/mobile/{registration.pk}/")]
    page = browser(tree.member.user).get("/me/mobile/")
    assert page.status_code == 200
    assert [item["registration"] for item in page.context["registrations"]] == [registration]
    assert registration.certificate_number in page.content.decode()
    # The report is made on the registration's page, which the member may open.
    assert browser(tree.member.user).get(f"/mobile/{registration.pk}/").context["report_form"] is not None
    record_report(actor=tree.member.user, registration=registration, date=today(), text="在深圳参加流动党员活动")
    reports = self_service.todo_for(tree.member)
    assert [item.kind for item in reports] in ([], ["mobile_report"])  # the county may want more than one a year
    assert "在深圳参加流动党员活动" in browser(tree.member.user).get("/me/mobile/").content.decode()


def test_a_decided_case_may_be_appealed_from_the_to_do_list_until_an_appeal_is_under_way(tree):
    process = run_case(tree, tree.member, "removal")
    todo = self_service.todo_for(tree.member)
    assert [(item.kind, item.url) for item in todo if item.kind == "appeal"] == [("appeal", f"/dispositions/{process.pk}/")]
    file_appeal(actor=tree.member.user, case=process.disposition, date=datetime.date(2026, 6, 1), text="请求复查")
    assert [item for item in self_service.todo_for(tree.member) if item.kind == "appeal"] == []


def test_a_member_sees_their_own_branchs_published_lists_only(tree, browser):
    other = PersonFactory(org=tree.b2, user=UserFactory())
    for person in (tree.member, other):
        DuesBaseFactory(person=person, monthly_base=Decimal("4000.00"))
    mine = publish_annual(actor=tree.secretary, org=tree.b1, year=2025, published_on=datetime.date(2025, 12, 30))
    publish_annual(actor=tree.secretary_b2, org=tree.b2, year=2025, published_on=datetime.date(2025, 12, 30))
    page = browser(tree.member.user).get("/me/")
    assert list(page.context["dues_publications"]) == [mine]
    assert [item.org for item in browser(tree.member.user).get("/dues/publication/?year=2025").context["publications"]] == [
        tree.b1
    ]


def test_another_members_records_are_not_reachable(tree, browser):
    """Member A signed in: B's admission form, mobile registration, case and archive answer 404; A's own
    pages show A's records only."""
    other = PersonFactory(org=tree.b1, user=UserFactory())
    registration = _away(tree, other)
    case = run_case(tree, other, "removal")
    me = browser(tree.member.user)
    for url in (
        f"/people/{other.pk}/admission/print/",
        f"/mobile/{registration.pk}/",
        f"/dispositions/{case.pk}/",
        f"/people/{other.pk}/archive/",
    ):
        assert me.get(url).status_code in (403, 404), url
    assert me.get("/me/mobile/").context["registrations"] == []
    assert self_service.todo_for(tree.member) == []
    people = me.get("/people/")
    assert [person for person, _id in people.context["rows"]] == [tree.member]
    assert me.get(f"/people/{tree.member.pk}/admission/print/").status_code == 200
    # The other member's own page shows their records, not A's.
    theirs = browser(other.user).get("/me/")
    assert theirs.context["person"] == other
    assert theirs.context["registration"] == registration


def test_the_score_card_names_the_grade_by_its_label(tree, browser, admin_a):
    from scoring.models import Result
    from scoring.selectors import grade_label
    from scoring.services import create_scheme

    create_scheme(actor=admin_a, year=today().year, name="积分", preset="deduction_base100")
    result = Result.objects.get(person=tree.member, year=today().year)
    page = browser(tree.member.user).get("/me/").content.decode()
    assert result.grade and grade_label(result) != result.grade
    assert grade_label(result) in page and result.grade not in page
