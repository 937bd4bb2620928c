"""The caller's address behind trusted proxies, and what a locked-out caller is told."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_address(request: HttpRequest) -> str:
    """The address of the caller, never of our own proxy.

    Behind TRUSTED_PROXY_COUNT proxies, each appends the address it saw to X-Forwarded-For, so the
    caller's address is that many places from the right; whatever lies further left came from the
    client and may be forged. Without proxies, the connection's own address (REMOTE_ADDR).
    """
    count = settings.TRUSTED_PROXY_COUNT
    address = request.META.get("REMOTE_ADDR", "")
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:  # not an address (a misconfigured proxy count lets a client write anything here)
        return ""


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _("Too many failed sign-ins. Try again in %(minutes)s minutes.") % {"minutes": minutes}


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out caller: 429, as JSON on the API and as a page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(request, "registration/locked_out.html", {"message": lockout_message()}, status=429)
