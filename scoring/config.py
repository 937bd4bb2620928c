"""A scheme's configuration: JSON data, read into typed, validated parts that the one engine interprets.

The configuration declares; it never computes. There is no expression language: every number is a
number, every threshold is `[number, word]` read by scoring.reading, and the operations are the
closed set below.

    {
      "start": "100",                    # the total before any entry (100, 12, or 0 counting up)
      "floor": "0",                      # optional: the total never goes below it
      "scored_stages": ["probationary", "full"],   # who gets a result
      "graded_stages": ["full"],         # who gets a band (others are scored but not graded)
      "components": [{"code", "label", "cap", "floor", "weight", "monthly", "combine"}],
      "items": [{"code", "label", "component", "points", "sign", "per", "target", "excess_points",
                 "excess_component", "cap": {"period", "points"}, "escalation": [..],
                 "streak": {"months", "points"}, "evidence", "approval", "veto", "modifiers", "feed"}],
      "modifiers": {"repeat": "1.2", "post_holder": "1.1"},
      "joint_liability": [{"when": ["3", "以上"], "role": "branch_secretary", "share": "0.10"}],
      "bands": [{"code", "label", "from": ["80", "以上"], "to": ["80", "不满"], "veto", "list"}],
      "veto_band": "unqualified",        # optional: the band a veto gives, when it is a band of the scale
      "veto_keeps_total": false,         # optional: a veto decides the band and leaves the total as computed
      "consequences": [{"code", "kind", "label", "when": {...}, "stages", "params"}]
    }

The total is `start + Σ weight × component`, then zero when a veto applies (unless `veto_keeps_total`),
then at least `floor`.
A component adds its items' points (`combine: "sum"`) or averages them per unit of quantity
(`combine: "mean"`, the ballot formula), clamped to its `cap` and `floor`; a `monthly` component is
clamped month by month and its months are summed and divided by 12.

A consequence names one condition: `band`/`bands` (with `years` for the same bands several years
running), `total` (a threshold), `vetoed`, or `streak` (an item's run of consecutive months).
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .feeds import FEEDS
from .reading import LOWER, UPPER, Band, Bound, ReadingError, band_for, read_bound, scale_problems

PERIODS = ("month", "quarter", "year")
COMBINES = ("sum", "mean")
SIGNS = ("+", "-")
APPROVAL_LEVELS = ("general_meeting", "committee_secretary", "committee_meeting")
LIABLE_ROLES = ("branch_secretary", "supervising_leader", "liaison_leader")
LISTS = ("red", "yellow")
CONSEQUENCE_KINDS = (
    "disposition_proposal",
    "probation_extension_proposal",
    "talk_reminder",
    "admonishment",
    "self_criticism",
    "training",
    "award_eligibility",
    "award_exclusion",
    "lagging_member_support",
)
STAGES = ("applicant", "activist", "candidate", "probationary", "full")
# A consequence reads at most this many years running (seed 001 篇2: 连续2年评为一星级).
MAX_YEARS_RUNNING = 5
# Joint deductions passed on by other members' deductions are reported under this component.
JOINT_COMPONENT = "joint_liability"


class ConfigError(ValueError):
    """The configuration is not valid; `errors` maps a path (items[2].points) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(next(iter(errors.values()))[0])
        self.errors = errors


@dataclass(frozen=True)
class Component:
    code: str
    label: str
    cap: Decimal | None
    floor: Decimal | None
    weight: Decimal
    monthly: bool
    combine: str

    def clamp(self, value: Decimal) -> Decimal:
        if self.cap is not None and value > self.cap:
            value = self.cap
        if self.floor is not None and value < self.floor:
            value = self.floor
        return value


@dataclass(frozen=True)
class PeriodCap:
    period: str
    points: Decimal


@dataclass(frozen=True)
class Streak:
    months: int
    points: Decimal


@dataclass(frozen=True)
class ApprovalTier:
    up_to: Bound | None
    by: str


