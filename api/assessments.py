"""Organization assessments (DOMAIN.md §10) under /api/assessments/: indicator systems and their export,
opening assessments (one or a round), the sheets with their automatic evidence, vetoes, the league table
and its export, an organization's record, the weak and lax organizations' rectification, and the
secretaries flagged for the county. The stages themselves are tasks of /api/tasks/ (flow `assessment`)."""

import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core.dates import today
from core.exceptions import RuleViolation
from orgs.access import scope
from orgs.models import Organization
from scoring.assessment import selectors, services, spreadsheets
from scoring.assessment.config import STAGES, read_system
from scoring.assessment.models import (
    Assessment,
    AssessmentFinding,
    AssessmentScheme,
    RectificationTask,
    SecretaryFlag,
    WeakOrganization,
)
from scoring.assessment.presets import PRESETS

from .orgs import ScopedOrgField, holds
from .people import XLSX, XlsxRenderer

POINTS = {"max_digits": 8, "decimal_places": 2, "allow_null": True}
YEAR_PARAM = OpenApiParameter("year", OpenApiTypes.INT, description="the year (this year by default)")
ORG_PARAM = OpenApiParameter("org", OpenApiTypes.INT, description="organization (its whole subtree)")


def _year(request) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return today().year
    if not str(raw).isdigit():
        raise RuleViolation(_("Enter the year as four digits."), field="year")
    return int(raw)


def _plain(value):
    """Decimals as strings (API.md), dates as YYYY-MM-DD, through nested lists and dicts."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _org_param(request) -> Organization | None:
    """The ?org= filter: an organization the caller's roles cover, or none at all (an empty result)."""
    raw = request.query_params.get("org")
    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise RuleViolation(_("Enter the organization's id."), field="org")
    org = Organization.objects.filter(scope(request.user, "view_assessments", field=""), pk=raw).first()
    return org or Organization(pk=0, path="/none/")


# --- indicator systems ----------------------------------------------------------------------------------


class AssessmentSchemeSerializer(serializers.ModelSerializer):
    preset = serializers.ChoiceField(choices=list(PRESETS), required=False, allow_blank=True)
    config = serializers.JSONField(required=False)
    org_kinds = serializers.ListField(child=serializers.CharField(), required=False)

    class Meta:
        model = AssessmentScheme
        fields = ["id", "year", "name", "preset", "org_kinds", "config", "version", "updated_at"]
        read_only_fields = ["id", "version", "updated_at"]
        validators: list = []  # the service answers a second system of the same name with its own message


class AssessmentSchemeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    config = serializers.JSONField(required=False)
    org_kinds = serializers.ListField(child=serializers.CharField(), required=False)


class SchemeViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The county's indicator systems: a preset fills the configuration; weights, points and vetoes are edited here."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [holds("manage_assessment_schemes", to_read=False)]
    serializer_class = AssessmentSchemeSerializer
    filterset_fields = ["year", "preset"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.schemes_visible_to(self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = services.create_scheme(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=AssessmentSchemeUpdateSerializer, responses=AssessmentSchemeSerializer)
    def partial_update(self, request, *args, **kwargs) -> Response:
        data = AssessmentSchemeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scheme = services.update_scheme(actor=request.user, scheme=self.get_object(), **data.validated_data)
        return Response(AssessmentSchemeSerializer(scheme, context=self.get_serializer_context()).data)


class SchemeXlsxView(generics.GenericAPIView):
    """The indicator system as an .xlsx table: area, indicator, points, content, scoring standard, evidence."""

    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request, pk: int) -> HttpResponse:
        scheme = get_object_or_404(selectors.schemes_visible_to(request.user), pk=pk)
        content = spreadsheets.write_indicator_system(scheme.name, scheme.year, read_system(scheme.config))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="indicators-{scheme.year}-{scheme.pk}.xlsx"'
        return response


# --- assessments -----------------------------------------------------------------------------------------


class AssessmentStepSerializer(serializers.Serializer):
    task = serializers.IntegerField(source="task_id")
    step = serializers.CharField()
    actor = serializers.CharField()
    org = serializers.IntegerField(source="org_id")
    due_date = serializers.DateField(allow_null=True)


class AssessmentSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    grade_label = serializers.SerializerMethodField()
    open_steps = serializers.SerializerMethodField()
    self_score = serializers.DecimalField(**POINTS)
    onsite_score = serializers.DecimalField(**POINTS)
    report_score = serializers.DecimalField(**POINTS)
    satisfaction_score = serializers.DecimalField(**POINTS)
    total = serializers.DecimalField(**POINTS)

    class Meta:
        model = Assessment
        fields = [
            "id", "org", "org_name", "year", "scheme", "scheme_version", "status", "opened_on", "due_on", "process",
            "self_score", "onsite_score", "report_score", "satisfaction_score", "total", "grade", "grade_label",
            "stars", "vetoed_by", "excluded_from_awards", "confirmed_on", "open_steps",
        ]
        read_only_fields = fields

    def get_grade_label(self, assessment: Assessment) -> str:
        return selectors.grade_label(assessment)

    def get_open_steps(self, assessment: Assessment) -> list[dict]:
        return AssessmentStepSerializer(selectors.open_steps(assessment), many=True).data


class AssessmentFindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentFinding
        fields = ["id", "kind", "code", "reason", "evidence", "event_date", "created_at"]
        read_only_fields = fields


class AssessmentDetailSerializer(AssessmentSerializer):
    sheets = serializers.SerializerMethodField()
    findings = AssessmentFindingSerializer(many=True, read_only=True)
    provisional = serializers.SerializerMethodField()

    class Meta(AssessmentSerializer.Meta):
        fields = [
            *AssessmentSerializer.Meta.fields, "evidence_as_of", "self_report", "report_meeting_on", "report_summary",
            "report_appraisers", "survey", "sheets", "findings", "provisional",
        ]
        read_only_fields = fields

    def get_sheets(self, assessment: Assessment) -> dict:
        return _plain(selectors.sheets(assessment))

    def get_provisional(self, assessment: Assessment) -> dict:
        """The result the stages recorded so far give (the confirmed one once confirmed)."""
        system, outcome = services.outcome_of(assessment)
        return {
            "total": str(outcome.total),
            "components": {code: str(value) for code, value in outcome.components.items()},
            "grade": outcome.grade,
            "grade_label": system.grade_label(outcome.grade),
            "vetoed_by": outcome.vetoed_by or "",
            "weights": {stage: str(system.weight(stage)) for stage in STAGES},
        }


class AssessmentOpenSerializer(serializers.Serializer):
    scheme = serializers.PrimaryKeyRelatedField(queryset=AssessmentScheme.objects.all())
    org = ScopedOrgField("open_assessments")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    date = serializers.DateField(required=False, allow_null=True, default=None)


class AssessmentScoreLineSerializer(serializers.Serializer):
    criterion = serializers.CharField()
    value = serializers.CharField(help_text="an award's points (to the hundredth), or the occurrences of a deduction or penalty")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentSheetSerializer(serializers.Serializer):
    scores = AssessmentScoreLineSerializer(many=True)


class AssessmentFindingCreateSerializer(serializers.Serializer):
    code = serializers.CharField()
    reason = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)


class AssessmentStageSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, default=None)
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    data = serializers.JSONField(required=False, default=dict)


class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assessments in the caller's subtrees. `POST` opens one (the organization above does); the sheets are
    scored here, the stages recorded through the inbox (`/api/tasks/`) or `stages/{stage}/`."""

    serializer_class = AssessmentSerializer
    filterset_fields = ["year", "status", "grade", "scheme"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        assessments = selectors.assessments_visible_to(self.request.user).order_by("-year", "org__path")
        org = _org_param(self.request) if self.action == "list" else None
        return selectors.in_subtree(assessments, org) if org is not None else assessments

    def get_serializer_class(self):
        return AssessmentSerializer if self.action == "list" else AssessmentDetailSerializer

    @extend_schema(parameters=[ORG_PARAM])
    def list(self, request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssessmentOpenSerializer, responses={201: AssessmentDetailSerializer})
    def create(self, request) -> Response:
        body = AssessmentOpenSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assessment = services.open_assessment(
            actor=request.user, scheme=data["scheme"], org=data["org"], due_on=data["due_on"], on=data["date"]
        )
        return Response(AssessmentDetailSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentSheetSerializer, responses=AssessmentDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"sheets/(?P<stage>self|onsite)")
    def sheet(self, request, pk=None, stage=None) -> Response:
        """Score criteria on the self-assessment or the on-site sheet while its task is open; a value other than
        the evidence's suggestion needs its `reason`."""
        body = AssessmentSheetSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = self.get_object()
        services.save_sheet(actor=request.user, assessment=assessment, stage=stage, scores=body.validated_data["scores"])
        return Response(AssessmentDetailSerializer(assessment).data)

    @extend_schema(request=None, responses=AssessmentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="evidence/refresh")
    def refresh(self, request, pk=None) -> Response:
        """Read the automatic evidence again, as of today (or the year's last day)."""
        assessment = self.get_object()
        services.refresh_evidence(actor=request.user, assessment=assessment)
        return Response(AssessmentDetailSerializer(assessment).data)

    @extend_schema(request=AssessmentFindingCreateSerializer, responses={201: AssessmentFindingSerializer})
    @action(detail=True, methods=["post"])
    def findings(self, request, pk=None) -> Response:
        """Record a one-vote veto or an exclusion from awards (the assessing organization)."""
        body = AssessmentFindingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        finding = services.record_finding(
            actor=request.user, assessment=self.get_object(), code=data["code"], reason=data["reason"],
            evidence_text=data["evidence"], date=data["date"],
        )
        return Response(AssessmentFindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentStageSerializer, responses=AssessmentDetailSerializer)
    @action(detail=True, methods=["post"], url_path=r"stages/(?P<stage>self|onsite|report|satisfaction|confirmation)")
    def stage(self, request, pk=None, stage=None) -> Response:
        """Record the open step of a stage: the same task as in the inbox."""
        body = AssessmentStageSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment = self.get_object()
        services.record_stage(actor=request.user, assessment=assessment, stage=stage, **body.validated_data)
        return Response(AssessmentDetailSerializer(Assessment.objects.get(pk=assessment.pk)).data)


