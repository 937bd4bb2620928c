"""Transfer pages: the transfers of my scope with their status, and a transfer with its letter, timeline
and, for a letter outside the platform, the registration of its paper receipt.

Steps are recorded in the inbox like any other task; letters from other counties arrive there as
`transfer` tasks of the county. Reads go through workflows.services.transfer, writes too; orgs.access
decides who may.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.dates import today
from core.exceptions import Conflict, RuleViolation
from lists.filters import TransferFilter
from lists.models import ListPage
from orgs.access import can
from workflows import selectors
from workflows.models import Transfer, TransferDirection, TransferKind, TransferStatus
from workflows.services.transfer import register_receipt, transfers_visible_to
from workflows.services.transfer_letter import letter_context

from .views_lists import filtered_list, org_choices


class ReceiptForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date the receipt came back"), initial=today, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The transfers of my scope, outgoing and incoming, newest first (filters: status, direction, kind, org, q)."""
    transfers = transfers_visible_to(request.user).order_by("-requested_on", "-pk")
    context = filtered_list(request, ListPage.TRANSFERS, TransferFilter, transfers)
    context.update(
        transfers=context["page_obj"],
        statuses=TransferStatus.choices,
        directions=TransferDirection.choices,
        kinds=TransferKind.choices,
        orgs=org_choices(request.user, "view_transfers"),
    )
    return render(request, "transfers/index.html", context)


def _may_register_receipt(user, transfer: Transfer) -> bool:
    waiting = transfer.kind == TransferKind.OUTSIDE_PLATFORM and transfer.status == TransferStatus.APPROVED
    return waiting and can(user, "register_receipt", transfer.from_org)


def _detail(request: HttpRequest, transfer: Transfer, receipt_form: ReceiptForm | None = None, status: int = 200):
    process = transfer.process
    context = {
        "transfer": transfer,
        "process_status": selectors.process_status(process),
        "letter": letter_context(transfer) if transfer.letter_number else None,
        "history": [
            {
                "record": record,
                "title": selectors.step_title(process, record.step),
                "decision": selectors.decision_label(record.decision),
            }
            for record in selectors.history(process)
        ],
        "upcoming": [
            {
                "task": step_task,
                "title": selectors.step_node(step_task).task_title,
                "overdue": selectors.is_overdue(step_task),
            }
            for step_task in selectors.open_steps(process)
        ],
        "receipt_form": receipt_form or (ReceiptForm() if _may_register_receipt(request.user, transfer) else None),
    }
    return render(request, "transfers/detail.html", context, status=status)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_object_or_404(transfers_visible_to(request.user), pk=pk))


@login_required
@require_POST
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(transfers_visible_to(request.user), pk=pk)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        try:
            register_receipt(actor=request.user, transfer=transfer, date=form.cleaned_data["date"])
        except PermissionDenied:
            form.add_error(None, _("The committee that issued the letter registers its receipt."))
        except RuleViolation as violation:
            for name, field_messages in violation.errors.items():
                for message in field_messages:
                    form.add_error(name if name in form.fields else None, message)
        except Conflict as conflict:
            form.add_error(None, conflict.message)
        else:
            messages.success(request, _("The receipt has been registered; the transfer is completed."))
            return redirect("web:transfer", pk=transfer.pk)
    return _detail(request, transfer, receipt_form=form, status=400)
