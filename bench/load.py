"""Load run: 20 users on the inbox, the people list and task completion for 5 minutes (issue 10).

    make load                                  # 20 users, 5 minutes
    make load LOAD_ARGS="--duration 60"        # shorter
    .venv/bin/python -m bench.load --help

What it runs, on loopback only:

- a database of its own, `xianfeng_load`, in the embedded cluster (`scripts/postgres.sh`): created and
  migrated (`migrate_all`) if missing, kept between runs; the dev database is never touched. Each run
  drops and re-creates the throwaway county `load` in it (`--drop-database` removes the whole
  database afterwards);
- the county's seed: one township committee, one branch per user with its secretary (the user), 30
  members per branch for the people list, and enough admissions waiting for their talk that no user
  runs dry (each admission gives its branch two steps: the talk and the activist decision);
- gunicorn from the venv on a free port of 127.0.0.1 (`--workers`, default 2 × CPUs + 1, sync);
- the users: threads with http.client, each looping over GET /api/tasks/ (its inbox), GET /api/people/
  (the first page of its branch's people) and POST /api/tasks/{id}/complete/ on the first branch step
  of its inbox, with `--think` seconds between rounds (default 0.2). Before the clock starts, every
  gunicorn worker has answered a few requests, so that importing the views is not measured.

It reports the error count (any answer other than 2xx, or no answer), p50/p95/p99 per request kind
and overall, and checks that no write was lost: every task a 200 answer said was completed has
exactly one step record, that record's insert is in the history (history.StepRecordEvent), no other
step record appeared, and the county's history chain verifies. The figures are printed and written
to `.var/load/report.json`. Exit status 1 if any error or lost write was found.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DATABASE = "xianfeng_load"
SLUG = "load"
PASSWORD = "Load-pass-2026"
MEMBERS_PER_BRANCH = 30
REPORT = BASE_DIR / ".var" / "load" / "report.json"


def _database_url(name: str) -> str:
    port = (BASE_DIR / ".var" / "pgport").read_text().strip()
    return f"postgres://postgres@127.0.0.1:{port}/{name}"


def prepare_database() -> str:
    """The load database, created on first use; Django is set up against it."""
    import psycopg

    with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            print(f"Creating the database {DATABASE} (first run: its migrations take a few minutes)")
            admin.execute(f'CREATE DATABASE "{DATABASE}"')
    url = _database_url(DATABASE)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate_all")
    return url


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _id_numbers():
    """Valid, distinct resident ID numbers (GB 11643 check digit)."""
    from stdnum.cn import ric

    serial = 0
    while True:
        serial += 1
        birth = datetime.date(1970, 1, 1) + datetime.timedelta(days=serial % 9000)
        body = f"330102{birth:%Y%m%d}{serial % 1000:03d}"
        yield body + ric.calc_check_digit(body + "0")


@dataclass
class Seed:
    users: list[tuple[str, str, int]]  # (username, token, branch id)
    admissions: int


def seed(users: int, admissions_per_user: int) -> Seed:
    """The throwaway county, re-created: a committee, a branch per user, members and open admissions."""
    from django.db import connection
    from django_tenants.utils import tenant_context
    from rest_framework.authtoken.models import Token

    from core.dates import today
    from members.models import Stage
    from members.services import create_person, create_user
    from orgs.models import Organization, OrgKind, Role
    from orgs.services import assign_role, create_organization
    from tenants.models import County
    from tenants.services import create_county
    from workflows.services.admission import start_admission

    connection.set_schema_to_public()
    for stale in County.objects.filter(slug=SLUG):
        stale.delete(force_drop=True)
    county = create_county(slug=SLUG, name="压测县", admin_username="admin", admin_password=PASSWORD)
    ids = _id_numbers()
    applied = today() - datetime.timedelta(days=20)
    seeded = []
    with tenant_context(county):
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.get(username="admin")
        root = Organization.objects.get(parent=None)
        committee = create_organization(actor=admin, name="城关镇党委", kind=OrgKind.COMMITTEE, parent=root)
        started = time.monotonic()
        for number in range(1, users + 1):
            branch = create_organization(
                actor=admin, name=f"第{number}社区党支部", kind=OrgKind.BRANCH, parent=committee
            )
            secretary = create_user(actor=admin, username=f"secretary{number}", password=PASSWORD)
            assign_role(actor=admin, user=secretary, org=branch, role=Role.BRANCH_SECRETARY)
            for member in range(MEMBERS_PER_BRANCH):
                create_person(
                    actor=admin, name=f"党员{number}-{member}", id_number=next(ids), org=branch, stage=Stage.FULL
                )
            for applicant in range(admissions_per_user):
                fields = {"name": f"申请人{number}-{applicant}", "id_number": next(ids)}
                start_admission(actor=secretary, branch=branch, date=applied, person_fields=fields)
            seeded.append((secretary.username, Token.objects.create(user=secretary).key, branch.pk))
            print(f"  branch {number}/{users} seeded ({time.monotonic() - started:.0f} s)", flush=True)
    connection.set_schema_to_public()
    return Seed(users=seeded, admissions=users * admissions_per_user)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "DEBUG": "0"}
    command = [str(BASE_DIR / ".venv" / "bin" / "gunicorn"), "config.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "120", "--log-level", "warning"]
    with log.open("w") as output:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped; its log:\n{log.read_text()[-3000:]}")
        try:
            status, _body = request(port, "GET", "/api/tasks/", token=None)
            if status == 401:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer within 2 minutes")


def request(port: int, method: str, path: str, token: str | None, body: dict | None = None) -> tuple[int, bytes]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": f"{SLUG}.localhost", "Accept-Language": "en"}
    if token:
        headers["Authorization"] = f"Token {token}"
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    try:
        client.request(method, path, body=payload, headers=headers)
        response = client.getresponse()
        return response.status, response.read()
    finally:
        client.close()


def warm_up(port: int, token: str, workers: int) -> None:
    """Requests at every worker until each has loaded the URLconf and the views (not measured)."""
    for _round in range(3):
        threads = [
            threading.Thread(target=request, args=(port, "GET", "/api/tasks/", token)) for _worker in range(workers * 2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


STEP_DATA = {"talk": {"talker": "支部书记"}, "activist_decision": {"recommended_by": ["members"]}}


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    exhausted: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, kind: str, port: int, method: str, path: str, token: str, body: dict | None = None):
        started = time.perf_counter()
        try:
            status, payload = request(port, method, path, token, body)
        except OSError as exc:
            status, payload = 0, repr(exc).encode()
        elapsed = time.perf_counter() - started
        with self.lock:
            self.latencies[kind].append(elapsed)
            if not 200 <= status < 300:
                self.errors.append(f"{method} {path} → {status}: {payload[:300].decode(errors='replace')}")
        return status, payload


def user_loop(username: str, token: str, branch: int, port: int, stop: float, think: float, results: Results) -> None:
    rng = random.Random(username)
    time.sleep(rng.random() * 2)  # users do not all start in the same millisecond
    while time.monotonic() < stop:
        status, payload = results.timed("inbox", port, "GET", "/api/tasks/?flow=admission", token)
        tasks = json.loads(payload)["results"] if status == 200 else []
        results.timed("people", port, "GET", f"/api/people/?org={branch}", token)
        task = next((t for t in tasks if t["step"] in STEP_DATA), None)
        if task is None:
            with results.lock:
                results.exhausted.add(username)
        else:
            path = f"/api/tasks/{task['id']}/complete/"
            status, _payload = results.timed("complete", port, "POST", path, token, {"data": STEP_DATA[task["step"]]})
            if status == 200:
                with results.lock:
                    results.completed.append(task["id"])
        if think:
            time.sleep(think)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def check_writes(completed: list[int], records_before: int) -> dict:
    """Every task answered 200 has exactly one step record, in the history; the chain verifies."""
    from django.db.models import Count
    from django_tenants.utils import tenant_context

    from history.chain import verify_chain
    from history.models import StepRecordEvent
    from tenants.models import County
    from workflows.models import StepRecord

    with tenant_context(County.objects.get(slug=SLUG)):
        recorded = dict(StepRecord.objects.filter(task_id__in=completed).values_list("task_id").annotate(n=Count("id")))
        in_history = set(
            StepRecordEvent.objects.filter(pgh_label="insert", task_id__in=completed).values_list("task_id", flat=True)
        )
        new_records = StepRecord.objects.count() - records_before
        chain = verify_chain()
    return {
        "completed": len(completed),
        "completed_twice_in_answers": len(completed) - len(set(completed)),
        "missing_records": sorted(set(completed) - set(recorded)),
        "duplicated_records": sorted(task for task, n in recorded.items() if n > 1),
        "missing_from_history": sorted(set(completed) - in_history),
        "records_not_answered": new_records - len(set(completed)),
        "history_chain_intact": chain.ok,
        "history_events_checked": chain.through_seq,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=300, help="seconds (default 300: 5 minutes)")
    parser.add_argument("--think", type=float, default=0.2, help="seconds each user waits between rounds")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--admissions", type=int, default=0, help="open admissions per user (default: from duration)")
    parser.add_argument("--drop-database", action="store_true", help=f"drop {DATABASE} at the end")
    options = parser.parse_args()
    admissions = options.admissions or max(20, int(options.duration / 6))

    REPORT.parent.mkdir(parents=True, exist_ok=True)
    print(f"Preparing {DATABASE} …", flush=True)
    url = prepare_database()
    print(f"Seeding the county {SLUG!r}: {options.users} branches, {admissions} admissions each …", flush=True)
    seeded = seed(options.users, admissions)

    from django.db import connections
    from django_tenants.utils import tenant_context

    from tenants.models import County
    from workflows.models import StepRecord

    with tenant_context(County.objects.get(slug=SLUG)):
        records_before = StepRecord.objects.count()
    connections.close_all()

    port = free_port()
    log = REPORT.parent / "gunicorn.log"
    print(f"gunicorn on 127.0.0.1:{port} with {options.workers} workers (log: {log})", flush=True)
    server = start_gunicorn(url, port, options.workers, log)
    results = Results()
    try:
        warm_up(port, seeded.users[0][1], options.workers)
        print(f"{options.users} users for {options.duration:.0f} s …", flush=True)
        started = time.monotonic()
        stop = started + options.duration
        threads = [
            threading.Thread(target=user_loop, args=(name, token, branch, port, stop, options.think, results))
            for name, token, branch in seeded.users
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)

    every = [value for values in results.latencies.values() for value in values]
    requests = {
        kind: {
            "count": len(values),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            "mean_ms": round(statistics.fmean(values) * 1000, 1) if values else 0.0,
        }
        for kind, values in sorted({**results.latencies, "all": every}.items())
    }
    writes = check_writes(results.completed, records_before)
    lost = len(writes["missing_records"]) + len(writes["missing_from_history"]) + len(writes["duplicated_records"])
    report = {
        "users": options.users,
        "duration_s": round(elapsed, 1),
        "think_s": options.think,
        "gunicorn_workers": options.workers,
        "requests_per_s": round(len(every) / elapsed, 1),
        "errors": len(results.errors),
        "error_samples": results.errors[:10],
        "users_out_of_tasks": sorted(results.exhausted),
        "requests": requests,
        "writes": writes,
        "lost_or_duplicated_writes": lost,
    }
    REPORT.write_text(json.dumps(report, ensure_ascii=False, indent=2))

    print(f"\n{len(every)} requests in {elapsed:.0f} s ({report['requests_per_s']}/s), errors: {len(results.errors)}")
    for kind, figures in requests.items():
        print(
            f"  {kind:9} n={figures['count']:6}  p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms  p99 {figures['p99_ms']:7.1f} ms"
        )
    print(
        f"Tasks completed: {writes['completed']}; lost or duplicated writes: {lost}; "
        f"records nobody was told of: {writes['records_not_answered']}; "
        f"history chain intact: {writes['history_chain_intact']} ({writes['history_events_checked']} events)"
    )
    if results.exhausted:
        print(f"Users who ran out of tasks (raise --admissions): {len(results.exhausted)}")
    for sample in results.errors[:5]:
        print(f"  error: {sample}")
    print(f"Report: {REPORT}")

    if options.drop_database:
        drop_database()
    ok = not results.errors and lost == 0 and writes["records_not_answered"] == 0 and writes["history_chain_intact"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
