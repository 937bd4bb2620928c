"""The one place that answers "may this user do this here". Pages, the API and flows all ask it.

A role is held on an organization and covers that organization's whole subtree.
"""

from functools import reduce
from operator import or_

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, Lookup, Q

from .models import Organization, Role, RoleAssignment

ALL_ROLES = frozenset(Role.values)

# Which roles grant which capability.
CAPABILITIES: dict[str, frozenset[str]] = {
    "view_org": ALL_ROLES,
    "manage_orgs": frozenset({Role.COUNTY_ADMIN, Role.COMMITTEE_REVIEWER}),
    "view_person": ALL_ROLES,
    # A full ID number is shown on an explicit, logged request, to the county and to the committee in
    # charge of the person (docs/decisions/0010-personal-data.md); everyone else sees it masked.
    "view_id_number": frozenset({Role.COUNTY_ADMIN, Role.COMMITTEE_REVIEWER}),
    "change_person": ALL_ROLES,
    "import_people": frozenset({Role.COUNTY_ADMIN, Role.COMMITTEE_REVIEWER, Role.BRANCH_SECRETARY}),
    "manage_users": frozenset({Role.COUNTY_ADMIN}),
    "manage_roles": frozenset({Role.COUNTY_ADMIN}),
    "act_branch_step": frozenset({Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE}),
    "act_committee_step": frozenset({Role.COMMITTEE_REVIEWER}),
    "act_county_step": frozenset({Role.COUNTY_ADMIN}),
    "oversee_processes": ALL_ROLES,
    # Scoring (DOMAIN.md §7): the branch records and reviews entries and records its general meeting's
    # approval; the primary committee approves what its secretary or meeting must; the county sets schemes.
    "view_scores": ALL_ROLES,
    "record_score": ALL_ROLES,
    "review_score": frozenset({Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE}),
    "approve_score": frozenset({Role.COMMITTEE_REVIEWER}),
    "publish_scores": ALL_ROLES,
    "manage_schemes": frozenset({Role.COUNTY_ADMIN}),
    # Dues (DOMAIN.md §8): branches collect and keep the ledgers; relief is approved a level up,
    # except for retirees, where the branch decides.
    "view_dues": ALL_ROLES,
    "manage_dues": ALL_ROLES,
    "propose_relief": frozenset({Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE}),
    "approve_relief": frozenset({Role.COMMITTEE_REVIEWER, Role.COUNTY_ADMIN}),
    "approve_retiree_relief": ALL_ROLES,
    "settle_centre_share": frozenset({Role.COUNTY_ADMIN}),
    # Organizational life (DOMAIN.md §2): branches record their meetings, appraisals and posts; every role
    # above sees them. Elections, care and community registration are recorded at any level of the tree.
    "view_org_life": ALL_ROLES,
    "record_meeting": frozenset({Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE}),
    "run_appraisal": frozenset({Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE}),
    "assign_posts": frozenset({Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE}),
    "record_election": ALL_ROLES,
    "manage_care": ALL_ROLES,
    "manage_community_registration": ALL_ROLES,
    "manage_county_settings": frozenset({Role.COUNTY_ADMIN}),
    # Disposition (DOMAIN.md §6): the branch makes the initial determination; every role above follows
    # the cases and may record a member's paper appeal; the county refreshes the proposals on demand.
    "view_dispositions": ALL_ROLES,
    "open_disposition": frozenset({Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE}),
    "record_appeal": ALL_ROLES,
    "refresh_disposition_proposals": frozenset({Role.COUNTY_ADMIN}),
    # Organization assessments (DOMAIN.md §10): every role sees the assessments in its subtree; the organization
    # above opens and scores them (the county for primary committees); the county sets the indicator systems and
    # decides on flagged secretaries; the assessing organizations list weak and lax ones and close their
    # rectification, which the organization itself carries out.
    "view_assessments": ALL_ROLES,
    "manage_assessment_schemes": frozenset({Role.COUNTY_ADMIN}),
    "open_assessments": frozenset({Role.COUNTY_ADMIN, Role.COMMITTEE_REVIEWER}),
    "manage_rectification": frozenset({Role.COUNTY_ADMIN, Role.COMMITTEE_REVIEWER}),
    "record_rectification": ALL_ROLES,
    "handle_secretary_flags": frozenset({Role.COUNTY_ADMIN}),
    # Disciplinary sanctions are decided outside the platform; the primary committee or the county records them.
    "record_sanction": frozenset({Role.COMMITTEE_REVIEWER, Role.COUNTY_ADMIN}),
    # Mobile members (DOMAIN.md §5): the origin branch registers them, keeps the contact log and has the
    # certificate reviewed; the primary committee decides a suspension after 6 months of lost contact.
    "view_mobile_members": ALL_ROLES,
    "manage_mobile_members": ALL_ROLES,
    "suspend_lost_contact": frozenset({Role.COMMITTEE_REVIEWER, Role.COUNTY_ADMIN}),
    # The member archive (DOMAIN.md §9): any role may ask to read an archive of its scope, with a reason;
    # the committee leader in charge (or the county) approves; relatives are recorded by any role.
    "request_archive_access": ALL_ROLES,
    "approve_archive_access": frozenset({Role.COMMITTEE_REVIEWER, Role.COUNTY_ADMIN}),
    "manage_relatives": ALL_ROLES,
    # Relation transfers (DOMAIN.md §5): any role requests one for a member of its subtree; the committee
    # (or the county) that issues letters registers the paper receipt of a letter outside the platform.
    "view_transfers": ALL_ROLES,
    "request_transfer": ALL_ROLES,
    "register_receipt": frozenset({Role.COMMITTEE_REVIEWER, Role.COUNTY_ADMIN}),
    # Dashboards (issue 9): the county and the primary committees read the figures of their subtree;
    # branches keep their own lists.
    "view_dashboard": frozenset({Role.COUNTY_ADMIN, Role.COMMITTEE_REVIEWER}),
}


