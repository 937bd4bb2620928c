"""Writes to the organization tree and to role assignments. Each is one audited action."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.actions import action
from core.exceptions import RuleViolation

from .models import ALLOWED_PARENT_KINDS, Organization, OrgKind, Role, RoleAssignment


def _set_path(org: Organization) -> None:
    org.path = f"{org.parent.path if org.parent else '/'}{org.pk}/"
    Organization.objects.filter(pk=org.pk).update(path=org.path)


def create_root_organization(*, name: str, admin_username: str, admin_password: str) -> Organization:
    """The county organization department at the top of a new county's tree, and its first admin."""
    root = Organization.objects.create(name=name, kind=OrgKind.COUNTY, approval_authority=True)
    _set_path(root)
    admin = get_user_model().objects.create_user(username=admin_username, password=admin_password)
    RoleAssignment.objects.create(user=admin, org=root, role=Role.COUNTY_ADMIN)
    return root


def validate_placement(kind: str, parent: Organization | None) -> None:
    if kind == OrgKind.COUNTY:
        raise RuleViolation(_("A county has exactly one county organization department."), field="kind")
    if parent is None:
        raise RuleViolation(_("Choose the organization above this one."), field="parent")
    if parent.kind not in ALLOWED_PARENT_KINDS[OrgKind(kind)]:
        raise RuleViolation(
            _("A %(kind)s cannot be placed under a %(parent)s.")
            % {"kind": OrgKind(kind).label, "parent": OrgKind(parent.kind).label},
            field="parent",
        )


def create_organization(
    *, actor, name: str, kind: str, parent: Organization, approval_authority: bool | None = None, **fields
) -> Organization:
    validate_placement(kind, parent)
    if approval_authority is None:
        approval_authority = kind == OrgKind.COMMITTEE
    with action(actor):
        org = Organization.objects.create(
            name=name, kind=kind, parent=parent, approval_authority=approval_authority, **fields
        )
        _set_path(org)
    return org


def assign_role(*, actor, user, org: Organization, role: str) -> RoleAssignment:
    if RoleAssignment.objects.filter(user=user, org=org, role=role).exists():
        raise RuleViolation(_("This user already holds this role on this organization."), field="role")
    if role == Role.COUNTY_ADMIN and org.kind != OrgKind.COUNTY:
        raise RuleViolation(_("The county administrator role is held on the county organization department."), field="org")
    if role == Role.COMMITTEE_REVIEWER and org.kind not in (OrgKind.COMMITTEE, OrgKind.COUNTY):
        raise RuleViolation(_("A committee reviewer is assigned to a primary committee."), field="org")
    with action(actor):
        return RoleAssignment.objects.create(user=user, org=org, role=role)


def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    with action(actor):
        assignment.delete()
