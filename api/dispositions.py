"""Disposition (API.md "Disposition"): open a case, read it, appeal against its decision; the proposals from data.

A case is addressed by its process id, like an admission; its steps are tasks of the `disposition`
flow in /api/tasks/. Cases and proposals outside the caller's scope answer 404.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dates import today
from members.selectors import people_visible_to
from orgs.access import can
from orgs.models import Organization
from orgs.selectors import root_organization
from workflows import selectors
from workflows.models import (
    DisciplinarySanction,
    DispositionAppeal,
    DispositionProposal,
    Grounds,
    Measure,
    SanctionKind,
    WorkflowProcess,
)
from workflows.services.disposition import appeals_of, cases_visible_to, file_appeal, start_case
from workflows.services.disposition_proposals import proposals_visible_to, refresh_proposals
from workflows.services.sanctions import record_sanction, sanctions_visible_to

from .tasks import ProcessSerializer, TaskSerializer


class AppealSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    current_steps = serializers.SerializerMethodField()

    class Meta:
        model = DispositionAppeal
        fields = ["id", "process", "filed_on", "text", "status", "answered_on", "answer", "outcome", "current_steps"]

    def get_status(self, appeal: DispositionAppeal) -> str:
        return "answered" if appeal.answered_on else "waiting"

    @extend_schema_field(TaskSerializer(many=True))
    def get_current_steps(self, appeal: DispositionAppeal):
        return TaskSerializer(selectors.open_steps(appeal.process), many=True).data


class DispositionSerializer(ProcessSerializer):
    """The process (its steps and history), plus the case: grounds, measure, decision and dates, appeals."""

    person_name = serializers.CharField(source="person.name")
    person_status = serializers.CharField(source="person.status")
    grounds = serializers.CharField(source="disposition.grounds")
    evidence = serializers.JSONField(source="disposition.evidence")
    measure = serializers.CharField(source="disposition.measure")
    rectification_months = serializers.IntegerField(source="disposition.rectification_months")
    sanction_reference = serializers.CharField(source="disposition.sanction_reference")
    opened_on = serializers.DateField(source="disposition.opened_on")
    decided_on = serializers.DateField(source="disposition.decided_on", allow_null=True)
    notified_on = serializers.DateField(source="disposition.notified_on", allow_null=True)
    effective_on = serializers.DateField(source="disposition.effective_on", allow_null=True)
    rectification_deadline = serializers.DateField(source="disposition.rectification_deadline", allow_null=True)
    rectification_result = serializers.CharField(source="disposition.rectification_result")
    outcome = serializers.CharField(source="disposition.outcome")
    ended_on = serializers.DateField(source="disposition.ended_on", allow_null=True)
    end_reason = serializers.CharField(source="disposition.end_reason")
    proposal = serializers.SerializerMethodField()
    appeals = serializers.SerializerMethodField()

    def get_proposal(self, process: WorkflowProcess) -> int | None:
        try:
            return process.disposition.proposal.pk
        except DispositionProposal.DoesNotExist:
            return None

    @extend_schema_field(AppealSerializer(many=True))
    def get_appeals(self, process: WorkflowProcess):
        return AppealSerializer(appeals_of(process.disposition), many=True).data


class StartDispositionSerializer(serializers.Serializer):
    person = serializers.IntegerField(required=False)
    grounds = serializers.ChoiceField(choices=Grounds.choices, required=False)
    measure = serializers.ChoiceField(choices=Measure.choices)
    date = serializers.DateField(required=False, default=today)
    rectification_months = serializers.IntegerField(required=False, allow_null=True, default=None)
    sanction_reference = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.JSONField(required=False, default=dict)
    proposal = serializers.IntegerField(required=False, help_text="Open the case from this proposal (links the two).")

    def validate(self, attrs):
        if "proposal" not in attrs and ("person" not in attrs or "grounds" not in attrs):
            raise serializers.ValidationError(
                {"person": [_("Choose the person and the grounds, or the proposal the case is opened from.")]}
            )
        return attrs


class AppealRequestSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, default=today)
    text = serializers.CharField()


class ProposalSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name")
    org = serializers.IntegerField(source="person.org_id")
    org_name = serializers.CharField(source="person.org.name")

    class Meta:
        model = DispositionProposal
        fields = ["id", "person", "person_name", "org", "org_name", "grounds", "evidence", "since", "refreshed_at"]


class ProposalFilterSerializer(serializers.Serializer):
    grounds = serializers.ChoiceField(choices=Grounds.choices, required=False)
    org = serializers.IntegerField(required=False)


def _case(pk: int) -> WorkflowProcess:
    return WorkflowProcess.objects.select_related("person", "org", "disposition").get(pk=pk)


class DispositionList(generics.ListCreateAPIView):
    """Cases in the caller's scope (`?status=active|done|canceled`); POST opens one: the initial determination."""

    serializer_class = DispositionSerializer
    filter_backends: list = []

    def get_queryset(self):
        appeals = DispositionAppeal.objects.select_related("process").order_by("filed_on", "id")
        cases = (
            cases_visible_to(self.request.user)
            .select_related("disposition__proposal")
            .prefetch_related(
                *selectors.steps_and_history(),
                Prefetch(
                    "disposition__appeals",
                    appeals.prefetch_related(*selectors.steps_and_history("process")),
                    to_attr="appeals_prefetched",
                ),
            )
            .order_by("-disposition__opened_on", "-pk")
        )
        status = self.request.query_params.get("status")
        return cases.filter(finished__isnull=status == "active") if status in ("active", "done") else cases

    @extend_schema(request=StartDispositionSerializer, responses={201: DispositionSerializer})
    def post(self, request):
        body = StartDispositionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = dict(body.validated_data)
        proposal = None
        if "proposal" in given:
            proposal = get_object_or_404(proposals_visible_to(request.user), pk=given.pop("proposal"))
            given.setdefault("person", proposal.person_id)
            given.setdefault("grounds", proposal.grounds)
        person = get_object_or_404(people_visible_to(request.user), pk=given.pop("person"))
        process = start_case(actor=request.user, person=person, proposal=proposal, **given)
        return Response(DispositionSerializer(_case(process.pk)).data, status=201)