@dataclass(frozen=True)
class Item:
    code: str
    label: str
    component: str
    points: Decimal
    sign: int  # +1 adds, -1 deducts
    per: Decimal | None = None  # quantity units that earn one `points` (500 app points = 1 point); whole units only
    target: Decimal | None = None  # an indicator: full points at the target quantity, in proportion below it
    excess_points: Decimal | None = None  # points per unit beyond the target
    excess_component: str | None = None
    cap: PeriodCap | None = None
    escalation: tuple[Decimal, ...] = ()  # the n-th occurrence in the year costs the n-th value (the last repeats)
    streak: Streak | None = None  # an occurrence completing a run of consecutive months costs the streak's points
    evidence: bool = False
    approval: tuple[ApprovalTier, ...] = (ApprovalTier(None, "general_meeting"),)
    veto: bool = False
    modifiers: bool = True  # whether the scheme's repeat and post-holder multipliers apply to its deductions
    feed: str | None = None

    @functools.cached_property
    def signed_points(self) -> Decimal:
        return self.sign * self.points

    @functools.cached_property  # asked for each item of each person in a county's batch
    def counts_occurrences(self) -> bool:
        """Whether each unit of quantity is one occurrence (deductions, escalations and streaks)."""
        return self.sign < 0 or bool(self.escalation) or self.streak is not None

    def approval_level(self, points: Decimal) -> str:
        """Who approves an entry worth `points` (before multipliers): the first tier that admits it."""
        for tier in self.approval:
            if tier.up_to is None or tier.up_to.admits(points):
                return tier.by
        return self.approval[-1].by


@dataclass(frozen=True)
class Modifiers:
    repeat: Decimal | None = None
    post_holder: Decimal | None = None


@dataclass(frozen=True)
class JointRule:
    when: Bound
    role: str
    share: Decimal


@dataclass(frozen=True)
class Condition:
    bands: tuple[str, ...] = ()
    total: Bound | None = None
    vetoed: bool = False
    streak: str | None = None
    # With bands: the member is in one of them this many years running, this year included (连续2年).
    years: int = 1


@dataclass(frozen=True)
class Consequence:
    code: str
    kind: str
    label: str
    when: Condition
    stages: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SchemeConfig:
    start: Decimal
    floor: Decimal | None
    scored_stages: tuple[str, ...]
    graded_stages: tuple[str, ...]
    components: dict[str, Component]
    items: dict[str, Item]
    modifiers: Modifiers
    joint_liability: tuple[JointRule, ...]
    bands: tuple[Band, ...]
    consequences: tuple[Consequence, ...]
    veto_band_code: str = ""
    veto_keeps_total: bool = False

    @functools.cached_property
    def monthly_components(self) -> frozenset[str]:
        """The components clamped month by month."""
        return frozenset(code for code, component in self.components.items() if component.monthly)

    @functools.cached_property
    def mean_components(self) -> frozenset[str]:
        """The components that average their items' points over the units counted."""
        return frozenset(code for code, component in self.components.items() if component.combine == "mean")

    def band_for(self, total: Decimal) -> Band | None:
        """The band of the scale a total falls in (remembered: a county's totals repeat)."""
        known = self._bands_by_total
        if total not in known:
            known[total] = band_for(total, self.bands)
        return known[total]

    @functools.cached_property
    def _bands_by_total(self) -> dict[Decimal, Band | None]:
        return {}

    @functools.cached_property
    def veto_band(self) -> Band | None:
        """The band a veto gives: the one named by `veto_band`, else the band reached only by a veto."""
        if self.veto_band_code:
            return next(band for band in self.bands if band.code == self.veto_band_code)
        return next((band for band in self.bands if band.veto_only), None)

    @property
    def only_deducts(self) -> bool:
        """Whether every item takes points away (or zeroes the year): the total can only fall as entries come."""
        return all(item.veto or item.sign < 0 for item in self.items.values())

    @property
    def years_back(self) -> int:
        """How many earlier years' bands a consequence reads (0 when none reads any)."""
        return max((consequence.when.years - 1 for consequence in self.consequences), default=0)

    def settles_during_the_year(self, code: str) -> bool:
        """Whether a consequence, once triggered, stays whatever the rest of the year brings: a streak, a
        veto, or a total fallen to a threshold in a scheme that only deducts. Other consequences wait for
        the year's end (a total counting up is low in March)."""
        when = next((consequence.when for consequence in self.consequences if consequence.code == code), None)
        if when is None:
            return False
        if when.streak is not None or when.vetoed:
            return True
        return when.total is not None and when.total.side == UPPER and self.only_deducts


