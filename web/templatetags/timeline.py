"""Template filters of the process timeline."""

from django import template

from workflows.models import StepRecord
from workflows.selectors import record_lines

register = template.Library()


@register.filter
def record_data(record: StepRecord) -> list[tuple[str, str]]:
    """{% for label, value in entry.record|record_data %}: a step record's data under its field labels."""
    return record_lines(record)
