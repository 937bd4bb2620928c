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


def _validate_approval_authority(kind: str, approval_authority: bool) -> None:
    # Only committees approve; a township or street committee does, a village or enterprise one does not.
    if approval_authority and kind not in (OrgKind.COMMITTEE, OrgKind.COUNTY):
        raise RuleViolation(_("Only a primary committee can have approval authority."), field="approval_authority")


def create_organization(
    *, actor, name: str, kind: str, parent: Organization, approval_authority: bool | None = None, **fields
) -> Organization:
    validate_placement(kind, parent)
    if approval_authority is None:
        approval_authority = kind == OrgKind.COMMITTEE
    _validate_approval_authority(kind, approval_authority)
    with action(actor):
        org = Organization.objects.create(
            name=name, kind=kind, parent=parent, approval_authority=approval_authority, **fields
        )
        _set_path(org)
    return org


# Fields an organization may change in place; moving it or changing its kind is a reorganization.
EDITABLE_ORGANIZATION_FIELDS = frozenset({"name", "units", "term_started_on", "approval_authority"})


def update_organization(*, actor, org: Organization, **changes) -> Organization:
    unknown = set(changes) - EDITABLE_ORGANIZATION_FIELDS
    if unknown:
        raise TypeError(f"update_organization() cannot change {sorted(unknown)}")
    if "approval_authority" in changes:
        _validate_approval_authority(org.kind, changes["approval_authority"])
    with action(actor):
        for field, value in changes.items():
            setattr(org, field, value)
        org.save()
    return org


# The branch roles are held where a branch committee (or general branch committee) is elected.
BRANCH_ROLE_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH, OrgKind.GENERAL_BRANCH)


def assign_role(*, actor, user, org: Organization, role: str) -> RoleAssignment:
    if RoleAssignment.objects.filter(user=user, org=org, role=role).exists():
        raise RuleViolation(_("This user already holds this role on this organization."), field="role")
    if role == Role.COUNTY_ADMIN and org.kind != OrgKind.COUNTY:
        raise RuleViolation(
            _("The county administrator role is held on the county organization department."), field="org"
        )
    if role == Role.COMMITTEE_REVIEWER and org.kind not in (OrgKind.COMMITTEE, OrgKind.COUNTY):
        raise RuleViolation(_("A committee reviewer is assigned to a primary committee."), field="org")
    if role in (Role.BRANCH_SECRETARY, Role.BRANCH_COMMITTEE) and org.kind not in BRANCH_ROLE_KINDS:
        raise RuleViolation(_("Branch secretaries and branch committee members are assigned to a branch."), field="org")
    with action(actor):
        return RoleAssignment.objects.create(user=user, org=org, role=role)


def revoke_role(*, actor, assignment: RoleAssignment) -> None:
    with action(actor):
        assignment.delete()
