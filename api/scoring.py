"""Scoring (API.md "Scoring"): schemes and their simulation, entries and their review, results, lists."""

import django_filters
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.exports import stamped
from core.dates import check_year, today
from core.exceptions import RuleViolation
from members.models import Person
from orgs.access import can, scope
from orgs.models import Organization
from scoring import selectors, services, spreadsheets
from scoring.compute import simulate
from scoring.config import CONSEQUENCE_KINDS
from scoring.models import Entry, EntryStatus, LiableRole, Objection, Period, PostKind, Publication, Result, Scheme
from scoring.presets import PRESETS, PROFILES

from .orgs import ScopedOrgField, holds
from .people import XLSX, XlsxRenderer

SCORE_FIELD = {"max_digits": 10, "decimal_places": 2}


def _year(request, default: int | None = None) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return default or today().year
    if not str(raw).isdigit():
        raise RuleViolation(_("Enter the year as four digits."), field="year")
    return check_year(int(raw))


def _org_param(request, capability: str = "view_scores") -> Organization | None:
    """The ?org= filter: an organization the caller's roles cover, or none at all (an empty result)."""
    raw = request.query_params.get("org")
    if raw in (None, ""):
        return None
    if not str(raw).isdigit():
        raise RuleViolation(_("Enter the organization's id."), field="org")
    org = Organization.objects.filter(scope(request.user, capability, field=""), pk=raw).first()
    return org or Organization(pk=0, path="/none/")


# --- schemes ------------------------------------------------------------------------------------------


class SchemeSerializer(serializers.ModelSerializer):
    preset = serializers.ChoiceField(choices=list(PRESETS), required=False, allow_blank=True)
    config = serializers.JSONField(required=False)
    profile = serializers.ChoiceField(choices=list(PROFILES), required=False, write_only=True)

    class Meta:
        model = Scheme
        fields = ["id", "year", "preset", "name", "config", "category", "profile", "version", "updated_at"]
        read_only_fields = ["id", "version", "updated_at"]
        validators: list = []  # the service answers a second scheme for a year with its own message


class SchemeUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    config = serializers.JSONField(required=False)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SimulationSerializer(serializers.Serializer):
    year = serializers.IntegerField(required=False, help_text="the year whose entries are scored; the scheme's year by default")
    org = serializers.IntegerField(required=False, help_text="only this organization's subtree")
    config = serializers.JSONField(required=False, help_text="a configuration to try instead of the saved one")


class SchemeViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The county's schemes; a preset fills the configuration, and every edit is a new version."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [holds("manage_schemes", to_read=False)]
    serializer_class = SchemeSerializer
    filterset_fields = ["year", "category", "preset"]

    def get_queryset(self):
        return selectors.schemes_visible_to(self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = services.create_scheme(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=SchemeUpdateSerializer, responses=SchemeSerializer)
    def partial_update(self, request, *args, **kwargs) -> Response:
        scheme = self.get_object()
        data = SchemeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scheme = services.update_scheme(actor=request.user, scheme=scheme, **data.validated_data)
        return Response(SchemeSerializer(scheme, context=self.get_serializer_context()).data)

    @extend_schema(
        responses=inline_serializer(
            "SchemeVersion",
            {"version": serializers.IntegerField(), "name": serializers.CharField(), "note": serializers.CharField(),
             "changed_at": serializers.DateTimeField(), "config": serializers.JSONField()},
            many=True,
        )
    )
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None) -> Response:
        scheme = self.get_object()
        return Response(list(scheme.versions.values("version", "name", "note", "changed_at", "config")))

    @extend_schema(request=SimulationSerializer, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"], permission_classes=[holds("view_scores")])
    def simulate(self, request, pk=None) -> Response:
        """What the scheme (or a configuration being edited) would give on a year's entries; nothing is saved."""
        scheme = self.get_object()
        body = SimulationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        config = services.read_config(body.validated_data.get("config", scheme.config))
        year = body.validated_data.get("year", scheme.year)
        people = Person.objects.filter(scope(request.user, "view_scores"))
        org_id = body.validated_data.get("org")
        if org_id is not None:
            org = Organization.objects.filter(scope(request.user, "view_scores", field=""), pk=org_id).first()
            people = people.filter(org__path__startswith=org.path) if org else people.none()
        outcomes = simulate(scheme, config, year, people)
        grades: dict[str, int] = {}
        results = []
        for person_id, outcome in sorted(outcomes.items()):
            grades[outcome.grade] = grades.get(outcome.grade, 0) + 1
            results.append(
                {
                    "person": person_id,
                    "year": year,
                    "total": str(outcome.total),
                    "components": {code: str(value) for code, value in outcome.components.items()},
                    "grade": outcome.grade,
                    "vetoed_by": outcome.vetoed_by or "",
                    "consequences": outcome.consequences,
                }
            )
        return Response({"scheme": scheme.pk, "year": year, "count": len(results), "grades": grades, "results": results})


# --- entries ------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class VisiblePersonField(serializers.PrimaryKeyRelatedField):
    """A person the caller may score: in their roles' subtrees, or themselves."""

    def get_queryset(self):
        return selectors.people_scored_visible_to(self.context["request"].user)


class ScoreEntrySerializer(serializers.ModelSerializer):
    person = VisiblePersonField()
    person_name = serializers.CharField(source="person.name", read_only=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, required=False, default=1)
    evidence = serializers.JSONField(required=False)

    class Meta:
        model = Entry
        fields = [
            "id",
            "person",
            "person_name",
            "item",
            "date",
            "quantity",
            "note",
            "evidence",
            "year",
            "status",
            "source",
            "approval_level",
            "notice_ends_on",
            "org",
            "created_at",
        ]
        read_only_fields = ["id", "year", "status", "source", "approval_level", "notice_ends_on", "org", "created_at"]


class EntryFilter(django_filters.FilterSet):
    person = django_filters.NumberFilter()
    year = django_filters.NumberFilter()
    status = django_filters.ChoiceFilter(choices=EntryStatus.choices)
    item = django_filters.CharFilter()
    org = django_filters.NumberFilter(method="filter_org", label="organization (its whole subtree)")

    class Meta:
        model = Entry
        fields = ["person", "year", "status", "item", "org"]

    def filter_org(self, entries, name, value):
        org = Organization.objects.filter(pk=value).first()
        return entries.none() if org is None else selectors.in_subtree(entries, org)


class ScoreDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=services.DECISIONS)
    date = serializers.DateField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ScoreObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "entry", "text", "raised_on", "answer", "upheld", "answered_on"]
        read_only_fields = fields


class ScoreObjectionCreateSerializer(serializers.Serializer):
    text = serializers.CharField()
    date = serializers.DateField(required=False)


class EntryViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Entries the caller may see; a member declares their own, the branch records its members'."""

    serializer_class = ScoreEntrySerializer
    filterset_class = EntryFilter

    def get_queryset(self):
        return selectors.entries_visible_to(self.request.user).order_by("-date", "-id")

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = services.declare_entry(
            actor=self.request.user,
            person=data["person"],
            item=data["item"],
            date=data["date"],
            quantity=data.get("quantity", 1),
            note=data.get("note", ""),
            evidence=data.get("evidence"),
        )

    def _decide(self, request, service) -> Response:
        entry = self.get_object()  # an entry outside the scope answers 404 before the body is read
        body = ScoreDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        entry = service(actor=request.user, entry=entry, **body.validated_data)
        return Response(ScoreEntrySerializer(entry, context=self.get_serializer_context()).data)

    @extend_schema(request=ScoreDecisionSerializer, responses=ScoreEntrySerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None) -> Response:
        """The branch committee's review: approve sends it on to its approval, reject ends it (with a reason)."""
        return self._decide(request, services.review_entry)

    @extend_schema(request=ScoreDecisionSerializer, responses=ScoreEntrySerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None) -> Response:
        """The general meeting's approval (recorded by the branch), or the committee's by amount."""
        return self._decide(request, services.approve_entry)

    @extend_schema(request=ScoreObjectionCreateSerializer, responses={201: ScoreObjectionSerializer})
    @action(detail=True, methods=["post"])
    def objections(self, request, pk=None) -> Response:
        """An objection during the public notice."""
        entry = self.get_object()
        body = ScoreObjectionCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.object_to_entry(actor=request.user, entry=entry, **body.validated_data)
        return Response(ScoreObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)


class ObjectionAnswerSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    answer = serializers.CharField()
    date = serializers.DateField(required=False)


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ScoreObjectionSerializer

    def get_queryset(self):
        return selectors.objections_visible_to(self.request.user).order_by("-raised_on", "-id")

    @extend_schema(request=ObjectionAnswerSerializer, responses=ScoreObjectionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None) -> Response:
        objection = self.get_object()
        body = ObjectionAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = services.answer_objection(actor=request.user, objection=objection, **body.validated_data)
        return Response(ScoreObjectionSerializer(objection).data)


class ScoreNoticeSerializer(serializers.Serializer):
    org = ScopedOrgField("review_score")
    date = serializers.DateField(required=False)


class NoticeView(generics.GenericAPIView):
    """Put an organization's approved entries under public notice."""

    permission_classes = [holds("review_score")]
    serializer_class = ScoreNoticeSerializer

    @extend_schema(responses=inline_serializer("NoticeStarted", {"entries": serializers.IntegerField()}))
    def post(self, request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"entries": services.start_notice(actor=request.user, **body.validated_data)})


# --- results ------------------------------------------------------------------------------------------


class ScoreResultSerializer(serializers.ModelSerializer):
    total = serializers.DecimalField(**SCORE_FIELD)
    name = serializers.CharField(source="person.name", read_only=True)
    grade_label = serializers.SerializerMethodField()

    class Meta:
        model = Result
        fields = [
            "person",
            "name",
            "year",
            "total",
            "components",
            "months",
            "grade",
            "grade_label",
            "vetoed_by",
            "consequences",
            "org",
            "scheme",
            "scheme_version",
            "computed_at",
        ]
        read_only_fields = fields

    def get_grade_label(self, result: Result) -> str:
        return selectors.grade_label(result)


YEAR_PARAM = OpenApiParameter("year", OpenApiTypes.INT, description="the year (this year by default)")
ORG_PARAM = OpenApiParameter("org", OpenApiTypes.INT, description="organization (its whole subtree)")
CONSEQUENCE_PARAM = OpenApiParameter(
    "consequence",
    OpenApiTypes.STR,
    enum=list(CONSEQUENCE_KINDS),
    description="only the results triggering a consequence of this kind (who is due a talk, a probation extension…)",
)


class ResultViewSet(viewsets.GenericViewSet):
    """Results: role holders see their subtrees; a member sees their own result only."""

    serializer_class = ScoreResultSerializer
    lookup_field = "person"

    def get_queryset(self):
        return selectors.results_visible_to(self.request.user)

    @extend_schema(parameters=[YEAR_PARAM, ORG_PARAM, CONSEQUENCE_PARAM])
    def list(self, request) -> Response:
        results = self.get_queryset().filter(year=_year(request)).order_by("org__path", "-total", "person_id")
        org = _org_param(request)
        if org is not None:
            results = selectors.in_subtree(results, org)
        consequence = request.query_params.get("consequence")
        if consequence:
            if consequence not in CONSEQUENCE_KINDS:
                raise RuleViolation(_("Choose from: %(choices)s.") % {"choices": ", ".join(CONSEQUENCE_KINDS)}, field="consequence")
            results = results.filter(consequences__contains=[{"kind": consequence}])
        page = self.paginate_queryset(results)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[YEAR_PARAM])
    def retrieve(self, request, person=None) -> Response:
        if not str(person).isdigit():
            raise RuleViolation(_("Enter the person's id."), field="person")
        result = get_object_or_404(self.get_queryset(), person_id=person, year=_year(request))
        return Response(self.get_serializer(result).data)


class ResultsXlsxView(generics.GenericAPIView):
    """The results of a year as .xlsx, in the caller's scope."""

    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(parameters=[YEAR_PARAM, ORG_PARAM], responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request) -> HttpResponse:
        year = _year(request)
        results = selectors.results_visible_to(request.user).filter(year=year)
        org = _org_param(request)
        if org is not None:
            results = selectors.in_subtree(results, org)
        rows = selectors.result_rows(results)
        content = spreadsheets.write_results(rows, year, request.user.get_username())
        content = stamped(content, request._request, what="scoring_results", year=year, rows=len(rows))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="scores-{year}.xlsx"'
        return response


class RecomputeSerializer(serializers.Serializer):
    year = serializers.IntegerField()


