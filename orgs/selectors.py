"""Reads of the organization tree."""

from django.db.models import Count, Q, QuerySet

from .models import Organization, Role, RoleAssignment


def subtree_filter(orgs: QuerySet[Organization] | list[Organization], field: str = "") -> Q:
    """A Q matching rows whose organization (at `field`, e.g. "org__") lies in any of orgs' subtrees."""
    condition = Q(pk__in=[])
    for org in orgs:
        condition |= Q(**{f"{field}path__startswith": org.path})
    return condition


def orgs_in_subtrees(orgs) -> QuerySet[Organization]:
    return Organization.objects.filter(subtree_filter(orgs))


def root_organization() -> Organization:
    return Organization.objects.get(parent__isnull=True)


def primary_committee_of(org: Organization) -> Organization | None:
    """The nearest committee with approval authority above (or at) org."""
    chain = list(Organization.objects.filter(id__in=[int(p) for p in org.path.strip("/").split("/") if p]))
    chain.sort(key=lambda o: len(o.path), reverse=True)
    for candidate in chain:
        if candidate.kind == "committee" and candidate.approval_authority:
            return candidate
    return None


def branch_of(org: Organization) -> Organization | None:
    """The branch a party group belongs to, or the branch itself."""
    if org.is_branch:
        return org
    if org.kind == "group" and org.parent is not None:
        return org.parent
    return None


def full_member_count(org: Organization) -> int:
    """Full members on the active roll anywhere in org's subtree (its party groups included)."""
    from members.models import Person, Stage, Status

    return Person.objects.filter(org__path__startswith=org.path, stage=Stage.FULL, status=Status.ACTIVE).count()


def group_member_counts(group: Organization) -> tuple[int, int]:
    """(party members, full members) of a party group; applicants, activists and candidates are not members yet."""
    from members.models import Person, Stage, Status

    counts = Person.objects.filter(
        org__path__startswith=group.path, status=Status.ACTIVE, stage__in=(Stage.PROBATIONARY, Stage.FULL)
    ).aggregate(members=Count("id"), full=Count("id", filter=Q(stage=Stage.FULL)))
    return counts["members"], counts["full"]


def branch_officer_count(branch: Organization) -> tuple[int, bool]:
    """(people on the branch committee, whether one is the secretary), from the roles held on the branch."""
    officers = RoleAssignment.objects.filter(org=branch, role__in=(Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE))
    return (
        officers.values("user").distinct().count(),
        officers.filter(role=Role.BRANCH_SECRETARY).exists(),
    )
