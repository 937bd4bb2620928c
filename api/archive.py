"""The member archive (DOMAIN.md §9): relatives, access requests and their decisions, reading with the read log.

A person outside the caller's scope answers 404. Reading without an approval in force answers 403; asking
for one's own or a close relative's archive answers 400 with the rule. Every read is logged.
"""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from members import archive_access
from members.models import ArchiveAccessRequest, ArchiveEntry, ArchiveRead, Relation, Relative
from members.selectors import people_visible_to


class RelativeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relative
        fields = ["id", "person", "relation", "name", "id_number", "relative"]
        read_only_fields = ["person"]


class AddRelativeSerializer(serializers.Serializer):
    relation = serializers.ChoiceField(choices=Relation.choices)
    name = serializers.CharField(required=False, allow_blank=True, default="")
    id_number = serializers.CharField(required=False, allow_blank=True, default="")
    relative = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Their record, if any."
    )


class AccessRequestSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    requested_by_name = serializers.CharField(source="requested_by.username", read_only=True)

    class Meta:
        model = ArchiveAccessRequest
        fields = [
            "id",
            "person",
            "person_name",
            "requested_by",
            "requested_by_name",
            "reason",
            "requested_at",
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "valid_until",
        ]


class NewAccessRequestSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    reason = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class EntrySerializer(serializers.ModelSerializer):
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveEntry
        fields = [
            "id",
            "kind",
            "title",
            "event_date",
            "data",
            "filed_at",
            "source_process",
            "source_step",
            "has_document",
        ]

    def get_has_document(self, entry: ArchiveEntry) -> bool:
        return bool(entry.document)


class ReadSerializer(serializers.ModelSerializer):
    reader_name = serializers.CharField(source="reader.username")

    class Meta:
        model = ArchiveRead
        fields = ["id", "reader", "reader_name", "person", "request", "read_at", "reason", "entry"]


def _person(request, pk: int):
    return get_object_or_404(people_visible_to(request.user), pk=pk)


class PersonRelatives(APIView):
    """The relatives recorded on a person (the close ones bar each other from their archives)."""

    @extend_schema(responses=RelativeSerializer(many=True))
    def get(self, request, pk: int):
        return Response(RelativeSerializer(archive_access.relatives_of(_person(request, pk)), many=True).data)

    @extend_schema(request=AddRelativeSerializer, responses={201: RelativeSerializer})
    def post(self, request, pk: int):
        person = _person(request, pk)
        body = AddRelativeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        given = dict(body.validated_data)
        relative_id = given.pop("relative")
        given["relative"] = get_object_or_404(people_visible_to(request.user), pk=relative_id) if relative_id else None
        relative = archive_access.add_relative(actor=request.user, person=person, **given)
        return Response(RelativeSerializer(relative).data, status=201)


class PersonArchive(APIView):
    """The archive's entries, for a reader with an approved request in force; the read is logged."""

    @extend_schema(
        responses=inline_serializer(
            "ArchiveRead",
            {
                "person": serializers.IntegerField(),
                "request": serializers.IntegerField(),
                "valid_until": serializers.DateField(),
                "entries": EntrySerializer(many=True),
            },
        )
    )
    def get(self, request, pk: int):
        person = _person(request, pk)
        approval, entries = archive_access.read_archive(actor=request.user, person=person)
        return Response(
            {
                "person": person.pk,
                "request": approval.pk,
                "valid_until": approval.valid_until,
                "entries": EntrySerializer(entries, many=True).data,
            }
        )


class PersonArchiveDocument(APIView):
    """One entry's document, for a reader with an approved request in force; the read is logged."""

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int, entry: int):
        person = _person(request, pk)
        entry = get_object_or_404(ArchiveEntry.objects.filter(person=person), pk=entry)
        document = archive_access.open_document(actor=request.user, entry=entry)
        return FileResponse(document, as_attachment=True, filename=entry.document.name.rsplit("/", 1)[-1])


class PersonArchiveReads(generics.ListAPIView):
    """Who read this archive, when and why (for those who decide its requests)."""

    serializer_class = ReadSerializer
    filter_backends: list = []

    def get_queryset(self):
        person = _person(self.request, self.kwargs["pk"])
        if not archive_access.may_see_reads(self.request.user, person):
            raise PermissionDenied()
        return archive_access.reads_of(person)


class AccessRequestList(generics.ListAPIView):
    """My requests and those my roles decide (`?status=pending|approved|refused`); POST asks to read an archive."""

    serializer_class = AccessRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        requests = archive_access.requests_visible_to(self.request.user)
        status = self.request.query_params.get("status")
        return requests.filter(status=status) if status else requests

    @extend_schema(request=NewAccessRequestSerializer, responses={201: AccessRequestSerializer})
    def post(self, request):
        body = NewAccessRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        person = _person(request, body.validated_data["person"])
        access = archive_access.request_access(actor=request.user, person=person, reason=body.validated_data["reason"])
        return Response(AccessRequestSerializer(access).data, status=201)


class AccessRequestDetail(generics.RetrieveAPIView):
    serializer_class = AccessRequestSerializer

    def get_queryset(self):
        return archive_access.requests_visible_to(self.request.user)


class AccessRequestDecide(APIView):
    """The committee leader in charge approves (`approve`) or refuses (`refuse`, with a note) a request."""

    @extend_schema(request=DecisionSerializer, responses=AccessRequestSerializer)
    def post(self, request, pk: int):
        access = get_object_or_404(archive_access.requests_visible_to(request.user), pk=pk)
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        access = archive_access.decide_access(
            actor=request.user,
            access=access,
            approve=body.validated_data["decision"] == "approve",
            note=body.validated_data["note"],
        )
        return Response(AccessRequestSerializer(access).data)


urlpatterns = [
    path("people/<int:pk>/relatives/", PersonRelatives.as_view(), name="person-relatives"),
    path("people/<int:pk>/archive/", PersonArchive.as_view(), name="person-archive"),
    path("people/<int:pk>/archive/reads/", PersonArchiveReads.as_view(), name="person-archive-reads"),
    path(
        "people/<int:pk>/archive/<int:entry>/document/", PersonArchiveDocument.as_view(), name="person-archive-document"
    ),
    path("archive-requests/", AccessRequestList.as_view(), name="archive-requests"),
    path("archive-requests/<int:pk>/", AccessRequestDetail.as_view(), name="archive-request"),
    path("archive-requests/<int:pk>/decide/", AccessRequestDecide.as_view(), name="archive-request-decide"),
]
