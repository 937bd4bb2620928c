"""The workflow engine's own records, beside viewflow's Process and Task tables in each county's schema."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process


class Actor(models.TextChoices):
    """Who acts on a step: the level of the organization tree, or the person the process is about."""

    APPLICANT = "applicant", _("The person themself")
    BRANCH = "branch", _("Branch")
    COMMITTEE = "committee", _("Primary committee")
    COUNTY = "county", _("County organization department")


class WorkflowProcess(Process):
    """A process of any flow: about one person, run inside one organization's subtree."""

    person = models.ForeignKey(
        "members.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workflow_processes",
    )
    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="workflow_processes"
    )

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")


class StepTask(models.Model):
    """The engine's side of one human task: the step, who acts on it, and by when."""

    task = models.OneToOneField("viewflow.Task", on_delete=models.CASCADE, related_name="step_task")
    process = models.ForeignKey(WorkflowProcess, on_delete=models.CASCADE, related_name="step_tasks")
    step = models.CharField(_("step"), max_length=50)
    actor = models.CharField(_("actor"), max_length=20, choices=Actor.choices)
    # The organization whose members act (for the person's own steps: their branch).
    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="step_tasks")
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Set by the overdue sweep, or when the step was recorded after its due date.
    overdue = models.BooleanField(_("overdue"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("step task")
        verbose_name_plural = _("step tasks")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["due_date"]), models.Index(fields=["actor", "step"])]

    def __str__(self) -> str:
        return f"{self.step} #{self.task_id}"


