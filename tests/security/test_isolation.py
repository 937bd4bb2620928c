"""No one where they don't belong (issue 10): every API operation and every page, generated from the
served OpenAPI document and the URL conf, probed with real ids of county alpha's T1 records by

- county beta's admin with a real token and session, sent to alpha's host,
- county beta's admin on beta's own host, asking for alpha's ids,
- a role holder of alpha's other committee (every role T2 and its branch can carry),
- a member of alpha without a role,
- anonymous callers;

each refused (401/403/404/405 or the sign-in redirect), a real id answered exactly like an id that exists
nowhere, no server error, and none of T1's names, ID numbers or phones in any answer.
"""

from .estate import Estate
from .figures import REPORT
from .probing import Caller, Findings, Prober
from .surface import Surface


def _callers(estate: Estate) -> list[tuple[Caller, str]]:
    """Each caller, with whom they must be refused by: "all" operations, "ids" (those naming a
    record), or "none" (lists they may read, which must still show nothing of T1)."""
    alpha, beta = estate.county, estate.beta
    return [
        (Caller("beta's admin on alpha's host", alpha, estate.beta_admin, home=beta), "all"),
        (Caller("beta's admin on beta's host", beta, estate.beta_admin), "ids"),
        (Caller("T2's role holder", alpha, estate.outsider), "ids"),
        (Caller("member without a role", alpha, estate.plain), "ids"),
        (Caller("anonymous", alpha, None), "all"),
    ]


def _probe_everything(estate: Estate, attack_surface: Surface) -> tuple[Prober, dict[str, Findings]]:
    prober = Prober(estate, attack_surface)
    by_caller: dict[str, Findings] = {}
    for caller, refused_on in _callers(estate):
        found = Findings()
        for op in attack_surface.operations:
            names_a_record = bool(op.path_params)
            scoped = all(
                (source := attack_surface.source(op, p)) is None or estate.scoped(source.model) for p in op.path_params
            )
            # A county-wide record (a scoring scheme, a rate table) is readable by every role of the county.
            in_county_reader = caller.county == estate.county and caller.user is not None
            if names_a_record and not scoped and in_county_reader:
                prober.findings.county_wide.add(op.path)
                expect = False
            elif refused_on == "all":
                expect = not op.public
            else:
                expect = refused_on == "ids" and names_a_record
            found.add(prober.run(caller, op, expect_refusal=expect, compare_ids=expect and names_a_record))
        by_caller[caller.name] = found
    return prober, by_caller


def test_every_operation_and_page_refuses_other_counties_other_scopes_and_anonymous_callers(estate, attack_surface):
    prober, by_caller = _probe_everything(estate, attack_surface)
    api, pages = attack_surface.api, attack_surface.pages
    total = Findings()
    for found in by_caller.values():
        total.add(found)
    REPORT["isolation"] = {
        "API paths": len({op.path for op in api}),
        "API operations": len(api),
        "page routes": len({op.path for op in pages}),
        "page operations": len(pages),
        "cases": total.cases,
        "real ids confirmed": prober.findings.real_ids,
        "ids unconfirmed": len(prober.findings.unconfirmed_ids),
        "methods not served (405 to all)": len(prober.findings.not_served),
        "county-wide paths": len(prober.findings.county_wide),
        "server errors": len(total.server_errors),
        "leaks": len(total.leaks),
    }
    if prober.findings.unconfirmed_ids:
        REPORT["isolation ids no T1 role holder could confirm"] = {"": "; ".join(prober.findings.unconfirmed_ids)}
    problems = [f"[{name}] {line}" for name, found in by_caller.items() for line in found.server_errors + found.leaks]
    assert not problems, "\n".join(problems)


def test_every_path_parameter_has_a_source_of_real_ids(attack_surface):
    """A new endpoint whose ids no view reveals fails here until ID_SOURCES names them."""
    unknown = sorted(
        {
            f"{op.path} {{{p}}}"
            for op in attack_surface.operations
            for p in op.path_params
            if attack_surface.source(op, p) is None
        }
    )
    assert not unknown, unknown


def test_every_model_of_the_project_has_a_record_in_the_estate(estate):
    assert not estate.unfilled, estate.unfilled


def test_the_suite_reports_a_leak_when_a_scope_opens_too_wide(estate, attack_surface, monkeypatch):
    """The probes themselves are checked: with the people list's scope opened to the whole county, the
    role holder of T2 reaches T1's people, and the suite says so."""
    from members.models import Person

    monkeypatch.setattr("api.people.people_visible_to", lambda user: Person.objects.select_related("org"))
    people_ops = [op for op in attack_surface.api if op.path.startswith("/api/people/{id}/") and op.method == "get"]
    prober = Prober(estate, attack_surface)
    outsider = Caller("T2's role holder", estate.county, estate.outsider)
    found = Findings()
    for op in people_ops:
        found.add(prober.run(outsider, op, expect_refusal=True, compare_ids=True))
    assert any("GET /api/people/" in leak and "not refused" in leak for leak in found.leaks), found.leaks
    assert any("existence revealed" in leak for leak in found.leaks), found.leaks
