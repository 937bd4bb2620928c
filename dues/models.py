"""Party dues of a county: rate tables, bases, monthly assessments, payments, relief, arrears,
remittances and the two ledgers (DOMAIN.md §8). Money is `Decimal` in yuan to the fen."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class RateColumn(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    RETIRED = "retired", _("Retired")


class RateTable(models.Model):
    """One version of the rates, the cap and the fixed amounts, in force from its date until the next."""

    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"), unique=True)
    monthly_cap = models.DecimalField(_("monthly cap"), **MONEY)
    farmer_min = models.DecimalField(_("farmers' minimum"), **MONEY)
    farmer_max = models.DecimalField(_("farmers' maximum"), **MONEY)
    low_income_amount = models.DecimalField(_("students, unemployed and relief recipients"), **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rate table")
        verbose_name_plural = _("rate tables")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_from})"


class RateBand(models.Model):
    """A band: a base over `above` (exclusive) and up to `up_to` (inclusive) takes `rate` on the whole base."""

    table = models.ForeignKey(RateTable, on_delete=models.CASCADE, related_name="bands")
    column = models.CharField(_("column"), max_length=10, choices=RateColumn.choices)
    above = models.DecimalField(_("over"), null=True, blank=True, **MONEY)
    up_to = models.DecimalField(_("up to and including"), null=True, blank=True, **MONEY)
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4)

    class Meta:
        verbose_name = _("rate band")
        verbose_name_plural = _("rate bands")
        ordering = ["table", "column", "up_to"]

    def __str__(self) -> str:
        return f"{self.column} {self.above}–{self.up_to}: {self.rate}"


class DuesSetting(models.Model):
    """The county's dues setting (DOMAIN.md §11): the farmers' default monthly amount, from a date on."""

    effective_from = models.DateField(_("effective from"), unique=True)
    farmer_monthly_amount = models.DecimalField(_("farmers' default monthly amount"), **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues setting")
        verbose_name_plural = _("dues settings")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.effective_from}: {self.farmer_monthly_amount}"


class DuesAccount(models.Model):
    """Per-person dues arrangements: from when dues are owed, and what the branch consented to."""

    person = models.OneToOneField("members.Person", on_delete=models.CASCADE, related_name="dues_account")
    # Probationary members owe dues from the day of the admission vote (DOMAIN.md §8).
    dues_from = models.DateField(_("dues owed from"), null=True, blank=True)
    pays_quarterly = models.BooleanField(_("pays quarterly"), default=False)
    proxy = models.ForeignKey(
        "members.Person",
        verbose_name=_("pays through"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consented_on = models.DateField(_("branch consent on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dues account")
        verbose_name_plural = _("dues accounts")

    def __str__(self) -> str:
        return str(self.person)


class BaseKind(models.TextChoices):
    SALARIED = "salaried", _("Salaried")
    ANNUAL_SALARY = "annual_salary", _("Annual salary")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    RETIRED = "retired", _("Retired")
    FIXED = "fixed", _("Fixed amount")


class FixedCategory(models.TextChoices):
    FARMER = "farmer", _("Farmer")
    STUDENT = "student", _("Student")
    UNEMPLOYED = "unemployed", _("Unemployed")
    RELIEF_RECIPIENT = "relief_recipient", _("Living on relief or subsistence allowance")


class DuesBase(models.Model):
    """A member's dues base and monthly amount for a year (for annual-salary earners, for one month).

    Fixed when recorded and locked: a correction is a `DuesBaseAdjustment`, never an edit.
    """

    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="dues_bases")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=BaseKind.choices)
    fixed_category = models.CharField(
        _("fixed-amount category"), max_length=20, choices=FixedCategory.choices, blank=True
    )
    monthly_base = models.DecimalField(_("monthly base"), null=True, blank=True, **MONEY)
    quarter_income = models.DecimalField(_("last quarter's income"), null=True, blank=True, **MONEY)
    rate_table = models.ForeignKey(RateTable, on_delete=models.PROTECT, related_name="+")
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4, null=True, blank=True)
    capped = models.BooleanField(_("capped"), default=False)
    monthly_amount = models.DecimalField(_("monthly amount"), **MONEY)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        ordering = ["person", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year"], condition=Q(month__isnull=True), name="dues_one_base_per_year"
            ),
            models.UniqueConstraint(fields=["person", "year", "month"], name="dues_one_base_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.year}{f'-{self.month:02d}' if self.month else ''}: {self.monthly_amount}"


class DuesBaseAdjustment(models.Model):
    """A recorded correction of a locked base: what it was, what it became, why and by whom."""

    base = models.ForeignKey(DuesBase, on_delete=models.CASCADE, related_name="adjustments")
    previous_kind = models.CharField(max_length=20, choices=BaseKind.choices)
    previous_monthly_base = models.DecimalField(null=True, **MONEY)
    previous_monthly_amount = models.DecimalField(**MONEY)
    kind = models.CharField(max_length=20, choices=BaseKind.choices)
    monthly_base = models.DecimalField(null=True, **MONEY)
    monthly_amount = models.DecimalField(**MONEY)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues base adjustment")
        verbose_name_plural = _("dues base adjustments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.base}: {self.previous_monthly_amount} → {self.monthly_amount}"


class Channel(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK = "bank", _("Bank transfer")
    WECHAT = "wechat", _("WeChat Pay")
    ALIPAY = "alipay", _("Alipay")
    OTHER = "other", _("Other")


class Payment(models.Model):
    """Money received: the dues of one or more months, plus any declared voluntary extra."""

    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="dues_payments")
    # The organization that collected it: the member's own, or a mobile member's host.
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_payments")
    paid_by = models.ForeignKey("members.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), **MONEY)
    dues_amount = models.DecimalField(_("dues"), **MONEY)
    voluntary_extra = models.DecimalField(_("voluntary extra"), default=0, **MONEY)
    paid_on = models.DateField(_("paid on"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    reference = models.CharField(_("reference"), max_length=100, null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["paid_on", "id"]
        indexes = [models.Index(fields=["paid_on"])]

    def __str__(self) -> str:
        return f"{self.person} {self.paid_on}: {self.amount}"


class LargeVoluntaryPayment(models.Model):
    """大额党费: a one-time voluntary payment of 1,000 yuan or more, kept apart and remitted whole to the centre."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="large_voluntary")
    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("large voluntary payment")
        verbose_name_plural = _("large voluntary payments")

    def __str__(self) -> str:
        return f"{self.person} {self.paid_on}: {self.amount}"


