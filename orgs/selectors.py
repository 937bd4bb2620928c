"""Reads of the organization tree."""

from django.db.models import Q, QuerySet

from .models import Organization


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
