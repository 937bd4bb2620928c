"""The second sign-in step (an authenticator code) and setting up the authenticator (accounts.two_factor)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from accounts import two_factor
from accounts.events import Kind, record


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if safe else "/"


def _verified(request: HttpRequest, device) -> HttpResponse:
    otp_login(request, device)
    request.session.cycle_key()  # the second factor raises the session's trust: it gets a new key
    return redirect(_next(request))


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """After the password: the current code of the user's authenticator app."""
    if not two_factor.enrolled(request.user):
        return redirect("web:two_factor_setup")
    if request.method == "POST":
        device = two_factor.check_code(request.user, request.POST.get("code", ""))
        if device is not None:
            return _verified(request, device)
        record(Kind.TWO_FACTOR_FAILED, request, channel="session")
        messages.error(request, _("That code is not right, or has expired. Enter the current one."))
    return render(request, "registration/two_factor_verify.html", {"next": _next(request)})


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: its secret key to enter in the app, then its first code."""
    if request.method == "POST":
        device = two_factor.confirm(request.user, request.POST.get("code", ""))
        if device is not None:
            record(Kind.TWO_FACTOR_ENROLLED, request)
            messages.success(request, _("Two-factor sign-in is set up: every sign-in now asks for a code."))
            return _verified(request, device)
        messages.error(request, _("That code is not right, or has expired. Enter the current one."))
    device = two_factor.pending_device(request.user)
    context = {
        "secret": two_factor.secret_of(device),
        "config_url": device.config_url,
        "required": two_factor.required(request.user),
        "next": _next(request),
    }
    return render(request, "account/two_factor_setup.html", context)
