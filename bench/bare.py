"""The limit of the list APIs: bare Django views that return the same rows from raw SQL.

No authentication, no serializer, no permission checks: one COUNT and one page query each, as
JSON. The county comes from the host like any request (the same cached tenant lookup). The bench
checks that a bare page and the API's page hold the same ids.
"""

from django.db import connection
from django.http import JsonResponse

PAGE_SIZE = 50

PEOPLE_WHERE = "FROM members_person p JOIN orgs_organization o ON o.id = p.org_id WHERE o.path LIKE %s"
PEOPLE_PAGE = f"""
SELECT p.id, p.name, p.id_number, p.sex, p.birth_date, p.phone, p.org_id, o.name, p.stage, p.category,
       p.status, p.education, p.party_standing_since, p.under_party_probation, p.user_id, p.created_at, p.updated_at
{PEOPLE_WHERE} ORDER BY p.id LIMIT %s OFFSET %s
"""
PEOPLE_COLUMNS = (
    "id", "name", "id_number", "sex", "birth_date", "phone", "org", "org_name", "stage", "category",
    "status", "education", "party_standing_since", "under_party_probation", "user", "created_at", "updated_at",
)  # fmt: skip

# The inbox of a role holder: open tasks not taken by someone else, whose level the user's roles act
# on, in the subtree of the organization holding the role, and the user's own applicant steps
# (orgs.access, workflows.engine.actionable). Like the API's query, each branch of the OR is a condition
# on the step task's own columns (`= ANY(ARRAY(...))`), which PostgreSQL answers from their indexes, and
# the flow comes from the task's node (the API gives its code), without a join to viewflow's process table.
SUBTREES = """ARRAY(SELECT so.id FROM orgs_roleassignment ra JOIN orgs_organization ro ON ro.id = ra.org_id
    JOIN orgs_organization so ON so.path LIKE ro.path || '%%' WHERE ra.user_id = %(user)s AND ra.role IN ({roles}))"""
TASKS_WHERE = f"""
FROM workflows_steptask st
JOIN viewflow_task t ON t.id = st.task_id
JOIN workflows_workflowprocess wp ON wp.process_ptr_id = st.process_id
JOIN orgs_organization o ON o.id = st.org_id
LEFT JOIN members_person pe ON pe.id = wp.person_id
WHERE t.status IN ('NEW', 'ASSIGNED', 'STARTED') AND (t.owner_id IS NULL OR t.owner_id = %(user)s) AND (
  (st.actor = 'applicant' AND st.process_id = ANY(ARRAY(SELECT own.process_ptr_id FROM workflows_workflowprocess own
    JOIN members_person me ON me.id = own.person_id WHERE me.user_id = %(user)s)))
  OR (st.actor IN ('branch', 'applicant') AND st.org_id = ANY({SUBTREES.format(roles="'branch_secretary', 'branch_committee'")}))
  OR (st.actor = 'committee' AND st.org_id = ANY({SUBTREES.format(roles="'committee_reviewer'")}))
  OR (st.actor = 'county' AND st.org_id = ANY({SUBTREES.format(roles="'county_admin'")})))
"""
TASKS_PAGE = f"""
SELECT st.task_id, t.flow_task, st.step, st.process_id, wp.person_id, pe.name, st.org_id, o.name, st.actor,
       st.due_date, st.overdue OR st.due_date < CURRENT_DATE, lower(t.status), t.owner_id
{TASKS_WHERE} ORDER BY st.due_date, st.task_id LIMIT %(limit)s OFFSET %(offset)s
"""
TASK_COLUMNS = (
    "id", "flow", "step", "process", "person", "person_name", "org", "org_name", "actor",
    "due_date", "overdue", "status", "assignee",
)  # fmt: skip


def _page(request) -> tuple[int, int]:
    page = max(int(request.GET.get("page", 1)), 1)
    return PAGE_SIZE, (page - 1) * PAGE_SIZE


def _rows(columns, rows) -> list[dict]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def people(request) -> JsonResponse:
    """`?path=` the committee's materialized path: its whole subtree, by id, 50 a page."""
    subtree = request.GET["path"] + "%"
    limit, offset = _page(request)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {PEOPLE_WHERE}", [subtree])
        count = cursor.fetchone()[0]
        cursor.execute(PEOPLE_PAGE, [subtree, limit, offset])
        results = _rows(PEOPLE_COLUMNS, cursor.fetchall())
    return JsonResponse({"count": count, "results": results})


def tasks(request) -> JsonResponse:
    """`?user=` the user whose inbox it is, 50 a page in due order."""
    limit, offset = _page(request)
    params = {"user": int(request.GET["user"]), "limit": limit, "offset": offset}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) {TASKS_WHERE}", params)
        count = cursor.fetchone()[0]
        cursor.execute(TASKS_PAGE, params)
        results = _rows(TASK_COLUMNS, cursor.fetchall())
    return JsonResponse({"count": count, "results": results})
