"""The security suite's figures, filled in by its tests and printed at the end of the run (tests/conftest.py)
so they can be quoted: {"isolation": {...}, "fuzzing": {...}, ...}."""

REPORT: dict[str, dict] = {}
