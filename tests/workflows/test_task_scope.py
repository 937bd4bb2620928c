"""Who sees and acts on a task: the step's level and organization, taking and giving back, and county isolation."""

from api.tasks import TaskSerializer
from orgs.models import Role
from tenants.models import County
from tests.conftest import CountyClient, in_county
from tests.workflows.conftest import days_ago, make_applicant, user_with_role
from workflows import selectors
from workflows.models import Actor, StepRecord, StepTask
from workflows.services.admission import start_admission


def talk_body() -> dict:
    return {"date": days_ago(1).isoformat(), "data": {"talker": "王书记"}}


def started(tree, secretary, applicant):
    process = start_admission(actor=secretary, branch=tree.branch, date=days_ago(5), person=applicant)
    return process, process.step_tasks.get(step="talk")


def test_a_branch_step_is_invisible_outside_the_branch(api_a, tree, secretary, reviewer, applicant):
    process, talk = started(tree, secretary, applicant)
    other_secretary = user_with_role(tree.other_branch, Role.BRANCH_SECRETARY)
    for outsider in (other_secretary, reviewer):
        api = api_a.as_user(outsider)
        assert api.get("/api/tasks/").json()["count"] == 0
        assert api.post(f"/api/tasks/{talk.task_id}/complete/", talk_body(), format="json").status_code == 404
        assert api.post(f"/api/tasks/{talk.task_id}/assign/").status_code == 404
    assert api_a.as_user(other_secretary).get(f"/api/processes/{process.pk}/").status_code == 404
    assert api_a.as_user(other_secretary).get(f"/api/admissions/{process.pk}/").status_code == 404
    # The committee oversees the processes of its branches without acting on branch steps.
    assert api_a.as_user(reviewer).get(f"/api/processes/{process.pk}/").status_code == 200
    assert not StepRecord.objects.filter(step="talk").exists()


def test_a_branch_outside_the_callers_scope_answers_404_when_starting(api_a, tree, secretary):
    outsider = make_applicant(tree.other_branch)
    response = api_a.as_user(secretary).post(
        "/api/admissions/", {"person": outsider.pk, "branch": tree.other_branch.pk, "date": days_ago(1).isoformat()}, format="json"
    )
    assert response.status_code == 404


def test_the_applicant_sees_their_process_but_not_others(api_a, tree, secretary, applicant):
    process, _talk = started(tree, secretary, applicant)
    other = make_applicant(tree.branch)
    api = api_a.as_user(other.user)
    assert api.get(f"/api/processes/{process.pk}/").status_code == 404
    assert api.get("/api/me/application/").status_code == 404
    assert api_a.as_user(applicant.user).get(f"/api/processes/{process.pk}/").status_code == 200


def test_a_taken_task_leaves_the_colleagues_inbox_until_given_back(county_a, tree, secretary, applicant):
    _process, talk = started(tree, secretary, applicant)
    colleague = user_with_role(tree.branch, Role.BRANCH_COMMITTEE)
    secretary_api, colleague_api = CountyClient(county_a).as_user(secretary), CountyClient(county_a).as_user(colleague)

    taken = secretary_api.post(f"/api/tasks/{talk.task_id}/assign/")
    assert taken.status_code == 200
    assert (taken.json()["status"], taken.json()["assignee"]) == ("assigned", secretary.pk)

    assert colleague_api.get("/api/tasks/").json()["count"] == 0
    assert colleague_api.post(f"/api/tasks/{talk.task_id}/assign/").status_code == 409
    assert colleague_api.post(f"/api/tasks/{talk.task_id}/complete/", talk_body(), format="json").status_code == 409

    given_back = secretary_api.post(f"/api/tasks/{talk.task_id}/unassign/")
    assert (given_back.json()["status"], given_back.json()["assignee"]) == ("new", None)
    assert colleague_api.get("/api/tasks/").json()["count"] == 1
    assert colleague_api.post(f"/api/tasks/{talk.task_id}/complete/", talk_body(), format="json").status_code == 200
    assert StepRecord.objects.get(step="talk").actor == colleague


