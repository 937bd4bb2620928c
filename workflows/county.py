"""The admission settings a county sets (DOMAIN.md §11), read on the day they apply to.

Values and their effective dates live in orgs.county_settings (defaults in orgs.rules); a past step
is always judged by the value in force on its own date.
"""

import datetime

from orgs.county_settings import setting

# The county gates, each a step of its own when switched on (DOMAIN.md §4).
GATES = (
    "written_test",
    "onsite_evaluation",
    "second_recommendation",
    "county_joint_review",
    "close_relative_review",
    "public_defense",
    "second_political_review",
)


def gate_on(gate: str, on: datetime.date) -> bool:
    return bool(setting(f"admission.gate.{gate}", on=on))


def public_notice_working_days(on: datetime.date) -> int:
    return int(setting("admission.public_notice_working_days", on=on))


def probation_assessment_months(on: datetime.date) -> int:
    return int(setting("admission.probation_assessment_months", on=on))


def step_handling_days(on: datetime.date) -> int:
    return int(setting("admission.step_handling_days", on=on))
