"""Filtered lists of people, tasks, transfers and cases, the saved filters, and their query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.dates import today
from lists.models import SavedFilter
from lists.services import save_filter
from members.models import Stage
from tests.conftest import CountyClient, counted_statements
from tests.disposition import conftest as disposition
from tests.disposition.pipeline import open_case
from tests.factories import PersonFactory
from workflows.services.transfer import request_transfer

tree = disposition.tree  # T1 with B1 (secretary, six full members, a member with a sign-in) and B2; T2 with B3


def test_the_people_list_filters_as_the_api_does(tree, browser):
    PersonFactory(org=tree.b1, stage=Stage.ACTIVIST, name="王积极")
    PersonFactory(org=tree.b2, stage=Stage.ACTIVIST, name="李积极")
    page = browser(tree.admin)
    api = CountyClient(tree.county).as_user(tree.admin)
    for query in (f"stage=activist&org={tree.t1.pk}", "q=积极", f"org={tree.b2.pk}&stage=activist", "stage=full&q=王积极"):
        on_page = sorted(person.pk for person, _id in page.get(f"/people/?{query}").context["rows"])
        on_api = sorted(row["id"] for row in api.get(f"/api/people/?{query}&page_size=100").json()["results"])
        assert on_page == on_api, query
    rows = page.get(f"/people/?stage=activist&org={tree.t1.pk}").context["rows"]
    assert sorted(person.name for person, _id in rows) == ["李积极", "王积极"]
    # A secretary's list is their branch's roll, whatever the filter names.
    assert [person.name for person, _id in browser(tree.secretary).get("/people/?q=李积极").context["rows"]] == []


def test_a_saved_filter_is_saved_applied_and_deleted_by_its_owner_only(tree, browser):
    client = browser(tree.admin)
    saved = client.post("/lists/saved/", {"page": "people", "name": "入党积极分子", "querystring": "stage=activist&page=3&q="})
    (row,) = SavedFilter.objects.filter(user=tree.admin)
    assert (row.page, row.name, row.querystring) == ("people", "入党积极分子", "stage=activist")
    assert saved.status_code == 302 and saved["Location"] == "/people/?stage=activist"
    assert [item.name for item in client.get("/people/").context["saved_filters"]] == ["入党积极分子"]
    applied = client.get(f"/lists/saved/{row.pk}/")
    assert applied["Location"] == "/people/?stage=activist"
    # Saving again under the same name replaces the filter.
    client.post("/lists/saved/", {"page": "people", "name": "入党积极分子", "querystring": "stage=candidate"})
    assert list(SavedFilter.objects.filter(user=tree.admin).values_list("querystring", flat=True)) == ["stage=candidate"]
    other = browser(tree.secretary)
    assert other.get(f"/lists/saved/{row.pk}/").status_code == 404
    assert other.post(f"/lists/saved/{row.pk}/delete/").status_code == 404
    assert client.post(f"/lists/saved/{row.pk}/delete/").status_code == 302
    assert not SavedFilter.objects.filter(pk=row.pk).exists()


def test_a_saved_filter_needs_a_name_and_a_known_page(tree, browser):
    from core.exceptions import RuleViolation

    with pytest.raises(RuleViolation):
        save_filter(actor=tree.admin, page="people", name="  ", querystring="stage=full")
    with pytest.raises(RuleViolation):
        save_filter(actor=tree.admin, page="payroll", name="x", querystring="stage=full")
    assert browser(tree.admin).post("/lists/saved/", {"page": "people", "name": "", "querystring": "q=1"}).status_code == 302
    assert not SavedFilter.objects.exists()


def test_the_case_list_filters_by_measure_status_and_name(tree, browser):
    removal = open_case(tree, tree.b1_members[0], "removal")
    rectification = open_case(tree, tree.b1_members[1], "rectification")
    client = browser(tree.reviewer)

    def listed(query: str) -> list[int]:
        return [item["process"].pk for item in client.get(f"/dispositions/?{query}").context["cases"]]

    assert sorted(listed("")) == sorted([removal.pk, rectification.pk])
    assert listed("measure=removal") == [removal.pk]
    assert listed(f"q={tree.b1_members[1].name}") == [rectification.pk]
    assert sorted(listed("status=active")) == sorted([removal.pk, rectification.pk])
    assert listed("status=done") == []
    assert listed(f"org={tree.b2.pk}") == []


def test_the_transfer_list_filters_by_direction_kind_and_name(tree, browser):
    transfer = request_transfer(
        actor=tree.secretary, person=tree.b1_members[2], kind="within_county", date=today(), reason="搬迁", to_org=tree.b3
    )
    client = browser(tree.admin)

    def listed(query: str) -> list[int]:
        return [row.pk for row in client.get(f"/transfers/?{query}").context["transfers"]]

    assert listed("") == [transfer.pk]
    assert listed("kind=within_county&direction=outgoing") == [transfer.pk]
    assert listed("kind=outside_platform") == []
    assert listed(f"q={tree.b1_members[2].name}") == [transfer.pk]
    assert listed("status=completed") == []


def test_the_inbox_filters_by_procedure_organization_and_overdue(tree, browser):
    open_case(tree, tree.b1_members[0], "removal")  # the investigation is the branch's
    client = browser(tree.secretary)

    def listed(query: str) -> list[str]:
        return [item["task"].process.flow_class.code for item in client.get(f"/tasks/?{query}").context["items"]]

    assert listed("flow=disposition") == ["disposition"]
    assert listed("flow=admission") == []
    assert listed(f"org={tree.t2.pk}") == []
    assert listed("overdue=true") == ["disposition"]  # opened on 2026-03-02: the investigation is late
    assert listed("overdue=false") == []
    assert listed(f"q={tree.b1_members[0].name}") == ["disposition"]


def _statements(client, url: str) -> int:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(counted_statements(queries))


def test_list_pages_run_as_many_queries_at_3_rows_as_at_30(tree, browser):
    client = browser(tree.admin)
    PersonFactory.create_batch(3, org=tree.b3, stage=Stage.ACTIVIST)
    open_case(tree, tree.b1_members[0], "rectification")
    people_few = _statements(client, f"/people/?org={tree.b3.pk}")
    cases_few = _statements(client, "/dispositions/?status=active")
    PersonFactory.create_batch(27, org=tree.b3, stage=Stage.ACTIVIST)
    for person in tree.b1_members[1:4]:  # a case runs a flow: a few more rows are enough to show growth
        open_case(tree, person, "rectification")
    assert _statements(client, f"/people/?org={tree.b3.pk}") == people_few
    assert _statements(client, "/dispositions/?status=active") == cases_few


def test_the_inbox_and_transfer_list_run_as_many_queries_at_1_row_as_at_4(tree, browser):
    secretary, admin = browser(tree.secretary), browser(tree.admin)

    def transfer(person):
        request_transfer(actor=tree.secretary_b2, person=person, kind="within_county", date=today(), reason="搬迁", to_org=tree.b3)

    open_case(tree, tree.b1_members[0], "rectification")
    transfer(tree.b2_members[0])
    inbox_few, transfers_few = _statements(secretary, "/tasks/?flow=disposition"), _statements(admin, "/transfers/")
    for person in tree.b1_members[1:4]:
        open_case(tree, person, "rectification")
    for person in tree.b2_members[1:3]:
        transfer(person)
    assert len(secretary.get("/tasks/?flow=disposition").context["items"]) == 4
    assert _statements(secretary, "/tasks/?flow=disposition") == inbox_few
    assert _statements(admin, "/transfers/") == transfers_few
