"""A scheme's configuration is data checked on save: a declared set of operations, nothing evaluated."""

import copy

import pytest
from django.utils import translation

from scoring.config import ConfigError, parse_config
from scoring.presets import preset_config


def _errors(config) -> dict[str, list[str]]:
    with pytest.raises(ConfigError) as caught:
        parse_config(config)
    return caught.value.errors


def test_a_formula_in_a_number_is_refused_not_evaluated():
    config = preset_config("twelve_point")
    config["items"][0]["points"] = "__import__('os').system('true')"
    assert "items[0].points" in _errors(config)
    config["items"][0]["points"] = "2*3"
    assert "items[0].points" in _errors(config)


def test_unknown_settings_are_refused_so_that_a_typo_is_not_ignored():
    config = preset_config("twelve_point")
    config["items"][0]["pionts"] = "2"
    config["bonus"] = True
    errors = _errors(config)
    assert "items[0].pionts" in errors
    assert "bonus" in errors


def test_an_item_must_name_a_declared_component_and_codes_are_unique():
    config = preset_config("red_yellow")
    config["items"][0]["component"] = "nowhere"
    config["items"][1]["code"] = config["items"][2]["code"]
    errors = _errors(config)
    assert "items[0].component" in errors
    assert "items[2].code" in errors


def test_bands_must_cover_the_scale():
    config = preset_config("weighted_80_20")
    config["bands"][1]["from"] = ["75", "以上"]  # good now starts at 75: 70 to 75 is nobody's
    with translation.override("en"):
        assert _errors(config)["bands"] == ["Nothing covers the values between 70 and 75."]


def test_a_band_threshold_must_use_a_word_of_the_convention():
    config = preset_config("red_yellow")
    config["bands"][0]["from"] = ["80", "左右"]
    assert "bands[0].from" in _errors(config)
    config = preset_config("red_yellow")
    config["bands"][0]["from"] = ["80", "以下"]
    assert "bands[0].from" in _errors(config)


def test_consequences_use_the_closed_list_of_kinds_and_name_existing_bands():
    config = preset_config("red_yellow")
    config["consequences"][0]["kind"] = "fine"
    config["consequences"][1]["when"] = {"band": "class_9"}
    errors = _errors(config)
    assert "consequences[0].kind" in errors
    assert "consequences[1].when.band" in errors


def test_years_running_are_a_whole_number_and_only_for_a_band():
    config = preset_config("monthly_60_40")
    config["consequences"][0]["when"] = {"band": "stars_1", "years": "2"}
    config["consequences"][1]["when"] = {"total": ["60", "以下"], "years": 2}
    config["consequences"][2]["when"] = {"band": "stars_0", "years": 9}
    errors = _errors(config)
    assert {"consequences[0].when.years", "consequences[1].when.years", "consequences[2].when.years"} <= set(errors)
    config = preset_config("monthly_60_40")
    config["consequences"][0]["when"] = {"bands": ["stars_1", "stars_0"], "years": 3}
    assert parse_config(config).consequences[0].when.years == 3


def test_a_feed_must_be_one_the_platform_offers():
    config = preset_config("red_yellow")
    config["items"][-1]["feed"] = "gossip"
    assert list(_errors(config)) == [f"items[{len(config['items']) - 1}].feed"]


def test_the_last_approval_level_takes_every_amount():
    config = preset_config("deduction_base100")
    config["items"][0]["approval"] = [{"up_to": ["3", "以内"], "by": "committee_secretary"}]
    assert "items[0].approval" in _errors(config)


def test_a_ballot_component_only_averages_plain_items():
    config = preset_config("weighted_80_20")
    ballot = next(index for index, item in enumerate(config["items"]) if item["code"] == "ballot_poor")
    config["items"][ballot]["sign"] = "-"
    assert f"items[{ballot}]" in _errors(config)


def test_every_problem_is_reported_at_once():
    config = copy.deepcopy(preset_config("twelve_point"))
    config["start"] = "twelve"
    config["items"][0]["sign"] = "×"
    config["consequences"][0]["kind"] = "prize"
    assert {"start", "items[0].sign", "consequences[0].kind"} <= set(_errors(config))
