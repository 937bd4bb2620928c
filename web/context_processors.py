from django.conf import settings
from django.db import connection


def product(request) -> dict:
    return {
        "SOURCE_CODE_URL": settings.SOURCE_CODE_URL,
        "county": getattr(request, "tenant", None) if connection.schema_name != "public" else None,
    }
