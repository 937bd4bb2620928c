"""Organizational life (API.md "Organizational life"): meetings and their compliance, democratic appraisal,
elections, care visits, political birthdays, posts for members, community registration, reminders, and
the county settings these read.

Reads are scoped by orgs.access ("view_org_life"); writes ask the capability on the record's organization.
An organization, appraisal or record outside the caller's scope answers 404, like one that does not exist.
"""

import datetime

import django_filters
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from core.dates import check_year, today
from core.exceptions import RuleViolation
from members.models import Person
from orgs import rules
from orgs.access import can, scope
from orgs.checks import term_ends_on
from orgs.county_settings import set_setting, setting
from orgs.life import appraisal as appraisals
from orgs.life import care, elections, meetings
from orgs.life.compliance import compliance
from orgs.life.models import (
    Appraisal,
    AppraisalResult,
    AttendanceStatus,
    CareReason,
    CareRecipient,
    CommunityRegistration,
    Election,
    Meeting,
    MeetingKind,
    Post,
    PostWork,
    Reminder,
)
from orgs.life.reminders import reminders_for
from orgs.life.selectors import (
    appraisals_visible_to,
    meetings_visible_to,
    people_without_org_life,
    unqualified_in_appraisal,
)
from orgs.models import CountySetting, Organization

from .orgs import ScopedOrgField, holds

# --- Shared helpers ----------------------------------------------------------------------------------


def _date_param(request, name: str, default: datetime.date | None = None) -> datetime.date:
    raw = request.query_params.get(name)
    if not raw:
        if default is None:
            raise RuleViolation(_("Give the date “%(name)s” as YYYY-MM-DD.") % {"name": name}, field=name)
        return default
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise RuleViolation(_("Give the date “%(name)s” as YYYY-MM-DD.") % {"name": name}, field=name) from None


def _int_param(request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise RuleViolation(_("“%(name)s” is a whole number.") % {"name": name}, field=name) from None


def _org_param(request, capability: str = "view_org_life") -> Organization:
    """The ?org= organization, when the caller's roles cover it; otherwise it does not exist."""
    try:
        org_id = int(request.query_params.get("org", ""))
    except ValueError:
        raise RuleViolation(_("Choose an organization (?org=)."), field="org") from None
    org = Organization.objects.filter(pk=org_id).first()
    if org is None or not can(request.user, capability, org):
        raise NotFound()
    return org


def _require(user, capability: str, org: Organization) -> None:
    if not can(user, capability, org):
        raise PermissionDenied()


class ScopedPersonField(serializers.PrimaryKeyRelatedField):
    """A person by id, among those whose organizations the caller's capability covers."""

    def __init__(self, capability: str, **kwargs):
        self.capability = capability
        super().__init__(queryset=Person.objects.all(), **kwargs)

    def get_queryset(self):
        return Person.objects.filter(scope(self.context["request"].user, self.capability))


class SubtreeFilter(django_filters.FilterSet):
    """?org= narrows to an organization's subtree; an id outside the caller's scope matches nothing."""

    org = django_filters.NumberFilter(method="filter_org", label="organization (its whole subtree)")
    org_field = "org__"

    def filter_org(self, rows, name, value):
        org = Organization.objects.filter(pk=value).first()
        return rows.none() if org is None else rows.filter(**{f"{self.org_field}path__startswith": org.path})


class DateBody(serializers.Serializer):
    date = serializers.DateField()


def _paginated(view, rows: list, serialize) -> Response:
    page = view.paginate_queryset(rows)
    return view.get_paginated_response([serialize(row) for row in page])


# --- Meetings ------------------------------------------------------------------------------------------


class AttendanceInSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    status = serializers.CharField(help_text="present | excused | absent")
    reason = serializers.CharField(required=False, allow_blank=True, default="", help_text="why excused")


class MeetingSerializer(serializers.ModelSerializer):
    org = ScopedOrgField("record_meeting")
    org_name = serializers.CharField(source="org.name", read_only=True)
    kind = serializers.ChoiceField(choices=MeetingKind.choices)
    attendance = AttendanceInSerializer(many=True, required=False, write_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "org",
            "org_name",
            "kind",
            "date",
            "topic",
            "minutes",
            "lecturer",
            "attendance",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = ["id", "recorded_by", "created_at"]

    def to_representation(self, meeting: Meeting) -> dict:
        data = super().to_representation(meeting)
        rows = list(meeting.attendance.all())
        data["attendance"] = [
            {"person": row.person_id, "name": row.person.name, "status": row.status, "reason": row.reason}
            for row in rows
        ]
        data["counts"] = {status: sum(1 for row in rows if row.status == status) for status in AttendanceStatus.values}
        return data


class AttendanceOutSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()


class MeetingRecordSerializer(MeetingSerializer):
    """A meeting as it reads back (the schema of the answers): attendance with names, and counts by status."""

    attendance = AttendanceOutSerializer(many=True, read_only=True)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "counts"]


class MeetingFilter(SubtreeFilter):
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)

    class Meta:
        model = Meeting
        fields = ["org", "kind"]


