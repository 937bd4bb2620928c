"""GET /api/health/ on a county's or the platform's host: the database and the broker, as this county sees them.

The probes that need no county (/healthz, /readyz) and /metrics are answered by ops.middleware.ProbeMiddleware.
"""

from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ops.readiness import broker_status, database_status


class HealthView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer(
            "Health",
            {"status": serializers.CharField(), "database": serializers.CharField(), "broker": serializers.CharField()},
        )
    )
    def get(self, request):
        database = database_status()
        broker = broker_status()
        body = {"status": "ok" if database == "ok" else "degraded", "database": database, "broker": broker}
        if settings.DEBUG:
            body["schema"] = connection.schema_name
        return Response(body, status=200 if database == "ok" else 503)
