"""Users. The same table exists in the public schema (platform operators) and in every county's
schema (that county's staff and members), so a county's sign-ins never reach another county."""

from django.contrib.auth.models import AbstractUser
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
