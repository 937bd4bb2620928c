"""A user's saved filters: a named query string of one list page, applied by opening the page with it."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListPage(models.TextChoices):
    """The list pages whose filters can be saved (each is a page route of web/)."""

    PEOPLE = "people", _("People")
    TASKS = "tasks", _("Tasks")
    TRANSFERS = "transfers", _("Transfers")
    CASES = "cases", _("Cases")


@auditlog.register()
class SavedFilter(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    page = models.CharField(_("page"), max_length=20, choices=ListPage.choices)
    name = models.CharField(_("name"), max_length=80)
    querystring = models.CharField(_("filters"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["page", "name"]
        constraints = [models.UniqueConstraint(fields=["user", "page", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return f"{self.page}: {self.name}"
