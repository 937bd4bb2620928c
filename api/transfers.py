"""Relation transfers (API.md "Transfers and mobile members"): request one, read it, print its letter, register a receipt.

A transfer is addressed by its process id. Its steps are tasks of the `transfer` flow in /api/tasks/,
and so are the letters from other counties waiting for acceptance (`letter_acceptance`, `data: {"org"}`).
Transfers outside the caller's scope answer 404.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.events import Kind, record
from core.dates import today
from members.selectors import people_visible_to
from orgs.models import Organization
from workflows import selectors
from workflows.models import Transfer, TransferDirection, TransferKind, TransferStatus
from workflows.services.transfer import register_receipt, request_transfer, transfers_visible_to
from workflows.services.transfer_letter import render_letter_pdf, whole_id_number_for

from .tasks import HistorySerializer, TaskSerializer


class TransferSerializer(serializers.ModelSerializer):
    """The transfer, its letter, and its process: the steps waiting and the history."""

    id = serializers.IntegerField(source="pk")
    process_status = serializers.SerializerMethodField()
    current_steps = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "id",
            "direction",
            "kind",
            "status",
            "person",
            "person_name",
            "stage",
            "from_org",
            "from_org_name",
            "from_county_slug",
            "from_county_name",
            "to_org",
            "to_org_name",
            "to_county_slug",
            "to_county_name",
            "to_address",
            "reason",
            "requested_on",
            "letter_number",
            "issued_on",
            "valid_until",
            "receipt_date",
            "return_reason",
            "completed_on",
            "earlier_letters",
            "process_status",
            "current_steps",
            "history",
        ]

    def get_process_status(self, transfer: Transfer) -> str:
        return selectors.process_status(transfer.process)

    @extend_schema_field(TaskSerializer(many=True))
    def get_current_steps(self, transfer: Transfer):
        return TaskSerializer(selectors.open_steps(transfer.process), many=True).data

    @extend_schema_field(HistorySerializer(many=True))
    def get_history(self, transfer: Transfer):
        return HistorySerializer(selectors.history(transfer.process), many=True).data


class RequestTransferSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TransferKind.choices)
    to_org = serializers.IntegerField(required=False, help_text="Within the county: the receiving branch.")
    to_county = serializers.CharField(required=False, allow_blank=True, default="", help_text="Another county's slug.")
    to_org_name = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Between counties: the organization the letter is addressed to.",
    )
    to_name = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Outside the platform: the receiving organization."
    )
    to_address = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(allow_blank=True)
    date = serializers.DateField(required=False, default=today)


class ReceiptSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, default=today)


class TransferFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TransferStatus.choices, required=False)
    direction = serializers.ChoiceField(choices=TransferDirection.choices, required=False)
    kind = serializers.ChoiceField(choices=TransferKind.choices, required=False)


class TransferList(generics.ListCreateAPIView):
    """Transfers in the caller's scope (`?status=`, `?direction=`, `?kind=`); POST requests one for a member."""

    serializer_class = TransferSerializer
    filter_backends: list = []

    @extend_schema(parameters=[TransferFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = TransferFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        transfers = (
            transfers_visible_to(self.request.user).filter(**filters.validated_data).order_by("-requested_on", "-pk")
        )
        return transfers.prefetch_related(*selectors.steps_and_history("process"))

    @extend_schema(request=RequestTransferSerializer, responses={201: TransferSerializer})
    def post(self, request):
        body = RequestTransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = dict(body.validated_data)
        person = get_object_or_404(people_visible_to(request.user), pk=given.pop("person"))
        to_org = Organization.objects.filter(pk=given.pop("to_org", None)).first()
        transfer = request_transfer(actor=request.user, person=person, to_org=to_org, **given)
        return Response(TransferSerializer(transfer).data, status=201)


class TransferDetail(generics.RetrieveAPIView):
    serializer_class = TransferSerializer

    def get_queryset(self):
        return transfers_visible_to(self.request.user)


class TransferLetterPdf(APIView):
    """The printable introduction letter: stub, letter and receipt, with the letter number and validity.

    The whole ID number only for the roles that may have it (the county, the committee in charge);
    every print is logged like an export.
    """

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        transfer = get_object_or_404(transfers_visible_to(request.user), pk=pk)
        whole = whole_id_number_for(request.user, transfer)
        content = render_letter_pdf(transfer, whole_id_number=whole)
        record(Kind.EXPORT, request, what="transfer_letter", transfer=transfer.pk, full_id_numbers=int(whole))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="letter-{transfer.letter_number}.pdf"'
        return response


class TransferReceipt(APIView):
    """Register the paper receipt of a letter to an organization outside the platform; the member leaves the roll."""

    @extend_schema(request=ReceiptSerializer, responses=TransferSerializer)
    def post(self, request, pk: int):
        transfer = get_object_or_404(transfers_visible_to(request.user), pk=pk)
        body = ReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transfer = register_receipt(actor=request.user, transfer=transfer, **body.validated_data)
        return Response(TransferSerializer(transfers_visible_to(request.user).get(pk=transfer.pk)).data)


urlpatterns = [
    path("transfers/", TransferList.as_view(), name="transfers"),
    path("transfers/<int:pk>/", TransferDetail.as_view(), name="transfer-detail"),
    path("transfers/<int:pk>/letter.pdf", TransferLetterPdf.as_view(), name="transfer-letter"),
    path("transfers/<int:pk>/receipt/", TransferReceipt.as_view(), name="transfer-receipt"),
]