@extend_schema_view(
    list=extend_schema(responses=MeetingRecordSerializer(many=True)),
    retrieve=extend_schema(responses=MeetingRecordSerializer),
    create=extend_schema(responses={201: MeetingRecordSerializer}),
)
class MeetingViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Meetings of the organizations under the caller's roles; branches record their own (`?from=&to=` narrow by date)."""

    permission_classes = [holds("record_meeting", to_read=False)]
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        meetings_ = meetings_visible_to(self.request.user).prefetch_related("attendance__person")
        if self.action == "list":
            if "from" in self.request.query_params:
                meetings_ = meetings_.filter(date__gte=_date_param(self.request, "from"))
            if "to" in self.request.query_params:
                meetings_ = meetings_.filter(date__lte=_date_param(self.request, "to"))
        return meetings_

    def perform_create(self, serializer) -> None:
        serializer.instance = meetings.record_meeting(actor=self.request.user, **serializer.validated_data)

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, required=True),
            OpenApiParameter("from", OpenApiTypes.DATE, description="default: 1 January of this year"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="default: 31 December of this year"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def compliance(self, request) -> Response:
        """Meetings due, held and missing per period, for a branch and its groups or every branch under a committee."""
        org = _org_param(request)
        year = today().year
        start = _date_param(request, "from", datetime.date(year, 1, 1))
        end = _date_param(request, "to", datetime.date(year, 12, 31))
        if end < start:
            raise RuleViolation(_("The period ends before it starts."), field="to")
        if (end - start).days > 366 * 5:
            raise RuleViolation(_("Ask for at most five years at a time."), field="to")
        return Response(compliance(org, start, end))

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, required=True),
            OpenApiParameter("months", OpenApiTypes.INT, description=f"default {rules.ORG_LIFE_LAPSE_MONTHS}"),
            OpenApiParameter("as_of", OpenApiTypes.DATE),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"], url_path="without-org-life")
    def without_org_life(self, request) -> Response:
        """Members who have gone the given number of whole months without organizational life (党章第三十八条)."""
        org = _org_param(request)
        gaps = people_without_org_life(
            months=_int_param(request, "months", rules.ORG_LIFE_LAPSE_MONTHS),
            as_of=_date_param(request, "as_of", today()),
            org=org,
        )
        return _paginated(
            self,
            gaps,
            lambda gap: {
                "person": gap.person.pk,
                "name": gap.person.name,
                "org": gap.person.org_id,
                "months": gap.months,
                "last_org_life": gap.last_org_life,
                "since": gap.since,
            },
        )


# --- Democratic appraisal -----------------------------------------------------------------------------


class AppraisalResultSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name", read_only=True)
    member = serializers.SerializerMethodField()
    masses = serializers.SerializerMethodField()
    suggested_grade = serializers.SerializerMethodField()
    two_ballot_unqualified = serializers.SerializerMethodField()

    class Meta:
        model = AppraisalResult
        fields = [
            "person",
            "name",
            "self_assessment",
            "self_assessed_on",
            "member",
            "masses",
            "two_ballot_unqualified",
            "suggested_grade",
            "grade",
        ]

    def get_member(self, result: AppraisalResult) -> dict[str, int]:
        return {
            "qualified": result.member_qualified,
            "basically_qualified": result.member_basically_qualified,
            "unqualified": result.member_unqualified,
        }

    def get_masses(self, result: AppraisalResult) -> dict[str, int]:
        return {
            "satisfied": result.masses_satisfied,
            "basically_satisfied": result.masses_basically_satisfied,
            "unsatisfied": result.masses_unsatisfied,
        }

    def get_suggested_grade(self, result: AppraisalResult) -> str | None:
        return appraisals.suggested_grade(result)

    def get_two_ballot_unqualified(self, result: AppraisalResult) -> bool:
        return appraisals.rule_makes_unqualified(result)


