"""Accounts of a county: disabling one ends its sessions and tokens at once (OWASP ASVS 7.4.2)."""

from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from core.actions import action
from core.exceptions import RuleViolation

from .events import Kind, record
from .models import User
from .sessions import end_sessions


def disable_user(*, actor, user: User) -> User:
    """The user can no longer sign in; their open sessions and API tokens stop working now."""
    if user.pk == actor.pk:
        raise RuleViolation(_("You cannot disable your own account."), field="user")
    with action(actor):
        user.is_active = False
        user.save(update_fields=["is_active"])
        sessions = end_sessions(user)
        tokens, _deleted = Token.objects.filter(user=user).delete()
        record(
            Kind.USER_DISABLED,
            user=actor,
            subject=user.pk,
            subject_username=user.username,
            sessions=sessions,
            tokens=tokens,
        )
    return user


def enable_user(*, actor, user: User) -> User:
    with action(actor):
        user.is_active = True
        user.save(update_fields=["is_active"])
        record(Kind.USER_ENABLED, user=actor, subject=user.pk, subject_username=user.username)
    return user
