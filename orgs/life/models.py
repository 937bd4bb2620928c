"""Organizational life (DOMAIN.md §2): meetings and attendance, democratic appraisal, elections,
care visits, posts for members (设岗定责), on-the-job members' registration with their residential
community (双报到), and the reminders sent to branches.

These models belong to the orgs app (orgs/models.py imports them) and migrate with it.
"""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orgs.models import Organization


class MeetingKind(models.TextChoices):
    GENERAL_MEETING = "general_meeting", _("Branch general meeting")
    COMMITTEE_MEETING = "committee_meeting", _("Branch committee meeting")
    GROUP_MEETING = "group_meeting", _("Party group meeting")
    LECTURE = "lecture", _("Party lecture")
    THEMED_DAY = "themed_day", _("Themed party day")
    LIFE_MEETING = "life_meeting", _("Organizational life meeting")
    APPRAISAL = "appraisal", _("Democratic appraisal")


@auditlog.register()
class Meeting(models.Model):
    """One meeting as it happened: who held it, when, about what, and who came."""

    org = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MeetingKind.choices)
    date = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=200)
    minutes = models.TextField(_("minutes"), blank=True)
    lecturer = models.CharField(_("lecturer"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["org", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


@auditlog.register()
class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    reason = models.CharField(_("reason for the absence"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "person_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="unique_attendance")]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status}"


POLITICAL_BIRTHDAY = "political_birthday"
# A reminder is about a meeting the branch owes, or a member's political birthday.
REMINDER_KINDS = [*MeetingKind.choices, (POLITICAL_BIRTHDAY, _("Political birthday"))]


class Reminder(models.Model):
    """A reminder to an organization's role holders (and, for a political birthday, a greeting to the member)."""

    org = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="life_reminders"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=REMINDER_KINDS)
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    due_on = models.DateField(_("due on"))
    # What the reminder is about ("lecture:2026-10-01", "birthday:12:2026"): a rerun finds it and writes nothing.
    key = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "key"], name="unique_life_reminder")]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on:%Y-%m-%d} → {self.org_id}"


class Grade(models.TextChoices):
    QUALIFIED = "qualified", _("Qualified")
    BASICALLY_QUALIFIED = "basically_qualified", _("Basically qualified")
    UNQUALIFIED = "unqualified", _("Unqualified")