class AppraisalSerializer(serializers.ModelSerializer):
    org = ScopedOrgField("run_appraisal")
    org_name = serializers.CharField(source="org.name", read_only=True)
    # Left out, the county's setting decides whether the masses vote.
    masses_ballots = serializers.BooleanField(required=False, allow_null=True, default=None)
    results = AppraisalResultSerializer(many=True, read_only=True)

    class Meta:
        model = Appraisal
        fields = [
            "id",
            "org",
            "org_name",
            "year",
            "two_ballot_rule",
            "masses_ballots",
            "meeting",
            "decided_on",
            "results",
        ]
        read_only_fields = ["id", "two_ballot_rule", "meeting", "decided_on"]


class SelfAssessmentBody(serializers.Serializer):
    person = serializers.IntegerField()
    text = serializers.CharField()
    date = serializers.DateField()


class MarkSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    choice = serializers.CharField()


class BallotsBody(serializers.Serializer):
    voter = serializers.CharField(help_text="member | masses")
    sheets = serializers.ListField(
        child=serializers.ListField(child=MarkSerializer()), help_text="one list of marks per voter"
    )


class TallyBody(serializers.Serializer):
    voter = serializers.CharField(help_text="member | masses")
    counts = serializers.ListField(
        child=serializers.DictField(), help_text='[{"person": id, "qualified": n, ...}] or satisfied/... for the masses'
    )


class GradeSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    grade = serializers.CharField()


class DecideBody(serializers.Serializer):
    date = serializers.DateField()
    grades = GradeSerializer(many=True, required=False, help_text="left out: the grade the ballots point to")
    meeting = serializers.IntegerField(required=False, allow_null=True)


class AppraisalViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """A branch's yearly democratic appraisal: self-assessments, ballots, the two-ballot rule, the grades."""

    permission_classes = [holds("run_appraisal", to_read=False)]
    serializer_class = AppraisalSerializer

    def get_queryset(self):
        results = AppraisalResult.objects.select_related("person", "appraisal")
        appraisals_ = appraisals_visible_to(self.request.user).prefetch_related(Prefetch("results", queryset=results))
        year = self.request.query_params.get("year")
        return appraisals_.filter(year=year) if year and year.isdigit() else appraisals_

    def perform_create(self, serializer) -> None:
        serializer.instance = appraisals.open_appraisal(actor=self.request.user, **serializer.validated_data)

    def _writable(self) -> Appraisal:
        appraisal = self.get_object()
        _require(self.request.user, "run_appraisal", appraisal.org)
        return appraisal

    def _answer(self, appraisal: Appraisal) -> Response:
        return Response(
            AppraisalSerializer(self.get_queryset().get(pk=appraisal.pk), context=self.get_serializer_context()).data
        )

    @extend_schema(request=SelfAssessmentBody, responses=AppraisalSerializer)
    @action(detail=True, methods=["post"], url_path="self-assessments")
    def self_assessments(self, request, pk=None) -> Response:
        appraisal = self._writable()
        body = SelfAssessmentBody(data=request.data)
        body.is_valid(raise_exception=True)
        appraisals.record_self_assessment(actor=request.user, appraisal=appraisal, **body.validated_data)
        return self._answer(appraisal)

    @extend_schema(request=BallotsBody, responses=AppraisalSerializer)
    @action(detail=True, methods=["post"])
    def ballots(self, request, pk=None) -> Response:
        """Add ballot sheets (each one voter's marks; a member left off a sheet is an abstention)."""
        appraisal = self._writable()
        body = BallotsBody(data=request.data)
        body.is_valid(raise_exception=True)
        appraisals.record_ballots(actor=request.user, appraisal=appraisal, **body.validated_data)
        return self._answer(appraisal)

    @extend_schema(request=TallyBody, responses=AppraisalSerializer)
    @action(detail=True, methods=["post"])
    def tally(self, request, pk=None) -> Response:
        """Set the counted totals of paper ballots for the members listed."""
        appraisal = self._writable()
        body = TallyBody(data=request.data)
        body.is_valid(raise_exception=True)
        appraisals.record_tally(actor=request.user, appraisal=appraisal, **body.validated_data)
        return self._answer(appraisal)

    @extend_schema(request=DecideBody, responses=AppraisalSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None) -> Response:
        """Record every member's grade; the two-ballot rule, where the county uses it, cannot be overruled."""
        appraisal = self._writable()
        body = DecideBody(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = None
        if body.validated_data.get("meeting"):
            meeting = meetings_visible_to(request.user).filter(pk=body.validated_data["meeting"]).first()
            if meeting is None:
                raise RuleViolation(_("Choose this branch's appraisal meeting of that year."), field="meeting")
        grades = {row["person"]: row["grade"] for row in body.validated_data.get("grades", [])}
        appraisals.decide_appraisal(
            actor=request.user, appraisal=appraisal, date=body.validated_data["date"], grades=grades, meeting=meeting
        )
        return self._answer(appraisal)

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=True)], responses=OpenApiTypes.OBJECT
    )
    @action(detail=False, methods=["get"])
    def unqualified(self, request) -> Response:
        """Members graded unqualified in a decided appraisal of the year (scoring and disposition read these)."""
        year = check_year(_int_param(request, "year", today().year))
        rows = list(
            unqualified_in_appraisal(year).filter(scope(request.user, "view_org_life", field="appraisal__org__"))
        )
        return _paginated(
            self,
            rows,
            lambda result: {
                "person": result.person_id,
                "name": result.person.name,
                "org": result.appraisal.org_id,
                "appraisal": result.appraisal_id,
                "year": result.appraisal.year,
                "decided_on": result.appraisal.decided_on,
            },
        )


