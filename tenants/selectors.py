from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name

from .models import County


def counties() -> QuerySet[County]:
    """Every county on the platform (the public schema's own row excluded)."""
    return County.objects.exclude(schema_name=get_public_schema_name()).order_by("slug")
