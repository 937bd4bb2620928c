"""`make bench`: the synthetic county, every benchmark against its limit, the record of the run.

    DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python -m bench.run [--reps 3] [--only scoring,dues]

Prints one line per benchmark on stdout (progress goes to stderr) and writes bench/results/latest.json
and bench/results/latest.png.
"""

import argparse
import datetime
import os
import platform
import signal
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.db import connection  # noqa: E402
from django_tenants.utils import get_public_schema_name, schema_context  # noqa: E402

from core.dates import today  # noqa: E402

from . import apis, batch, counties, report, serving, transfer  # noqa: E402
from .database import ensure_database  # noqa: E402
from .generate import SLUG, ensure_county, fingerprint, stored_fingerprint  # noqa: E402
from .report import Result  # noqa: E402
from .schema import pending  # noqa: E402

log = serving.log
NAMES = ("scoring", "dues", "people_api", "tasks_api", "complete_step", "tenant", "new_county", "migrate_200", "transfer")


def prepare() -> tuple[dict, bool]:
    """The bench database migrated and the county in it; what was done, and whether it was generated."""
    created = ensure_database()
    connection.set_schema_to_public()
    started = time.monotonic()
    if created or pending(get_public_schema_name()) or pending("county_template"):
        from tenants.services import migrate_everything

        if stored_fingerprint() not in (None, fingerprint(today())):
            from .generate import _drop

            _drop(SLUG)  # out of date: not worth migrating
        log("Migrating the bench database (public schema, template, counties)")
        migrate_everything()
    county, generated = ensure_county(log)
    return {"county": county.schema_name, "generated": generated, "prepare_seconds": round(time.monotonic() - started, 1)}, generated


def run_scoring(reps: int) -> Result:
    year = today().year - 1
    log(f"Annual scoring of {year}: compute_results over the county vs one SQL aggregate ({reps} runs)")
    with schema_context(SLUG):
        pair = batch.scoring(year, reps)
    ratio = statistics_ratio(pair.ours, pair.limit)
    return Result("scoring.annual", "s", pair.ours, "≤3× SQL", pair.agreed and ratio <= 3, pair.limit, "lower",
                  pair.detail, {"target_ratio": 3, "year": year, "same_totals": pair.agreed})


def run_dues(reps: int) -> Result:
    log(f"Monthly dues assessment: assess_month over the county vs one INSERT … SELECT ({reps} runs)")
    with schema_context(SLUG):
        pair = batch.dues(today(), reps)
    ratio = statistics_ratio(pair.ours, pair.limit)
    return Result("dues.monthly", "s", pair.ours, "≤3× SQL", pair.agreed and ratio <= 3, pair.limit, "lower",
                  pair.detail, {"target_ratio": 3, "same_rows": pair.agreed})


def statistics_ratio(ours: list[float], limit: list[float]) -> float:
    import statistics

    return statistics.median(ours) / statistics.median(limit)


def run_lists(address: str, reps: int, which: set[str]) -> list[Result]:
    people = apis.reviewers()
    mismatch = apis.same_rows(address, people)
    results = []
    for name, plans in (("people_api", apis.people_plans), ("tasks_api", apis.task_plans)):
        if name not in which:
            continue
        log(f"{name}: {serving.CLIENTS} clients, API vs bare view ({reps} runs each, alternating)")
        ours, bare = [], []
        serving.load(address, plans(people, False))  # warm both up
        serving.load(address, plans(people, True))
        for _ in range(reps):
            ours.append(serving.load(address, plans(people, False)))
            bare.append(serving.load(address, plans(people, True)))
        throughput = [run.throughput for run in ours]
        bare_throughput = [run.throughput for run in bare]
        latencies = [latency for run in ours for latency in run.latencies]
        summary = apis.summary(serving.Run(sum(r.seconds for r in ours), latencies, _statuses(ours),
                                           [q for r in ours for q in r.queries], [q for r in ours for q in r.before_view]))
        bare_summary = apis.summary(serving.Run(sum(r.seconds for r in bare), [x for r in bare for x in r.latencies],
                                                _statuses(bare), [q for r in bare for q in r.queries],
                                                [q for r in bare for q in r.before_view]))
        ok = set(summary["statuses"]) == {"200"} and set(bare_summary["statuses"]) == {"200"} and not mismatch
        ratio = statistics_ratio(throughput, bare_throughput)
        detail = (f"p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms; bare p50 {bare_summary['p50_ms']} ms, "
                  f"p99 {bare_summary['p99_ms']} ms; {summary['queries_per_request']} queries/request vs "
                  f"{bare_summary['queries_per_request']}")
        if mismatch:
            detail += f"; ROWS DIFFER: {mismatch}"
        results.append(Result(f"api.{name.removesuffix('_api')}", "req/s", throughput, "≥0.5× bare, p99<300ms",
                              ok and ratio >= 0.5 and summary["p99_ms"] < 300, bare_throughput, "higher", detail,
                              {"target_ratio": 0.5, **summary, "bare": bare_summary}))
    return results


