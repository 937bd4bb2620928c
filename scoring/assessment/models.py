"""Organization assessments (DOMAIN.md §10): indicator systems, the yearly assessment of an organization
with its sheets, evidence and findings, the secretary flagged after two unqualified results in a term,
and the weak and lax organizations with their rectification.

These models belong to the scoring app (scoring/models.py imports them) and migrate with it.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .presets import PRESETS

POINTS = {"max_digits": 8, "decimal_places": 2}


class AssessmentScheme(models.Model):
    """An indicator system a county uses in a year, for the kinds of organization it names.

    The configuration is data read by scoring.assessment.config; an assessment keeps a copy of it from
    the day it opens, so a later edit changes only the assessments opened after it.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    preset = models.CharField(
        _("preset"), max_length=30, blank=True, choices=[(code, preset.label) for code, preset in PRESETS.items()]
    )
    org_kinds = models.JSONField(_("kinds of organization assessed"), default=list)
    config = models.JSONField(_("indicator system"))
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator system")
        verbose_name_plural = _("indicator systems")
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="one_assessment_scheme_name_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class AssessmentStatus(models.TextChoices):
    OPEN = "open", _("Under way")
    CONFIRMED = "confirmed", _("Result confirmed")


class Assessment(models.Model):
    """One organization's assessment for one year: the stages' scores, the weighted result, its grade and stars."""

    scheme = models.ForeignKey(AssessmentScheme, verbose_name=_("indicator system"), on_delete=models.PROTECT, related_name="assessments")
    scheme_version = models.PositiveIntegerField(_("version of the indicator system"))
    config = models.JSONField(_("indicator system as opened"))
    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("year"))
    process = models.OneToOneField(
        "workflows.WorkflowProcess", null=True, blank=True, on_delete=models.SET_NULL, related_name="org_assessment"
    )
    status = models.CharField(_("status"), max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.OPEN)
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("stages due by"), null=True, blank=True)
    # The day the automatic evidence was read as of (the year's last day, or earlier while it runs).
    evidence_as_of = models.DateField(_("evidence as of"), null=True, blank=True)
    self_report = models.TextField(_("self-report"), blank=True)
    # Per sheet stage ("self", "onsite"): {"total": "92.50", "indicators": {code: points}, "penalties": ...}.
    sheets = models.JSONField(_("sheets"), default=dict, blank=True)
    self_score = models.DecimalField(_("self-assessment"), null=True, blank=True, **POINTS)
    onsite_score = models.DecimalField(_("on-site check"), null=True, blank=True, **POINTS)
    report_meeting_on = models.DateField(_("report appraisal meeting on"), null=True, blank=True)
    report_summary = models.TextField(_("secretary's report"), blank=True)
    report_appraisers = models.PositiveIntegerField(_("appraisers"), null=True, blank=True)
    report_score = models.DecimalField(_("report appraisal"), null=True, blank=True, **POINTS)
    survey = models.JSONField(_("satisfaction ballots"), default=dict, blank=True)
    satisfaction_score = models.DecimalField(_("satisfaction"), null=True, blank=True, **POINTS)
    total = models.DecimalField(_("total"), null=True, blank=True, **POINTS)
    grade = models.CharField(_("grade"), max_length=30, blank=True)
    vetoed_by = models.CharField(_("vetoed by"), max_length=60, blank=True)
    stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    excluded_from_awards = models.BooleanField(_("excluded from awards"), default=False)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organization assessment")
        verbose_name_plural = _("organization assessments")
        ordering = ["-year", "org__path"]
        indexes = [models.Index(fields=["year", "status"]), models.Index(fields=["year", "grade"])]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_assessment_per_org_and_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


class SheetStage(models.TextChoices):
    SELF = "self", _("Self-assessment")
    ONSITE = "onsite", _("On-site check")


