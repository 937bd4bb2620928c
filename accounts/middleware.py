"""Session timeouts, the two-factor gate, and the log of refused requests."""

from urllib.parse import urlencode

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import two_factor
from .events import Kind, record
from .sessions import expired


class SessionTimeoutMiddleware:
    """A signed-in session idle for SESSION_IDLE_TIMEOUT, or older than SESSION_ABSOLUTE_TIMEOUT, ends:
    the request goes on as anonymous (pages send it to the sign-in page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session and expired(request):
            user = request.user
            signed_in = user.is_authenticated  # resolves the lazy user while its session still exists
            session.flush()
            request.user = AnonymousUser()
            if signed_in:
                record(Kind.SESSION_EXPIRED, request, user=user)
        return self.get_response(request)


# Pages a signed-in user who still owes the second factor may open: signing in or out, the language.
TWO_FACTOR_OPEN = ("web:login", "web:logout", "web:set_language", "web:two_factor_verify", "web:two_factor_setup")


class TwoFactorMiddleware:
    """A session whose user must give an authenticator code (set up, or required by the county) reaches
    nothing else until the code is given: pages redirect to it, the API answers 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and two_factor.must_verify(user)
            and not self._is_open(request)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("Confirm this sign-in with your authenticator code first.")}, status=403
                )
            target = "web:two_factor_verify" if two_factor.enrolled(user) else "web:two_factor_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def _is_open(self, request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).view_name in TWO_FACTOR_OPEN
        except Resolver404:
            return False


class RefusalLogMiddleware:
    """Logs every refused request: 403, 429, and 401 when credentials were offered (OWASP ASVS 16.3.2).

    Records outside the caller's scope answer 404 like unknown ones, so they cannot be told from a
    mistyped address and are not logged as refusals.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        offered = "HTTP_AUTHORIZATION" in request.META or SESSION_KEY in getattr(request, "session", {})
        if status in (403, 429) or (status == 401 and offered):
            record(Kind.REFUSED, request, status=status)
        return response
