"""The user's notifications page (list, mark read) and their channels (issue 9). Only one's own notices."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import RuleViolation
from notifications import selectors, services

PAGE_SIZE = 20


@login_required
def my_notifications(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notices = selectors.notices_of(request.user)
    if unread_only:
        notices = notices.filter(read_at__isnull=True)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notice read, then follow its link (or come back to the list)."""
    notice = get_object_or_404(selectors.notices_of(request.user), pk=pk)
    services.mark_read(actor=request.user, notice=notice)
    follow = request.POST.get("follow") == "1" and notice.link
    if follow and url_has_allowed_host_and_scheme(notice.link, allowed_hosts={request.get_host()}):
        return redirect(notice.link)
    return redirect("web:my_notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = services.mark_all_read(actor=request.user)
    messages.success(request, _("%(count)s notices marked read.") % {"count": marked})
    return redirect("web:my_notifications")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    preference = selectors.preferences_of(request.user)
    error = None
    if request.method == "POST":
        try:
            preference = services.set_preferences(
                actor=request.user,
                email=request.POST.get("email") == "on",
                sms=request.POST.get("sms") == "on",
                wechat=request.POST.get("wechat") == "on",
                phone=request.POST.get("phone", ""),
                wechat_id=request.POST.get("wechat_id", ""),
            )
        except RuleViolation as exc:
            error = exc.message
        else:
            messages.success(request, _("Your notification channels are saved."))
            return redirect("web:notification_preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"preference": preference, "error": error, "has_email": bool(request.user.email)},
    )
