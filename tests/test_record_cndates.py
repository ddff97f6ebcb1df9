"""Tests for the Chinese number/date helpers used by the record parser."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.text.cndates import PartialDate, cn_int, normalize, resolve_sequence, year_int


@pytest.mark.parametrize(
    "span, value",
    [
        ("五十二", 52),
        ("十三", 13),
        ("十", 10),
        ("一十五", 15),
        ("两", 2),
        ("52", 52),
        ("“61”", 61),
        ("", None),
        (None, None),
        ("方面", None),
    ],
)
def test_cn_int(span, value):
    assert cn_int(span) == value


@pytest.mark.parametrize(
    "span, value", [("二〇二〇", 2020), ("二零二三", 2023), ("二○一九", 2019), ("2024", 2024)]
)
def test_year_int(span, value):
    assert year_int(span) == value


def test_normalize_keeps_length_and_folds_full_width():
    raw = "联系电话：０５３５－６８９１１６０（区委）\u3000"
    norm = normalize(raw)
    assert len(norm) == len(raw)
    assert norm.startswith("联系电话:0535-6891160(区委)")


def d(y, m, day):
    return dt.date(y, m, day)


def test_years_run_forward_into_next_year():
    # 2023年9月22日至11月30日 … 1月12日反馈
    got = resolve_sequence([PartialDate(2023, 9, 22), PartialDate(None, 11, 30), PartialDate(None, 1, 12)])
    assert got == [d(2023, 9, 22), d(2023, 11, 30), d(2024, 1, 12)]


def test_day_only_range_end_borrows_month():
    got = resolve_sequence([PartialDate(2022, 9, 5), PartialDate(None, None, 28), PartialDate(None, 10, 9)])
    assert got == [d(2022, 9, 5), d(2022, 9, 28), d(2022, 10, 9)]


def test_years_filled_backwards_from_first_written_year():
    got = resolve_sequence([PartialDate(None, 9, 5), PartialDate(None, 10, 30), PartialDate(2020, 1, 6)])
    assert got == [d(2019, 9, 5), d(2019, 10, 30), d(2020, 1, 6)]


def test_no_written_year_anchors_before_signature():
    got = resolve_sequence(
        [PartialDate(None, 9, 5), None, PartialDate(None, 12, 6)], not_after=d(2020, 4, 30)
    )
    assert got == [d(2019, 9, 5), None, d(2019, 12, 6)]


def test_no_year_and_no_anchor_gives_nothing():
    assert resolve_sequence([PartialDate(None, 9, 5), None, None]) == [None, None, None]


def test_impossible_date_is_none():
    assert resolve_sequence([PartialDate(2023, 2, 30)]) == [None]
