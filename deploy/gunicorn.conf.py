"""gunicorn for the web container: JSON logs like Django's, one metrics folder for all workers."""

import os
import shutil

from prometheus_client import multiprocess

from ops.logs import json_logging

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A county's longest pages (PDF letters, spreadsheets) finish well within this.
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Django logs each request itself, with its county and request id (ops.middleware).
accesslog = None
logconfig_dict = json_logging(os.environ.get("LOG_LEVEL", "INFO"))
# nginx or the ingress in front sets X-Forwarded-*; the pod network is private.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
control_socket_disable = True


def on_starting(server) -> None:
    """Counters of an earlier run would be added to this one's: start from an empty folder."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)