class FindingDelete(generics.GenericAPIView):
    """Withdraw a finding recorded in error, before the result is confirmed."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int) -> Response:
        finding = get_object_or_404(
            AssessmentFinding.objects.filter(assessment__in=selectors.assessments_visible_to(request.user)), pk=pk
        )
        services.withdraw_finding(actor=request.user, finding=finding)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssessmentRoundSerializer(serializers.Serializer):
    scheme = serializers.PrimaryKeyRelatedField(queryset=AssessmentScheme.objects.all())
    org = ScopedOrgField("open_assessments", required=False, allow_null=True, default=None)
    due_on = serializers.DateField(required=False, allow_null=True, default=None)
    date = serializers.DateField(required=False, allow_null=True, default=None)


class RoundView(generics.GenericAPIView):
    """Open the year's assessments of every organization of the scheme's kinds (under `org`) that the caller assesses."""

    permission_classes = [holds("open_assessments")]
    serializer_class = AssessmentRoundSerializer

    @extend_schema(responses=inline_serializer("RoundOpened", {"opened": serializers.IntegerField(),
                                                               "assessments": serializers.ListField(child=serializers.IntegerField())}))
    def post(self, request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        opened = services.open_round(actor=request.user, scheme=data["scheme"], root=data["org"], due_on=data["due_on"], on=data["date"])
        return Response({"opened": len(opened), "assessments": [a.pk for a in opened]}, status=status.HTTP_201_CREATED)


def _league(request) -> tuple[int, list[dict]]:
    year = _year(request)
    assessments = selectors.assessments_visible_to(request.user).filter(year=year)
    org = _org_param(request)
    if org is not None:
        assessments = selectors.in_subtree(assessments, org)
    return year, selectors.league(assessments)


class LeagueView(generics.GenericAPIView):
    """The league table of a year: results by total, with grade counts (stars and vetoes shown)."""

    @extend_schema(parameters=[YEAR_PARAM, ORG_PARAM], responses=OpenApiTypes.OBJECT)
    def get(self, request) -> Response:
        year, rows = _league(request)
        return Response(
            {
                "year": year,
                "grades": selectors.grade_counts(rows),
                "results": [
                    {
                        "rank": row["rank"], "assessment": row["assessment"].pk, "org": row["org"].pk, "name": row["org"].name,
                        "status": row["status"], "total": None if row["total"] is None else str(row["total"]),
                        "grade": row["grade"], "grade_label": row["grade_label"], "stars": row["stars"],
                        "vetoed_by": row["vetoed_by"], "excluded_from_awards": row["excluded_from_awards"],
                        **{key: None if row[key] is None else str(row[key])
                           for key in ("self_score", "onsite_score", "report_score", "satisfaction_score")},
                    }
                    for row in rows
                ],
            }
        )


class ResultsXlsxView(generics.GenericAPIView):
    """The league table of a year as .xlsx, in the caller's scope."""

    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(parameters=[YEAR_PARAM, ORG_PARAM], responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request) -> HttpResponse:
        year, rows = _league(request)
        content = spreadsheets.write_results(rows, year, request.user.get_username())
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="assessments-{year}.xlsx"'
        return response


