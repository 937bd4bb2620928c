"""Send every operation of the surface as every kind of caller who must not reach county alpha's T1
records, and judge each answer: refused (401/403/404/405, or a page's redirect to the sign-in), the
same for a real id as for an id that exists nowhere, never a server error, never one of T1's secrets.
"""

import io
import json
import re
from dataclasses import dataclass, field

import openpyxl
import pypdf
from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client

from tenants.models import County
from tests.conftest import CountyClient, in_county

from .estate import Estate
from .surface import IdSource, Operation, Surface, query_id_models

# An id no county hands out (below PostgreSQL's 32-bit limit, so every id column can hold it).
ABSENT = 1_999_999_993
API_REFUSALS = {401, 403, 404, 405}
PAGE_REFUSALS = {403, 404, 405}


@dataclass(frozen=True)
class Caller:
    name: str
    county: County  # whose host the request is sent to
    user: object | None  # signed in as, or anonymous
    home: County | None = None  # where the user's token and session live (default: `county`)


@dataclass
class Findings:
    cases: int = 0
    leaks: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    real_ids: int = 0
    unconfirmed_ids: list[str] = field(default_factory=list)
    not_served: set[str] = field(default_factory=set)
    county_wide: set[str] = field(default_factory=set)

    def add(self, other: "Findings") -> None:
        self.cases += other.cases
        self.leaks += other.leaks
        self.server_errors += other.server_errors


