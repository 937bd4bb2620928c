"""The organization tree of a county and the roles users hold on it."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    COUNTY = "county", _("County organization department")
    COMMITTEE = "committee", _("Primary committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    JOINT_BRANCH = "joint_branch", _("Joint branch")
    TEMPORARY_BRANCH = "temporary_branch", _("Temporary branch")
    GROUP = "group", _("Party group")


BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH)

# Which kinds may sit directly under which: the tree reads county → committee → general branch
# → branch → party group.
ALLOWED_PARENT_KINDS = {
    OrgKind.COUNTY: (),
    OrgKind.COMMITTEE: (OrgKind.COUNTY, OrgKind.COMMITTEE),
    OrgKind.GENERAL_BRANCH: (OrgKind.COMMITTEE,),
    OrgKind.BRANCH: (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
    OrgKind.JOINT_BRANCH: (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
    OrgKind.TEMPORARY_BRANCH: (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH),
    OrgKind.GROUP: BRANCH_KINDS,
}


class Organization(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialized path of ids ("/1/4/9/"): a subtree is one indexed prefix match.
    path = models.CharField(max_length=500, editable=False, db_index=True, default="")
    # Only a township or street committee approves admissions; a village or enterprise committee does not.
    approval_authority = models.BooleanField(_("has approval authority"), default=False)
    units = models.PositiveSmallIntegerField(_("units covered"), default=1)
    term_started_on = models.DateField(_("current term started on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    def ancestors(self) -> models.QuerySet["Organization"]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        return Organization.objects.filter(id__in=ids).exclude(id=self.id)

    def subtree(self) -> models.QuerySet["Organization"]:
        return Organization.objects.filter(path__startswith=self.path)


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("County administrator")
    COMMITTEE_REVIEWER = "committee_reviewer", _("Committee reviewer")
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    BRANCH_COMMITTEE = "branch_committee", _("Branch committee member")


class RoleAssignment(models.Model):
    """A user's role on an organization; it covers the organization's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    org = models.ForeignKey(Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "org", "role"], name="unique_role_assignment")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org}"


@auditlog.register()
class CountySetting(models.Model):
    """A value a county sets (DOMAIN.md §11), in force from its date until the next value of the same key.

    Read it with orgs.county_settings.setting(key, on=date), so a past period is computed by the value
    in force then. Defaults live in orgs.rules.COUNTY_SETTING_DEFAULTS.
    """

    key = models.CharField(_("setting"), max_length=100)
    value = models.JSONField(_("value"))
    effective_from = models.DateField(_("in force from"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("county setting")
        verbose_name_plural = _("county settings")
        ordering = ["key", "effective_from"]
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="unique_setting_per_day")]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.effective_from:%Y-%m-%d})"


# Organizational life keeps its models in their own module; importing them here registers them with this app.
from .life.models import (  # noqa: E402, F401
    Appraisal,
    AppraisalResult,
    Attendance,
    CareRecipient,
    CareVisit,
    CommunityFeedback,
    CommunityRegistration,
    CommunityService,
    ElectedOfficer,
    Election,
    Meeting,
    Post,
    PostWork,
    Reminder,
)
