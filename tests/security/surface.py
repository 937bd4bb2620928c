"""The attack surface, read from the running code: every operation of the OpenAPI schema the API serves
and every page route of the URL conf, with the model each id in a path or query names.

Nothing here lists endpoints by hand. A new endpoint or page is probed as soon as it is routed; its ids
are inferred from the views (the model of the queryset of the view, of the detail view or collection
it hangs under, of the API path a page mirrors, or a parameter named after a model or foreign key).
Only ids no view reveals sit in ID_SOURCES.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

API_PREFIX = "/api/"
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class IdSource:
    """Where the ids of one path parameter come from: the `field` of `model`'s rows, newest first."""

    model: type[models.Model]
    field: str = "pk"

    def candidates(self, rows: models.QuerySet | None = None, limit: int = 4) -> list[int]:
        rows = self.model.objects.all() if rows is None else rows
        return list(rows.order_by(f"-{self.field}").values_list(self.field, flat=True).distinct()[:limit])


# The only ids the generator cannot infer, by path prefix and parameter name: (model label, field).
ID_SOURCES: dict[tuple[str, str], tuple[str, str]] = {
    # A task is addressed by viewflow's task id, not by the StepTask row its list view returns.
    ("/api/tasks/", "id"): ("workflows.StepTask", "task_id"),
    ("/tasks/", "pk"): ("workflows.StepTask", "task_id"),
    # A finding is withdrawn by a view without a queryset, and no route lists findings.
    ("/api/assessments/findings/", "id"): ("scoring.AssessmentFinding", "pk"),
    # A saved filter is its owner's alone: pages list them, no API does.
    ("/lists/saved/", "pk"): ("lists.SavedFilter", "pk"),
}


@dataclass(frozen=True)
class Operation:
    kind: str  # "api" or "page"
    method: str
    path: str  # a template: "/api/people/{id}/", "/tasks/{pk}/assign/"
    public: bool = False  # open to anonymous callers by design
    path_params: tuple[str, ...] = ()  # the ids in the path
    fixed: tuple[tuple[str, str], ...] = ()  # other path parameters (a stage code), with a valid value
    query_params: tuple[str, ...] = ()
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def url(self, values: dict[str, int]) -> str:
        every = {**dict(self.fixed), **values}
        return re.sub(r"{(\w+)}", lambda m: str(every[m.group(1)]), self.path)


@dataclass
class Surface:
    operations: list[Operation]
    sources: dict[tuple[str, str], IdSource | None] = field(default_factory=dict)

    @property
    def api(self) -> list[Operation]:
        return [op for op in self.operations if op.kind == "api"]

    @property
    def pages(self) -> list[Operation]:
        return [op for op in self.operations if op.kind == "page"]

    def source(self, op: Operation, param: str) -> IdSource | None:
        return self.sources.get((op.path, param))


# --- the API, from its OpenAPI document -------------------------------------------------------------


def _fixed_value(schema: dict) -> str:
    return str(schema["enum"][0]) if schema.get("enum") else "x"


def api_operations(schema: dict) -> list[Operation]:
    """Every (method, path) of the document; `public` where its security admits no credentials."""
    operations = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            parameters = [*item.get("parameters", []), *op.get("parameters", [])]
            in_path = [p for p in parameters if p["in"] == "path"]
            operations.append(
                Operation(
                    kind="api",
                    method=method,
                    path=path,
                    public={} in op.get("security", [{}]),
                    path_params=tuple(p["name"] for p in in_path if p.get("schema", {}).get("type") == "integer"),
                    fixed=tuple(
                        (p["name"], _fixed_value(p.get("schema", {})))
                        for p in in_path
                        if p.get("schema", {}).get("type") != "integer"
                    ),
                    query_params=tuple(p["name"] for p in parameters if p["in"] == "query"),
                    name=op.get("operationId", ""),
                )
            )
    return operations


# --- the pages, from the URL conf -------------------------------------------------------------------


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterable[tuple[str, str]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, space)
        elif isinstance(entry, URLPattern):
            yield route, f"{namespace}{entry.name or ''}"


def page_operations(public_pages: Iterable[str]) -> list[Operation]:
    """Every route of the county URL conf outside /api/, as GET and POST."""
    open_names = set(public_pages)
    operations = []
    for route, name in _walk(get_resolver(settings.ROOT_URLCONF).url_patterns):
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        if path.startswith(API_PREFIX):
            continue
        converters = dict((name, kind or "str") for kind, name in re.findall(r"<(?:(\w+):)?(\w+)>", route))
        ids = tuple(param for param, kind in converters.items() if kind == "int")
        fixed = tuple((param, "x") for param, kind in converters.items() if kind != "int")
        for method in ("get", "post"):
            operations.append(
                Operation(
                    kind="page",
                    method=method,
                    path=path,
                    public=name in open_names,
                    path_params=ids,
                    fixed=fixed,
                    name=name,
                )
            )
    return operations


# --- which model an id names --------------------------------------------------------------------------


def project_models() -> list[type[models.Model]]:
    """Models of the project's own apps (not Django's or a library's)."""
    base = str(settings.BASE_DIR)
    return [
        model
        for config in apps.get_app_configs()
        if config.path.startswith(base) and ".venv" not in config.path
        for model in config.get_models()
    ]


def _foreign_key_names() -> dict[str, type[models.Model]]:
    """Field name → model, for names that point to one model wherever they are used (org, person, …)."""
    seen: dict[str, set] = {}
    for model in project_models():
        for f in model._meta.concrete_fields:
            if f.is_relation and f.related_model is not None:
                seen.setdefault(f.name, set()).add(f.related_model)
    return {name: next(iter(targets)) for name, targets in seen.items() if len(targets) == 1}


