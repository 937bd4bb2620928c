"""Settings shared by every environment. Environment-specific modules import from here."""

import datetime
import os
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / ".var"

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "accounts",
    "auditlog",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

# Users, sessions, tokens, content types and permissions live in every county's own schema
# (docs/decisions/0002-users-live-in-each-county.md).
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "accounts",
    "rest_framework.authtoken",
    "auditlog",
    # Failed sign-ins and authenticators are kept where the users are: in each county.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "viewflow",
    "viewflow.workflow",
    "orgs",
    "members",
    "workflows",
    "dues",
    "scoring",
    "pgtrigger",
    "pghistory",
    "history",
    "outbox",
    "notifications",
    "lists",
]

INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS] + [
    "api",
    "web",
    "ops",
]

TENANT_MODEL = "tenants.County"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# New counties are cloned from this empty, migrated schema instead of running every migration.
TENANT_BASE_SCHEMA = "county_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls"
SHOW_PUBLIC_IF_NO_TENANT_FOUND = False

DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]

MIDDLEWARE = [
    # Request id, access log and metrics first; probes and /metrics before the county is resolved (ops/).
    "ops.middleware.RequestMiddleware",
    "ops.middleware.ProbeMiddleware",
    "tenants.middleware.CountyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # A database lost midway answers 503 (nothing was saved, try again) instead of a bare 500 (core/).
    "core.middleware.DatabaseUnavailableMiddleware",
    # Refused requests are logged (accounts/); django-axes turns a locked-out sign-in into a 429, last.
    "accounts.middleware.RefusalLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.product",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

# OWASP ASVS 6.2: at least 8 characters (6.2.1), not a common password (6.2.4), not the user's own
# name (6.2.11); no rules on the kinds of characters (6.2.5), so an all-digit password is judged by
# its length and the common-password list like any other.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sign-in (OWASP ASVS 6.3, 7.2-7.4, issue 10). django-axes locks a username at one address out for
# AXES_COOLOFF_TIME after AXES_FAILURE_LIMIT failures, on the sign-in page and the token endpoint alike.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # sign-ins are logged as accounts.SecurityEvent
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.security.lockout_response"
# Proxies in front of the application (a load balancer, nginx): the caller's address is read that many
# places from the right of X-Forwarded-For, so callers do not all share the proxy's address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_address"
# A session ends after 30 minutes without a request (7.3.1) and 12 hours after sign-in (7.3.2); an
# API token lasts 12 hours from its issue. A new session key is issued at sign-in (Django's login)
# and again when the authenticator code is given.
SESSION_IDLE_TIMEOUT = 30 * 60
SESSION_ABSOLUTE_TIMEOUT = 12 * 60 * 60
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
API_TOKEN_MAX_AGE = datetime.timedelta(seconds=SESSION_ABSOLUTE_TIMEOUT)
CSRF_COOKIE_HTTPONLY = True  # no script reads it: the pages carry the token in their forms
OTP_TOTP_ISSUER = "Xianfeng"
# No inline script or style on any page (ASVS 3.4.3): everything comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"


def archive_storage(location: Path, environ=os.environ) -> dict:
    """The member archive's files (DOMAIN.md §9), never deleted nor overwritten: a local folder, or an
    S3-compatible bucket when ARCHIVE_S3_BUCKET is set (deploy/README.md lists the variables)."""
    bucket = environ.get("ARCHIVE_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "members.storage.ArchiveFileSystemStorage", "OPTIONS": {"location": str(location)}}
    return {
        "BACKEND": "members.storage_s3.ArchiveS3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("ARCHIVE_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("ARCHIVE_S3_REGION") or None,
            "access_key": environ.get("ARCHIVE_S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("ARCHIVE_S3_SECRET_ACCESS_KEY") or None,
            "location": environ.get("ARCHIVE_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    "archive": archive_storage(VAR_DIR / "archive"),
}
MEDIA_ROOT = VAR_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One county's cache entries never answer another county's lookups.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Xianfeng (先锋) API",
    "DESCRIPTION": "Party member management for county organization departments.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several models name a choice field `kind`: each choice set gets its own component name.
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "orgs.models.OrgKind",
        "DuesBaseKindEnum": "dues.models.BaseKind",
        "ReliefKindEnum": "dues.models.ReliefKind",
        "DuesChannelEnum": "dues.models.Channel",
        "ContactChannelEnum": "members.models_mobile.ContactChannel",
        "MeetingKindEnum": "orgs.life.models.MeetingKind",
        "TransferKindEnum": "workflows.models.TransferKind",
        "SanctionKindEnum": "workflows.models.SanctionKind",
        "AssessmentStatusEnum": "scoring.assessment.models.AssessmentStatus",
    },
}

# The base domain under which every county answers as <slug>.<BASE_DOMAIN>.
BASE_DOMAIN = "localhost"
SOURCE_CODE_URL = "https://github.com/xianfeng-party/xianfeng"

CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # weasyprint narrates every stylesheet it parses at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}


def embedded_database_url() -> str:
    """The project-local PostgreSQL cluster that `make run` and `make test` start under .var/."""
    port_file = VAR_DIR / "pgport"
    port = port_file.read_text().strip() if port_file.exists() else "5432"
    return f"postgres://postgres@127.0.0.1:{port}/xianfeng"


def broker_url(redis_url: str | None) -> str:
    """Redis when REDIS_URL is set, else kombu's filesystem transport under .var/broker."""
    return redis_url or "filesystem://"


BROKER_FOLDER = VAR_DIR / "broker"


def filesystem_broker_options(folder: Path) -> dict:
    """kombu's filesystem transport: messages in and out share one folder; control files beside them."""
    (folder / "control").mkdir(parents=True, exist_ok=True)
    return {"data_folder_in": str(folder), "data_folder_out": str(folder), "control_folder": str(folder / "control")}