class RecomputeView(generics.GenericAPIView):
    """Recompute the county's results of a year in one batch (county administrators)."""

    permission_classes = [holds("manage_schemes")]
    serializer_class = RecomputeSerializer

    @extend_schema(responses=inline_serializer("Recomputed", {"results": serializers.IntegerField()}))
    def post(self, request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"results": services.recompute_county(actor=request.user, year=body.validated_data["year"])})


class FeedRunSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField(required=False)


class FeedRunView(generics.GenericAPIView):
    """Propose entries from dues arrears, lost contact and meeting attendance (county administrators)."""

    permission_classes = [holds("manage_schemes")]
    serializer_class = FeedRunSerializer

    @extend_schema(responses=inline_serializer("FeedsRun", {"proposed": serializers.IntegerField()}))
    def post(self, request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        return Response({"proposed": services.run_feeds(actor=request.user, **body.validated_data)})


# --- publications and responsibilities ----------------------------------------------------------------


class ScorePublicationSerializer(serializers.ModelSerializer):
    org = ScopedOrgField("publish_scores")
    period = serializers.ChoiceField(choices=Period.choices)
    date = serializers.DateField(required=False, write_only=True)

    class Meta:
        model = Publication
        fields = ["id", "org", "year", "period", "kind", "rows", "published_on", "date"]
        read_only_fields = ["id", "kind", "rows", "published_on"]
        validators: list = []


# The organization filters as a plain number: an id outside the caller's scope matches nothing, like an unknown one.
class PublicationFilter(django_filters.FilterSet):
    org = django_filters.NumberFilter()

    class Meta:
        model = Publication
        fields = ["year", "period", "kind", "org"]


class PublicationViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Quarterly summaries, half-year notices (the red and yellow lists) and annual reports.

    A member sees the lists published for their own branch.
    """

    permission_classes = [holds("publish_scores", to_read=False)]
    serializer_class = ScorePublicationSerializer
    filterset_class = PublicationFilter

    def get_queryset(self):
        return selectors.publications_visible_to(self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = services.publish(actor=self.request.user, **serializer.validated_data)


class ResponsibilitySerializer(serializers.Serializer):
    org = ScopedOrgField("manage_orgs")
    role = serializers.ChoiceField(choices=LiableRole.choices)
    person = VisiblePersonField()


class ResponsibilityView(generics.GenericAPIView):
    """Name who answers for an organization's members under joint liability."""

    permission_classes = [holds("manage_orgs")]
    serializer_class = ResponsibilitySerializer

    def post(self, request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        responsibility = services.set_responsibility(actor=request.user, **body.validated_data)
        return Response(
            {"id": responsibility.pk, "org": responsibility.org_id, "role": responsibility.role, "person": responsibility.person_id},
            status=status.HTTP_201_CREATED,
        )


class PostHoldingSerializer(serializers.Serializer):
    person = VisiblePersonField()
    title = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=PostKind.choices)
    started_on = serializers.DateField()
    ended_on = serializers.DateField(required=False, allow_null=True)


class PostHoldingView(generics.GenericAPIView):
    """Record a party or administrative post a member holds."""

    permission_classes = [holds("record_score")]
    serializer_class = PostHoldingSerializer

    def post(self, request) -> Response:
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not can(request.user, "record_score", body.validated_data["person"].org):
            raise PermissionDenied()
        post = services.record_post(actor=request.user, **body.validated_data)
        return Response({"id": post.pk}, status=status.HTTP_201_CREATED)


router = SimpleRouter()
router.register("scoring/schemes", SchemeViewSet, basename="scoring-scheme")
router.register("scoring/entries", EntryViewSet, basename="scoring-entry")
router.register("scoring/objections", ObjectionViewSet, basename="scoring-objection")
router.register("scoring/results", ResultViewSet, basename="scoring-result")
router.register("scoring/publications", PublicationViewSet, basename="scoring-publication")
urlpatterns = [
    path("scoring/results.xlsx", ResultsXlsxView.as_view(), name="scoring-results-xlsx"),
    path("scoring/results/recompute/", RecomputeView.as_view(), name="scoring-recompute"),
    path("scoring/feeds/run/", FeedRunView.as_view(), name="scoring-feeds-run"),
    path("scoring/notices/", NoticeView.as_view(), name="scoring-notices"),
    path("scoring/responsibilities/", ResponsibilityView.as_view(), name="scoring-responsibilities"),
    path("scoring/posts/", PostHoldingView.as_view(), name="scoring-posts"),
    *router.urls,
]