class _Reader:
    """Reads one configuration, collecting every problem with its path instead of stopping at the first."""

    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def mapping(self, value, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict:
        if not isinstance(value, dict):
            self.fail(path, _("Expected an object."))
            return {}
        for key in sorted(set(value) - allowed):
            self.fail(f"{path}.{key}" if path else key, _("Unknown setting."))
        for key in sorted(required - set(value)):
            self.fail(f"{path}.{key}" if path else key, _("This setting is required."))
        return value

    def sequence(self, value, path: str) -> list:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, _("Expected a list."))
            return []
        return value

    def decimal(self, value, path: str, *, positive: bool = False, at_least_zero: bool = False) -> Decimal | None:
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(path, _("Enter a number."))
            return None
        if positive and number <= 0:
            self.fail(path, _("Enter a number greater than 0."))
        if at_least_zero and number < 0:
            self.fail(path, _("Enter a number of 0 or more."))
        return number

    def text(self, value, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, _("Enter a text."))
            return ""
        return value.strip()

    def code(self, value, path: str, seen: set[str]) -> str:
        if not isinstance(value, str) or not value.replace("_", "").isalnum() or not value.isascii():
            self.fail(path, _("A code is made of Latin letters, digits and underscores."))
            return ""
        if value in seen:
            self.fail(path, _("This code is used twice."))
        seen.add(value)
        return value

    def choice(self, value, path: str, choices: tuple[str, ...]) -> str:
        if value not in choices:
            self.fail(path, _("Choose from: %(choices)s.") % {"choices": ", ".join(choices)})
        return value

    def flag(self, value, path: str, default: bool = False) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(path, _("Enter true or false."))
            return default
        return value

    def bound(self, value, path: str, side: str | None = None) -> Bound | None:
        if value is None:
            return None
        try:
            bound = read_bound(value)
        except ReadingError as exc:
            self.fail(path, str(exc))
            return None
        if side == LOWER and bound.side != LOWER:
            self.fail(path, _("A band starts with a word like 以上 or 超过."))
        if side == UPPER and bound.side != UPPER:
            self.fail(path, _("A band ends with a word like 以下 or 不满."))
        return bound

    def stages(self, value, path: str, default: tuple[str, ...]) -> tuple[str, ...]:
        if value is None:
            return default
        stages = self.sequence(value, path)
        for index, stage in enumerate(stages):
            self.choice(stage, f"{path}[{index}]", STAGES)
        return tuple(stages)


def _component(reader: _Reader, raw, path: str, seen: set[str]) -> Component:
    raw = reader.mapping(raw, path, {"code", "label", "cap", "floor", "weight", "monthly", "combine"}, {"code", "label"})
    code = reader.code(raw.get("code"), f"{path}.code", seen)
    if code == JOINT_COMPONENT:
        reader.fail(f"{path}.code", _("This code is reserved for joint liability."))
    weight = reader.decimal(raw.get("weight", "1"), f"{path}.weight", at_least_zero=True)
    return Component(
        code=code,
        label=reader.text(raw.get("label"), f"{path}.label"),
        cap=reader.decimal(raw.get("cap"), f"{path}.cap"),
        floor=reader.decimal(raw.get("floor"), f"{path}.floor"),
        weight=Decimal(1) if weight is None else weight,
        monthly=reader.flag(raw.get("monthly"), f"{path}.monthly"),
        combine=reader.choice(raw.get("combine", "sum"), f"{path}.combine", COMBINES),
    )


ITEM_KEYS = {
    "code",
    "label",
    "component",
    "points",
    "sign",
    "per",
    "target",
    "excess_points",
    "excess_component",
    "cap",
    "escalation",
    "streak",
    "evidence",
    "approval",
    "veto",
    "modifiers",
    "feed",
}


def _approval(reader: _Reader, raw, path: str) -> tuple[ApprovalTier, ...]:
    if raw is None:
        return (ApprovalTier(None, "general_meeting"),)
    if isinstance(raw, str):
        return (ApprovalTier(None, reader.choice(raw, path, APPROVAL_LEVELS)),)
    tiers = []
    for index, tier in enumerate(reader.sequence(raw, path)):
        tier_path = f"{path}[{index}]"
        tier = reader.mapping(tier, tier_path, {"up_to", "by"}, {"by"})
        tiers.append(
            ApprovalTier(
                up_to=reader.bound(tier.get("up_to"), f"{tier_path}.up_to", UPPER),
                by=reader.choice(tier.get("by"), f"{tier_path}.by", APPROVAL_LEVELS),
            )
        )
    if not tiers or tiers[-1].up_to is not None:
        reader.fail(path, _("The last approval level takes every amount (no “up_to”)."))
    return tuple(tiers) or (ApprovalTier(None, "general_meeting"),)