class StepRecord(models.Model):
    """One completed step: who, when, on whose behalf, what was decided, the event's own date, the evidence."""

    process = models.ForeignKey(WorkflowProcess, on_delete=models.CASCADE, related_name="records")
    # Empty for history imported from paper or another system.
    task = models.OneToOneField("viewflow.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="record")
    step = models.CharField(_("step"), max_length=50)
    decision = models.CharField(_("decision"), max_length=30)
    event_date = models.DateField(_("date of the event"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of_org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("on behalf of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of_person = models.ForeignKey(
        "members.Person", verbose_name=_("on behalf of"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("record"), default=dict, blank=True)
    late = models.BooleanField(_("recorded after its due date"), default=False)
    imported = models.BooleanField(_("imported"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        ordering = ["event_date", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.step} {self.event_date:%Y-%m-%d}"


class Notification(models.Model):
    """An in-app notice to an organization's role holders (the channels to phones come later)."""

    class Kind(models.TextChoices):
        OVERDUE = "overdue", _("Overdue step")

    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    process = models.ForeignKey(WorkflowProcess, on_delete=models.CASCADE, related_name="notifications")
    task = models.ForeignKey("viewflow.Task", on_delete=models.CASCADE, related_name="notifications")
    step = models.CharField(_("step"), max_length=50)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        # A rerun of the sweep finds the row and writes nothing.
        constraints = [models.UniqueConstraint(fields=["org", "task", "kind"], name="unique_notification_per_task")]

    def __str__(self) -> str:
        return f"{self.kind} {self.step} → {self.org_id}"


class Outcome(models.TextChoices):
    """How an admission ended; empty while it runs."""

    ADMITTED = "admitted", _("Admitted as a full member")
    REJECTED = "rejected", _("Application not accepted")
    PROBATION_CANCELLED = "probation_cancelled", _("Probation cancelled")


class AdmissionRecord(models.Model):
    """An admission's own dates beside its process, and the version of the rules it runs under."""

    process = models.OneToOneField(WorkflowProcess, on_delete=models.CASCADE, related_name="admission")
    person = models.ForeignKey("members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="admissions")
    applied_on = models.DateField(_("application date"))
    activist_since = models.DateField(_("activist since"), null=True, blank=True)
    # Time as an activist in another unit, which counts towards the year before candidate_decision.
    prior_activist_days = models.PositiveIntegerField(_("days as an activist elsewhere"), default=0)
    # The day the current round of cultivation began: the activist decision, or a return to cultivation.
    cultivation_since = models.DateField(_("cultivation since"), null=True, blank=True)
    candidate_since = models.DateField(_("candidate since"), null=True, blank=True)
    vote_date = models.DateField(_("date of the admission vote"), null=True, blank=True)
    probation_start = models.DateField(_("probation start"), null=True, blank=True)
    probation_end = models.DateField(_("probation end"), null=True, blank=True)
    # A probation is extended at most once; its new end is probation_end.
    extended_months = models.PositiveSmallIntegerField(_("probation extended by (months)"), null=True, blank=True)
    # Probation assessments recorded on paper before the process was imported.
    prior_probation_assessments = models.PositiveSmallIntegerField(_("probation assessments before the import"), default=0)
    converted_on = models.DateField(_("conversion effective on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    rule_version = models.CharField(_("rule version"), max_length=10)
    imported = models.BooleanField(_("imported"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("admission")
        verbose_name_plural = _("admissions")

    def __str__(self) -> str:
        return f"{self.person} {self.applied_on:%Y-%m-%d}"


# --- Disposition of unqualified members (DOMAIN.md §6) ---------------------------------------------


class Measure(models.TextChoices):
    RECTIFICATION = "rectification", _("Rectification within a deadline")
    WITHDRAWAL = "withdrawal", _("Advised withdrawal")
    REMOVAL = "removal", _("Removal")


class Grounds(models.TextChoices):
    """Why a case is opened: the grounds proposed from data (API.md), and the others of DOMAIN.md §6."""

    NO_ORG_LIFE_6M = "no_org_life_6m", _("6 consecutive months without organizational life")
    DUES_UNPAID_6M = "dues_unpaid_6m", _("6 consecutive months of dues unpaid")
    NO_ASSIGNED_WORK_6M = "no_assigned_work_6m", _("6 consecutive months without doing assigned work")
    LOST_CONTACT_6M = "lost_contact_6m", _("Lost contact for 6 months")
    LOST_CONTACT_2Y = "lost_contact_2y", _("Lost contact for 2 years")
    APPRAISAL_UNQUALIFIED = "appraisal_unqualified", _("Unqualified in the democratic appraisal")
    SCORE_UNQUALIFIED = "score_unqualified", _("Unqualified score grade")
    RECTIFICATION_UNCHANGED = "rectification_unchanged", _("Rectification period over without change")
    UNQUALIFIED_TWO_YEARS = "unqualified_two_years", _("Unqualified two years running")
    SUPERSTITION_OR_ILLEGAL_ORGANIZATION = (
        "superstition_or_illegal_organization",
        _("Superstition, religious belief or illegal organizations after repeated education"),
    )
    COLLECTIVE_PETITION = "collective_petition", _("Leading collective petitions with bad effect")


class DispositionOutcome(models.TextChoices):
    """How a case ended, or what it decided; empty while it runs."""

    RECTIFICATION = "rectification", _("Rectification ordered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REMOVED = "removed", _("Removed")
    NOT_APPROVED = "not_approved", _("Not approved")
    REVOKED = "revoked", _("Revoked on appeal")


class RectificationResult(models.TextChoices):
    IMPROVED = "improved", _("Corrected within the period")
    UNCHANGED = "unchanged", _("No change within the period")


class DispositionCase(models.Model):
    """A disposition case beside its process: the grounds, the measure as it stands, the decision and its dates."""

    process = models.OneToOneField(WorkflowProcess, on_delete=models.CASCADE, related_name="disposition")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="disposition_cases"
    )
    grounds = models.CharField(_("grounds"), max_length=50, choices=Grounds.choices)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    # Proposed at the initial determination; the investigation may change it, a refused withdrawal turns it into removal.
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    rectification_months = models.PositiveSmallIntegerField(_("rectification period (months)"))
    # The facts' reference (a discipline case or sanction number): one measure per set of facts.
    sanction_reference = models.CharField(_("reference of the facts"), max_length=100, blank=True, db_index=True)
    opened_on = models.DateField(_("opened on"))
    decided_on = models.DateField(_("approved on"), null=True, blank=True)
    notified_on = models.DateField(_("member told on"), null=True, blank=True)
    # The day the person's status changed by the decision (rectifying, withdrawn, removed).
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    rectification_deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    rectification_result = models.CharField(
        _("rectification result"), max_length=20, choices=RectificationResult.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=DispositionOutcome.choices, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disposition case")
        verbose_name_plural = _("disposition cases")
        ordering = ["-opened_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.measure} {self.opened_on:%Y-%m-%d}"


class DispositionProposal(models.Model):
    """A case proposed from data (never opened by itself); opening a case from it links the two."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="disposition_proposals"
    )
    grounds = models.CharField(_("grounds"), max_length=50, choices=Grounds.choices)
    since = models.DateField(_("since"))
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    case = models.OneToOneField(
        DispositionCase, verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="proposal"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("disposition proposal")
        verbose_name_plural = _("disposition proposals")
        ordering = ["since", "id"]
        # The same facts (person, grounds, since) are proposed once; a daily refresh finds the row.
        constraints = [models.UniqueConstraint(fields=["person", "grounds", "since"], name="unique_disposition_proposal")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.grounds} {self.since:%Y-%m-%d}"


class AppealOutcome(models.TextChoices):
    DISMISSED = "dismissed", _("Dismissed: the decision stands")
    GRANTED = "granted", _("Granted: the decision is revoked")


class DispositionAppeal(models.Model):
    """A member's appeal (申诉) against a disposition decision, answered by the upper organization."""

    case = models.ForeignKey(DispositionCase, verbose_name=_("case"), on_delete=models.PROTECT, related_name="appeals")
    process = models.OneToOneField(WorkflowProcess, on_delete=models.CASCADE, related_name="appeal")
    filed_on = models.DateField(_("filed on"))
    text = models.TextField(_("appeal"))
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=AppealOutcome.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.filed_on:%Y-%m-%d}"


class SanctionKind(models.TextChoices):
    """The disciplinary sanctions of party members (党章第四十二条), lightest first."""

    WARNING = "warning", _("Warning")
    SERIOUS_WARNING = "serious_warning", _("Serious warning")
    REMOVAL_FROM_POSTS = "removal_from_posts", _("Removal from party posts")
    PARTY_PROBATION = "party_probation", _("Probation within the party")
    EXPULSION = "expulsion", _("Expulsion from the party")


class DisciplinarySanction(models.Model):
    """A disciplinary sanction (党纪处分) decided for a member, recorded with the number of its decision.

    A disposition measure does not duplicate it for the same facts (DOMAIN.md §6); scoring reads it
    (seed 001 篇3: below probation within the party costs points, probation or heavier zeroes the year).
    """

    # 留党察看以上: probation within the party and expulsion.
    HEAVY = (SanctionKind.PARTY_PROBATION, SanctionKind.EXPULSION)

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("sanction"), max_length=30, choices=SanctionKind.choices)
    # The decision's number: the reference of the facts a disposition case may not dispose of again.
    reference = models.CharField(_("decision number"), max_length=100)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.CharField(_("decided by"), max_length=200)
    probation_months = models.PositiveSmallIntegerField(_("probation within the party (months)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("disciplinary sanction")
        verbose_name_plural = _("disciplinary sanctions")
        ordering = ["-decided_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["person", "reference"], name="one_sanction_per_decision_and_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.kind} {self.decided_on:%Y-%m-%d}"


class DevelopmentPlan(models.Model):
    """A primary committee's admission quota for a year and its structure targets (发展党员计划, set by the county)."""

    year = models.PositiveSmallIntegerField(_("year"))
    committee = models.ForeignKey(
        "orgs.Organization", verbose_name=_("primary committee"), on_delete=models.PROTECT, related_name="development_plans"
    )
    quota = models.PositiveIntegerField(_("admissions planned"))
    # The least number of the year's admissions in each group (workflows.plans.STRUCTURE_TARGETS).
    targets = models.JSONField(_("structure targets"), default=dict, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        ordering = ["-year", "committee__path"]
        constraints = [models.UniqueConstraint(fields=["year", "committee"], name="one_plan_per_committee_and_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.committee_id}: {self.quota}"


class QuotaApproval(models.Model):
    """The county's recorded approval of admissions beyond a committee's quota for the year."""

    year = models.PositiveSmallIntegerField(_("year"))
    committee = models.ForeignKey(
        "orgs.Organization", verbose_name=_("primary committee"), on_delete=models.PROTECT, related_name="quota_approvals"
    )
    places = models.PositiveIntegerField(_("places beyond the quota"))
    reason = models.TextField(_("reason"))
    approved_on = models.DateField(_("approved on"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("approval beyond the quota")
        verbose_name_plural = _("approvals beyond the quota")
        ordering = ["year", "approved_on", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.committee_id}: +{self.places}"


# --- Relation transfers (DOMAIN.md §5) -------------------------------------------------------------


class TransferKind(models.TextChoices):
    WITHIN_COUNTY = "within_county", _("Within the county")
    BETWEEN_COUNTIES = "between_counties", _("To another county on the platform")
    OUTSIDE_PLATFORM = "outside_platform", _("To an organization outside the platform")


class TransferStatus(models.TextChoices):
    DRAFT = "draft", _("Requested, waiting for approval")
    APPROVED = "approved", _("Letter issued")
    SENT = "sent", _("Letter sent")
    RECEIVED = "received", _("Letter received")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    EXPIRED = "expired", _("Letter expired")
    COMPLETED = "completed", _("Completed")


class TransferDirection(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")


class Transfer(models.Model):
    """A relation transfer beside its process (same id): the letter, where the member goes, and how it ended.

    An outgoing transfer is the sending side (and the whole of a transfer within the county); an
    incoming one is the receiving county's side of a letter from another county, keyed by the letter's
    UUID so that a letter delivered twice is one transfer.
    """

    process = models.OneToOneField(WorkflowProcess, primary_key=True, on_delete=models.CASCADE, related_name="transfer")
    direction = models.CharField(_("direction"), max_length=10, choices=TransferDirection.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=TransferKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=TransferStatus.choices, default=TransferStatus.DRAFT)
    # Incoming: empty until the letter is accepted and the person created.
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.PROTECT, related_name="transfers"
    )
    # The person as the letter names them (the receiving side has no record of them before acceptance).
    person_name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18)
    stage = models.CharField(_("stage"), max_length=20)
    # The sending side: this county's branch (outgoing), or the other county's names (incoming).
    from_org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("from"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_county_slug = models.CharField(_("from county"), max_length=40, blank=True)
    from_county_name = models.CharField(_("from county"), max_length=100, blank=True)
    from_org_name = models.CharField(_("from organization"), max_length=200, blank=True)
    # Where the member goes: a branch of this county (within; incoming once accepted), another county and
    # the organization the letter names, or an organization outside the platform and its address.
    to_org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_county_slug = models.CharField(_("to county"), max_length=40, blank=True)
    to_county_name = models.CharField(_("to county"), max_length=100, blank=True)
    to_org_name = models.CharField(_("to organization"), max_length=200, blank=True)
    to_address = models.CharField(_("address"), max_length=300, blank=True)
    reason = models.TextField(_("reason"))
    requested_on = models.DateField(_("requested on"))
    # The letter in force; a returned or expired one moves to `earlier_letters` when it is reissued.
    letter_number = models.CharField(_("letter number"), max_length=40, blank=True)
    letter_id = models.UUIDField(_("letter"), null=True, blank=True, unique=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    earlier_letters = models.JSONField(_("earlier letters"), default=list, blank=True)
    receipt_date = models.DateField(_("receipt date"), null=True, blank=True)
    return_reason = models.TextField(_("reason for the return"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Incoming: the letter as delivered (the person, the admission under way, the sealed archive).
    payload = models.JSONField(_("letter"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relation transfer")
        verbose_name_plural = _("relation transfers")
        ordering = ["-requested_on", "-process_id"]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.person_name} {self.kind} {self.letter_number}"


class LetterSequence(models.Model):
    """The county's yearly numbering of introduction letters: 2026-0001, 2026-0002, …"""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("letter number sequence")
        verbose_name_plural = _("letter number sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
