"""Scoring's source of disposition proposals: the `score_unqualified` ground (DOMAIN.md §6 and §7).

A result whose consequences include a `disposition_proposal` (an unqualified grade, no star, a score
at 0, three meetings missed in a row, a veto's class 4) proposes a case, with the result as evidence.
A year's grade is known once the year is over: its results propose from then on, dated the year's last
day. During the year only consequences that later entries cannot undo propose (a streak, a veto, a
total fallen to a threshold in a scheme that only deducts), dated the event that triggered them; a
total counting up is low in March and proposes nothing.

Registered with workflows.services.disposition_proposals by ScoringConfig.ready; the proposals'
daily refresh reads it like every other source.
"""

import datetime
from collections.abc import Iterator

from workflows.services.disposition_proposals import Finding

from .compute import first_triggered
from .config import SchemeConfig, parse_config
from .selectors import band_labels, results_with_consequence

DISPOSITION = "disposition_proposal"


def unqualified_scores(on: datetime.date) -> Iterator[Finding]:
    """Members whose result of last year, or of this year so far, triggers a disposition consequence."""
    configs: dict[int, SchemeConfig] = {}
    for year in (on.year - 1, on.year):
        year_over = year < on.year
        for result in results_with_consequence(DISPOSITION, year).select_related("scheme"):
            if result.scheme_id not in configs:
                configs[result.scheme_id] = parse_config(result.scheme.config)
            config = configs[result.scheme_id]
            triggered = [item for item in result.consequences if item["kind"] == DISPOSITION]
            settled = {item["code"] for item in triggered if config.settles_during_the_year(item["code"])}
            since = first_triggered(result.person_id, year, settled) if settled else None
            if since is None:
                if not year_over:
                    continue
                since = datetime.date(year, 12, 31)
            if since > on:
                continue
            if not year_over:
                triggered = [item for item in triggered if item["code"] in settled]
            evidence = {
                "year": year,
                "scheme": result.scheme.name,
                "total": str(result.total),
                "grade": result.grade,
                "grade_label": str(band_labels(config).get(result.grade, ("", ""))[0]),
                "vetoed_by": result.vetoed_by,
                "consequences": [item["label"] for item in triggered],
            }
            yield Finding(result.person, since, evidence)
