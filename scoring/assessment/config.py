"""An indicator system: JSON data read into typed parts, and the scoring engine's configurations built from it.

    {
      "stages": {"self": "0.1", "onsite": "0.4", "report": "0.3", "satisfaction": "0.2"},
      "survey": {"satisfied": "100", "basically_satisfied": "60", "unsatisfied": "0"},
      "areas": [{"code", "label", "points", "indicators": [
          {"code", "label", "points", "content", "evidence", "start": "zero" | "full",
           "criteria": [{"code", "label", "points", "kind": "award" | "deduct" | "penalty",
                         "min", "max", "source": {"code", ...}}]}]}],
      "vetoes": [{"code", "label"}],          # one-vote vetoes: the result is the veto grade
      "exclusions": [{"code", "label"}],      # findings that bar the organization from awards
      "grades": [bands], "veto_grade": "unqualified",
      "stars": [bands], "veto_stars": "star_1",
      "weak_grades": ["unqualified"]
    }

The columns of the seeds' tables: 一级指标 (area), 二级指标 (indicator), 分值 (points), 考评内容 (content),
评分标准 (criteria, each a line of the standard with its points) and 考评材料 (evidence to check).

A criterion is an `award` (the assessor gives 0 to its points), a `deduct` (its points come off the
indicator per occurrence, at most `max` occurrences) or a `penalty` (its points per unit come off the
sheet beyond the indicator, 0 or from `min` to `max` units: 视情节扣除5-10分). An indicator starts at
zero and adds its awards (which add up to its points), or starts `full` and loses its deductions; it
never goes below zero or above its points.

Nothing here computes a score: `sheet_config` and `result_config` declare the sheet and the weighting
to the one engine (scoring.engine), which does.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..config import ConfigError, SchemeConfig, _Reader, parse_bands, parse_config
from ..reading import Band
from . import evidence, rules

STAGES = ("self", "onsite", "report", "satisfaction")
SHEET_STAGES = ("self", "onsite")  # the stages that score the indicator system itself
OPINIONS = ("satisfied", "basically_satisfied", "unsatisfied")  # orgs.life.models.MassesOpinion
KINDS = ("award", "deduct", "penalty")
STARTS = ("zero", "full")
PENALTIES = "penalties"  # the sheet component that takes the penalties beyond the indicators
FULL = "__full"  # suffix of the item that gives a `full` indicator its points
SCORE_ITEMS = {"self": "self_score", "onsite": "onsite_score", "report": "report_score"}
# Codes the engine's configurations use for their own parts.
RESERVED = {PENALTIES, *SCORE_ITEMS.values(), *OPINIONS, *STAGES}
SURVEY_DEFAULTS = {
    "satisfied": rules.SATISFIED_POINTS,
    "basically_satisfied": rules.BASICALLY_SATISFIED_POINTS,
    "unsatisfied": rules.UNSATISFIED_POINTS,
}


@dataclass(frozen=True)
class Criterion:
    code: str
    label: str
    points: Decimal
    kind: str = "award"
    min: Decimal | None = None
    max: Decimal | None = None
    source: dict | None = None

    @property
    def counted(self) -> bool:
        """Deductions and penalties are counted in whole occurrences; awards are points."""
        return self.kind != "award"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    points: Decimal
    content: str
    evidence: str
    start: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    points: Decimal
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Finding:
    code: str
    label: str


@dataclass(frozen=True)
class IndicatorSystem:
    stages: dict[str, Decimal]
    survey: dict[str, Decimal]
    areas: tuple[Area, ...]
    vetoes: tuple[Finding, ...]
    exclusions: tuple[Finding, ...]
    grades: tuple[Band, ...]
    veto_grade: str
    stars: tuple[Band, ...]
    veto_stars: str
    weak_grades: tuple[str, ...]
    raw: dict

    @property
    def indicators(self) -> list[Indicator]:
        return [indicator for area in self.areas for indicator in area.indicators]

    @property
    def criteria(self) -> dict[str, tuple[Indicator, Criterion]]:
        return {criterion.code: (indicator, criterion) for indicator in self.indicators for criterion in indicator.criteria}

    @property
    def full_marks(self) -> Decimal:
        return sum((area.points for area in self.areas), Decimal(0))

    def weight(self, stage: str) -> Decimal:
        return self.stages.get(stage, Decimal(0))

    def grade_label(self, code: str) -> str:
        return next((band.label for band in self.grades if band.code == code), code)

    def stars_of(self, code: str) -> int | None:
        """The number of stars of a star band: its position from the bottom of the scale (one star first)."""
        ordered = sorted(self.stars, key=lambda band: band.rank)
        return next((index for index, band in enumerate(ordered, start=1) if band.code == code), None)

    def finding(self, code: str) -> Finding | None:
        return next((found for found in (*self.vetoes, *self.exclusions) if found.code == code), None)


def _code(reader: _Reader, value, path: str, seen: set[str]) -> str:
    code = reader.code(value, path, seen)
    if code in RESERVED or code.endswith(FULL):
        reader.fail(path, _("This code is reserved; choose another."))
    return code


def _criterion(reader: _Reader, raw, path: str, seen: set[str]) -> Criterion:
    raw = reader.mapping(raw, path, {"code", "label", "points", "kind", "min", "max", "source"}, {"code", "label", "points"})
    kind = reader.choice(raw.get("kind", "award"), f"{path}.kind", KINDS)
    minimum = reader.decimal(raw.get("min"), f"{path}.min", positive=True)
    maximum = reader.decimal(raw.get("max"), f"{path}.max", positive=True)
    if kind == "award" and (minimum is not None or maximum is not None):
        reader.fail(path, _("An award goes from 0 to its points; it has no minimum or maximum."))
    if minimum is not None and maximum is not None and minimum > maximum:
        reader.fail(f"{path}.min", _("The minimum is above the maximum."))
    if minimum is not None and kind != "penalty":
        reader.fail(f"{path}.min", _("Only a penalty has a minimum."))
    for bound, name in ((minimum, "min"), (maximum, "max")):
        if bound is not None and bound != bound.to_integral_value():
            reader.fail(f"{path}.{name}", _("Occurrences are counted in whole numbers."))
    source = raw.get("source")
    if source is not None:
        if kind == "penalty":
            reader.fail(f"{path}.source", _("A penalty is decided by the assessor; it has no automatic source."))
        for message in evidence.source_problems(source):
            reader.fail(f"{path}.source", message)
    return Criterion(
        code=_code(reader, raw.get("code"), f"{path}.code", seen),
        label=reader.text(raw.get("label"), f"{path}.label"),
        points=reader.decimal(raw.get("points"), f"{path}.points", positive=True) or Decimal(0),
        kind=kind,
        min=minimum,
        max=maximum,
        source=source if isinstance(source, dict) else None,
    )


def _indicator(reader: _Reader, raw, path: str, seen: set[str]) -> Indicator:
    keys = {"code", "label", "points", "content", "evidence", "start", "criteria"}
    raw = reader.mapping(raw, path, keys, {"code", "label", "points", "criteria"})
    points = reader.decimal(raw.get("points"), f"{path}.points", positive=True) or Decimal(0)
    start = reader.choice(raw.get("start", "zero"), f"{path}.start", STARTS)
    criteria = tuple(
        _criterion(reader, item, f"{path}.criteria[{index}]", seen)
        for index, item in enumerate(reader.sequence(raw.get("criteria"), f"{path}.criteria"))
    )
    if not criteria:
        reader.fail(f"{path}.criteria", _("List the scoring standard of the indicator."))
    awards = sum((criterion.points for criterion in criteria if criterion.kind == "award"), Decimal(0))
    if start == "zero" and awards != points:
        reader.fail(
            f"{path}.criteria",
            _("The awards add up to %(sum)s; the indicator is worth %(points)s.") % {"sum": awards, "points": points},
        )
    if start == "full" and awards:
        reader.fail(f"{path}.criteria", _("An indicator that starts full only loses points; it has no awards."))
    return Indicator(
        code=_code(reader, raw.get("code"), f"{path}.code", seen),
        label=reader.text(raw.get("label"), f"{path}.label"),
        points=points,
        content=str(raw.get("content") or ""),
        evidence=str(raw.get("evidence") or ""),
        start=start,
        criteria=criteria,
    )


def _area(reader: _Reader, raw, path: str, seen: set[str]) -> Area:
    raw = reader.mapping(raw, path, {"code", "label", "points", "indicators"}, {"code", "label", "points", "indicators"})
    points = reader.decimal(raw.get("points"), f"{path}.points", positive=True) or Decimal(0)
    indicators = tuple(
        _indicator(reader, item, f"{path}.indicators[{index}]", seen)
        for index, item in enumerate(reader.sequence(raw.get("indicators"), f"{path}.indicators"))
    )
    total = sum((indicator.points for indicator in indicators), Decimal(0))
    if indicators and total != points:
        reader.fail(
            f"{path}.points",
            _("The indicators add up to %(sum)s; the area is worth %(points)s.") % {"sum": total, "points": points},
        )
    return Area(code=_code(reader, raw.get("code"), f"{path}.code", seen), label=reader.text(raw.get("label"), f"{path}.label"),
                points=points, indicators=indicators)


def _findings(reader: _Reader, raw, path: str, seen: set[str]) -> tuple[Finding, ...]:
    found = []
    for index, item in enumerate(reader.sequence(raw, path)):
        item = reader.mapping(item, f"{path}[{index}]", {"code", "label"}, {"code", "label"})
        found.append(Finding(_code(reader, item.get("code"), f"{path}[{index}].code", seen),
                             reader.text(item.get("label"), f"{path}[{index}].label")))
    return tuple(found)


def _scale(reader: _Reader, raw, path: str) -> tuple[Band, ...]:
    try:
        return parse_bands(raw, path)
    except ConfigError as error:
        for key, messages in error.errors.items():
            for message in messages:
                reader.fail(key, message)
        return ()


def _stages(reader: _Reader, raw) -> dict[str, Decimal]:
    raw = reader.mapping(raw, "stages", set(STAGES), set(STAGES))
    weights = {stage: reader.decimal(raw.get(stage), f"stages.{stage}", at_least_zero=True) for stage in STAGES if stage in raw}
    if len(weights) == len(STAGES) and None not in weights.values() and sum(weights.values()) != 1:
        reader.fail("stages", _("The weights of the four stages add up to 1 (100%)."))
    return {stage: weight or Decimal(0) for stage, weight in weights.items()}


def read_system(data: Any) -> IndicatorSystem:
    """Read and check an indicator system; raises ConfigError with every problem found (a path → messages)."""
    reader = _Reader()
    keys = {"stages", "survey", "areas", "vetoes", "exclusions", "grades", "veto_grade", "stars", "veto_stars", "weak_grades"}
    data = reader.mapping(data, "", keys, {"stages", "areas", "grades", "stars"})
    stages = _stages(reader, data.get("stages"))
    survey_raw = reader.mapping(data.get("survey") or {}, "survey", set(OPINIONS))
    survey = {
        opinion: reader.decimal(survey_raw.get(opinion, str(SURVEY_DEFAULTS[opinion])), f"survey.{opinion}", at_least_zero=True)
        or Decimal(0)
        for opinion in OPINIONS
    }
    seen: set[str] = set()
    areas = tuple(_area(reader, raw, f"areas[{index}]", seen) for index, raw in enumerate(reader.sequence(data.get("areas"), "areas")))
    if not areas and "areas" in data:
        reader.fail("areas", _("Declare at least one area."))
    vetoes = _findings(reader, data.get("vetoes"), "vetoes", seen)
    exclusions = _findings(reader, data.get("exclusions"), "exclusions", seen)
    grades = _scale(reader, data.get("grades"), "grades")
    stars = _scale(reader, data.get("stars"), "stars")
    grade_codes, star_codes = [band.code for band in grades], [band.code for band in stars]
    veto_grade = data.get("veto_grade") or ""
    if grades and veto_grade not in grade_codes:
        reader.fail("veto_grade", _("No grade has this code."))
    veto_stars = data.get("veto_stars") or ""
    if stars and veto_stars not in star_codes:
        reader.fail("veto_stars", _("No star level has this code."))
    weak = reader.sequence(data.get("weak_grades"), "weak_grades")
    for index, code in enumerate(weak):
        if code not in grade_codes:
            reader.fail(f"weak_grades[{index}]", _("No grade has this code."))
    if reader.errors:
        raise ConfigError(reader.errors)
    system = IndicatorSystem(
        stages=stages, survey=survey, areas=areas, vetoes=vetoes, exclusions=exclusions, grades=grades,
        veto_grade=veto_grade, stars=stars, veto_stars=veto_stars, weak_grades=tuple(weak), raw=data,
    )
    # The engine reads what is declared here; building its configurations once checks they are sound.
    sheet_config(system)
    result_config(system)
    return system


def _n(value: Decimal) -> str:
    return str(value)


def sheet_config(system: IndicatorSystem) -> SchemeConfig:
    """The indicator system as a scheme of the engine: a component per indicator (clamped between 0 and its
    points), the penalties apart, each weighted so that full marks make 100 (第八条: 满分为100分)."""
    weight = _n(Decimal(100) / system.full_marks)
    components, items = [], []
    for indicator in system.indicators:
        components.append({"code": indicator.code, "label": indicator.label, "cap": _n(indicator.points), "floor": "0", "weight": weight})
        if indicator.start == "full":
            items.append({"code": indicator.code + FULL, "label": indicator.label, "component": indicator.code,
                          "points": _n(indicator.points)})
        for criterion in indicator.criteria:
            item = {"code": criterion.code, "label": criterion.label, "points": _n(criterion.points)}
            if criterion.kind == "award":
                # The assessor's points, as the quantity of a one-point item, never above the criterion's own.
                item.update(component=indicator.code, points="1", cap={"period": "year", "points": _n(criterion.points)})
            else:
                item.update(component=PENALTIES if criterion.kind == "penalty" else indicator.code, sign="-", modifiers=False)
                if criterion.max is not None:
                    item["cap"] = {"period": "year", "points": _n(criterion.points * criterion.max)}
            items.append(item)
    components.append({"code": PENALTIES, "label": "penalties", "weight": weight})
    return parse_config({"start": "0", "floor": "0", "components": components, "items": items})



def result_config(system: IndicatorSystem) -> SchemeConfig:
    """The weighting of the four stages (第九条), the satisfaction ballots' mean, the vetoes and the grades."""
    components = [
        {"code": stage, "label": stage, "cap": _n(Decimal(100)), "floor": "0", "weight": _n(system.weight(stage)),
         **({"combine": "mean"} if stage == "satisfaction" else {})}
        for stage in STAGES
    ]
    items = [{"code": item, "label": stage, "component": stage, "points": "1"} for stage, item in SCORE_ITEMS.items()]
    items += [
        {"code": opinion, "label": opinion, "component": "satisfaction", "points": _n(points)}
        for opinion, points in system.survey.items()
    ]
    items += [{"code": veto.code, "label": veto.label, "veto": True} for veto in system.vetoes]
    return parse_config(
        {
            "start": "0",
            "components": components,
            "items": items,
            "bands": system.raw.get("grades"),
            "veto_band": system.veto_grade,
            "veto_keeps_total": True,
        }
    )
