"""Provenance: every value of the record cites the text it was read from, at its offsets in the text as
parsed; and the reading form (traditional characters, damaged dates, pinyin glosses) keeps those offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.text.parse import parse_file, parse_html
from crawler.text.record import FIELDS, parse_notice_text
from crawler.text.record.doc import Doc, month_day
from tests.conftest import PROJECT_ROOT

NOTICES = sorted((PROJECT_ROOT / "crawler" / "mirror" / "corpus").glob("*.txt")) + sorted(
    (PROJECT_ROOT / "tests" / "fixtures" / "real" / "notices").glob("*.txt"))


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: p.stem)
def test_every_value_cites_the_text_at_its_offsets(path: Path):
    doc = parse_file(path)
    record, body = doc["record"], doc["body_text"]
    for field in FIELDS:
        if record[field] in (None, []):
            assert field not in record["evidence"], field  # nothing read, nothing cited
            continue
        cite = record["evidence"][field]
        assert body[cite["start"]:cite["end"]] == cite["text"], field


def test_a_value_read_through_the_reading_form_cites_the_original_characters():
    text = ("關於巡察整改進展情況的通報\n"
            "根據市委統一部署,2023612日至85日,市委第三巡察組對市某局黨組進行了巡察。"
            "914日,巡察組向市某局黨組反饋了巡察意見。")
    record = parse_notice_text(text)
    assert (record["inspection_start"], record["inspection_end"], record["feedback_on"]) == (
        "2023-06-12", "2023-08-05", "2023-09-14")
    assert record["inspection_kind"] == "巡察" and record["team"] == 3  # read in simplified characters
    for field, cite in record["evidence"].items():
        assert text[cite["start"]:cite["end"]] == cite["text"], field
    assert record["evidence"]["team"]["text"] == "市委第三巡察組"  # as written
    assert record["evidence"]["inspection_end"]["text"].startswith("2023612日至85日")


def test_a_title_from_the_page_is_cited_where_the_text_prints_it_or_marked_as_the_pages():
    page = ("<html><head><title>中共某县委关于巡察整改进展情况的通报</title></head><body><div class='article'>"
            "<p>根据县委统一部署,2023年3月1日至4月30日,县委第二巡察组对某镇党委进行了巡察。2023年6月2日,"
            "县委第二巡察组向某镇党委反馈了巡察意见。</p></div></body></html>")
    doc = parse_html(page)
    cite = doc["record"]["evidence"]["title"]
    if cite["start"] is None:
        assert cite["from"] == "page" and cite["text"] == doc["record"]["title"]
    else:
        assert doc["body_text"][cite["start"]:cite["end"]] == cite["text"]


@pytest.mark.parametrize(("digits", "expected"), [("612", (6, 12)), ("85", (8, 5)), ("1026", (10, 26)),
                                                  ("914", (9, 14)), ("111", None), ("1313", None), ("230", None)])
def test_lost_date_digits_are_read_only_where_one_reading_exists(digits, expected):
    assert month_day(digits) == expected  # "111" is 1-11 or 11-1; "230" is neither 2-30 nor 23-0


def test_the_reading_form_restores_lost_dates_only_in_a_text_that_shows_the_loss():
    assert Doc.of("开展了为期130日的专项整治").read == "开展了为期130日的专项整治"  # no damaged date: a duration
    assert Doc.of("2024717日至830日").read == "2024年7月17日至8月30日"
    assert Doc.of("2023年5月9日至15日").read == "2023年5月9日至15日"  # a day of the same month stays


def test_pinyin_glosses_of_a_reposting_site_are_read_as_absent():
    doc = Doc.of("開展了營造“三個環(huán)境”專項巡視")
    assert doc.read == "开展了营造“三个环境”专项巡视"
    assert doc.raw_text(0, len(doc.read)) == "開展了營造“三個環(huán)境”專項巡視"


def test_evidence_is_stored_with_the_notice_and_its_offsets_hold_in_sql(db):
    from crawler.db.store import store_notice

    doc = parse_file(NOTICES[0])
    with db.transaction():
        store_notice(db, site_id="shandong", url="http://ev.test/1.html", page_id=None, doc=doc)
    rows = db.execute(
        "SELECT e.key, e.value->>'text' AS text, substr(n.body_text, (e.value->>'start')::int + 1,"
        " (e.value->>'end')::int - (e.value->>'start')::int) AS at FROM notices n, jsonb_each(n.evidence) e"
        " WHERE n.url = 'http://ev.test/1.html'").fetchall()
    assert {r["key"] for r in rows} >= {"inspection_kind", "team", "feedback_on", "problems_total"}
    assert all(r["text"] == r["at"] for r in rows)