def _item(reader: _Reader, raw, path: str, seen: set[str], components: dict[str, Component]) -> Item:
    raw = reader.mapping(raw, path, ITEM_KEYS, {"code", "label"})
    code = reader.code(raw.get("code"), f"{path}.code", seen)
    label = reader.text(raw.get("label"), f"{path}.label")
    veto = reader.flag(raw.get("veto"), f"{path}.veto")
    feed = raw.get("feed")
    if feed is not None:
        reader.choice(feed, f"{path}.feed", tuple(FEEDS))
    approval = _approval(reader, raw.get("approval"), f"{path}.approval")
    evidence = reader.flag(raw.get("evidence"), f"{path}.evidence")
    if veto:
        for key in ITEM_KEYS - {"code", "label", "veto", "feed", "approval", "evidence"}:
            if key in raw:
                reader.fail(f"{path}.{key}", _("A veto item zeroes the year; it has no points or caps."))
        return Item(code=code, label=label, component="", points=Decimal(0), sign=-1, veto=True, feed=feed,
                    approval=approval, evidence=evidence)

    for key in ("component", "points"):
        if key not in raw:
            reader.fail(f"{path}.{key}", _("This setting is required."))
    component = raw.get("component")
    if component is not None and component not in components:
        reader.fail(f"{path}.component", _("No component has this code."))
    sign = reader.choice(raw.get("sign", "+"), f"{path}.sign", SIGNS)
    points = reader.decimal(raw.get("points"), f"{path}.points", at_least_zero=True) or Decimal(0)
    per = reader.decimal(raw.get("per"), f"{path}.per", positive=True)
    target = reader.decimal(raw.get("target"), f"{path}.target", positive=True)
    excess_points = reader.decimal(raw.get("excess_points"), f"{path}.excess_points", at_least_zero=True)
    excess_component = raw.get("excess_component")
    if excess_points is not None and target is None:
        reader.fail(f"{path}.excess_points", _("Points beyond a target need a target."))
    if excess_points is not None and excess_component not in components:
        reader.fail(f"{path}.excess_component", _("No component has this code."))
    if target is not None and sign != "+":
        reader.fail(f"{path}.target", _("An indicator with a target adds points."))

    cap = None
    if raw.get("cap") is not None:
        cap_raw = reader.mapping(raw["cap"], f"{path}.cap", {"period", "points"}, {"period", "points"})
        cap_points = reader.decimal(cap_raw.get("points"), f"{path}.cap.points", at_least_zero=True)
        cap = PeriodCap(reader.choice(cap_raw.get("period"), f"{path}.cap.period", PERIODS), cap_points or Decimal(0))

    escalation = tuple(
        reader.decimal(step, f"{path}.escalation[{index}]", at_least_zero=True) or Decimal(0)
        for index, step in enumerate(reader.sequence(raw.get("escalation"), f"{path}.escalation"))
    )
    streak = None
    if raw.get("streak") is not None:
        streak_raw = reader.mapping(raw["streak"], f"{path}.streak", {"months", "points"}, {"months", "points"})
        months = streak_raw.get("months")
        if not isinstance(months, int) or isinstance(months, bool) or months < 2:
            reader.fail(f"{path}.streak.months", _("Enter a whole number of 2 or more."))
            months = 2
        streak = Streak(months, reader.decimal(streak_raw.get("points"), f"{path}.streak.points", at_least_zero=True) or Decimal(0))
    if (escalation or streak or per) and target is not None:
        reader.fail(f"{path}.target", _("An indicator with a target counts its quantity over the year only."))

    return Item(
        code=code,
        label=label,
        component=component or "",
        points=points,
        sign=1 if sign == "+" else -1,
        per=per,
        target=target,
        excess_points=excess_points,
        excess_component=excess_component,
        cap=cap,
        escalation=escalation,
        streak=streak,
        evidence=evidence,
        approval=approval,
        modifiers=reader.flag(raw.get("modifiers"), f"{path}.modifiers", default=True),
        feed=feed,
    )


