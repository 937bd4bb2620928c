"""The user's saved filters, and paging of the filtered lists."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from .models import SavedFilter

PAGE_SIZE = 50


def saved_filters_of(user, page: str) -> QuerySet[SavedFilter]:
    if not getattr(user, "is_authenticated", False):
        return SavedFilter.objects.none()
    return SavedFilter.objects.filter(user_id=user.pk, page=page).order_by("name")


def paginate(rows, number: str | int | None, size: int = PAGE_SIZE) -> Page:
    """One page of the rows (the last one when the number is past the end, the first when it is not a number)."""
    return Paginator(rows, size).get_page(number)
