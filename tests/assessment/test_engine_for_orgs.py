"""The scoring engine with an organization as its subject: no stage (always graded), a veto that gives a band
of the scale and keeps the computed total, a scale of bands read on its own."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from scoring.config import ConfigError, parse_bands, parse_config
from scoring.engine import EntryFact, evaluate

D = Decimal
DAY = datetime.date(2025, 12, 31)
CONFIG = {
    "components": [{"code": "onsite", "label": "实地考核", "cap": "100", "weight": "0.5"},
                   {"code": "report", "label": "述职评议", "cap": "100", "weight": "0.5"}],
    "items": [{"code": "onsite_score", "label": "实地", "component": "onsite", "points": "1"},
              {"code": "report_score", "label": "述职", "component": "report", "points": "1"},
              {"code": "falsified", "label": "弄虚作假", "veto": True}],
    "bands": [{"code": "pass", "label": "合格", "from": ["60", "以上"]}, {"code": "fail", "label": "不合格", "to": ["60", "以下"]}],
    "veto_band": "fail",
    "veto_keeps_total": True,
}


def facts(*items) -> list[EntryFact]:
    return [EntryFact(id=index, item=item, date=DAY, quantity=D(quantity)) for index, (item, quantity) in enumerate(items, 1)]


def test_an_organization_is_graded_without_a_stage():
    # 0.5 × 70 + 0.5 × 50 = 35 + 25 = 60 → “60以下” and “60以上” both claim 60: the higher band, 合格.
    outcome = evaluate(parse_config(CONFIG), year=2025, stage=None, entries=facts(("onsite_score", 70), ("report_score", 50)))
    assert (outcome.total, outcome.grade) == (D("60.00"), "pass")


def test_a_veto_gives_its_band_of_the_scale_and_the_total_stays():
    outcome = evaluate(parse_config(CONFIG), year=2025, stage=None,
                       entries=facts(("onsite_score", 90), ("report_score", 90), ("falsified", 1)))
    assert (outcome.total, outcome.grade, outcome.vetoed_by) == (D("90.00"), "fail", "falsified")


def test_without_keeping_the_total_a_veto_zeroes_it_as_for_members():
    config = CONFIG | {"veto_keeps_total": False}
    outcome = evaluate(parse_config(config), year=2025, stage=None,
                       entries=facts(("onsite_score", 90), ("report_score", 90), ("falsified", 1)))
    assert (outcome.total, outcome.grade) == (D("0.00"), "fail")


def test_the_veto_band_must_be_a_band_of_the_scheme():
    with pytest.raises(ConfigError) as refused, translation.override("en"):
        parse_config(CONFIG | {"veto_band": "nowhere"})
    assert refused.value.errors == {"veto_band": ["No band has this code."]}


def test_a_scale_of_bands_is_read_and_checked_on_its_own():
    stars = parse_bands([{"code": "two", "label": "二星", "from": ["80", "以上"]}, {"code": "one", "label": "一星", "to": ["80", "不满"]}])
    assert [band.code for band in stars] == ["two", "one"]
    with pytest.raises(ConfigError) as refused, translation.override("en"):
        parse_bands([{"code": "two", "label": "二星", "from": ["80", "以上"]}, {"code": "one", "label": "一星", "to": ["70", "不满"]}],
                    "stars")
    assert refused.value.errors == {"stars": ["Nothing covers the values between 70 and 80."]}
