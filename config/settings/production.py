"""Production: every secret and address comes from the environment, checked when the process starts.

A missing or malformed variable stops the process with ImproperlyConfigured naming the variable,
instead of a half-configured server that fails on its first request (deploy/README.md lists them).
"""

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ops.logs import json_logging

from .base import *  # noqa: F403
from .base import BROKER_FOLDER, broker_url, filesystem_broker_options


def required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} is not set: production reads it from the environment (deploy/README.md).")
    return value


def flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "1" if default else "0").strip().lower()
    if value not in {"1", "0", "true", "false", "yes", "no"}:
        raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")
    return value in {"1", "true", "yes"}


def number(name: str, default: int) -> int:
    value = os.environ.get(name, str(default)).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def database(url: str) -> dict:
    if not url.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// address: counties are PostgreSQL schemas.")
    # Persistent connections are safe here: django-tenants sets the search path on every request
    # (tests/ops/test_connection_reuse.py); a pooler in between must run in session mode (deploy/).
    config = dj_database_url.parse(url, conn_max_age=number("CONN_MAX_AGE", 60), conn_health_checks=True)
    config["ENGINE"] = "django_tenants.postgresql_backend"
    return config


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
DATABASES = {"default": database(required("DATABASE_URL"))}
BASE_DOMAIN = required("BASE_DOMAIN")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", f"{BASE_DOMAIN},.{BASE_DOMAIN}").split(",")

REDIS_URL = os.environ.get("REDIS_URL")
CELERY_BROKER_URL = broker_url(REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {} if REDIS_URL else filesystem_broker_options(BROKER_FOLDER)
)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_FUNCTION": "django_tenants.cache.make_key",
            "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        }
    }

# TLS ends at the proxy (deploy/nginx), which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = flag("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = flag("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = number("SECURE_HSTS_SECONDS", 31_536_000)
# Every county is a subdomain of BASE_DOMAIN, all behind the same wildcard certificate.
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = flag("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Entering the browsers' preload list binds the whole base domain to HTTPS for months: the
    # operator decides that for their domain (SECURE_HSTS_PRELOAD=1), the check does not.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Migrations of hundreds of counties run side by side (manage.py migrate_all, docs/operator-guide.md).
TENANT_MIGRATION_EXECUTOR = os.environ.get("MIGRATION_EXECUTOR", "multiprocessing")
TENANT_MULTIPROCESSING_MAX_PROCESSES = number("MIGRATION_PROCESSES", 4)
TENANT_MULTIPROCESSING_CHUNKS = number("MIGRATION_CHUNKS", 2)

# Where backup_county writes its archives unless told (--output).
BACKUP_ROOT = os.environ.get("BACKUP_ROOT") or str(VAR_DIR / "backups")  # noqa: F405

# One JSON object per line, with the county and the request id (ops/logs.py); Celery logs the same way.
LOGGING = json_logging(os.environ.get("LOG_LEVEL", "INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Notices by e-mail (notifications/, docs/decisions/0012): through an SMTP relay when EMAIL_HOST is set,
# written to the log otherwise. SMS and WeChat adapters are named in NOTIFICATION_ADAPTERS (console by default).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_PORT = number("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = flag("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"noreply@{BASE_DOMAIN}")
NOTIFICATION_EMAIL_DOMAIN = BASE_DOMAIN

# /metrics answers loopback callers, and others that send `Authorization: Bearer <METRICS_TOKEN>`.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from ops.errors import init_sentry

    init_sentry(SENTRY_DSN)
