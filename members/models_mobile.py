"""Mobile members (流动党员, DOMAIN.md §5): the registration of an outflow, its certificate, contacts and reports.

Imported by members.models, so Django finds the models in the members app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegistrationStatus(models.TextChoices):
    OPEN = "open", _("Away")
    RETURNED = "returned", _("Returned")
    ENDED = "ended", _("Ended")


class MobileRegistration(models.Model):
    """One outflow of a member, registered by the origin organization (the member's own organization)."""

    person = models.ForeignKey(
        "members.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="mobile_registrations"
    )
    # The origin organization (流出地党组织) at registration; it stays responsible while the member is away.
    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("origin organization"), on_delete=models.PROTECT, related_name="+"
    )
    destination = models.CharField(_("destination"), max_length=200)
    left_on = models.DateField(_("left on"))
    expected_return = models.DateField(_("expected return"), null=True, blank=True)
    # The host organization (流入地党组织): one of the county's own, or named when it is elsewhere.
    host_org = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("host organization in the county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_mobile_registrations",
    )
    host_org_name = models.CharField(_("host organization"), max_length=200, blank=True)
    contact_person = models.ForeignKey(
        "members.Person", verbose_name=_("contact person"), on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("phone while away"), max_length=20, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=40, unique=True)
    certificate_issued_on = models.DateField(_("certificate issued on"))
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.OPEN
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mobile member registration")
        verbose_name_plural = _("mobile member registrations")
        ordering = ["-left_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="open"), name="one_open_mobile_registration_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.destination}"

    @property
    def pays_dues_at_host(self) -> bool:
        """DOMAIN.md §5: a host organization of the county manages the member, so dues are paid there."""
        return self.status == RegistrationStatus.OPEN and self.host_org_id is not None


class CertificateSequence(models.Model):
    """The county organization department's numbering of mobile member certificates, one counter a year."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("certificate sequence")
        verbose_name_plural = _("certificate sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class CertificateReview(models.Model):
    """The yearly review (审验) of a mobile member certificate."""

    registration = models.ForeignKey(
        MobileRegistration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="reviews"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    reviewed_on = models.DateField(_("reviewed on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("certificate review")
        verbose_name_plural = _("certificate reviews")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["registration", "year"], name="one_certificate_review_a_year")]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.year}"


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat or message")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    HOST = "host", _("Through the host organization")
    OTHER = "other", _("Other")


class MobileContact(models.Model):
    """One contact the origin organization made with the member while away (the contact log)."""

    registration = models.ForeignKey(
        MobileRegistration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="contacts"
    )
    date = models.DateField(_("date"))
    channel = models.CharField(_("channel"), max_length=20, choices=ContactChannel.choices)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact with a mobile member")
        verbose_name_plural = _("contacts with mobile members")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["registration", "date"])]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.date:%Y-%m-%d} {self.channel}"


class MobileReport(models.Model):
    """A report from the member while away (思想汇报, activities at the host), sent by them or recorded for them."""

    registration = models.ForeignKey(
        MobileRegistration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="reports"
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("report"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report from a mobile member")
        verbose_name_plural = _("reports from mobile members")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["registration", "date"])]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.date:%Y-%m-%d}"