def _names() -> dict[str, type[models.Model]]:
    return {**_foreign_key_names(), **{model._meta.model_name: model for model in project_models()}}


def view_source(url: str, method: str, param: str | None, user) -> IdSource | None:
    """The ids the view behind `url` looks up, asked as `user`: the model of its queryset and, when the
    parameter is the view's lookup, its lookup field. None if the view has no queryset."""
    try:
        match = resolve(url)
    except Exception:
        return None
    cls = getattr(match.func, "cls", None)
    if cls is None or not hasattr(cls, "get_queryset"):
        return None
    view = cls(**getattr(match.func, "initkwargs", {}))
    actions = getattr(match.func, "actions", None)
    if actions:
        view.action_map = actions
        view.action = actions.get(method) or next(iter(actions.values()))
    request = Request(APIRequestFactory().generic(method.upper(), url))
    request.user = user
    view.request, view.args, view.kwargs, view.format_kwarg = request, (), match.kwargs, None
    try:
        model = view.get_queryset().model
    except Exception:
        return None
    if param is None:
        return IdSource(model)
    lookup = getattr(view, "lookup_field", "pk")
    kwarg = getattr(view, "lookup_url_kwarg", None) or lookup
    if param == kwarg or (param == "id" and kwarg == "pk"):
        return IdSource(model, lookup)
    return None


def _fill(path: str) -> str:
    return re.sub(r"{\w+}", "1", path)


def _head(path: str, param: str) -> str:
    """The part of a path before a parameter, as words: "/api/people/{id}/archive/{entry}/" and
    "/people/{pk}/archive/{entry}/" both give "people {} archive" before `entry`."""
    before = path.split("{" + param + "}")[0]
    if before.startswith(API_PREFIX):
        before = before[len(API_PREFIX) - 1 :]
    words = ("{}" if part.startswith("{") else part.removesuffix("s") for part in re.split(r"[/\-_]+", before) if part)
    return " ".join(words)  # singular and plural alike: /assessment/weak/{pk}/ mirrors /api/assessments/weak/{id}/


def infer_sources(operations: list[Operation], user) -> dict[tuple[str, str], IdSource | None]:
    """For every id in the path of every operation: where its real ids come from (None: unknown)."""
    names = _names()
    heads: dict[str, IdSource] = {}  # what the API taught: the words before an id → its source

    def from_api(op: Operation, param: str) -> IdSource | None:
        head = op.path.split("{" + param + "}")[0]
        return (
            view_source(_fill(op.path), op.method, param, user)
            or view_source(_fill(head + "{" + param + "}/"), "get", param, user)
            or view_source(_fill(head), "get", None, user)
        )

    def from_pages(op: Operation, param: str) -> IdSource | None:
        words = _head(op.path, param)
        if words in heads:
            return heads[words]
        longer = sorted((h for h in heads if h.startswith(words)), key=len)  # "mobile" → "mobile members"
        if longer:
            return heads[longer[0]]
        shorter = sorted((h for h in heads if words.endswith(" " + h)), key=len)  # "life appraisals" → "appraisals"
        return heads[shorter[-1]] if shorter else None

    sources: dict[tuple[str, str], IdSource | None] = {}
    for op in sorted(operations, key=lambda o: o.kind):  # the API first: pages learn from it
        if op.kind == "api" and op.method == "get" and op.path.endswith("/") and not op.path.endswith("}/"):
            collection = view_source(_fill(op.path), "get", None, user)
            if collection is not None:  # a page may name the collection's rows: /dispositions/proposals/{pk}/open/
                heads.setdefault(_head(op.path + "{_}", "_"), collection)
        for param in op.path_params:
            key = (op.path, param)
            if key in sources:
                continue
            listed = next(
                (s for (prefix, name), s in ID_SOURCES.items() if op.path.startswith(prefix) and name == param), None
            )
            source = IdSource(apps.get_model(listed[0]), listed[1]) if listed else None
            if source is None:
                source = from_api(op, param) if op.kind == "api" else from_pages(op, param)
            if source is None and param in names:
                source = IdSource(names[param])
            sources[key] = source
            if op.kind == "api" and source is not None:
                heads.setdefault(_head(op.path, param), source)
    return sources


def query_id_models(operations: list[Operation]) -> dict[str, type[models.Model]]:
    """Query parameters that carry an id: named after a model or after a foreign key used consistently."""
    known = _names()
    wanted = {p for op in operations for p in op.query_params}
    return {name: known[name] for name in wanted if name in known}


# --- whether a row belongs to an organization -------------------------------------------------------


def relation_path(model: type[models.Model], target: type[models.Model], depth: int = 3) -> str | None:
    """The lookup from `model` to `target` along foreign keys (e.g. "entry__person"), if any."""
    if model is target:
        return ""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _level in range(depth):
        following = []
        for current, lookup in frontier:
            for f in current._meta.concrete_fields:
                if not f.is_relation or f.related_model is None:
                    continue
                step = f"{lookup}__{f.name}" if lookup else f.name
                if f.related_model is target:
                    return step
                following.append((f.related_model, step))
        frontier = following
    return None


def surface(schema: dict, user, public_pages: Iterable[str]) -> Surface:
    operations = api_operations(schema) + page_operations(public_pages)
    return Surface(operations=operations, sources=infer_sources(operations, user))