class Evidence(models.Model):
    """What the system knew for one criterion when it was read: its source, the suggestion and the facts."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.CharField(_("criterion"), max_length=60)
    source = models.CharField(_("source"), max_length=30)
    suggested = models.DecimalField(_("suggested"), null=True, blank=True, **POINTS)
    text = models.TextField(_("what the system found"))
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    as_of = models.DateField(_("as of"))

    class Meta:
        verbose_name = _("automatic evidence")
        verbose_name_plural = _("automatic evidence")
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "criterion"], name="one_evidence_per_criterion")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.criterion}: {self.suggested}"


class IndicatorScore(models.Model):
    """One criterion on one sheet: the points given (or the occurrences of a deduction), and, where the
    system suggested a value, whether the assessor confirmed it or overrode it, and why."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    stage = models.CharField(_("sheet"), max_length=10, choices=SheetStage.choices)
    criterion = models.CharField(_("criterion"), max_length=60)
    value = models.DecimalField(_("value"), **POINTS)
    suggested = models.DecimalField(_("suggested"), null=True, blank=True, **POINTS)
    source = models.CharField(_("source"), max_length=30, blank=True)
    overridden = models.BooleanField(_("overrides the suggestion"), default=False)
    reason = models.TextField(_("reason"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        ordering = ["assessment", "stage", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "stage", "criterion"], name="one_score_per_sheet_criterion")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.stage} {self.criterion}: {self.value}"


class FindingKind(models.TextChoices):
    VETO = "veto", _("One-vote veto")
    EXCLUSION = "exclusion", _("Excluded from awards")


class AssessmentFinding(models.Model):
    """A one-vote veto or an exclusion from awards found during the assessment, with its evidence."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(_("kind"), max_length=20, choices=FindingKind.choices)
    code = models.CharField(_("finding"), max_length=60)
    reason = models.TextField(_("reason"))
    evidence = models.TextField(_("evidence"), blank=True)
    event_date = models.DateField(_("date of the event"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment finding")
        verbose_name_plural = _("assessment findings")
        ordering = ["assessment", "event_date", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="one_finding_per_code")]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.code}"


class SecretaryFlag(models.Model):
    """Two unqualified results within one term: the county decides on the secretary's adjustment (seed 001 第十条)."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+")
    secretary = models.ForeignKey(
        "members.Person", verbose_name=_("secretary"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    term_started_on = models.DateField(_("term started on"), null=True, blank=True)
    years = models.JSONField(_("unqualified years"), default=list)
    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="secretary_flag")
    raised_on = models.DateField(_("raised on"))
    measure = models.TextField(_("measure taken"), blank=True)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("secretary flagged")
        verbose_name_plural = _("secretaries flagged")
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return f"{self.org} {self.years}"


class WeakStatus(models.TextChoices):
    LISTED = "listed", _("Listed")
    RECTIFYING = "rectifying", _("Rectification under way")
    RECTIFIED = "rectified", _("Rectified")


class WeakOrganization(models.Model):
    """A weak and lax organization (软弱涣散) of a year, its rectification plan and its deadline."""

    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    reasons = models.TextField(_("reasons"))
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="weak_listings")
    listed_on = models.DateField(_("listed on"))
    listed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=WeakStatus.choices, default=WeakStatus.LISTED)
    plan = models.TextField(_("rectification plan"), blank=True)
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    planned_on = models.DateField(_("plan set on"), null=True, blank=True)
    closed_on = models.DateField(_("rectified on"), null=True, blank=True)
    closing_note = models.TextField(_("assessment of the rectification"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("weak and lax organization")
        verbose_name_plural = _("weak and lax organizations")
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_weak_listing_per_org_and_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"


class RectificationTask(models.Model):
    """One task of a rectification plan, with its own deadline and when it was done."""

    weak = models.ForeignKey(WeakOrganization, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    deadline = models.DateField(_("deadline"))
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["weak", "deadline", "id"]

    def __str__(self) -> str:
        return f"{self.weak_id} {self.title}"


auditlog.register(AssessmentScheme)
auditlog.register(Assessment)
auditlog.register(IndicatorScore)
auditlog.register(AssessmentFinding)
auditlog.register(SecretaryFlag)
auditlog.register(WeakOrganization)
auditlog.register(RectificationTask)
