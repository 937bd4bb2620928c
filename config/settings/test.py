"""Tests: a real PostgreSQL (the embedded cluster unless DATABASE_URL says otherwise), fast hashing."""

import os

from .dev import *  # noqa: F403

# A run's own files, apart from other runs on the machine and from the other workers of a parallel run
# (pytest-xdist names each worker; pytest-django adds the worker to the test database's name itself).
WORKER = os.environ.get("PYTEST_XDIST_WORKER")
RUN_SUFFIX = os.environ.get("TEST_DB_SUFFIX", "") + (f"_{WORKER}" if WORKER else "")

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # A test run files its archive documents apart from the development archive.
    "archive": archive_storage(VAR_DIR / f"test-archive{RUN_SUFFIX}", environ={}),  # noqa: F405
}
WHITENOISE_AUTOREFRESH = True

# Parallel runs on one cluster (several checkouts or workers) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": f"test_xianfeng{os.environ.get('TEST_DB_SUFFIX', '')}"}  # noqa: F405

# A test run keeps its own queue, so a `make run` worker in the same checkout never takes its
# messages, and a result store, so a test can wait for a real worker's answer (tests/test_celery_worker.py).
TEST_RUN_FOLDER = VAR_DIR / f"test-celery{RUN_SUFFIX}"  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {} if REDIS_URL else filesystem_broker_options(TEST_RUN_FOLDER / "broker")  # noqa: F405
)
(TEST_RUN_FOLDER / "results").mkdir(parents=True, exist_ok=True)
CELERY_RESULT_BACKEND = f"file://{TEST_RUN_FOLDER / 'results'}"
