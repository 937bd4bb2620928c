"""Score entries under public notice in a member's branch put an objection on the member's to-do list until
the notice ends (DOMAIN.md §7: a member of the branch may object during the notice)."""

from members import self_service
from scoring.services import approve_entry, declare_entry, review_entry, start_notice
from tests.scoring import conftest as scoring
from tests.scoring.conftest import day, member, scheme

tree, secretary_person, secretary, alice, bob = (
    scoring.tree,
    scoring.secretary_person,
    scoring.secretary,
    scoring.alice,
    scoring.bob,
)


def test_an_entry_under_public_notice_in_the_branch_is_on_its_members_to_do_list_until_the_notice_ends(
    admin_a, tree, secretary, alice, bob
):
    scheme(admin_a, "twelve_point")
    colleague = member(tree.branch)
    entry = declare_entry(actor=secretary, person=alice, item="bad_influence", date=day(4), evidence=["minutes 4/2025"])
    entry = review_entry(actor=secretary, entry=entry, decision="approve", date=day(4))
    approve_entry(actor=secretary, entry=entry, decision="approve", date=day(4))
    assert [item.kind for item in self_service.todo_for(colleague, on=day(4, 22))] == []
    start_notice(actor=secretary, org=tree.branch, date=day(4, 21))

    todo = [item for item in self_service.todo_for(colleague, on=day(4, 22)) if item.kind == "objection"]
    assert [(item.url, item.due_date) for item in todo] == [("/scoring/notice/", day(4, 25))]
    assert [item for item in self_service.todo_for(colleague, on=day(4, 28)) if item.kind == "objection"] == []
    assert [item for item in self_service.todo_for(bob, on=day(4, 22)) if item.kind == "objection"] == []
