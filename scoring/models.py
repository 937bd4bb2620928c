"""Scoring of a county (DOMAIN.md §7): schemes and their versions, entries and their review, results,
joint deductions, who answers for whom, post holders, and the published lists."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Category

from .presets import PRESETS

SCORE = {"max_digits": 10, "decimal_places": 2}


class Scheme(models.Model):
    """The scheme a county uses for a year (for one member category, or for every category without its own).

    The configuration is data read by scoring.config; every edit keeps the version before it.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("member category"), max_length=30, choices=Category.choices, blank=True)
    preset = models.CharField(
        _("preset"), max_length=30, blank=True, choices=[(code, preset.label) for code, preset in PRESETS.items()]
    )
    name = models.CharField(_("name"), max_length=200)
    config = models.JSONField(_("configuration"))
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-year", "category", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "category"], name="one_scheme_per_year_and_category")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class SchemeVersion(models.Model):
    """A scheme as it was at one version: results name the version they were computed by."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    config = models.JSONField(_("configuration"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")
        ordering = ["scheme", "version"]
        constraints = [models.UniqueConstraint(fields=["scheme", "version"], name="unique_scheme_version")]

    def __str__(self) -> str:
        return f"{self.scheme} v{self.version}"


class EntryStatus(models.TextChoices):
    DECLARED = "declared", _("Declared")
    BRANCH_REVIEWED = "branch_reviewed", _("Reviewed by the branch committee")
    APPROVED = "approved", _("Approved")
    NOTICED = "noticed", _("Under public notice")
    FINAL = "final", _("Final")
    REJECTED = "rejected", _("Rejected")


# An entry counts in the results once approved; an objection upheld during the notice rejects it.
COUNTED_STATUSES = (EntryStatus.APPROVED, EntryStatus.NOTICED, EntryStatus.FINAL)


class ApprovalLevel(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("Branch general meeting")
    COMMITTEE_SECRETARY = "committee_secretary", _("Committee secretary")
    COMMITTEE_MEETING = "committee_meeting", _("Committee meeting")


class Entry(models.Model):
    """One scored event of a person: an item, its date and quantity, its evidence, and where its review stands."""

    scheme = models.ForeignKey(Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="entries")
    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey("members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="score_entries")
    # The person's organization when the entry was made: whose committee reviews it.
    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+")
    item = models.CharField(_("item"), max_length=60)
    date = models.DateField(_("date of the event"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, default=1)
    note = models.TextField(_("note"), blank=True)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.DECLARED)
    approval_level = models.CharField(_("approved by"), max_length=30, choices=ApprovalLevel.choices)
    # "member" (declared by the person), "branch" (recorded by the branch), or the feed that proposed it.
    source = models.CharField(_("source"), max_length=30)
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    notice_ends_on = models.DateField(_("public notice ends on"), null=True, blank=True)
    # The review process (workflows.flows.scoring) that takes the entry through its review and approval.
    process = models.OneToOneField(
        "workflows.WorkflowProcess", null=True, blank=True, on_delete=models.SET_NULL, related_name="score_entry"
    )
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score entry")
        verbose_name_plural = _("score entries")
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["year", "status", "person"]),
            models.Index(fields=["org", "status"]),
        ]
        constraints = [
            # A feed proposes each fact once, however often it runs.
            models.UniqueConstraint(fields=["source_ref"], condition=~Q(source_ref=""), name="unique_entry_source_ref")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.item} {self.date:%Y-%m-%d}"


class EntryDecision(models.Model):
    """One step of an entry's review: who, the event's date, what was decided, why."""

    class Step(models.TextChoices):
        DECLARATION = "declaration", _("Declaration")
        BRANCH_REVIEW = "branch_review", _("Branch committee review")
        APPROVAL = "approval", _("Approval")
        PUBLIC_NOTICE = "public_notice", _("Public notice")
        OBJECTION = "objection", _("Objection answered")
        FINAL = "final", _("Final")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="decisions")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    decision = models.CharField(_("decision"), max_length=20)
    event_date = models.DateField(_("date of the event"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("entry decision")
        verbose_name_plural = _("entry decisions")
        ordering = ["entry", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.step} {self.decision}"


class Objection(models.Model):
    """An objection raised during the public notice, and its answer."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    raised_on = models.DateField(_("raised on"))
    text = models.TextField(_("objection"))
    answer = models.TextField(_("answer"), blank=True)
    upheld = models.BooleanField(_("upheld"), null=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.raised_on:%Y-%m-%d}"