def _statuses(runs: list[serving.Run]) -> dict[int, int]:
    total: dict[int, int] = {}
    for run in runs:
        for status, count in run.statuses.items():
            total[status] = total.get(status, 0) + count
    return total


def run_completion(address: str, reps: int) -> Result:
    log(f"Completing an admission step through the API: {serving.CLIENTS} secretaries at once ({reps} runs)")
    runs = [serving.load(address, apis.completions(apis.COMPLETIONS_PER_CLIENT)) for _ in range(reps)]
    latencies = [latency for run in runs for latency in run.latencies]
    statuses = _statuses(runs)
    summary = apis.summary(serving.Run(sum(r.seconds for r in runs), latencies, statuses,
                                       [q for r in runs for q in r.queries], [q for r in runs for q in r.before_view]))
    p50 = [serving.percentile(run.latencies, 0.5) * 1000 for run in runs]
    detail = (f"p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms over {summary['requests']} completions, "
              f"statuses {summary['statuses']}, {summary['queries_per_request']} queries/request at most")
    return Result("api.complete_step", "ms p50", p50, "p50/p99 reported", None if statuses.keys() == {200} else False,
                  detail=detail, extra=summary)


def run_tenant(address: str) -> Result:
    log("Tenant resolution: queries before the view, per request")
    found = apis.tenant_queries(address)
    return Result("tenant.lookup", "queries", [found["cached"]], "≤1 per request, cached", found["first"] <= 1,
                  detail=f"{found['first']} on a worker's first request (cache miss), {found['cached']} once cached",
                  extra=found)


def run_new_county(reps: int) -> Result:
    log(f"Creating one county from the template ({reps} runs)")
    seconds = counties.new_county(reps)
    return Result("county.create", "s", seconds, "<2 s", statistics_median(seconds) < 2)


def statistics_median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def run_migrate(reps: int) -> Result:
    log("Counties for the migration benchmark: up to 200 on the platform")
    created = counties.ensure_fleet(log)
    log(f"migrate_schemas over every county for one new column ({reps} runs)")
    seconds, count, check = counties.migrate_fleet(reps)
    detail = f"{count} counties, {check}"
    if created:
        detail += f"; {len(created)} counties created for it 4 at a time, median {statistics_median(created):.2f} s each"
    return Result("migrate.200_counties", "s", seconds, "reported", None if count >= counties.FLEET else False,
                  detail=detail, extra={"counties": count, "seconds_per_county": statistics_median(seconds) / count})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="runs of each benchmark (the median is reported)")
    parser.add_argument("--only", default=",".join(NAMES), help=f"comma-separated subset of {', '.join(NAMES)}")
    options = parser.parse_args(argv)
    # A stopped run (Ctrl-C, SIGTERM) still stops the server it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    which = set(options.only.split(","))
    started = time.monotonic()
    load_before = os.getloadavg()
    context, _generated = prepare()
    results: list[Result] = []
    if "scoring" in which:
        results.append(run_scoring(options.reps))
    if "dues" in which:
        results.append(run_dues(max(options.reps, 5)))
    if which & {"people_api", "tasks_api", "complete_step", "tenant"}:
        with serving.server() as address:
            if "tenant" in which:
                results.append(run_tenant(address))
            results += run_lists(address, options.reps, which)
            if "complete_step" in which:
                results.append(run_completion(address, options.reps))
    if "new_county" in which:
        results.append(run_new_county(options.reps))
    if "migrate_200" in which:
        results.append(run_migrate(options.reps))
    if "transfer" in which:
        results.append(transfer.run(options.reps))
    context.update({
        "finished_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    # Other work on the machine slows every benchmark and its limit alike, not always equally.
                    "load_average_before": [round(x, 2) for x in load_before],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()]},
        "reps": options.reps,
    })
    json_path, png_path = report.write(results, context)
    for result in results:
        print(result.line(), flush=True)
    print(f"Wrote {json_path.relative_to(json_path.parents[2])} and {png_path.relative_to(png_path.parents[2])} "
          f"in {context['seconds']:.0f} s (load average {load_before[0]:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end, {os.cpu_count()} CPUs)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