class MassesOpinion(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


@auditlog.register()
class Appraisal(models.Model):
    """A branch's democratic appraisal of its members for one year."""

    org = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="appraisals"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("appraisal meeting"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The county's options in force when the appraisal was opened; the appraisal keeps them.
    two_ballot_rule = models.BooleanField(_("two-ballot rule"))
    masses_ballots = models.BooleanField(_("the masses vote"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("democratic appraisal")
        verbose_name_plural = _("democratic appraisals")
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="unique_appraisal_per_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"

    @property
    def is_decided(self) -> bool:
        return self.decided_on is not None


@auditlog.register()
class AppraisalResult(models.Model):
    """One member in one appraisal: the self-assessment, the counted ballots, and the grade decided."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="appraisal_results"
    )
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    self_assessed_on = models.DateField(_("self-assessed on"), null=True, blank=True)
    member_qualified = models.PositiveIntegerField(default=0)
    member_basically_qualified = models.PositiveIntegerField(default=0)
    member_unqualified = models.PositiveIntegerField(default=0)
    masses_satisfied = models.PositiveIntegerField(default=0)
    masses_basically_satisfied = models.PositiveIntegerField(default=0)
    masses_unsatisfied = models.PositiveIntegerField(default=0)
    grade = models.CharField(_("grade"), max_length=30, choices=Grade.choices, blank=True)

    class Meta:
        verbose_name = _("appraisal result")
        verbose_name_plural = _("appraisal results")
        ordering = ["appraisal", "person_id"]
        constraints = [models.UniqueConstraint(fields=["appraisal", "person"], name="unique_appraisal_result")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.grade or '-'}"


class Position(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANIZATION = "organization", _("Organization member")
    PROPAGANDA = "propaganda", _("Propaganda member")
    DISCIPLINE = "discipline", _("Discipline member")
    MEMBER = "member", _("Committee member")


@auditlog.register()
class Election(models.Model):
    """A branch or committee election: approved by the upper committee before, filed with it after."""

    org = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="elections"
    )
    approved_on = models.DateField(_("approved by the upper committee on"))
    held_on = models.DateField(_("held on"))
    filed_on = models.DateField(_("filed with the upper committee on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.org} {self.held_on:%Y-%m-%d}"


@auditlog.register()
class ElectedOfficer(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="officers")
    person = models.ForeignKey("members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=30, choices=Position.choices)

    class Meta:
        verbose_name = _("elected officer")
        verbose_name_plural = _("elected officers")
        ordering = ["election", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="unique_officer_per_election")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.position}"


class CareReason(models.TextChoices):
    DIFFICULTY = "difficulty", _("Member in difficulty")
    ELDERLY_SICK = "elderly_sick", _("Elderly or sick member")
    FAMILY_OF_FALLEN = "family_of_fallen", _("Family of a member who died on duty")


@auditlog.register()
class CareRecipient(models.Model):
    """A member (or, for one who died on duty, the member's family) the party organization visits and supports."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="care"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=CareReason.choices)
    family_contact = models.CharField(_("family member visited"), max_length=100, blank=True)
    since = models.DateField(_("since"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("care recipient")
        verbose_name_plural = _("care recipients")
        ordering = ["person_id", "since"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.reason}"


@auditlog.register()
class CareVisit(models.Model):
    recipient = models.ForeignKey(CareRecipient, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(_("date"))
    visitors = models.CharField(_("visitors"), max_length=200)
    support = models.CharField(_("support given"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.date:%Y-%m-%d}"


@auditlog.register()
class Post(models.Model):
    """A post set for a member without a party or administrative post (设岗定责), with the member's commitment."""

    org = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="member_posts"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(_("post"), max_length=100)
    duties = models.TextField(_("duties"), blank=True)
    commitment = models.TextField(_("commitment"))
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("member post")
        verbose_name_plural = _("member posts")
        ordering = ["org__path", "person_id", "-assigned_on"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.title}"


@auditlog.register()
class PostWork(models.Model):
    """Work done on a post (践诺), as the branch records it: 党章第三十八条 reads six months without any as a self-lapse ground."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="work")
    date = models.DateField(_("date"))
    description = models.CharField(_("work done"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work done on a post")
        verbose_name_plural = _("work done on posts")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["post", "date"])]

    def __str__(self) -> str:
        return f"{self.post_id} {self.date:%Y-%m-%d}"


@auditlog.register()
class CommunityRegistration(models.Model):
    """An on-the-job member's registration with the party organization of their residential community (双报到)."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="community_registrations"
    )
    community = models.ForeignKey(
        Organization,
        verbose_name=_("community party organization"),
        on_delete=models.PROTECT,
        related_name="registered_members",
    )
    registered_on = models.DateField(_("registered on"))
    card_number = models.CharField(_("registration card number"), max_length=50, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community registration")
        verbose_name_plural = _("community registrations")
        ordering = ["-registered_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(ended_on__isnull=True), name="one_open_community_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.community_id}"


@auditlog.register()
class CommunityService(models.Model):
    """One service the registered member did in the community (the service record)."""

    registration = models.ForeignKey(CommunityRegistration, on_delete=models.CASCADE, related_name="services")
    date = models.DateField(_("date"))
    activity = models.CharField(_("activity"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community service")
        verbose_name_plural = _("community services")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.date:%Y-%m-%d}"


class FeedbackRating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


@auditlog.register()
class CommunityFeedback(models.Model):
    """The community's yearly feedback on a registered member (the feedback card), sent to the member's unit."""

    registration = models.ForeignKey(CommunityRegistration, on_delete=models.CASCADE, related_name="feedback")
    year = models.PositiveSmallIntegerField(_("year"))
    rating = models.CharField(_("rating"), max_length=20, choices=FeedbackRating.choices)
    comment = models.TextField(_("comment"), blank=True)
    given_on = models.DateField(_("given on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community feedback")
        verbose_name_plural = _("community feedback")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["registration", "year"], name="unique_feedback_per_year")]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.year} {self.rating}"