# --- Elections -----------------------------------------------------------------------------------------


class OfficerSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    position = serializers.CharField()


class ElectionSerializer(serializers.ModelSerializer):
    org = ScopedOrgField("record_election")
    org_name = serializers.CharField(source="org.name", read_only=True)
    officers = OfficerSerializer(many=True, write_only=True)

    class Meta:
        model = Election
        fields = ["id", "org", "org_name", "approved_on", "held_on", "filed_on", "note", "officers", "created_at"]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, election: Election) -> dict:
        data = super().to_representation(election)
        data["officers"] = [
            {"person": officer.person_id, "name": officer.person.name, "position": officer.position}
            for officer in election.officers.all()
        ]
        data["term_ends_on"] = term_ends_on(election.org) if election.org.term_started_on == election.held_on else None
        return data


class OfficerOutSerializer(OfficerSerializer):
    name = serializers.CharField()


class ElectionRecordSerializer(ElectionSerializer):
    """An election as it reads back (the schema of the answers): its officers with names, the term's end."""

    officers = OfficerOutSerializer(many=True, read_only=True)
    term_ends_on = serializers.DateField(allow_null=True, read_only=True)

    class Meta(ElectionSerializer.Meta):
        fields = [*ElectionSerializer.Meta.fields, "term_ends_on"]


class ElectionFilter(SubtreeFilter):
    class Meta:
        model = Election
        fields = ["org"]


@extend_schema_view(
    list=extend_schema(responses=ElectionRecordSerializer(many=True)),
    retrieve=extend_schema(responses=ElectionRecordSerializer),
    create=extend_schema(responses={201: ElectionRecordSerializer}),
)
class ElectionViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Elections: approved by the upper committee before, filed with it after; each starts the organization's term."""

    permission_classes = [holds("record_election", to_read=False)]
    serializer_class = ElectionSerializer
    filterset_class = ElectionFilter

    def get_queryset(self):
        return (
            Election.objects.filter(scope(self.request.user, "view_org_life"))
            .select_related("org")
            .prefetch_related("officers__person")
        )

    def perform_create(self, serializer) -> None:
        serializer.instance = elections.record_election(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=DateBody, responses=ElectionRecordSerializer)
    @action(detail=True, methods=["post"])
    def filing(self, request, pk=None) -> Response:
        """Record the filing of the result with the upper committee."""
        election = self.get_object()
        _require(request.user, "record_election", election.org)
        body = DateBody(data=request.data)
        body.is_valid(raise_exception=True)
        elections.file_election(actor=request.user, election=election, date=body.validated_data["date"])
        return Response(
            ElectionSerializer(self.get_queryset().get(pk=election.pk), context=self.get_serializer_context()).data
        )


