from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = _("Audit history")

    def ready(self) -> None:
        from django.core.management.commands import makemigrations
        from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

        # pgtrigger teaches makemigrations and Django's migrate about triggers; `migrate` here is
        # django-tenants' command, which keeps Django's plain autodetector unless told the same.
        MigrateSchemasCommand.autodetector = makemigrations.Command.autodetector
