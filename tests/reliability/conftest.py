"""Reliability tests: the tamper-evident history, the outbox, and faults (issue 10, part B).

Most tests run in a test transaction in county A, like the rest of the suite. Tests that need other
connections to see their records (threads, a live server, a real Celery worker) work in a county of
their own whose records are committed: see `committed.py`.
"""

from tests.workflows.conftest import applicant, reviewer, secretary, tree  # noqa: F401