# --- Care visits and political birthdays -------------------------------------------------------------------


class CareRecipientSerializer(serializers.ModelSerializer):
    person = ScopedPersonField("manage_care")
    name = serializers.CharField(source="person.name", read_only=True)
    reason = serializers.ChoiceField(choices=CareReason.choices)

    class Meta:
        model = CareRecipient
        fields = ["id", "person", "name", "reason", "family_contact", "since", "ended_on", "note"]
        read_only_fields = ["id", "ended_on"]

    def to_representation(self, recipient: CareRecipient) -> dict:
        data = super().to_representation(recipient)
        data["visits"] = [
            {"date": visit.date, "visitors": visit.visitors, "support": visit.support, "note": visit.note}
            for visit in recipient.visits.all()
        ]
        return data


class CareVisitBody(serializers.Serializer):
    date = serializers.DateField()
    visitors = serializers.CharField()
    support = serializers.CharField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CareRecipientFilter(SubtreeFilter):
    org_field = "person__org__"
    reason = django_filters.ChoiceFilter(choices=CareReason.choices)

    class Meta:
        model = CareRecipient
        fields = ["org", "reason"]


class CareRecipientViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Members in difficulty, elderly or sick members, and families of members who died on duty, with their visits."""

    permission_classes = [holds("manage_care")]
    serializer_class = CareRecipientSerializer
    filterset_class = CareRecipientFilter

    def get_queryset(self):
        return (
            CareRecipient.objects.filter(scope(self.request.user, "manage_care", field="person__org__"))
            .select_related("person")
            .prefetch_related("visits")
            .order_by("person__org__path", "person_id", "id")
        )

    def perform_create(self, serializer) -> None:
        serializer.instance = care.add_care_recipient(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=CareVisitBody, responses=CareRecipientSerializer)
    @action(detail=True, methods=["post"])
    def visits(self, request, pk=None) -> Response:
        recipient = self.get_object()
        body = CareVisitBody(data=request.data)
        body.is_valid(raise_exception=True)
        care.record_care_visit(actor=request.user, recipient=recipient, **body.validated_data)
        return Response(
            CareRecipientSerializer(
                self.get_queryset().get(pk=recipient.pk), context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=DateBody, responses=CareRecipientSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None) -> Response:
        recipient = self.get_object()  # outside the scope: 404 before the body is read
        body = DateBody(data=request.data)
        body.is_valid(raise_exception=True)
        recipient = care.end_care(actor=request.user, recipient=recipient, date=body.validated_data["date"])
        return Response(CareRecipientSerializer(recipient, context=self.get_serializer_context()).data)

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT), OpenApiParameter("org", OpenApiTypes.INT)],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=False, methods=["get"])
    def due(self, request) -> Response:
        """Who is due a care visit this year (fewer visits than the county requires)."""
        year = check_year(_int_param(request, "year", today().year))
        return _paginated(
            self,
            care.care_due(year, self.filter_queryset(self.get_queryset())),
            lambda due: {
                "recipient": due.recipient.pk,
                "person": due.recipient.person_id,
                "name": due.recipient.person.name,
                "org": due.recipient.person.org_id,
                "reason": due.recipient.reason,
                "visits": due.visits,
                "required": due.required,
                "last_visit": due.last_visit,
            },
        )


class PoliticalBirthdaysView(generics.GenericAPIView):
    """Members whose party standing has its anniversary in the period (政治生日), for greetings and the ledger."""

    @extend_schema(
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, required=True),
            OpenApiParameter("from", OpenApiTypes.DATE, description="default: today"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="default: 30 days on"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request) -> Response:
        org = _org_param(request)
        start = _date_param(request, "from", today())
        end = _date_param(request, "to", start + datetime.timedelta(days=30))
        if end < start or (end - start).days > 366:
            raise RuleViolation(_("Ask for a period of at most one year."), field="to")
        people = Person.objects.filter(org__path__startswith=org.path)
        return _paginated(
            self,
            care.political_birthdays(start, end, people),
            lambda birthday: {
                "person": birthday.person.pk,
                "name": birthday.person.name,
                "org": birthday.person.org_id,
                "admitted_on": birthday.admitted_on,
                "anniversary": birthday.anniversary,
                "years": birthday.years,
            },
        )


# --- Posts for members (设岗定责) --------------------------------------------------------------------------


class PostWorkSerializer(serializers.ModelSerializer):
    class Meta:
        model = PostWork
        fields = ["id", "date", "description"]


class PostSerializer(serializers.ModelSerializer):
    person = ScopedPersonField("assign_posts")
    name = serializers.CharField(source="person.name", read_only=True)
    work = PostWorkSerializer(many=True, read_only=True)

    class Meta:
        model = Post
        fields = ["id", "org", "person", "name", "title", "duties", "commitment", "assigned_on", "ended_on", "work"]
        read_only_fields = ["id", "org", "ended_on"]


class PostFilter(SubtreeFilter):
    person = django_filters.NumberFilter()
    open = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = Post
        fields = ["org", "person", "open"]


class PostViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Posts set for members without a post, each with the member's commitment."""

    permission_classes = [holds("assign_posts", to_read=False)]
    serializer_class = PostSerializer
    filterset_class = PostFilter

    def get_queryset(self):
        return (
            Post.objects.filter(scope(self.request.user, "view_org_life")).select_related("person").prefetch_related("work")
        )

    def perform_create(self, serializer) -> None:
        serializer.instance = care.assign_post(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=DateBody, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None) -> Response:
        post = self.get_object()
        _require(request.user, "assign_posts", post.org)
        body = DateBody(data=request.data)
        body.is_valid(raise_exception=True)
        care.end_post(actor=request.user, post=post, date=body.validated_data["date"])
        return Response(PostSerializer(post, context=self.get_serializer_context()).data)

    @extend_schema(request=PostWorkSerializer, responses={201: PostSerializer})
    @action(detail=True, methods=["post"])
    def work(self, request, pk=None) -> Response:
        """Record work the member did on the post (践诺): six months without any proposes a disposition case."""
        post = self.get_object()
        _require(request.user, "assign_posts", post.org)
        body = PostWorkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        care.record_post_work(actor=request.user, post=post, **body.validated_data)
        post = self.get_queryset().get(pk=post.pk)
        return Response(PostSerializer(post, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("org", OpenApiTypes.INT, required=True)], responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], url_path="without-post")
    def without_post(self, request) -> Response:
        """Members holding neither a post nor an elected office: the ones to set a post for."""
        org = _org_param(request)
        people = care.members_without_post(org).order_by("org__path", "id")
        return _paginated(
            self, list(people), lambda person: {"person": person.pk, "name": person.name, "org": person.org_id}
        )


