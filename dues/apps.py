from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "dues"
    verbose_name = _("Party dues")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Every record a person writes is audited; the batch tables (assessments, arrears) are derived.
        for model in (
            models.DuesSetting,
            models.DuesAccount,
            models.DuesBase,
            models.DuesBaseAdjustment,
            models.Payment,
            models.LargeVoluntaryPayment,
            models.Relief,
            models.Remittance,
            models.CentreSettlement,
            models.UseEntry,
            models.AnnualPublication,
        ):
            auditlog.register(model)