def _check_item_in_component(reader: _Reader, item: Item, component: Component | None, path: str) -> None:
    """A monthly component is clamped month by month; a mean component averages plain items (ballots)."""
    if component is None or item.veto:
        return
    if component.monthly and (item.target is not None or (item.cap and item.cap.period != "month")):
        reader.fail(path, _("An item of a monthly component is counted and capped by the month."))
    if component.combine == "mean":
        if component.monthly:
            reader.fail(path, _("A component that averages ballots is counted over the year."))
        if item.sign < 0 or item.per or item.target or item.escalation or item.streak or item.cap:
            reader.fail(path, _("An item of a component that averages ballots adds its points per ballot, nothing else."))


def _band(reader: _Reader, raw, path: str, seen: set[str]) -> Band:
    raw = reader.mapping(raw, path, {"code", "label", "from", "to", "veto", "list"}, {"code", "label"})
    veto_only = reader.flag(raw.get("veto"), f"{path}.veto")
    lower = reader.bound(raw.get("from"), f"{path}.from", LOWER)
    upper = reader.bound(raw.get("to"), f"{path}.to", UPPER)
    if veto_only and (lower or upper):
        reader.fail(path, _("A band reached by a veto has no thresholds."))
    list_name = raw.get("list", "")
    if list_name:
        reader.choice(list_name, f"{path}.list", LISTS)
    return Band(
        code=reader.code(raw.get("code"), f"{path}.code", seen),
        label=reader.text(raw.get("label"), f"{path}.label"),
        lower=lower,
        upper=upper,
        veto_only=veto_only,
        list_name=list_name,
    )


def _condition(reader: _Reader, raw, path: str, bands: set[str], items: dict[str, Item]) -> Condition:
    raw = reader.mapping(raw, path, {"band", "bands", "total", "vetoed", "streak", "years"})
    if len(set(raw) - {"years"}) != 1:
        reader.fail(path, _("Name exactly one condition: band, bands, total, vetoed or streak."))
    years = raw.get("years", 1)
    if "years" in raw and ("band" not in raw and "bands" not in raw):
        reader.fail(f"{path}.years", _("Years running apply to a band."))
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_YEARS_RUNNING:
        reader.fail(f"{path}.years", _("Enter a whole number of years from 1 to %(max)d.") % {"max": MAX_YEARS_RUNNING})
        years = 1
    named = [raw["band"]] if "band" in raw else reader.sequence(raw.get("bands"), f"{path}.bands")
    for index, band in enumerate(named):
        if band not in bands:
            reader.fail(f"{path}.bands[{index}]" if "bands" in raw else f"{path}.band", _("No band has this code."))
    streak = raw.get("streak")
    if streak is not None and (streak not in items or items[streak].streak is None):
        reader.fail(f"{path}.streak", _("No item with a streak has this code."))
    vetoed = reader.flag(raw.get("vetoed"), f"{path}.vetoed")
    if "vetoed" in raw and not vetoed:
        reader.fail(f"{path}.vetoed", _("Write the condition as “vetoed”: true."))
    return Condition(
        bands=tuple(named), total=reader.bound(raw.get("total"), f"{path}.total"), vetoed=vetoed, streak=streak, years=years
    )


def _consequence(reader: _Reader, raw, path: str, seen: set[str], bands: set[str], items: dict[str, Item]) -> Consequence:
    raw = reader.mapping(raw, path, {"code", "kind", "label", "when", "stages", "params"}, {"code", "kind", "label", "when"})
    params = raw.get("params") or {}
    if not isinstance(params, dict) or not all(isinstance(v, int | str) for v in params.values()):
        reader.fail(f"{path}.params", _("Parameters are names with whole numbers or texts."))
        params = {}
    return Consequence(
        code=reader.code(raw.get("code"), f"{path}.code", seen),
        kind=reader.choice(raw.get("kind"), f"{path}.kind", CONSEQUENCE_KINDS),
        label=reader.text(raw.get("label"), f"{path}.label"),
        when=_condition(reader, raw.get("when"), f"{path}.when", bands, items),
        stages=reader.stages(raw.get("stages"), f"{path}.stages", ()),
        params=params,
    )


