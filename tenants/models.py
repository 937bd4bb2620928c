"""The platform's own records, in the public schema: counties (the tenants) and their host names."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class County(TenantMixin):
    """A county organization department: one PostgreSQL schema holds all of its records."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=40, default="Asia/Shanghai")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