class Prober:
    def __init__(self, estate: Estate, surface: Surface):
        self.estate = estate
        self.surface = surface
        self.query_models = query_id_models(surface.operations)
        self.findings = Findings()
        self._clients: dict[tuple, Client] = {}
        self._ids: dict[tuple[str, str], int | None] = {}

    # --- clients ---------------------------------------------------------------------------------

    def client(self, caller: Caller, kind: str) -> Client:
        key = (caller.name, kind)
        if key not in self._clients:
            client = CountyClient(caller.county, HTTP_ACCEPT_LANGUAGE="en")
            client.raise_request_exception = False
            if caller.user is not None:
                home = caller.home or caller.county
                if kind == "api":
                    client.credentials(HTTP_AUTHORIZATION=f"Token {self.estate.token(caller.user, home)}")
                else:
                    with in_county(home):
                        client.force_login(caller.user)
            self._clients[key] = client
        return self._clients[key]

    def send(self, caller: Caller, op: Operation, url: str) -> HttpResponse:
        """One request inside a savepoint that is rolled back, so no probe changes what the next one sees."""
        client = self.client(caller, op.kind)
        with transaction.atomic():
            if op.kind == "api":
                body = json.dumps({}) if op.method in ("post", "put", "patch") else None
                response = client.generic(op.method.upper(), url, body or "", content_type="application/json")
            else:
                response = getattr(client, op.method)(url)
            transaction.set_rollback(True)
        connection.set_tenant(self.estate.county)
        return response

    # --- the real ids ------------------------------------------------------------------------------

    def controllers(self) -> list[Caller]:
        e = self.estate
        return [
            Caller(name, e.county, user)
            for name, user in (
                ("admin", e.admin),
                ("reviewer", e.reviewer),
                ("secretary", e.secretary),
                ("member", e.member),
            )
        ]

    def real_values(self, op: Operation) -> dict[str, int] | None:
        """Ids of T1 records this operation really reaches: a T1 role holder's answer for them differs
        from their answer for ids that exist nowhere. None when no source is known for some id."""
        key = (op.path, op.method)
        if key not in self._ids:
            self._ids[key] = self._choose(op)
        return self._ids[key]

    def _choose(self, op: Operation) -> dict[str, int] | None:
        sources = {p: self.surface.source(op, p) for p in op.path_params}
        if any(source is None for source in sources.values()):
            return None
        # The last id is the innermost record (/people/{id}/archive/{entry}/); the ids before it are read
        # from its foreign keys where it has them, so that the record sits under the records named before.
        inner = op.path_params[-1]
        choices = [
            self._around(op, sources, inner, value)
            for value in sources[inner].candidates(self.estate.not_theirs(sources[inner].model))
        ]
        choices = [c for c in choices if c is not None]
        if not choices:
            return None
        absent = {p: ABSENT for p in op.path_params}
        for values in choices:
            verdict = self._confirms(op, values, absent)
            if verdict == "confirmed":
                self.findings.real_ids += 1
                return values
            if verdict == "not served":
                self.findings.not_served.add(op.label)
                return values
        self.findings.unconfirmed_ids.append(op.label)
        return choices[0]

    def _around(self, op: Operation, sources: dict[str, IdSource], inner: str, value: int) -> dict[str, int] | None:
        values = {inner: value}
        row = sources[inner].model.objects.filter(**{sources[inner].field: value}).first()
        for param in op.path_params[:-1]:
            source = sources[param]
            link = next(
                (f for f in row._meta.concrete_fields if f.is_relation and f.related_model is source.model), None
            )
            if link is not None and source.field == "pk":
                values[param] = getattr(row, link.attname)
            else:
                candidates = source.candidates(self.estate.not_theirs(source.model))
                if not candidates:
                    return None
                values[param] = candidates[0]
        return values

    def _confirms(self, op: Operation, real: dict[str, int], absent: dict[str, int]) -> str:
        """ "confirmed", "not served" (every role holder is told 405: the method does not exist), or ""."""
        statuses = set()
        for controller in self.controllers():
            known = self.send(controller, op, op.url(real))
            unknown = self.send(controller, op, op.url(absent))
            if known.status_code != unknown.status_code and known.status_code < 500:
                return "confirmed"
            statuses |= {known.status_code, unknown.status_code}
        return "not served" if statuses == {405} else ""

    # --- the cases ---------------------------------------------------------------------------------

    def run(self, caller: Caller, op: Operation, expect_refusal: bool, compare_ids: bool) -> Findings:
        """Probe one operation as one caller. `expect_refusal`: the caller must be turned away;
        `compare_ids`: a real id must be answered like an absent one."""
        found = Findings()
        if op.path_params:
            real = self.real_values(op) or {p: ABSENT for p in op.path_params}
            variants = [("real", real), ("absent", {p: ABSENT for p in op.path_params})]
        else:
            variants = [("", {})]
        answers = []
        for label, values in variants:
            url = op.url(values)
            response = self.send(caller, op, url)
            found.cases += 1
            answers.append((label, values, response))
            self._judge(found, caller, op, url, response, expect_refusal)
        if compare_ids and len(answers) == 2 and not self._skippable(caller, op, answers[0][1]):
            self._compare(found, caller, op, answers)
        if op.method == "get" and op.kind == "api":
            for name in op.query_params:
                if name in self.query_models:
                    self._query_case(found, caller, op, name)
        return found

    def _query_case(self, found: Findings, caller: Caller, op: Operation, name: str) -> None:
        model = self.query_models[name]
        row = self.estate.preferred(model)
        if row is None or not self.estate.scoped(model):
            return
        values = {p: ABSENT for p in op.path_params}
        answers = []
        for label, value in (("real", row.pk), ("absent", ABSENT)):
            url = f"{op.url(values)}?{name}={value}"
            response = self.send(caller, op, url)
            found.cases += 1
            answers.append((label, {name: value}, response))
            self._judge(found, caller, op, url, response, expect_refusal=False)
        self._compare(found, caller, op, answers, what=f"?{name}=")

    def _skippable(self, caller: Caller, op: Operation, real: dict[str, int]) -> bool:
        """On another county's host, an id that county happens to use for a row of its own proves nothing."""
        if caller.county == self.estate.county:
            return False
        with in_county(caller.county):
            for param, value in real.items():
                source = self.surface.source(op, param)
                tenant_table = source is not None and source.model._meta.app_label in settings.TENANT_APPS
                if tenant_table and source.model.objects.filter(**{source.field: value}).exists():
                    return True
        return False

    def _judge(self, found: Findings, caller: Caller, op: Operation, url: str, response, expect_refusal: bool) -> None:
        where = f"{caller.name}: {op.method.upper()} {url} → {response.status_code}"
        if response.status_code >= 500:
            found.server_errors.append(where)
            return
        body = _text(response)
        leaked = sorted(secret for secret in self.estate.secrets if secret and secret in body)
        if leaked:
            found.leaks.append(f"{where} shows {leaked[:3]}")
        if expect_refusal and not refused(op, response):
            found.leaks.append(f"{where} (not refused)")

    def _compare(self, found: Findings, caller: Caller, op: Operation, answers, what: str = "") -> None:
        (_l1, real_values, real), (_l2, absent_values, absent) = answers
        if _normalized(real, real_values) != _normalized(absent, absent_values):
            found.leaks.append(
                f"{caller.name}: {op.label}{what} answers a real id with {real.status_code} "
                f"and an unknown one with {absent.status_code}: existence revealed"
            )


def refused(op: Operation, response) -> bool:
    if op.kind == "api":
        return response.status_code in API_REFUSALS
    if response.status_code == 302:
        return response["Location"].startswith(settings.LOGIN_URL)
    return response.status_code in PAGE_REFUSALS


def _text(response) -> str:
    """What a reader of the answer sees: the text of a page or JSON, the cells of a spreadsheet, a PDF's text."""
    kind = response.get("Content-Type", "")
    if kind.startswith("application/vnd.openxmlformats") and response.status_code == 200:
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v)
    if kind.startswith("application/pdf") and response.status_code == 200:
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode(errors="replace")


def _normalized(response, values: dict[str, int]) -> tuple[int, str]:
    text = _text(response) if response.status_code != 302 else response["Location"]
    for value in values.values():
        text = re.sub(rf"\b{value}\b", "{id}", text)
    return response.status_code, text