def test_an_applicant_step_is_in_the_applicants_and_the_branchs_inbox(api_a, tree, secretary, reviewer, applicant):
    _process, talk = started(tree, secretary, applicant)
    StepTask.objects.filter(pk=talk.pk).update(actor=Actor.APPLICANT)
    other = make_applicant(tree.branch)
    inbox = {user: api_a.as_user(user).get("/api/tasks/").json() for user in (applicant.user, secretary, reviewer, other.user)}
    assert [row["id"] for row in inbox[applicant.user]["results"]] == [talk.task_id]
    assert [row["id"] for row in inbox[secretary]["results"]] == [talk.task_id]
    assert inbox[reviewer]["count"] == inbox[other.user]["count"] == 0


def test_an_inbox_row_is_the_tasks_own_answer(api_a, tree, secretary, applicant):
    # The list builds its rows itself (api.tasks.TaskListSerializer): the same fields and formats.
    _process, talk = started(tree, secretary, applicant)
    [row] = api_a.as_user(secretary).get("/api/tasks/").json()["results"]
    assert row == TaskSerializer(selectors.tasks_open_to(secretary).get(task_id=talk.task_id)).data


def test_the_inbox_pages_like_every_list(api_a, tree, secretary, reviewer):
    # The inbox counts its rows in the page's query (api.pagination.CountingPaginator): same count, links and ends.
    for _ in range(3):
        start_admission(actor=secretary, branch=tree.branch, date=days_ago(5), person=make_applicant(tree.branch))
    api = api_a.as_user(secretary)
    first, second = api.get("/api/tasks/?page_size=2").json(), api.get("/api/tasks/?page_size=2&page=2").json()
    assert (first["count"], len(first["results"]), second["count"], len(second["results"])) == (3, 2, 3, 1)
    assert "page=2" in first["next"] and first["previous"] is None
    assert second["next"] is None and second["previous"]
    assert api.get("/api/tasks/?page_size=2&page=last").json()["results"] == second["results"]
    for past_the_end in ("3", "0", "x"):
        assert api.get(f"/api/tasks/?page_size=2&page={past_the_end}").status_code == 404
    assert api_a.as_user(reviewer).get("/api/tasks/").json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_tasks_filter_by_flow_and_org_subtree(api_a, tree, secretary, applicant):
    started(tree, secretary, applicant)
    api = api_a.as_user(secretary)
    assert api.get("/api/tasks/?flow=admission").json()["count"] == 1
    assert api.get(f"/api/tasks/?org={tree.committee.pk}").json()["count"] == 1
    assert api.get(f"/api/tasks/?org={tree.other_branch.pk}").json()["count"] == 0
    assert api.get("/api/tasks/?flow=nonsense").status_code == 400


def test_a_task_of_county_beta_is_invisible_from_alpha(county_a, admin_a, tree):
    from tests.factories import OrganizationFactory

    beta = County.objects.get(slug="beta")
    with in_county(beta):
        beta_branch = OrganizationFactory(parent=OrganizationFactory(kind="committee"))
        beta_secretary = user_with_role(beta_branch, Role.BRANCH_SECRETARY)
        beta_process = start_admission(
            actor=beta_secretary, branch=beta_branch, date=days_ago(3), person=make_applicant(beta_branch)
        )
        beta_talk = beta_process.step_tasks.get(step="talk")

    admin = CountyClient(county_a).as_user(admin_a)
    assert admin.get(f"/api/processes/{beta_process.pk}/").status_code == 404
    assert admin.get(f"/api/admissions/{beta_process.pk}/").status_code == 404
    alpha_secretary = user_with_role(tree.branch, Role.BRANCH_SECRETARY)
    alpha = CountyClient(county_a).as_user(alpha_secretary)
    assert alpha.get("/api/tasks/").json()["count"] == 0
    assert alpha.post(f"/api/tasks/{beta_talk.task_id}/complete/", talk_body(), format="json").status_code == 404

    with in_county(beta):
        assert beta_process.step_tasks.get(step="talk").task.status == "NEW"
