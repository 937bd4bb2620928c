from django.conf import settings
from django.db import connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as exc:  # health reports failures instead of raising them
        return f"error: {exc.__class__.__name__}"


def _broker_status() -> str:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as exc:  # health reports failures instead of raising them
        return f"error: {exc.__class__.__name__}"


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
        database = _database_status()
        broker = _broker_status()
        body = {"status": "ok" if database == "ok" else "degraded", "database": database, "broker": broker}
        if settings.DEBUG:
            body["schema"] = connection.schema_name
        return Response(body, status=200 if database == "ok" else 503)