# --- Registration with the residential community (双报到) ---------------------------------------------------


class CommunityRegistrationSerializer(serializers.ModelSerializer):
    person = ScopedPersonField("manage_community_registration")
    name = serializers.CharField(source="person.name", read_only=True)
    # Any branch of the county may be a member's residential community, inside the caller's scope or not.
    community = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(kind__in=meetings.BRANCH_LEVEL))
    community_name = serializers.CharField(source="community.name", read_only=True)

    class Meta:
        model = CommunityRegistration
        fields = ["id", "person", "name", "community", "community_name", "registered_on", "card_number", "ended_on"]
        read_only_fields = ["id", "ended_on"]

    def to_representation(self, registration: CommunityRegistration) -> dict:
        data = super().to_representation(registration)
        data["services"] = [
            {"date": service.date, "activity": service.activity, "hours": f"{service.hours:.1f}"}
            for service in registration.services.all()
        ]
        data["feedback"] = [
            {"year": row.year, "rating": row.rating, "comment": row.comment, "given_on": row.given_on}
            for row in registration.feedback.all()
        ]
        return data


class ServiceBody(serializers.Serializer):
    date = serializers.DateField()
    activity = serializers.CharField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, default=0)


class FeedbackBody(serializers.Serializer):
    year = serializers.IntegerField()
    rating = serializers.CharField(help_text="excellent | good | fair | poor")
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    given_on = serializers.DateField()


class CommunityRegistrationViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """On-the-job members registered with their residential community: the card, services and feedback.

    Seen and kept by both sides: the roles covering the member's own organization and those covering the community.
    """

    permission_classes = [holds("manage_community_registration")]
    serializer_class = CommunityRegistrationSerializer

    def get_queryset(self):
        user = self.request.user
        return (
            CommunityRegistration.objects.filter(
                scope(user, "manage_community_registration", field="person__org__")
                | scope(user, "manage_community_registration", field="community__")
            )
            .select_related("person", "community")
            .prefetch_related("services", "feedback")
        )

    def perform_create(self, serializer) -> None:
        serializer.instance = care.register_with_community(actor=self.request.user, **serializer.validated_data)

    def _answer(self, registration: CommunityRegistration, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=registration.pk)
        return Response(CommunityRegistrationSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=ServiceBody, responses=CommunityRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def services(self, request, pk=None) -> Response:
        registration = self.get_object()
        body = ServiceBody(data=request.data)
        body.is_valid(raise_exception=True)
        care.record_community_service(actor=request.user, registration=registration, **body.validated_data)
        return self._answer(registration, status.HTTP_201_CREATED)

    @extend_schema(request=FeedbackBody, responses=CommunityRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def feedback(self, request, pk=None) -> Response:
        registration = self.get_object()
        body = FeedbackBody(data=request.data)
        body.is_valid(raise_exception=True)
        care.record_community_feedback(actor=request.user, registration=registration, **body.validated_data)
        return self._answer(registration, status.HTTP_201_CREATED)

    @extend_schema(request=DateBody, responses=CommunityRegistrationSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None) -> Response:
        registration = self.get_object()
        body = DateBody(data=request.data)
        body.is_valid(raise_exception=True)
        registration = care.end_registration(actor=request.user, registration=registration, date=body.validated_data["date"])
        return self._answer(registration)


# --- Reminders and county settings --------------------------------------------------------------------------


class ReminderSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    name = serializers.CharField(source="person.name", default=None, read_only=True)

    class Meta:
        model = Reminder
        fields = ["id", "org", "org_name", "kind", "person", "name", "period_start", "due_on", "created_at"]


class ReminderFilter(SubtreeFilter):
    kind = django_filters.CharFilter()

    class Meta:
        model = Reminder
        fields = ["org", "kind"]


class ReminderViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Reminders of meetings about to fall due and of political birthdays (a member sees their own greeting)."""

    serializer_class = ReminderSerializer
    filterset_class = ReminderFilter

    def get_queryset(self):
        return reminders_for(self.request.user)


class CountySettingSerializer(serializers.ModelSerializer):
    key = serializers.ChoiceField(choices=sorted(rules.COUNTY_SETTING_DEFAULTS))
    value = serializers.JSONField()

    class Meta:
        model = CountySetting
        fields = ["id", "key", "value", "effective_from", "note", "created_at"]
        read_only_fields = ["id", "created_at"]
        validators: list = []  # set_setting replaces the value recorded for the same key and day


class CountySettingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The county's settings with the dates they apply from; the county organization department records them."""

    serializer_class = CountySettingSerializer
    permission_classes = [holds("manage_county_settings", to_read=False)]

    def get_queryset(self):
        return CountySetting.objects.all()

    def perform_create(self, serializer) -> None:
        # manage_county_settings is held only on the county's root, so holding it anywhere covers the county.
        serializer.instance = set_setting(actor=self.request.user, **serializer.validated_data)

    @extend_schema(parameters=[OpenApiParameter("on", OpenApiTypes.DATE)], responses=OpenApiTypes.OBJECT)
    @action(detail=False, methods=["get"], url_path="in-force", pagination_class=None)
    def in_force(self, request) -> Response:
        """Every setting's value in force on a day (today by default), recorded or default."""
        on = _date_param(request, "on", today())
        return Response({key: setting(key, on=on) for key in sorted(rules.COUNTY_SETTING_DEFAULTS)})


router = SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("appraisals", AppraisalViewSet, basename="appraisal")
router.register("elections", ElectionViewSet, basename="election")
router.register("care-recipients", CareRecipientViewSet, basename="care-recipient")
router.register("posts", PostViewSet, basename="post")
router.register("community-registrations", CommunityRegistrationViewSet, basename="community-registration")
router.register("life-reminders", ReminderViewSet, basename="life-reminder")
router.register("county-settings", CountySettingViewSet, basename="county-setting")
urlpatterns = [
    path("political-birthdays/", PoliticalBirthdaysView.as_view(), name="political-birthdays"),
    *router.urls,
]
