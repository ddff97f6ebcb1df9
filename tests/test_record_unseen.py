"""Every SPEC field on constructed notices in styles the corpus lacks (tests/fixtures/unseen).

The notices in unseen.jsonl are CONSTRUCTED examples (see build_unseen.py there), not real notices;
each is parsed as `rectify parse FILE.txt` does (crawler.text.parse.parse_text) and compared field by field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.text.parse import parse_html, parse_text
from crawler.text.record import FIELDS

UNSEEN = Path(__file__).resolve().parent / "fixtures" / "unseen" / "unseen.jsonl"
# More sets written in reviews (2026-11-23, 2026-12-03, 2026-12-04) by people reading SPEC.md, not the parser.
# review10 and review11 were written in parallel; a set not yet merged is skipped rather than failing.
REVIEWS = (*(UNSEEN.with_name(f"review{n}_2026_11_23.jsonl") for n in ("", "2", "3")),
           *(path for n in range(4, 40)
             if (path := UNSEEN.with_name(f"review{n}_2026_12_03.jsonl")).exists()),
           *(path for n in range(40, 53)
             if (path := UNSEEN.with_name(f"review{n}_2026_12_04.jsonl")).exists()))
CASES = [json.loads(line) for path in (UNSEEN, *REVIEWS)
         for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _mismatches(record: dict, expected: dict) -> list[str]:
    return [
        f"{key}: got {record.get(key)!r}, expected {expected[key]!r}"
        for key in FIELDS
        if record.get(key) != expected[key]
    ]


def test_cases_cover_every_spec_field():
    assert len(CASES) >= 25 + 29 + 22 + 24 + 30 + 30 + 30 + 30 + 25 + 29 + 30 + 30 + 30 + 30 + 30 + 30 + 30 + 30 + 30 + 5 * 30 + 4 * 30 + 29 + 5 * 30 + 4 * 30 + 28 + 13 * 30
    for case in CASES:
        assert set(case["expected"]) == set(FIELDS), case["id"]


# Pages copied so badly that the parser does not read them yet (review17): each is expected to fail, and the
# test fails the day one is read, so the list stays true.
NOT_READ_YET = {
    "r17_05": "a forum copy hard-wrapped at a fixed width, words broken across lines",
    # (review30) a form above a text that names no date
    "r30_27": "a form of the inspection's facts above the text, whose opening then names no date: a later "
              "paragraph's date (a 民主生活会 on 7月9日) is taken for the feedback's",
    # (review39) notices that speak of two inspections or reports
    "r39_25": "counts per part with no sum (total null) but one done count stated for all of them",
    # (review41)
    "r41_28": "a done count in a paragraph of its own where the total is only approximate (30余个)",
    # (review46, review49)
    "r46_09": "the issuer's own 十四届市委 round named in the body beside the city above it's 市委 inspection",
    "r49_04": "an end date that lost its 日 before the next words (6月7区委…): restored only before 至 or punctuation",
    "r49_05": "a period whose 年, 月, 日 and 至 were all lost (2023322526日)",
    "r49_06": "a feedback date that lost its 月 (64日) in a text that shows no full date damaged the same way",
    # (review50) long notices' counts
    "r50_03": "a 问题清单 holding the feedback's problems and self-check items, split after 其中 (33 → 25, done 22)",
    "r50_27": "the feedback counted as opinions and broken into lists side by side (问题清单52项、任务清单168项…)",
}


@pytest.mark.parametrize("case", [pytest.param(c, marks=pytest.mark.xfail(reason=NOT_READ_YET[c["id"]], strict=True))
                                  if c["id"] in NOT_READ_YET else c for c in CASES], ids=[c["id"] for c in CASES])
def test_unseen_notice(case):
    record = parse_text(case["text"])["record"]
    bad = _mismatches(record, case["expected"])
    assert not bad, f"{case['id']} ({case['comment']}):\n  " + "\n  ".join(bad)


def _page(title: str, body: str, date: str, heading: str = "h1") -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines() if line.strip())
    return (
        f"<html><head><title>{title}_巡视巡察_某某党建网</title></head><body>"
        f"<{heading}>{title}</{heading}><div class='info'>发布时间：{date} 来源：某某党建网</div>"
        f"<div class='TRS_Editor'>{paragraphs}</div></body></html>"
    )


@pytest.mark.parametrize(
    "cid, date",
    [
        ("central_soe_classes", "2021-10-29"),
        ("town_city_xuncha_term_round", "2022-10-10"),
        ("no_signature_central_province_range_with_years", "2022-06-30"),
    ],
)
def test_unseen_notice_as_html_page(cid, date):
    case = next(c for c in CASES if c["id"] == cid)
    title, body = case["text"].split("\n", 1)
    record = parse_html(_page(title, body, date))["record"]
    expected = dict(case["expected"], published_on=date)
    bad = _mismatches(record, expected)
    assert not bad, f"{cid} as a page:\n  " + "\n  ".join(bad)


def test_cli_prints_every_spec_key(tmp_path):
    import subprocess
    import sys

    case = next(c for c in CASES if c["id"] == "aspects_only")
    path = tmp_path / "notice.txt"
    path.write_text(case["text"], encoding="utf-8")
    cli = Path(sys.executable).with_name("rectify")
    out = subprocess.run([str(cli), "parse", str(path), "--json"], capture_output=True, text=True, check=True)
    printed = json.loads(out.stdout)
    record = printed.get("record", printed)
    assert set(FIELDS) <= set(record)
    assert record["problems_total"] is None and record["contact_phone"] is None
    assert not _mismatches(record, case["expected"])
