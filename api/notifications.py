"""A user's own notifications and channels (issue 9): /api/me/notifications/ and /api/me/notification-preferences/.

Only the caller's own notices are listed or changed: another user's notice answers 404.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import selectors, services
from notifications.models import Notice, Preference


class NoticeSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "link",
            "object_type",
            "object_id",
            "process",
            "created_at",
            "read_at",
            "read",
        ]
        read_only_fields = fields

    def get_read(self, notice: Notice) -> bool:
        return notice.read_at is not None


class PreferenceSerializer(serializers.ModelSerializer):
    in_app = serializers.SerializerMethodField(help_text="Always true: every notice is shown in the application.")

    class Meta:
        model = Preference
        fields = ["in_app", "email", "sms", "wechat", "phone", "wechat_id"]

    def get_in_app(self, preference: Preference) -> bool:
        return True


class NoticeList(generics.ListAPIView):
    """The caller's notices, newest first; `?unread=true` lists the unread ones only."""

    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()  # read per caller in get_queryset

    @extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notices.")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        notices = selectors.notices_of(self.request.user)
        if self.request.query_params.get("unread", "").lower() in ("1", "true", "yes"):
            notices = notices.filter(read_at__isnull=True)
        return notices


class NoticeRead(APIView):
    @extend_schema(request=None, responses=NoticeSerializer)
    def post(self, request, pk: int):
        notice = get_object_or_404(selectors.notices_of(request.user), pk=pk)
        return Response(NoticeSerializer(services.mark_read(actor=request.user, notice=notice)).data)


class NoticeReadAll(APIView):
    @extend_schema(request=None, responses=inline_serializer("NoticesRead", {"marked": serializers.IntegerField()}))
    def post(self, request):
        return Response({"marked": services.mark_all_read(actor=request.user)})


class PreferenceView(APIView):
    """The caller's channels. In the application is always on; a channel chosen needs its address."""

    @extend_schema(responses=PreferenceSerializer)
    def get(self, request):
        return Response(PreferenceSerializer(selectors.preferences_of(request.user)).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def patch(self, request):
        incoming = PreferenceSerializer(selectors.preferences_of(request.user), data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        preference = services.set_preferences(actor=request.user, **incoming.validated_data)
        return Response(PreferenceSerializer(preference).data)


urlpatterns = [
    path("me/notifications/", NoticeList.as_view(), name="my-notifications"),
    path("me/notifications/read-all/", NoticeReadAll.as_view(), name="my-notifications-read-all"),
    path("me/notifications/<int:pk>/read/", NoticeRead.as_view(), name="my-notification-read"),
    path("me/notification-preferences/", PreferenceView.as_view(), name="my-notification-preferences"),
]