class RecordView(generics.GenericAPIView):
    """An organization's record: its results, stars, weak and lax listings (and flagged secretaries, for the county)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, org: int) -> Response:
        found = get_object_or_404(Organization.objects.filter(scope(request.user, "view_assessments", field="")), pk=org)
        data = selectors.record(found, selectors.assessments_visible_to(request.user), selectors.flags_visible_to(request.user))
        return Response(_plain(data))


# --- weak and lax organizations, flagged secretaries ----------------------------------------------------


class RectificationTaskSerializer(serializers.ModelSerializer):
    class Meta:
        model = RectificationTask
        fields = ["id", "title", "deadline", "responsible", "done_on", "note"]
        read_only_fields = ["id", "done_on", "note"]


class WeakOrganizationSerializer(serializers.ModelSerializer):
    org = ScopedOrgField("manage_rectification")
    org_name = serializers.CharField(source="org.name", read_only=True)
    tasks = RectificationTaskSerializer(many=True, read_only=True)
    date = serializers.DateField(required=False, allow_null=True, default=None, write_only=True)

    class Meta:
        model = WeakOrganization
        fields = [
            "id", "org", "org_name", "year", "reasons", "assessment", "listed_on", "status", "plan", "responsible",
            "deadline", "planned_on", "closed_on", "closing_note", "tasks", "date",
        ]
        read_only_fields = [
            "id", "assessment", "listed_on", "status", "plan", "responsible", "deadline", "planned_on", "closed_on",
            "closing_note", "tasks",
        ]
        validators: list = []


class RectificationPlanSerializer(serializers.Serializer):
    plan = serializers.CharField()
    deadline = serializers.DateField()
    responsible = serializers.CharField(required=False, allow_blank=True, default="")
    tasks = RectificationTaskSerializer(many=True, required=False, default=list)
    date = serializers.DateField(required=False, allow_null=True, default=None)


class RectificationDoneSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class WeakViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Weak and lax organizations (软弱涣散): listed by an unqualified result or by hand, with their rectification."""

    serializer_class = WeakOrganizationSerializer
    filterset_fields = ["year", "status"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.weak_visible_to(self.request.user).order_by("-year", "org__path")

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.list_weak(
            actor=self.request.user, org=data["org"], year=data["year"], reasons=data["reasons"], date=data["date"]
        )

    @extend_schema(request=RectificationPlanSerializer, responses=WeakOrganizationSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None) -> Response:
        """The rectification plan, its responsible, its deadline and its tasks."""
        body = RectificationPlanSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        weak = services.set_plan(actor=request.user, weak=self.get_object(), **body.validated_data)
        return Response(WeakOrganizationSerializer(self.get_queryset().get(pk=weak.pk), context=self.get_serializer_context()).data)

    @extend_schema(request=RectificationDoneSerializer, responses=WeakOrganizationSerializer)
    @action(detail=True, methods=["post"], url_path=r"tasks/(?P<task>\d+)/done")
    def task_done(self, request, pk=None, task=None) -> Response:
        """The organization records a task of its plan as done."""
        body = RectificationDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        weak = self.get_object()
        found = get_object_or_404(RectificationTask.objects.filter(weak=weak), pk=task)
        services.complete_rectification_task(actor=request.user, task=found, **body.validated_data)
        return Response(WeakOrganizationSerializer(self.get_queryset().get(pk=weak.pk), context=self.get_serializer_context()).data)

    @extend_schema(request=RectificationDoneSerializer, responses=WeakOrganizationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None) -> Response:
        """Close the rectification once every task is done, with its assessment (`note`)."""
        body = RectificationDoneSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        weak = services.close_rectification(actor=request.user, weak=self.get_object(), **body.validated_data)
        return Response(WeakOrganizationSerializer(self.get_queryset().get(pk=weak.pk), context=self.get_serializer_context()).data)


class SecretaryFlagSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    secretary_name = serializers.CharField(source="secretary.name", default=None, read_only=True)

    class Meta:
        model = SecretaryFlag
        fields = ["id", "org", "org_name", "secretary", "secretary_name", "term_started_on", "years", "assessment",
                  "raised_on", "measure", "handled_on"]
        read_only_fields = fields


class FlagList(generics.ListAPIView):
    """Secretaries whose organization was unqualified twice in one term (the county decides on the adjustment)."""

    serializer_class = SecretaryFlagSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.flags_visible_to(self.request.user).order_by("-raised_on", "-id")


router = SimpleRouter()
router.register("assessments/schemes", SchemeViewSet, basename="assessment-scheme")
router.register("assessments/weak", WeakViewSet, basename="assessment-weak")
router.register("assessments", AssessmentViewSet, basename="assessment")
urlpatterns = [
    path("assessments/schemes/<int:pk>/indicators.xlsx", SchemeXlsxView.as_view(), name="assessment-scheme-xlsx"),
    path("assessments/rounds/", RoundView.as_view(), name="assessment-rounds"),
    path("assessments/league/", LeagueView.as_view(), name="assessment-league"),
    path("assessments/results.xlsx", ResultsXlsxView.as_view(), name="assessment-results-xlsx"),
    path("assessments/record/<int:org>/", RecordView.as_view(), name="assessment-record"),
    path("assessments/findings/<int:pk>/", FindingDelete.as_view(), name="assessment-finding"),
    path("assessments/secretary-flags/", FlagList.as_view(), name="assessment-secretary-flags"),
    *router.urls,
]
