"""Session lifetimes (OWASP ASVS 7.3): an idle timeout and an absolute one, and ending a user's sessions."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

STARTED = "_xianfeng_started_at"
SEEN = "_xianfeng_seen_at"
# Seconds between two writes of "last seen": a busy page does not rewrite its session on every request.
SEEN_RESOLUTION = 60


def start_session(request: HttpRequest) -> None:
    now = int(time.time())
    request.session[STARTED] = now
    request.session[SEEN] = now


def expired(request: HttpRequest, now: float | None = None) -> bool:
    """Whether the signed-in session has been idle too long or has lived too long; else note the visit."""
    now = now or time.time()
    session = request.session
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:  # signed in before the timeouts existed: they start now
        start_session(request)
        return False
    if now - seen > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
        return True
    if now - seen > SEEN_RESOLUTION:
        session[SEEN] = int(now)
    return False


def end_sessions(user) -> int:
    """Delete every live session of the user in this county; returns how many there were."""
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)