class DispositionDetail(generics.RetrieveAPIView):
    serializer_class = DispositionSerializer

    def get_queryset(self):
        return cases_visible_to(self.request.user)


class DispositionAppealCreate(APIView):
    """The member's appeal against the decision (or a paper appeal recorded for them): a task for the upper organization."""

    @extend_schema(request=AppealRequestSerializer, responses={201: AppealSerializer})
    def post(self, request, pk: int):
        process = get_object_or_404(cases_visible_to(request.user), pk=pk)
        body = AppealRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal = file_appeal(actor=request.user, case=process.disposition, **body.validated_data)
        return Response(AppealSerializer(appeal).data, status=201)


class ProposalList(generics.ListAPIView):
    """Cases proposed from data, not yet opened; filters `?grounds=`, `?org=` (whole subtree)."""

    serializer_class = ProposalSerializer
    filter_backends: list = []

    @extend_schema(parameters=[ProposalFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = ProposalFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        proposals = proposals_visible_to(self.request.user)
        if "grounds" in filters.validated_data:
            proposals = proposals.filter(grounds=filters.validated_data["grounds"])
        if "org" in filters.validated_data:
            org = Organization.objects.filter(pk=filters.validated_data["org"]).first()
            proposals = proposals.filter(person__org__path__startswith=org.path) if org else proposals.none()
        return proposals.order_by("since", "pk")


class ProposalRefresh(APIView):
    """Refresh the proposals from the data now (county admin); the daily beat task does the same."""

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "ProposalRefresh",
            {name: serializers.IntegerField() for name in ("created", "updated", "removed", "open")},
        ),
    )
    def post(self, request):
        if not can(request.user, "refresh_disposition_proposals", root_organization()):
            raise PermissionDenied()
        return Response(refresh_proposals(actor=request.user))


class SanctionSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name")

    class Meta:
        model = DisciplinarySanction
        fields = [
            "id",
            "person",
            "person_name",
            "kind",
            "reference",
            "decided_on",
            "decided_by",
            "probation_months",
            "note",
        ]


class RecordSanctionSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SanctionKind.choices)
    reference = serializers.CharField()
    decided_on = serializers.DateField()
    decided_by = serializers.CharField()
    probation_months = serializers.IntegerField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SanctionList(generics.ListCreateAPIView):
    """Disciplinary sanctions of members in the caller's scope (`?person=`); POST records one decided elsewhere
    (the primary committee or the county): a disposition measure does not duplicate it, scoring reads it."""

    serializer_class = SanctionSerializer
    filter_backends: list = []

    def get_queryset(self):
        sanctions = sanctions_visible_to(self.request.user)
        person = self.request.query_params.get("person")
        return sanctions.filter(person_id=person) if str(person or "").isdigit() else sanctions

    @extend_schema(request=RecordSanctionSerializer, responses={201: SanctionSerializer})
    def post(self, request):
        body = RecordSanctionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = dict(body.validated_data)
        person = get_object_or_404(people_visible_to(request.user), pk=given.pop("person"))
        sanction = record_sanction(actor=request.user, person=person, **given)
        return Response(SanctionSerializer(sanction).data, status=201)


urlpatterns = [
    path("dispositions/", DispositionList.as_view(), name="dispositions"),
    path("dispositions/proposals/", ProposalList.as_view(), name="disposition-proposals"),
    path("dispositions/proposals/refresh/", ProposalRefresh.as_view(), name="disposition-proposals-refresh"),
    path("dispositions/sanctions/", SanctionList.as_view(), name="disposition-sanctions"),
    path("dispositions/<int:pk>/", DispositionDetail.as_view(), name="disposition-detail"),
    path("dispositions/<int:pk>/appeal/", DispositionAppealCreate.as_view(), name="disposition-appeal"),
]