class ReliefKind(models.TextChoices):
    WAIVE = "waive", _("Waived")
    REDUCE = "reduce", _("Reduced")


class ReliefStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Relief(models.Model):
    """Reduced or waived dues for a period, proposed by the branch and approved by the upper committee
    (by the branch itself for retirees)."""

    person = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="dues_reliefs")
    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_reliefs")
    kind = models.CharField(_("kind"), max_length=10, choices=ReliefKind.choices)
    reduced_amount = models.DecimalField(_("reduced monthly amount"), null=True, blank=True, **MONEY)
    start_month = models.DateField(_("first month"))
    end_month = models.DateField(_("last month"))
    reason = models.TextField(_("reason"))
    retiree = models.BooleanField(_("retiree"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ReliefStatus.choices, default=ReliefStatus.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_on = models.DateField(_("proposed on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues relief")
        verbose_name_plural = _("dues reliefs")
        ordering = ["-proposed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} {self.start_month:%Y-%m}–{self.end_month:%Y-%m} ({self.status})"


class MonthlyDue(models.Model):
    """One member's assessed dues for one month: what is owed after relief, and the payment that settled it."""

    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="monthly_dues")
    month = models.DateField(_("month"))  # the first day of the month
    base = models.ForeignKey(DuesBase, on_delete=models.PROTECT, related_name="+")
    base_amount = models.DecimalField(_("amount before relief"), **MONEY)
    amount = models.DecimalField(_("amount owed"), **MONEY)
    relief = models.ForeignKey(Relief, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    overdue_on = models.DateField(_("overdue from"))
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.PROTECT, related_name="months")
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("monthly dues")
        verbose_name_plural = _("monthly dues")
        ordering = ["person", "month"]
        constraints = [models.UniqueConstraint(fields=["person", "month"], name="dues_one_assessment_per_month")]
        indexes = [models.Index(fields=["month"]), models.Index(fields=["person", "payment"])]

    def __str__(self) -> str:
        return f"{self.person} {self.month:%Y-%m}: {self.amount}"


class Arrears(models.Model):
    """The monthly arrears computation's result for a member in arrears (no row: none)."""

    person = models.OneToOneField("members.Person", on_delete=models.CASCADE, related_name="dues_arrears")
    as_of = models.DateField(_("as of"))
    months_unpaid = models.PositiveSmallIntegerField(_("months unpaid"))
    consecutive_unpaid = models.PositiveSmallIntegerField(_("consecutive months unpaid"))
    since = models.DateField(_("unpaid since"))
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("arrears")
        verbose_name_plural = _("arrears")
        indexes = [models.Index(fields=["months_unpaid"]), models.Index(fields=["consecutive_unpaid"])]

    def __str__(self) -> str:
        return f"{self.person}: {self.months_unpaid}"


class Remittance(models.Model):
    """A branch's quarterly remittance of the dues it collected to the organization above."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_remittances")
    to_org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    amount = models.DecimalField(_("amount"), **MONEY)
    remitted_on = models.DateField(_("remitted on"))
    deadline = models.DateField(_("deadline"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("remittance")
        verbose_name_plural = _("remittances")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "quarter"], name="dues_one_remittance_per_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year}Q{self.quarter}: {self.amount}"

    @property
    def late(self) -> bool:
        return self.remitted_on > self.deadline


class CentreSettlement(models.Model):
    """The county's settlement of the centre's share of a year's dues."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    settled_on = models.DateField(_("settled on"))
    deadline = models.DateField(_("deadline"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("centre settlement")
        verbose_name_plural = _("centre settlements")

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"

    @property
    def late(self) -> bool:
        return self.settled_on > self.deadline


class UseEntry(models.Model):
    """An entry of the use ledger: dues spent by the organization."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_uses")
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    purpose = models.CharField(_("purpose"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("use ledger entry")
        verbose_name_plural = _("use ledger entries")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.org} {self.date}: {self.amount}"


class LedgerKind(models.TextChoices):
    COLLECTION = "collection", _("Collection ledger")
    USE = "use", _("Use ledger")


class LedgerRecording(models.Model):
    """Who has recorded in which ledger of a branch and year: one person may not keep both (管记分离)."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    ledger = models.CharField(max_length=10, choices=LedgerKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            # Whatever the path of the write, the database refuses one user in both ledgers of a branch and year.
            models.UniqueConstraint(fields=["org", "year", "user"], name="dues_one_ledger_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.org} {self.year} {self.ledger}: {self.user}"


class AnnualPublication(models.Model):
    """The yearly publication of a branch's dues collection and use to its members."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_publications")
    year = models.PositiveSmallIntegerField(_("year"))
    collected = models.DecimalField(_("collected"), **MONEY)
    remitted = models.DecimalField(_("remitted"), **MONEY)
    used = models.DecimalField(_("used"), **MONEY)
    members_owing = models.PositiveIntegerField(_("members owing"))
    members_paid_in_full = models.PositiveIntegerField(_("members paid in full"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_on = models.DateField(_("published on"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annual publication")
        verbose_name_plural = _("annual publications")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="dues_one_publication_per_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}"
