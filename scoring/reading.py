"""The reading convention for Chinese thresholds (DOMAIN.md, top), written once and used by every scheme.

以上 / 以下 / 以内 / 届满 include the number itself; 超过 / 不满 / 以外 exclude it. An explicit
“(含)” or “(不含)” after the word, as the seeds sometimes write (积分低于98分(不含)), says it outright.
When two bands both claim a boundary (80分以上为一类，60分以上80分以下为二类), the boundary belongs to
the higher band.

A threshold in a scheme is written as the seed writes it: a number and its word, `["80", "以上"]`.
English words are accepted too: `at_least`, `over`, `at_most`, `under`.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

LOWER = "lower"  # the number bounds the value from below (80分以上: value ≥ 80)
UPPER = "upper"  # the number bounds the value from above (60分以下: value ≤ 60)

# word → (which side the number bounds, whether the number itself is included)
WORDS: dict[str, tuple[str, bool]] = {
    "以上": (LOWER, True),
    "及以上": (LOWER, True),
    "届满": (LOWER, True),
    "不低于": (LOWER, True),
    "不少于": (LOWER, True),
    "超过": (LOWER, False),
    "以外": (LOWER, False),
    "高于": (LOWER, False),
    "大于": (LOWER, False),
    "以下": (UPPER, True),
    "及以下": (UPPER, True),
    "以内": (UPPER, True),
    "不超过": (UPPER, True),
    "不满": (UPPER, False),
    "低于": (UPPER, False),
    "未达到": (UPPER, False),
    "小于": (UPPER, False),
    "at_least": (LOWER, True),
    "over": (LOWER, False),
    "at_most": (UPPER, True),
    "under": (UPPER, False),
}
INCLUDED, EXCLUDED = ("(含)", "（含）"), ("(不含)", "（不含）")


class ReadingError(ValueError):
    """A threshold that cannot be read: an unknown word or a number that is not one."""


@dataclass(frozen=True)
class Bound:
    """One threshold as written: the number, the word, and what they mean."""

    value: Decimal
    side: str
    inclusive: bool
    word: str

    def admits(self, number: Decimal) -> bool:
        if self.side == LOWER:
            return number >= self.value if self.inclusive else number > self.value
        return number <= self.value if self.inclusive else number < self.value

    def as_json(self) -> list[str]:
        return [str(self.value), self.word]


def read_bound(threshold) -> Bound:
    """A threshold `[number, word]` read by the convention; raises ReadingError."""
    if not isinstance(threshold, list | tuple) or len(threshold) != 2:
        raise ReadingError(_("A threshold is written [number, word], e.g. [\"80\", \"以上\"]."))
    raw_value, raw_word = threshold
    try:
        value = Decimal(str(raw_value))
    except InvalidOperation as exc:
        raise ReadingError(_("“%(value)s” is not a number.") % {"value": raw_value}) from exc
    if not value.is_finite() or isinstance(raw_value, bool):
        raise ReadingError(_("“%(value)s” is not a number.") % {"value": raw_value})
    word = str(raw_word).strip()
    explicit = None
    for suffix in INCLUDED + EXCLUDED:
        if word.endswith(suffix):
            word, explicit = word[: -len(suffix)].strip(), suffix in INCLUDED
            break
    if word not in WORDS:
        raise ReadingError(
            _("“%(word)s” is not a threshold word; use one of %(words)s.") % {"word": raw_word, "words": ", ".join(WORDS)}
        )
    side, inclusive = WORDS[word]
    return Bound(value=value, side=side, inclusive=inclusive if explicit is None else explicit, word=str(raw_word).strip())


@dataclass(frozen=True)
class Band:
    """A class, grade or star level: the values between its lower and upper thresholds.

    A band without bounds is reached only by a veto (the red-yellow list's class 4).
    """

    code: str
    label: str
    lower: Bound | None = None
    upper: Bound | None = None
    veto_only: bool = False
    list_name: str = ""  # "red" or "yellow": the band is published on that list

    def contains(self, number: Decimal) -> bool:
        if self.veto_only:
            return False
        return (self.lower is None or self.lower.admits(number)) and (self.upper is None or self.upper.admits(number))

    @property
    def rank(self) -> tuple[int, Decimal]:
        """How high the band sits on the scale: by its lower threshold (none is the bottom)."""
        return (0, Decimal(0)) if self.lower is None else (1, self.lower.value)


def band_for(number: Decimal, bands: Sequence[Band]) -> Band | None:
    """The band a value falls in; a boundary that two bands claim belongs to the higher one."""
    claiming = [band for band in bands if band.contains(number)]
    return max(claiming, key=lambda band: band.rank) if claiming else None


def scale_problems(bands: Sequence[Band]) -> list[str]:
    """Why the bands do not cover the whole scale exactly once (apart from shared boundaries), if they do not."""
    scale = sorted((band for band in bands if not band.veto_only), key=lambda band: band.rank)
    if not scale:
        return []
    problems = []
    if scale[0].lower is not None:
        problems.append(_("Nothing covers the values below %(value)s.") % {"value": scale[0].lower.value})
    if scale[-1].upper is not None:
        problems.append(_("Nothing covers the values above %(value)s.") % {"value": scale[-1].upper.value})
    for below, above in itertools.pairwise(scale):
        if below.upper is None or above.lower is None:
            problems.append(_("Bands %(low)s and %(high)s overlap.") % {"low": below.code, "high": above.code})
            continue
        if below.upper.value < above.lower.value:
            problems.append(
                _("Nothing covers the values between %(low)s and %(high)s.")
                % {"low": below.upper.value, "high": above.lower.value}
            )
        elif below.upper.value > above.lower.value:
            problems.append(_("Bands %(low)s and %(high)s overlap.") % {"low": below.code, "high": above.code})
        elif not (below.upper.inclusive or above.lower.inclusive):
            problems.append(
                _("Neither %(low)s nor %(high)s includes %(value)s.")
                % {"low": below.code, "high": above.code, "value": above.lower.value}
            )
    return problems