TOP_KEYS = {
    "start",
    "floor",
    "scored_stages",
    "graded_stages",
    "components",
    "items",
    "modifiers",
    "joint_liability",
    "bands",
    "veto_band",
    "veto_keeps_total",
    "consequences",
}


def _bands(reader: _Reader, raw, path: str) -> tuple[Band, ...]:
    band_codes: set[str] = set()
    bands = tuple(_band(reader, item, f"{path}[{index}]", band_codes) for index, item in enumerate(reader.sequence(raw, path)))
    if sum(band.veto_only for band in bands) > 1:
        reader.fail(path, _("Only one band is reached by a veto."))
    if not reader.errors:
        for problem in scale_problems(bands):
            reader.fail(path, problem)
    return bands


def parse_bands(data: Any, path: str = "bands") -> tuple[Band, ...]:
    """Read and check a scale of bands on its own (grades, star levels); raises ConfigError."""
    reader = _Reader()
    bands = _bands(reader, data, path)
    if reader.errors:
        raise ConfigError(reader.errors)
    return bands


def parse_config(data: Any) -> SchemeConfig:
    """Read and check a scheme's configuration; raises ConfigError with every problem found."""
    reader = _Reader()
    data = reader.mapping(data, "", TOP_KEYS, {"components", "items"})

    codes: set[str] = set()
    components = {}
    for index, raw in enumerate(reader.sequence(data.get("components"), "components")):
        component = _component(reader, raw, f"components[{index}]", codes)
        components[component.code] = component
    if not components and "components" in data:
        reader.fail("components", _("Declare at least one component."))

    item_codes: set[str] = set()
    items = {}
    for index, raw in enumerate(reader.sequence(data.get("items"), "items")):
        item = _item(reader, raw, f"items[{index}]", item_codes, components)
        _check_item_in_component(reader, item, components.get(item.component), f"items[{index}]")
        items[item.code] = item

    modifiers_raw = reader.mapping(data.get("modifiers") or {}, "modifiers", {"repeat", "post_holder"})
    modifiers = Modifiers(
        repeat=reader.decimal(modifiers_raw.get("repeat"), "modifiers.repeat", positive=True),
        post_holder=reader.decimal(modifiers_raw.get("post_holder"), "modifiers.post_holder", positive=True),
    )

    joint = []
    for index, raw in enumerate(reader.sequence(data.get("joint_liability"), "joint_liability")):
        path = f"joint_liability[{index}]"
        raw = reader.mapping(raw, path, {"when", "role", "share"}, {"when", "role", "share"})
        when = reader.bound(raw.get("when"), f"{path}.when", LOWER)
        share = reader.decimal(raw.get("share"), f"{path}.share", positive=True)
        role = reader.choice(raw.get("role"), f"{path}.role", LIABLE_ROLES)
        if when is not None and share is not None:
            joint.append(JointRule(when=when, role=role, share=share))

    bands = _bands(reader, data.get("bands"), "bands")
    band_codes = {band.code for band in bands}
    veto_band = data.get("veto_band") or ""
    if veto_band and (not isinstance(veto_band, str) or veto_band not in band_codes):
        reader.fail("veto_band", _("No band has this code."))
    veto_keeps_total = reader.flag(data.get("veto_keeps_total"), "veto_keeps_total")

    consequence_codes: set[str] = set()
    consequences = tuple(
        _consequence(reader, raw, f"consequences[{index}]", consequence_codes, band_codes, items)
        for index, raw in enumerate(reader.sequence(data.get("consequences"), "consequences"))
    )

    scored = reader.stages(data.get("scored_stages"), "scored_stages", ("probationary", "full"))
    graded = reader.stages(data.get("graded_stages"), "graded_stages", scored)
    if not set(graded) <= set(scored):
        reader.fail("graded_stages", _("Only stages that are scored can be graded."))

    start = reader.decimal(data.get("start", "0"), "start")
    floor = reader.decimal(data.get("floor"), "floor")
    if reader.errors:
        raise ConfigError(reader.errors)
    return SchemeConfig(
        start=start,
        floor=floor,
        scored_stages=scored,
        graded_stages=graded,
        components=components,
        items=items,
        modifiers=modifiers,
        joint_liability=tuple(joint),
        bands=bands,
        consequences=consequences,
        veto_band_code=veto_band,
        veto_keeps_total=veto_keeps_total,
    )
