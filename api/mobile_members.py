"""Mobile members (API.md "Transfers and mobile members"): the register, registration of an outflow, the contact
log, reports from the member, the certificate's yearly review, the return and the suspension after lost contact.

Registrations outside the caller's scope (as origin or host) answer 404; the member reads their own and sends reports.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.dates import today
from core.exceptions import RuleViolation
from members.mobile import selectors, services
from members.models import (
    CertificateReview,
    ContactChannel,
    MobileContact,
    MobileRegistration,
    MobileReport,
    RegistrationStatus,
)
from members.selectors import people_visible_to
from orgs.models import Organization


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = MobileContact
        fields = ["id", "date", "channel", "note", "recorded_by", "created_at"]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = MobileReport
        fields = ["id", "date", "text", "recorded_by", "created_at"]


class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = CertificateReview
        fields = ["id", "year", "reviewed_on", "note", "reviewed_by"]


class MobileMemberSerializer(serializers.Serializer):
    """One row of the register: the registration, its last contact and what is overdue today."""

    id = serializers.IntegerField(source="registration.pk")
    person = serializers.IntegerField(source="registration.person_id")
    person_name = serializers.CharField(source="registration.person.name")
    person_status = serializers.CharField(source="registration.person.status")
    org = serializers.IntegerField(source="registration.org_id")
    org_name = serializers.CharField(source="registration.org.name")
    destination = serializers.CharField(source="registration.destination")
    left_on = serializers.DateField(source="registration.left_on")
    expected_return = serializers.DateField(source="registration.expected_return", allow_null=True)
    host_org = serializers.IntegerField(source="registration.host_org_id", allow_null=True)
    host_org_name = serializers.CharField(source="registration.host_org_name")
    pays_dues_at_host = serializers.BooleanField(source="registration.pays_dues_at_host")
    contact_person = serializers.IntegerField(source="registration.contact_person_id")
    contact_person_name = serializers.CharField(source="registration.contact_person.name")
    phone = serializers.CharField(source="registration.phone")
    certificate_number = serializers.CharField(source="registration.certificate_number")
    certificate_issued_on = serializers.DateField(source="registration.certificate_issued_on")
    status = serializers.CharField(source="registration.status")
    ended_on = serializers.DateField(source="registration.ended_on", allow_null=True)
    last_contact = serializers.DateField()
    next_contact_due = serializers.DateField(allow_null=True)
    contact_overdue = serializers.BooleanField()
    review_due = serializers.BooleanField()


class MobileMemberDetailSerializer(MobileMemberSerializer):
    contacts = serializers.SerializerMethodField()
    reports = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, row):
        return ContactSerializer(row.registration.contacts.all(), many=True).data

    @extend_schema_field(ReportSerializer(many=True))
    def get_reports(self, row):
        return ReportSerializer(row.registration.reports.all(), many=True).data

    @extend_schema_field(ReviewSerializer(many=True))
    def get_reviews(self, row):
        return ReviewSerializer(row.registration.reviews.all(), many=True).data


class RegisterOutflowSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    destination = serializers.CharField()
    left_on = serializers.DateField()
    expected_return = serializers.DateField(required=False, allow_null=True, default=None)
    host_org = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A host organization of the county (it collects dues)."
    )
    host_org_name = serializers.CharField(required=False, allow_blank=True, default="")
    contact_person = serializers.IntegerField()
    phone = serializers.CharField(required=False, allow_blank=True, default="")


class ContactRequestSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, default=today)
    channel = serializers.ChoiceField(choices=ContactChannel.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReportRequestSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, default=today)
    text = serializers.CharField()


class DatedNoteSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, default=today)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SuspensionRequestSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, default=today)
    reason = serializers.CharField()


class RegisterFilterSerializer(serializers.Serializer):
    org = serializers.IntegerField(required=False, help_text="Origin organization (whole subtree).")
    status = serializers.ChoiceField(choices=RegistrationStatus.choices, required=False)
    overdue = serializers.BooleanField(required=False, help_text="Only registrations whose contact is overdue.")


def _visible(request) -> object:
    return selectors.registrations_visible_to(request.user)


def _row(registration: MobileRegistration) -> selectors.RegisterRow:
    registration = selectors.for_register(MobileRegistration.objects.filter(pk=registration.pk)).get()
    return selectors.register_rows([registration])[0]


def _detail(registration: MobileRegistration, status: int = 200) -> Response:
    return Response(MobileMemberDetailSerializer(_row(registration)).data, status=status)


class MobileMemberList(generics.ListAPIView):
    """The mobile member register of the caller's scope (`?org=`, `?status=`, `?overdue=1`); POST registers an outflow."""

    serializer_class = MobileMemberSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = RegisterFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        registrations = _visible(self.request)
        if "org" in filters.validated_data:
            org = Organization.objects.filter(pk=filters.validated_data["org"]).first()
            registrations = registrations.filter(org__path__startswith=org.path) if org else registrations.none()
        if "status" in filters.validated_data:
            registrations = registrations.filter(status=filters.validated_data["status"])
        self.only_overdue = filters.validated_data.get("overdue", False)
        return selectors.for_register(registrations).order_by("-left_on", "-pk")

    @extend_schema(parameters=[RegisterFilterSerializer])
    def get(self, request, *args, **kwargs):
        rows = selectors.register_rows(self.get_queryset())
        if self.only_overdue:
            rows = [row for row in rows if row.contact_overdue]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(MobileMemberSerializer(page, many=True).data)

    @extend_schema(request=RegisterOutflowSerializer, responses={201: MobileMemberDetailSerializer})
    def post(self, request):
        body = RegisterOutflowSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = dict(body.validated_data)
        people = people_visible_to(request.user)
        person = get_object_or_404(people, pk=given.pop("person"))
        contact_person = people.filter(pk=given.pop("contact_person")).first()
        if contact_person is None:
            raise RuleViolation(
                _("The contact person is another party member of the member's own branch."), field="contact_person"
            )
        host_org = None
        if given.get("host_org") is not None:
            host_org = Organization.objects.filter(pk=given["host_org"]).first()
            if host_org is None:
                raise RuleViolation(_("No such organization in the county."), field="host_org")
        given["host_org"] = host_org
        registration = services.register_outflow(
            actor=request.user, person=person, contact_person=contact_person, **given
        )
        return _detail(registration, status=201)


