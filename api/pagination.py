from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Count, Window
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class CountingPaginator(Paginator):
    """Reads a page and the number of rows in one query: the page's rows carry COUNT(*) OVER (). Only an empty
    page after the first asks for the count apart (to tell a page past the end)."""

    def page(self, number: int | str) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # refused there, as any page that is not a number
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list.annotate(rows_in_list=Window(Count("*")))[bottom : bottom + self.per_page])
        if not rows and number > 1:
            return super().page(number)  # past the end, or not: the count says
        self.count = rows[0].rows_in_list if rows else 0  # the cached property, set from the rows
        return self._get_page(rows, number, self)


class CountingPagination(Pagination):
    """For lists whose every matching row is read anyway to order them, so counting them in the page's query
    costs nothing more (the task inbox: a few dozen open tasks of a scope). The count, pages and links are as
    Pagination's; a list of thousands would rather keep the separate, cheaper COUNT."""

    django_paginator_class = CountingPaginator
