"""Local development: the embedded PostgreSQL and filesystem broker that `make run` starts."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BROKER_FOLDER, broker_url, embedded_database_url, filesystem_broker_options

DEBUG = os.environ.get("DEBUG", "1") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret-xianfeng")
BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1"]

DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL") or embedded_database_url())}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"

REDIS_URL = os.environ.get("REDIS_URL")
CELERY_BROKER_URL = broker_url(REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {} if REDIS_URL else filesystem_broker_options(BROKER_FOLDER)
)
WHITENOISE_AUTOREFRESH = DEBUG

# Notices by e-mail (notifications/) are written to the worker's output unless a backend is named.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
