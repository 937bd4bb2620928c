"""The security log: every event goes to the `xianfeng.security` logger and into SecurityEvent."""

import logging

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .models import SecurityEvent
from .security import client_address
from .sessions import start_session

logger = logging.getLogger("xianfeng.security")
Kind = SecurityEvent.Kind


def record(kind: str, request: HttpRequest | None = None, *, user=None, username: str = "", status=None, **detail):
    """Log one security event; the user is the request's unless given."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    event = SecurityEvent.objects.create(
        kind=kind,
        user_id=user.pk if signed_in else None,
        username=(user.get_username() if signed_in else username)[:150],
        address=(client_address(request) or None) if request is not None else None,
        method=(request.method or "") if request is not None else "",
        path=request.path[:300] if request is not None else "",
        status=status,
        detail=detail,
    )
    logger.info(
        "%s %s %s %s",
        kind,
        event.username or "-",
        event.method,
        event.path,
        extra={"security_event": kind, "username": event.username, "address": event.address, "status": status},
    )
    return event


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start_session(request)
    record(Kind.SIGN_IN, request, user=user, channel="session")


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    record(Kind.SIGN_IN_FAILED, _http(request), username=str(credentials.get("username", "")))


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(Kind.SIGN_OUT, request, user=user)


def _http(request) -> HttpRequest | None:
    """The Django request behind a REST framework one."""
    return getattr(request, "_request", request)


def connect_axes() -> None:
    from axes.signals import user_locked_out

    @receiver(user_locked_out, weak=False)
    def _locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
        record(Kind.LOCKED_OUT, _http(request), username=str(username or ""))
