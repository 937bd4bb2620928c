"""The Celery app. Every task carries the schema of the county that sent it (tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("xianfeng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