class Result(models.Model):
    """A person's score for a year, as the engine computed it from the entries that count."""

    person = models.ForeignKey("members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="score_results")
    year = models.PositiveSmallIntegerField(_("year"))
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="results")
    scheme_version = models.PositiveIntegerField(_("scheme version"))
    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+")
    stage = models.CharField(_("stage"), max_length=20)
    total = models.DecimalField(_("total"), **SCORE)
    components = models.JSONField(_("components"), default=dict)
    months = models.JSONField(_("months"), default=dict, blank=True)
    grade = models.CharField(_("grade"), max_length=30, blank=True)
    vetoed_by = models.CharField(_("vetoed by"), max_length=60, blank=True)
    consequences = models.JSONField(_("consequences"), default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score result")
        verbose_name_plural = _("score results")
        ordering = ["year", "org", "-total", "person"]
        indexes = [models.Index(fields=["year", "org"]), models.Index(fields=["year", "grade"])]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="one_result_per_person_and_year")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.year}: {self.total}"


class LiableRole(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", _("Branch secretary")
    GROUP_LEADER = "group_leader", _("Party group leader")
    SUPERVISING_LEADER = "supervising_leader", _("Supervising leader")
    LIAISON_LEADER = "liaison_leader", _("Liaison leader")


class Responsibility(models.Model):
    """Who answers for an organization's members under joint liability (连带责任).

    A branch secretary without a record here is the person of the user holding the branch_secretary role.
    """

    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=30, choices=LiableRole.choices)
    person = models.ForeignKey("members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        constraints = [models.UniqueConstraint(fields=["org", "role"], name="one_liable_person_per_org_and_role")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.role}: {self.person_id}"


class JointDeduction(models.Model):
    """A share of a member's deduction passed on to a liable leader; it counts in the leader's result."""

    year = models.PositiveSmallIntegerField(_("year"))
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="joint_deductions")
    person = models.ForeignKey("members.Person", verbose_name=_("liable person"), on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=30, choices=LiableRole.choices)
    points = models.DecimalField(_("points"), max_digits=12, decimal_places=4)

    class Meta:
        verbose_name = _("joint deduction")
        verbose_name_plural = _("joint deductions")
        indexes = [models.Index(fields=["year", "person"])]

    def __str__(self) -> str:
        return f"{self.person_id} −{self.points}"


class PostKind(models.TextChoices):
    PARTY = "party", _("Party post")
    ADMINISTRATIVE = "administrative", _("Administrative post")


class PostHolding(models.Model):
    """A party or administrative post a member holds: their deductions cost more (seed 001, ×1.1)."""

    person = models.ForeignKey("members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("post"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=PostKind.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        ordering = ["person", "started_on"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.title}"


class Period(models.TextChoices):
    Q1 = "q1", _("First quarter")
    Q2 = "q2", _("Second quarter")
    Q3 = "q3", _("Third quarter")
    Q4 = "q4", _("Fourth quarter")
    H1 = "h1", _("First half-year")
    H2 = "h2", _("Second half-year")
    YEAR = "year", _("Year")


class Publication(models.Model):
    """A list of scores made public: the quarterly summary, the half-year notice (the red and yellow
    lists) and the annual report to the primary committee. Rows are a snapshot at publication."""

    class Kind(models.TextChoices):
        SUMMARY = "summary", _("Quarterly summary")
        NOTICE = "notice", _("Half-year public notice")
        REPORT = "report", _("Annual report")

    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    rows = models.JSONField(_("rows"), default=list)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_on = models.DateField(_("published on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("score publication")
        verbose_name_plural = _("score publications")
        ordering = ["-year", "-published_on", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "year", "period"], name="one_publication_per_period")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year} {self.period}"


auditlog.register(Scheme)
auditlog.register(Entry)
auditlog.register(Objection)
auditlog.register(Responsibility)
auditlog.register(PostHolding)


# Organization assessments keep their models in their own module; importing them here registers them with this app.
from .assessment.models import (  # noqa: E402, F401
    Assessment,
    AssessmentFinding,
    AssessmentScheme,
    Evidence,
    IndicatorScore,
    RectificationTask,
    SecretaryFlag,
    WeakOrganization,
)
