"""The reading convention for Chinese thresholds (DOMAIN.md, top), written once in scoring.reading."""

from decimal import Decimal

import pytest
from django.utils import translation

from scoring.reading import Band, ReadingError, band_for, read_bound, scale_problems

D = Decimal


def test_yishang_includes_the_number():
    assert read_bound(["80", "以上"]).admits(D("80"))
    assert not read_bound(["80", "以上"]).admits(D("79.99"))


def test_yixia_includes_the_number():
    assert read_bound(["60", "以下"]).admits(D("60"))
    assert not read_bound(["60", "以下"]).admits(D("60.01"))


def test_yinei_and_jieman_include_the_number():
    assert read_bound(["3", "以内"]).admits(D("3"))
    assert not read_bound(["3", "以内"]).admits(D("3.01"))
    assert read_bound(["6", "届满"]).admits(D("6"))


def test_chaoguo_excludes_the_number():
    assert not read_bound(["3", "超过"]).admits(D("3"))
    assert read_bound(["3", "超过"]).admits(D("3.01"))


def test_buman_excludes_the_number():
    assert not read_bound(["80", "不满"]).admits(D("80"))
    assert read_bound(["80", "不满"]).admits(D("79.99"))


def test_yiwai_excludes_the_number():
    assert not read_bound(["5", "以外"]).admits(D("5"))
    assert read_bound(["5", "以外"]).admits(D("6"))


def test_an_explicit_han_or_buhan_after_the_word_says_it_outright():
    # seed 001: 积分低于98分(不含) / 积分低于90分(含) / 60分以下(不含60分)
    assert not read_bound(["98", "低于(不含)"]).admits(D("98"))
    assert read_bound(["90", "低于(含)"]).admits(D("90"))
    assert not read_bound(["60", "以下(不含)"]).admits(D("60"))
    assert read_bound(["60", "以下（含）"]).admits(D("60"))


def test_english_words_read_the_same_way():
    assert read_bound(["90", "at_least"]).admits(D("90"))
    assert not read_bound(["90", "under"]).admits(D("90"))


def test_shared_boundary_belongs_to_the_higher_band():
    # seed 000: 80分以上为一类，60分以上80分以下为二类，60分以下为三类 — 80 and 60 are each claimed twice.
    one = Band("class_1", "一类", lower=read_bound(["80", "以上"]))
    two = Band("class_2", "二类", lower=read_bound(["60", "以上"]), upper=read_bound(["80", "以下"]))
    three = Band("class_3", "三类", upper=read_bound(["60", "以下"]))
    bands = [three, two, one]  # the order they are written in does not matter
    assert band_for(D("80"), bands) is one
    assert band_for(D("79.99"), bands) is two
    assert band_for(D("60"), bands) is two
    assert band_for(D("59.99"), bands) is three
    assert scale_problems(bands) == []


def test_a_band_reached_only_by_a_veto_takes_no_value():
    four = Band("class_4", "四类", veto_only=True)
    assert band_for(D("0"), [four]) is None


def test_a_gap_between_bands_is_refused():
    # seed 001 篇2 literally: 60-70分一星级, 71-79分二星级 leaves 70 to 71 uncovered.
    one = Band("stars_1", "一星级", lower=read_bound(["60", "以上"]), upper=read_bound(["70", "以下"]))
    two = Band("stars_2", "二星级", lower=read_bound(["71", "以上"]))
    none = Band("stars_0", "无星级", upper=read_bound(["60", "不满"]))
    with translation.override("en"):
        assert scale_problems([none, one, two]) == ["Nothing covers the values between 70 and 71."]


def test_a_boundary_that_no_band_includes_is_refused():
    low = Band("low", "low", upper=read_bound(["60", "不满"]))
    high = Band("high", "high", lower=read_bound(["60", "超过"]))
    with translation.override("en"):
        assert scale_problems([low, high]) == ["Neither low nor high includes 60."]


@pytest.mark.parametrize("threshold", [["80", "左右"], ["八十", "以上"], ["80"], "80以上", [True, "以上"]])
def test_an_unreadable_threshold_is_refused(threshold):
    with pytest.raises(ReadingError):
        read_bound(threshold)
