"""Settings of `make bench`: the dev settings on a database of its own, plus the bench-only parts.

The bench never touches the dev database (`xianfeng`) or a test database: it generates its county
into `xianfeng_bench` (BENCH_DATABASE to change it). The bench-only app `bench.newcolumn` lives in
every county schema here and nowhere else; its second migration is the one-new-column migration the
bench times over 200 counties. The URLconf adds the bare views the list APIs are compared with.
"""

import os

from config.settings.dev import *  # noqa: F403
from config.settings.dev import (
    DATABASES,
    INSTALLED_APPS,
    MIDDLEWARE,
    REDIS_URL,
    TENANT_APPS,
    VAR_DIR,
    filesystem_broker_options,
)

BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "xianfeng_bench")
if BENCH_DATABASE in ("xianfeng", "postgres", "template0", "template1") or BENCH_DATABASE.startswith("test_"):
    raise RuntimeError(f"the bench generates its own county and refuses the database {BENCH_DATABASE!r}")
DATABASES["default"]["NAME"] = BENCH_DATABASE
# As in production (config/settings/production.py): a worker keeps its connection between requests.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEBUG = False
ALLOWED_HOSTS = ["*"]
TENANT_APPS = [*TENANT_APPS, "bench.newcolumn"]
INSTALLED_APPS = [*INSTALLED_APPS, "bench.newcolumn"]
ROOT_URLCONF = "bench.urls"
# Counts each request's queries (in all, and before the view: the county's lookup) into response headers.
MIDDLEWARE = ["bench.middleware.QueryCount", *MIDDLEWARE]
# A broker folder of its own: a `make run` worker never takes the bench's letters (nor the bench its).
# The filesystem transport polls its folder; every 0.1 s rather than every second.
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {**filesystem_broker_options(VAR_DIR / "bench-broker"), "polling_interval": 0.1}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