class MobileMemberDetail(APIView):
    @extend_schema(responses=MobileMemberDetailSerializer)
    def get(self, request, pk: int):
        return _detail(get_object_or_404(_visible(request), pk=pk))


class MobileMemberContacts(APIView):
    """The contact log: GET lists it, POST records a contact of the origin with the member."""

    @extend_schema(responses=ContactSerializer(many=True))
    def get(self, request, pk: int):
        registration = get_object_or_404(_visible(request), pk=pk)
        return Response(ContactSerializer(registration.contacts.all(), many=True).data)

    @extend_schema(request=ContactRequestSerializer, responses={201: ContactSerializer})
    def post(self, request, pk: int):
        registration = get_object_or_404(_visible(request), pk=pk)
        body = ContactRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contact = services.record_contact(actor=request.user, registration=registration, **body.validated_data)
        return Response(ContactSerializer(contact).data, status=201)


class MobileMemberReports(APIView):
    """A report from the member while away (the member sends it, or the origin records it)."""

    @extend_schema(request=ReportRequestSerializer, responses={201: ReportSerializer})
    def post(self, request, pk: int):
        registration = get_object_or_404(_visible(request), pk=pk)
        body = ReportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        report = services.record_report(actor=request.user, registration=registration, **body.validated_data)
        return Response(ReportSerializer(report).data, status=201)


class MobileMemberReview(APIView):
    """The certificate's yearly review."""

    @extend_schema(request=DatedNoteSerializer, responses={201: ReviewSerializer})
    def post(self, request, pk: int):
        registration = get_object_or_404(_visible(request), pk=pk)
        body = DatedNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        review = services.review_certificate(
            actor=request.user, registration=registration, on=given["date"], note=given["note"]
        )
        return Response(ReviewSerializer(review).data, status=201)


class MobileMemberReturn(APIView):
    """The member is back: the registration ends and the member is active again."""

    @extend_schema(request=DatedNoteSerializer, responses=MobileMemberDetailSerializer)
    def post(self, request, pk: int):
        registration = get_object_or_404(_visible(request), pk=pk)
        body = DatedNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        services.record_return(actor=request.user, registration=registration, on=given["date"], note=given["note"])
        return _detail(registration)


class MobileMemberSuspension(APIView):
    """The primary committee suspends the membership of a member lost for 6 months (the proposal's decision)."""

    @extend_schema(request=SuspensionRequestSerializer, responses=MobileMemberDetailSerializer)
    def post(self, request, pk: int):
        registration = get_object_or_404(_visible(request), pk=pk)
        body = SuspensionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = body.validated_data
        services.suspend_for_lost_contact(
            actor=request.user, registration=registration, on=given["date"], reason=given["reason"]
        )
        return _detail(registration)


urlpatterns = [
    path("mobile-members/", MobileMemberList.as_view(), name="mobile-members"),
    path("mobile-members/<int:pk>/", MobileMemberDetail.as_view(), name="mobile-member"),
    path("mobile-members/<int:pk>/contacts/", MobileMemberContacts.as_view(), name="mobile-member-contacts"),
    path("mobile-members/<int:pk>/reports/", MobileMemberReports.as_view(), name="mobile-member-reports"),
    path("mobile-members/<int:pk>/reviews/", MobileMemberReview.as_view(), name="mobile-member-review"),
    path("mobile-members/<int:pk>/return/", MobileMemberReturn.as_view(), name="mobile-member-return"),
    path("mobile-members/<int:pk>/suspend/", MobileMemberSuspension.as_view(), name="mobile-member-suspend"),
]
