"""The values a county sets (DOMAIN.md §11), each in force from its date until the next one.

`setting(key, on=date)` answers the value in force on that day, so a past period is always computed
by the rules in force then. A key without a recorded value falls back to its default in
orgs.rules.COUNTY_SETTING_DEFAULTS; a module whose key is not listed there passes its own `default`.
"""

import bisect
import datetime
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from core.actions import action
from core.dates import today
from core.exceptions import RuleViolation

from . import rules
from .models import CountySetting

_MISSING = object()


def default_of(key: str, default: Any = _MISSING) -> Any:
    if key in rules.COUNTY_SETTING_DEFAULTS:
        return rules.COUNTY_SETTING_DEFAULTS[key]
    if default is _MISSING:
        raise KeyError(f"No default for the county setting {key!r}: add it to orgs.rules.COUNTY_SETTING_DEFAULTS.")
    return default


def setting(key: str, on: datetime.date | None = None, default: Any = _MISSING) -> Any:
    """The value of a county setting in force on a day (today by default)."""
    row = (
        CountySetting.objects.filter(key=key, effective_from__lte=on or today())
        .order_by("-effective_from")
        .values_list("value", flat=True)
        .first()
    )
    return default_of(key, default) if row is None else row


def timeline(key: str, default: Any = _MISSING) -> Callable[[datetime.date], Any]:
    """A reader of one setting over many days with one query: timeline(key)(day) == setting(key, on=day)."""
    rows = list(CountySetting.objects.filter(key=key).order_by("effective_from").values_list("effective_from", "value"))
    starts = [start for start, _value in rows]
    fallback = default_of(key, default)

    def on(day: datetime.date) -> Any:
        index = bisect.bisect_right(starts, day)
        return rows[index - 1][1] if index else fallback

    return on


def _same_shape(value: Any, default: Any) -> bool:
    # bool is a subclass of int: a flag must stay a flag and a number a number.
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, int):
        return isinstance(value, int) and value >= 0
    if isinstance(default, dict):
        return (
            isinstance(value, dict)
            and set(value) == set(default)
            and all(_same_shape(value[name], default[name]) for name in default)
        )
    return isinstance(value, type(default))


def _validate(key: str, value: Any) -> None:
    if key not in rules.COUNTY_SETTING_DEFAULTS:
        raise RuleViolation(_("“%(key)s” is not a county setting.") % {"key": key}, field="key")
    if not _same_shape(value, rules.COUNTY_SETTING_DEFAULTS[key]):
        raise RuleViolation(
            _("The value does not fit this setting; its default looks like %(default)s.")
            % {"default": rules.COUNTY_SETTING_DEFAULTS[key]},
            field="value",
        )
    is_frequency = isinstance(value, dict) and "period" in value
    if is_frequency and (value["period"] not in rules.FREQUENCY_PERIODS or value["at_least"] < 1):
        raise RuleViolation(
            _("A frequency names a period (%(periods)s) and at least one meeting in it.")
            % {"periods": ", ".join(rules.FREQUENCY_PERIODS)},
            field="value",
        )
    if key == "org_life.themed_day_of_month" and not 1 <= value <= 31:
        raise RuleViolation(_("The themed party day is a day of the month, 1 to 31."), field="value")


def set_setting(*, actor, key: str, value: Any, effective_from: datetime.date, note: str = "") -> CountySetting:
    """Record a value from a day on. Past days keep the values they were computed with, so no back-dating."""
    _validate(key, value)
    if effective_from < today():
        raise RuleViolation(
            _("A setting applies from today or a later day; past periods keep the rules in force then."),
            field="effective_from",
        )
    with action(actor):
        row, _created = CountySetting.objects.update_or_create(
            key=key, effective_from=effective_from, defaults={"value": value, "note": note}
        )
    return row
