"""Who may read a member archive (DOMAIN.md §9): relatives on the person, access requests, the read log.

Imported by members.models, so Django finds the models in the members app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    PARENT = "parent", _("Parent")
    PARENT_IN_LAW = "parent_in_law", _("Parent-in-law")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    SIBLING = "sibling", _("Sibling")
    OTHER = "other", _("Other relative")


class Relative(models.Model):
    """A relative recorded on a person (家庭成员): named, and linked to their own record when the county has one."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="relatives"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    name = models.CharField(_("name"), max_length=50)
    id_number = models.CharField(_("resident ID number"), max_length=18, blank=True, db_index=True)
    relative = models.ForeignKey(
        "members.Person",
        verbose_name=_("their record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relative_of",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relative")
        verbose_name_plural = _("relatives")
        ordering = ["person_id", "relation", "id"]

    def __str__(self) -> str:
        return f"{self.person_id} {self.relation} {self.name}"


class AccessStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class ArchiveAccessRequest(models.Model):
    """A request to read one person's archive, with its reason, decided by the committee leader in charge."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("whose archive"), on_delete=models.PROTECT, related_name="archive_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=20, choices=AccessStatus.choices, default=AccessStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    # The last day the approval lets the requester read.
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("archive access request")
        verbose_name_plural = _("archive access requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "requested_by"],
                condition=Q(status="pending"),
                name="one_pending_archive_request_per_reader",
            )
        ]

    def __str__(self) -> str:
        return f"{self.requested_by_id} → {self.person_id} ({self.status})"


class AppendOnly(Exception):
    """The archive read log is only ever added to (DOMAIN.md §9: every read is recorded)."""


class ArchiveReadQuerySet(models.QuerySet):
    def delete(self):
        raise AppendOnly

    def update(self, **kwargs):
        raise AppendOnly


class ArchiveRead(models.Model):
    """One read of an archive: who, whose, when, why (the approved request's reason), and what was shown.

    Append-only: the model refuses changes and deletes, and a database trigger refuses them below it.
    """

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reader"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "members.Person", verbose_name=_("whose archive"), on_delete=models.PROTECT, related_name="+"
    )
    request = models.ForeignKey(
        ArchiveAccessRequest, verbose_name=_("approved request"), on_delete=models.PROTECT, related_name="reads"
    )
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    # The archive's index (empty) or one entry's document.
    entry = models.ForeignKey(
        "members.ArchiveEntry",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ArchiveReadQuerySet.as_manager()

    class Meta:
        verbose_name = _("archive read")
        verbose_name_plural = _("archive reads")
        ordering = ["-read_at", "-id"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return f"{self.reader_id} → {self.person_id} {self.read_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly
