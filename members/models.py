"""People of a county: applicants through full members, with their stage and status."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .storage import archive_storage, archive_upload_to


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    CANDIDATE = "candidate", _("Candidate")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    IN_TRANSIT = "in_transit", _("In transit")
    TRANSFERRED_OUT = "transferred_out", _("Transferred out")
    MOBILE = "mobile", _("Mobile")
    LOST_CONTACT = "lost_contact", _("Lost contact")
    SUSPENDED = "suspended", _("Suspended")
    RECTIFYING = "rectifying", _("Rectifying")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REMOVED = "removed", _("Removed")
    PROBATION_CANCELLED = "probation_cancelled", _("Probation cancelled")
    REJECTED = "rejected", _("Application not accepted")
    DECEASED = "deceased", _("Deceased")


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Category(models.TextChoices):
    GOVERNMENT = "government", _("Government and public institutions")
    ENTERPRISE = "enterprise", _("State-owned enterprise")
    NON_PUBLIC_ENTERPRISE = "non_public_enterprise", _("Non-public enterprise")
    COMMUNITY = "community", _("Community")
    VILLAGE = "village", _("Village")
    ON_THE_JOB = "on_the_job", _("On-the-job (registered in a community)")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    # Seed 004 (党员分类管理): 65岁以上年老多病、行动不便党员, classed so at the member's own wish.
    ELDERLY = "elderly", _("Over 65, old, ill or immobile")
    OTHER = "other", _("Other")


class Person(models.Model):
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18, unique=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    org = models.ForeignKey("orgs.Organization", verbose_name=_("organization"), on_delete=models.PROTECT, related_name="people")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, default=Category.OTHER)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices, default=Status.ACTIVE)
    education = models.CharField(_("education"), max_length=30, blank=True)
    # 留党察看: a member under party probation may not sponsor an applicant.
    under_party_probation = models.BooleanField(_("under party probation"), default=False)
    party_standing_since = models.DateField(_("party standing since"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["id"]
        indexes = [models.Index(fields=["stage", "status"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class ProtectedArchive(Exception):
    """The member archive keeps every entry (DOMAIN.md §9): nothing is ever deleted from it."""


class ArchiveEntryQuerySet(models.QuerySet):
    def delete(self):
        raise ProtectedArchive


class ArchiveKind(models.TextChoices):
    APPLICATION = "application", _("Written application")
    TALK = "talk", _("Talk record")
    RECOMMENDATION = "recommendation", _("Recommendation and decision")
    FILING = "filing", _("Filing with the higher organization")
    ASSESSMENT = "assessment", _("Assessment")
    POLITICAL_REVIEW = "political_review", _("Political review")
    TRAINING = "training", _("Training record")
    PUBLIC_NOTICE = "public_notice", _("Public notice and objections")
    REVIEW = "review", _("Review result")
    ADMISSION_FORM = "admission_form", _("Admission form")
    VOTE = "vote", _("Vote report")
    APPROVAL = "approval", _("Approval")
    OATH = "oath", _("Oath of admission")
    CONVERSION_APPLICATION = "conversion_application", _("Application for conversion")
    GATE = "gate", _("County review")
    MATERIALS = "materials", _("Materials filed")
    SANCTION = "sanction", _("Disciplinary sanction")


class ArchiveEntry(models.Model):
    """One document or record in a person's member archive (党员档案), filed as it happens and never deleted."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="archive_entries")
    kind = models.CharField(_("kind"), max_length=30, choices=ArchiveKind.choices)
    title = models.CharField(_("title"), max_length=200)
    event_date = models.DateField(_("date of the event"))
    data = models.JSONField(_("record"), default=dict, blank=True)
    # The scanned or generated document itself, when there is one; kept in the archive storage.
    document = models.FileField(_("document"), storage=archive_storage, upload_to=archive_upload_to, max_length=300, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("filed by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    # Where it came from: the process (of any flow) and its step. Plain values, so the archive
    # outlives any change to the workflow tables.
    source_process = models.PositiveBigIntegerField(_("source process"), null=True, blank=True)
    source_step = models.CharField(_("source step"), max_length=50, blank=True)
    imported = models.BooleanField(_("imported"), default=False)

    objects = ArchiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive entry")
        verbose_name_plural = _("archive entries")
        ordering = ["event_date", "filed_at", "id"]
        indexes = [models.Index(fields=["person", "event_date"])]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind} {self.event_date:%Y-%m-%d}"

    def delete(self, *args, **kwargs):
        raise ProtectedArchive


# Mobile members and archive access keep their models in modules of their own.
from .models_archive import (  # noqa: E402, F401
    AccessStatus,
    AppendOnly,
    ArchiveAccessRequest,
    ArchiveRead,
    Relation,
    Relative,
)
from .models_mobile import (  # noqa: E402, F401
    CertificateReview,
    CertificateSequence,
    ContactChannel,
    MobileContact,
    MobileRegistration,
    MobileReport,
    RegistrationStatus,
)
