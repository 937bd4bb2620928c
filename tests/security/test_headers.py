"""Every page, read from the URL conf and opened as county alpha's admin with real ids, carries the content
security policy and the browser protections, and relies on no inline script, style or event handler
(which the policy would block): issue 10, OWASP ASVS 3.4."""

import re

from .figures import REPORT
from .probing import Caller, Prober

INLINE = {
    # A JSON data block (Django's json_script, e.g. the dashboard's chart data) is never run: not inline code.
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*\btype=\"application/json\")[^>]*>", re.I),
    "inline style element": re.compile(r"<style(?![^>]*\bnonce=)[^>]*>", re.I),
    "style attribute": re.compile(r"<[^>]+\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"<[^>]+\son[a-z]+\s*=", re.I),
    "javascript: link": re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I),
}


def test_every_page_carries_the_policy_and_needs_no_inline_code(estate, attack_surface):
    prober = Prober(estate, attack_surface)
    admin = Caller("admin", estate.county, estate.admin)
    checked, problems = 0, []
    for op in attack_surface.pages:
        if op.method != "get":
            continue
        values = prober.real_values(op) if op.path_params else {}
        if values is None:
            continue
        url = op.url(values)
        response = prober.send(admin, op, url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        checked += 1
        policy = response.get("Content-Security-Policy", "")
        if "default-src 'self'" not in policy or "frame-ancestors 'none'" not in policy:
            problems.append(f"{url}: Content-Security-Policy is {policy!r}")
        if response.get("X-Frame-Options") != "DENY" or response.get("X-Content-Type-Options") != "nosniff":
            problems.append(f"{url}: X-Frame-Options or X-Content-Type-Options missing")
        html = response.content.decode()
        for what, pattern in INLINE.items():
            found = pattern.search(html)
            if found:
                problems.append(f"{url}: {what}: {found.group(0)[:80]}")
    REPORT["headers"] = {"pages checked": checked, "problems": len(problems)}
    assert checked >= 10
    assert not problems, "\n".join(problems)


def test_the_api_documentation_page_loads_its_script_from_files_only(estate):
    from tests.conftest import CountyClient

    response = CountyClient(estate.county).as_user(estate.admin).get("/api/docs/")
    assert response.status_code == 200
    assert "cdn.jsdelivr.net" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert not INLINE["inline script"].search(html)
    assert not INLINE["inline style element"].search(html)
