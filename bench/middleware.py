"""Bench only: how many queries each request runs, in all and before its view (the tenant's lookup).

First in the bench settings' MIDDLEWARE; the counts go back in response headers, read by the bench's
clients. `SET` statements (django-tenants' search path, a new connection's settings) are session
settings, not queries, and are left out. Nothing here runs outside `make bench`.
"""

from django.db import connection

TOTAL_HEADER = "X-Bench-Queries"
BEFORE_VIEW_HEADER = "X-Bench-Queries-Before-View"


class QueryCount:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.bench_queries = 0
        request.bench_before_view = None

        def counter(execute, sql, params, many, context):
            if sql.lstrip()[:4].upper() != "SET ":
                request.bench_queries += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[TOTAL_HEADER] = str(request.bench_queries)
        before = request.bench_queries if request.bench_before_view is None else request.bench_before_view
        response[BEFORE_VIEW_HEADER] = str(before)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Every middleware has run its request half: what ran so far resolved the county (and the session).
        request.bench_before_view = request.bench_queries