def _assignments(user) -> list[RoleAssignment]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_xianfeng_roles", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("org"))
        user._xianfeng_roles = cached
    return cached


def roots(user, capability: str) -> list[Organization]:
    """The organizations whose subtrees the user's roles open for this capability."""
    granting = CAPABILITIES[capability]
    return [a.org for a in _assignments(user) if a.role in granting]


def organization(user, pk: int) -> Organization | None:
    """The organization with this id: one the user holds a role on comes with the roles, without a query."""
    held = next((a.org for a in _assignments(user) if a.org_id == pk), None)
    return held or Organization.objects.filter(pk=pk).first()


def can(user, capability: str, org: Organization | None) -> bool:
    if org is None:
        return False
    return any(org.path.startswith(root.path) for root in roots(user, capability))


def scope(user, capability: str, field: str = "org__") -> Q:
    """A filter for rows (whose organization sits at `field`) inside the user's scope."""
    condition = Q(pk__in=[])
    for root in roots(user, capability):
        condition |= Q(**{f"{field}path__startswith": root.path})
    return condition


class AnyOf(Lookup):
    """`lhs = ANY(rhs)`, rhs an array: a condition PostgreSQL can answer from an index on lhs, also inside an OR."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def scope_ids(user, capability: str, field: str = "org_id") -> Q:
    """scope() on the row's own organization id: `field = ANY(ARRAY(ids of the subtrees))`.

    A path condition needs a join to the organization, and ORed with conditions on the row's table (as in
    workflows.engine.actionable) it makes PostgreSQL join every row before filtering; on the id, it reads
    just the subtrees' rows through the index on `field`."""
    paths = [Q(path__startswith=root.path) for root in roots(user, capability)]
    if not paths:
        return Q(pk__in=[])
    return Q(AnyOf(F(field), ArraySubquery(Organization.objects.filter(reduce(or_, paths)).order_by().values("id"))))


def is_county_admin(user) -> bool:
    return bool(roots(user, "manage_users"))


def forget(user) -> None:
    """Drop the per-request cache of the user's roles (after roles change)."""
    if hasattr(user, "_xianfeng_roles"):
        del user._xianfeng_roles
