"""Optional error reports to Sentry, switched on by SENTRY_DSN (config/settings/production.py)."""

import os

from .context import county, request_id


def _tag(event: dict, hint: dict) -> dict:
    tags = event.setdefault("tags", {})
    tags["county"] = county()
    tags["request_id"] = request_id()
    return event


def init_sentry(dsn: str) -> None:
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("RELEASE") or None,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        # Members' personal data stays home: no user details, cookies or request bodies in reports.
        send_default_pii=False,
        max_request_body_size="never",
        before_send=_tag,
    )
