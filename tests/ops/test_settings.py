"""Production settings read the environment and stop at start-up when it is incomplete; `make prod-check` passes."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PLACEHOLDERS = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "test-placeholder-7Hq2vR9xKm4Lw8Zp3Nc6Tb1Yf5Gd0Js-not-secret",
    "DATABASE_URL": "postgres://xianfeng@127.0.0.1:5432/xianfeng",
    "BASE_DOMAIN": "example.org",
}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in PLACEHOLDERS}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True
    )


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL", "BASE_DOMAIN"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    env = {key: value for key, value in PLACEHOLDERS.items() if key != missing}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} is not set" in result.stderr


def test_production_refuses_a_database_url_that_is_not_postgresql():
    result = run_manage("check", **{**PLACEHOLDERS, "DATABASE_URL": "sqlite:///db.sqlite3"})
    assert result.returncode != 0
    assert "DATABASE_URL must be a postgres:// address" in result.stderr


def test_production_refuses_a_malformed_number():
    result = run_manage("check", **{**PLACEHOLDERS, "CONN_MAX_AGE": "forever"})
    assert result.returncode != 0
    assert "CONN_MAX_AGE must be a whole number" in result.stderr


def test_deployment_checks_pass_with_production_settings_at_fail_level_warning():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PLACEHOLDERS)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
