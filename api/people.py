"""People, their spreadsheet import and export, and user accounts (API.md "County: organizations, people, roles")."""

import json

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from accounts.exports import stamped
from accounts.services import disable_user, enable_user
from core.exceptions import RuleViolation
from members import spreadsheets
from members.disclosure import disclose_id_number, shown_id_number, shown_phone
from members.filters import PersonFilter
from members.models import Person
from members.selectors import may_see_id_number, people_visible_to
from members.services import create_person, create_user, import_people, update_person
from orgs.access import can

from .orgs import ScopedOrgField, holds

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# The formats of ModelSerializer's date and time fields, for the rows the list builds itself.
DATE, MOMENT = serializers.DateField(), serializers.DateTimeField()


class PersonListSerializer(serializers.ListSerializer):
    """The people list's rows: PersonSerializer's fields and formats, read straight off each person. DRF's
    generic walk over 17 fields of 50 rows cost more than the page's queries (and building the fields alone
    a millisecond); dates and times keep DRF's formats.
    tests/members/test_people_api.py checks a row equals the person's own answer."""

    def to_representation(self, data) -> list[dict]:
        user = self.context["request"].user
        date, moment = DATE.to_representation, MOMENT.to_representation
        return [
            {
                "id": person.pk,
                "name": person.name,
                "id_number": shown_id_number(user, person),
                "sex": person.sex,
                "birth_date": date(person.birth_date),
                "phone": shown_phone(user, person),
                "org": person.org_id,
                "org_name": person.org.name,
                "stage": person.stage,
                "category": person.category,
                "status": person.status,
                "education": person.education,
                "party_standing_since": date(person.party_standing_since),
                "under_party_probation": person.under_party_probation,
                "user": person.user_id,
                "created_at": moment(person.created_at),
                "updated_at": moment(person.updated_at),
            }
            for person in data
        ]


class PersonSerializer(serializers.ModelSerializer):
    # Plain text fields: the services give the clerk-facing messages for ID numbers and phones.
    id_number = serializers.CharField(max_length=32)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    org = ScopedOrgField("change_person")
    org_name = serializers.CharField(source="org.name", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "phone",
            "org",
            "org_name",
            "stage",
            "category",
            "status",
            "education",
            "party_standing_since",
            "under_party_probation",
            "user",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "sex", "birth_date", "under_party_probation", "user", "created_at", "updated_at"]
        list_serializer_class = PersonListSerializer

    def to_representation(self, person: Person) -> dict:
        data = super().to_representation(person)
        user = self.context["request"].user
        data["id_number"] = shown_id_number(user, person)  # whole only on request: POST .../id-number/
        data["phone"] = shown_phone(user, person)
        return data


class PersonViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """People in the caller's scope (and the caller's own record). Others answer 404."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [holds("change_person", to_read=False)]
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self):
        return people_visible_to(self.request.user)

    def perform_create(self, serializer) -> None:
        serializer.instance = create_person(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer) -> None:
        person = serializer.instance
        if not can(self.request.user, "change_person", person.org):
            raise PermissionDenied()
        serializer.instance = update_person(actor=self.request.user, person=person, **serializer.validated_data)

    @extend_schema(
        request=inline_serializer("IdNumberRequest", {"reason": serializers.CharField()}),
        responses=inline_serializer("IdNumber", {"id_number": serializers.CharField()}),
    )
    @action(detail=True, methods=["post"], url_path="id-number")
    def id_number(self, request, pk=None) -> Response:
        """The full ID number, for the county and the committee in charge, with a reason; the request is logged."""
        person = self.get_object()
        number = disclose_id_number(
            actor=request.user, person=person, reason=str(request.data.get("reason", "")), request=request._request
        )
        return Response({"id_number": number})


class PeopleImportView(generics.GenericAPIView):
    """Create or update people (by ID number) from an .xlsx file; ?dry_run=1 checks without writing."""

    permission_classes = [holds("import_people")]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": inline_serializer("PeopleImportFile", {"file": serializers.FileField()})},
        parameters=[OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="check every row, write nothing")],
        responses=inline_serializer(
            "PeopleImportReport",
            {
                "created": serializers.IntegerField(),
                "updated": serializers.IntegerField(),
                "unchanged": serializers.IntegerField(),
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
        return Response(import_people(actor=request.user, file=upload, dry_run=dry_run))


class XlsxRenderer(BaseRenderer):
    """Lets clients ask for the spreadsheet by its media type; errors still come out as JSON text."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()


class PeopleExportView(generics.GenericAPIView):
    """The people list as .xlsx, in the list's scope and filters. ID numbers are whole for the roles that may
    ask for them (view_id_number), masked otherwise; the file names who exported it, and the export is logged."""

    renderer_classes = [JSONRenderer, XlsxRenderer]
    filterset_class = PersonFilter

    def get_queryset(self):
        return people_visible_to(self.request.user).order_by("org__path", "name", "id")

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request) -> HttpResponse:
        people = list(self.filter_queryset(self.get_queryset()))
        shown = {person.pk for person in people if may_see_id_number(request.user, person)}
        content = spreadsheets.write_people(people, lambda person: person.pk in shown)
        content = stamped(content, request._request, what="people", rows=len(people), full_id_numbers=len(shown))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="people.xlsx"'
        return response


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all(), required=False, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)


class UserViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The county's sign-ins, managed by the county organization department."""

    permission_classes = [holds("manage_users")]
    serializer_class = UserSerializer

    def get_queryset(self):
        return get_user_model().objects.select_related("person").order_by("id")

    def perform_create(self, serializer) -> None:
        serializer.instance = create_user(actor=self.request.user, **serializer.validated_data)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def disable(self, request, pk=None) -> Response:
        """The user can no longer sign in; their open sessions and API tokens stop working now."""
        return Response(UserSerializer(disable_user(actor=request.user, user=self.get_object())).data)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None) -> Response:
        return Response(UserSerializer(enable_user(actor=request.user, user=self.get_object())).data)


router = SimpleRouter()
router.register("people", PersonViewSet, basename="person")
router.register("users", UserViewSet, basename="user")
urlpatterns = [
    path("people/import/", PeopleImportView.as_view(), name="people-import"),
    path("people/export.xlsx", PeopleExportView.as_view(), name="people-export"),
    *router.urls,
]
