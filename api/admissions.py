"""Admission (API.md): start with the written application, read an admission, the applicant's own."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dates import today
from core.exceptions import RuleViolation
from members.models import Category
from members.selectors import people_visible_to
from workflows import selectors
from workflows.models import DevelopmentPlan, WorkflowProcess
from workflows.services.admission import start_admission
from workflows.services.admission_import import import_admissions
from workflows.services.plans import approve_places_beyond_quota, set_development_plan

from .orgs import holds
from .tasks import ProcessSerializer


class NextStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    actor = serializers.CharField()


class AdmissionSerializer(ProcessSerializer):
    """The process, plus the admission's stage and dates."""

    stage = serializers.CharField(source="person.stage")
    branch = serializers.IntegerField(source="org_id")
    applied_on = serializers.DateField(source="admission.applied_on")
    rule_version = serializers.CharField(source="admission.rule_version")
    next_steps = serializers.SerializerMethodField()
    activist_since = serializers.DateField(source="admission.activist_since")
    candidate_since = serializers.DateField(source="admission.candidate_since")
    probation_start = serializers.DateField(source="admission.probation_start")
    probation_end = serializers.DateField(source="admission.probation_end")
    extended_months = serializers.IntegerField(source="admission.extended_months", allow_null=True)
    converted_on = serializers.DateField(source="admission.converted_on")
    outcome = serializers.CharField(source="admission.outcome")
    ended_on = serializers.DateField(source="admission.ended_on")
    end_reason = serializers.CharField(source="admission.end_reason")

    @extend_schema_field(NextStepSerializer(many=True))
    def get_next_steps(self, process: WorkflowProcess):
        return NextStepSerializer(selectors.open_steps(process), many=True).data


class NewApplicantSerializer(serializers.Serializer):
    name = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=Category.choices, required=False, default=Category.OTHER)
    education = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "description": "an existing person's id"},
            {
                "type": "object",
                "description": "a new applicant's record",
                "properties": {name: {"type": "string"} for name in ("name", "id_number", "phone", "category", "education")},
                "required": ["name", "id_number"],
            },
        ]
    }
)
class PersonOrFields(serializers.Field):
    """An existing person's id, or the fields of a new applicant's record."""

    def to_internal_value(self, value):
        if isinstance(value, dict):
            fields = NewApplicantSerializer(data=value)
            fields.is_valid(raise_exception=True)
            return dict(fields.validated_data)
        if isinstance(value, bool) or not str(value).isdigit():
            raise serializers.ValidationError(_("Give a person's id or the new applicant's fields."))
        return int(value)

    def to_representation(self, value):
        return value


class StartAdmissionSerializer(serializers.Serializer):
    person = PersonOrFields(required=False)
    branch = serializers.IntegerField()
    date = serializers.DateField(required=False, default=today)


class AdmissionCreate(APIView):
    """Step 1: the written application. Without `person`, the signed-in applicant applies themself."""

    @extend_schema(request=StartAdmissionSerializer, responses={201: AdmissionSerializer})
    def post(self, request):
        body = StartAdmissionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data.get("person")
        person, person_fields = None, None
        if isinstance(given, dict):
            person_fields = given
        elif given is not None:
            person = get_object_or_404(people_visible_to(request.user), pk=given)
        else:
            person = selectors.person_of(request.user)
            if person is None:
                raise serializers.ValidationError({"person": [_("Choose the person who applies.")]})
        branch = selectors.branch_for_application(request.user, body.validated_data["branch"], person)
        if branch is None:
            raise Http404
        process = start_admission(
            actor=request.user, branch=branch, date=body.validated_data["date"], person=person, person_fields=person_fields
        )
        return Response(AdmissionSerializer(_admission(process.pk)).data, status=201)


def _admission(pk: int) -> WorkflowProcess:
    return WorkflowProcess.objects.select_related("person", "admission").get(pk=pk)


class AdmissionDetail(generics.RetrieveAPIView):
    serializer_class = AdmissionSerializer

    def get_queryset(self):
        return selectors.admissions_visible_to(self.request.user)


