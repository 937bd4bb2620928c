"""Tests: a real PostgreSQL (the embedded cluster unless DATABASE_URL says otherwise), fast hashing."""

import os

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# Parallel runs on one cluster (several checkouts or workers) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": f"test_xianfeng{os.environ.get('TEST_DB_SUFFIX', '')}"}  # noqa: F405
