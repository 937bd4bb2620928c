"""Benchmarks through the API of a running server (bench.serving).

- The people list: each of 8 clients is a township reviewer paging through their committee's people
  (`?org=` the committee, 50 a page), against the bare view returning the same page from raw SQL.
- The task inbox: each client a township reviewer reading the first page of their inbox, against the
  bare view's raw SQL of the same inbox.
- Completing an admission step: 8 branch secretaries each record the next cultivation assessment
  (`continue`) of processes of their branch; the flow loops back to a new assessment, so the county
  keeps its shape run after run.
- Tenant resolution: the queries each request runs before its view, read from the bench middleware.
"""

import json
import random
from dataclasses import dataclass

from django_tenants.utils import schema_context
from rest_framework.authtoken.models import Token

from core.dates import today
from orgs.models import Role, RoleAssignment
from workflows.models import StepTask

from .generate import SEED
from .serving import CLIENTS, Request, Run, fetch, percentile

HOST = "bench.localhost"
PEOPLE_PAGES = 10  # the pages each reviewer reads in
REQUESTS_PER_CLIENT = 40
COMPLETIONS_PER_CLIENT = 8


@dataclass(frozen=True)
class Reviewer:
    user_id: int
    token: str
    committee: int
    path: str


def reviewers() -> list[Reviewer]:
    with schema_context("bench"):
        found = []
        for assignment in RoleAssignment.objects.filter(role=Role.COMMITTEE_REVIEWER).select_related("org", "user").order_by("id"):
            token, _ = Token.objects.get_or_create(user=assignment.user)
            found.append(Reviewer(assignment.user_id, token.key, assignment.org_id, assignment.org.path))
        return found


def _headers(token: str | None = None) -> dict:
    headers = {"Host": HOST, "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    return headers


def people_plans(people: list[Reviewer], bare: bool) -> list[list[Request]]:
    rng = random.Random(SEED)
    plans = []
    for index in range(CLIENTS):
        reviewer = people[index % len(people)]
        pages = [rng.randint(1, PEOPLE_PAGES) for _ in range(REQUESTS_PER_CLIENT)]
        if bare:
            plans.append([Request("GET", f"/bare/people/?path={reviewer.path}&page={page}", _headers()) for page in pages])
        else:
            plans.append([Request("GET", f"/api/people/?org={reviewer.committee}&page={page}", _headers(reviewer.token))
                          for page in pages])
    return plans


def task_plans(people: list[Reviewer], bare: bool) -> list[list[Request]]:
    plans = []
    for index in range(CLIENTS):
        reviewer = people[index % len(people)]
        request = (Request("GET", f"/bare/tasks/?user={reviewer.user_id}", _headers()) if bare
                   else Request("GET", "/api/tasks/", _headers(reviewer.token)))
        plans.append([request] * REQUESTS_PER_CLIENT)
    return plans


def same_rows(address: str, people: list[Reviewer]) -> str:
    """Whether the bare views return the API's rows (ids, in order) for the first reviewer; a note if not."""
    reviewer = people[0]
    checks = [
        ("people", f"/api/people/?org={reviewer.committee}&page=2", f"/bare/people/?path={reviewer.path}&page=2"),
        ("tasks", "/api/tasks/", f"/bare/tasks/?user={reviewer.user_id}"),
    ]
    problems = []
    for name, api, bare in checks:
        _status, api_body, _h = fetch(address, Request("GET", api, _headers(reviewer.token)))
        _status, bare_body, _h = fetch(address, Request("GET", bare, _headers()))
        api_ids = [row["id"] for row in api_body.get("results", [])]
        bare_ids = [row["id"] for row in bare_body.get("results", [])]
        if not api_ids or api_ids != bare_ids or api_body.get("count") != bare_body.get("count"):
            problems.append(f"{name}: API {api_body.get('count')} rows {api_ids[:3]}…, bare {bare_body.get('count')} {bare_ids[:3]}…")
    return "; ".join(problems)


def tenant_queries(address: str) -> dict:
    """Queries before the view on a first request of a fresh server process and on the next ones."""
    runs = [fetch(address, Request("GET", "/api/me/", _headers()))[2] for _ in range(2 * 4 * 2 + 1)]
    before = [int(headers.get("x-bench-queries-before-view", "-1")) for headers in runs]
    return {"first": max(before), "cached": min(before), "all": before}


@dataclass(frozen=True)
class Completion:
    task_id: int
    token: str


def completions(count: int) -> list[list[Request]]:
    """Open cultivation tasks of `CLIENTS` branches, each recorded by its own branch secretary."""
    with schema_context("bench"):
        secretaries = {
            org_id: user_id for org_id, user_id in
            RoleAssignment.objects.filter(role=Role.BRANCH_SECRETARY).values_list("org_id", "user_id")
        }
        open_tasks = (
            StepTask.objects.filter(step="cultivation", actor="branch", task__status="NEW", task__owner__isnull=True)
            .order_by("org_id", "task_id")
            .values_list("org_id", "task_id")
        )
        by_branch: dict[int, list[int]] = {}
        for org_id, task_id in open_tasks:
            by_branch.setdefault(org_id, []).append(task_id)
        busiest = sorted(by_branch, key=lambda org: (-len(by_branch[org]), org))[:CLIENTS]
        tokens = {org: Token.objects.get_or_create(user_id=secretaries[org])[0].key for org in busiest}
    body = json.dumps({
        "decision": "continue", "date": today().isoformat(), "comment": "季度考察",
        "data": {"assessment": "表现良好，继续培养"},
    }).encode()
    plans = []
    for org in busiest:
        headers = {**_headers(tokens[org]), "Content-Type": "application/json"}
        plans.append([Request("POST", f"/api/tasks/{task}/complete/", headers, body) for task in by_branch[org][:count]])
    return plans


def summary(run: Run) -> dict:
    return {
        "requests": len(run.latencies),
        "seconds": round(run.seconds, 3),
        "throughput": round(run.throughput, 1),
        "p50_ms": round(percentile(run.latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(run.latencies, 0.99) * 1000, 1),
        "statuses": {str(status): count for status, count in sorted(run.statuses.items())},
        "queries_per_request": max(run.queries) if run.queries else None,
        "queries_before_view": max(run.before_view) if run.before_view else None,
    }