class MyApplication(APIView):
    """The signed-in applicant's own admission: stage, steps done with dates, what comes next and by when."""

    @extend_schema(responses=AdmissionSerializer)
    def get(self, request):
        person = selectors.person_of(request.user)
        process = selectors.latest_application_of(person) if person else None
        if process is None:
            raise Http404
        return Response(AdmissionSerializer(_admission(process.pk)).data)


class AdmissionImport(generics.GenericAPIView):
    """Admissions under way from an .xlsx file, each row a process at its step; ?dry_run=1 checks without writing."""

    permission_classes = [holds("import_people")]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": inline_serializer("AdmissionImportFile", {"file": serializers.FileField()})},
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="check every row, write nothing")],
        responses=inline_serializer(
            "AdmissionImportReport",
            {
                "created": serializers.IntegerField(),
                "rejected": serializers.ListField(child=serializers.DictField()),
                "dry_run": serializers.BooleanField(),
            },
        ),
    )
    def post(self, request) -> Response:
        upload = request.FILES.get("file")
        if upload is None:
            raise RuleViolation(_("Attach the spreadsheet as “file”."), field="file")
        dry_run = request.query_params.get("dry_run", "").lower() in ("1", "true", "yes")
        return Response(import_admissions(actor=request.user, file=upload, dry_run=dry_run))


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    committee = serializers.IntegerField(source="committee_id")
    quota = serializers.IntegerField(min_value=0)
    targets = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False, default=dict)


class Plans(generics.ListCreateAPIView):
    """The annual development plans of the committees in the caller's scope; the county sets them."""

    serializer_class = PlanSerializer
    filter_backends: list = []

    def get_queryset(self):
        plans = DevelopmentPlan.objects.filter(committee__in=selectors.committees_overseen_by(self.request.user))
        year = self.request.query_params.get("year", "")
        return plans.filter(year=int(year)) if year.isdigit() else plans

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        committee = get_object_or_404(selectors.orgs_overseen_by(self.request.user), pk=data["committee_id"])
        serializer.instance = set_development_plan(
            actor=self.request.user, year=data["year"], committee=committee, quota=data["quota"], targets=data["targets"]
        )


class QuotaApprovalSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    committee = serializers.IntegerField(source="committee_id")
    places = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()
    approved_on = serializers.DateField(required=False, default=today)


class QuotaApprovals(generics.CreateAPIView):
    """The county approves admissions beyond a committee's quota for the year, with the reason."""

    serializer_class = QuotaApprovalSerializer

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        committee = get_object_or_404(selectors.orgs_overseen_by(self.request.user), pk=data["committee_id"])
        serializer.instance = approve_places_beyond_quota(
            actor=self.request.user,
            year=data["year"],
            committee=committee,
            places=data["places"],
            reason=data["reason"],
            approved_on=data["approved_on"],
        )


class Pipeline(APIView):
    """Per primary committee: people per stage, overdue tasks, and the year's plan against actual (`?year=`)."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="the plan's year, this year by default")],
        responses=inline_serializer("Pipeline", {"results": serializers.ListField(child=serializers.DictField())}),
    )
    def get(self, request):
        year = request.query_params.get("year", "")
        return Response({"results": selectors.pipeline(request.user, int(year) if year.isdigit() else today().year)})


urlpatterns = [
    path("admissions/", AdmissionCreate.as_view(), name="admissions"),
    path("admissions/plans/", Plans.as_view(), name="admission-plans"),
    path("admissions/quota-approvals/", QuotaApprovals.as_view(), name="admission-quota-approvals"),
    path("admissions/pipeline/", Pipeline.as_view(), name="admission-pipeline"),
    path("admissions/import/", AdmissionImport.as_view(), name="admissions-import"),
    path("admissions/<int:pk>/", AdmissionDetail.as_view(), name="admission-detail"),
    path("me/application/", MyApplication.as_view(), name="me-application"),
]
