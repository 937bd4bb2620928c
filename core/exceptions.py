"""Exceptions the domain layer raises; the API answers them with 400 and 409."""


class RuleViolation(Exception):
    """A business rule refused the change. Nothing was written."""

    def __init__(self, message: str, field: str = "non_field_errors", errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.errors = errors or {field: [self.message]}


class Conflict(Exception):
    """The record is not in a state that allows the change (a step already done, a letter already accepted)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)
