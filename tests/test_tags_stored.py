"""Tags, problem topics and keywords as stored for the whole mirror crawl (the 93 notices ./ops/run --mirror stores)."""

from __future__ import annotations

import re

import psycopg
from psycopg.rows import dict_row

from bench.tags import own_text, site_names
from crawler.text import keywords as kw
from crawler.text.topics import special_topic
from tests.conftest import rectify

MIRRORED = ("liaoning", "shandong", "jiangsu", "ccdi", "guangdong", "beijing", "gansu")
LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]")


def test_mirror_crawl_tags_topics_and_keywords(worker, env, db, databases):
    assert rectify(env, "crawl", *MIRRORED).returncode == 0
    assert rectify(env, "db", "refresh").returncode == 0  # as `rectify run` does after its crawl
    notices = db.execute("SELECT notice_id, site_id, body_text, evidence, special_topics FROM notices").fetchall()
    assert len(notices) >= 90

    # the opening's special topics rank first
    tags = {}
    for r in db.execute("SELECT notice_id, tag, rank, special FROM notice_tags ORDER BY notice_id, rank"):
        tags.setdefault(r["notice_id"], []).append(r)
    special = [n for n in notices if {special_topic(s) for s in n["special_topics"]} - {None}]
    assert len(special) >= 40
    for n in special:
        first = tags[n["notice_id"]][0]
        assert first["rank"] == 1 and first["special"] and first["tag"] in {special_topic(s) for s in n["special_topics"]}

    # every listed problem has a topic
    missing = db.execute("SELECT count(*) AS n FROM notice_problems WHERE topic IS NULL OR topic_score IS NULL")
    assert missing.fetchone()["n"] == 0

    # no fragment, chrome word or placeholder among any keyword (all 20 ranks) of any notice
    keywords: dict[int, list[str]] = {}
    for r in db.execute("SELECT notice_id, keyword FROM notice_keywords ORDER BY notice_id, rank"):
        keywords.setdefault(r["notice_id"], []).append(r["keyword"])
    names, bad = site_names(), []
    for n in notices:
        words, own = keywords.get(n["notice_id"], []), own_text(n)
        assert words, n["notice_id"]
        for w in words:
            if kw.is_fragment(w, words, n["body_text"]):
                bad.append(("fragment", n["notice_id"], w))
            if LATIN_OR_DIGIT.search(w) or w in kw.CHROME_WORDS or w in names or w not in own:
                bad.append(("chrome", n["notice_id"], w))
            if kw.PLACEHOLDER.search(w):
                bad.append(("placeholder", n["notice_id"], w))
    assert bad == []

    # the analysts' view of main topics
    with psycopg.connect(databases["analyst"], row_factory=dict_row) as analyst:
        main = analyst.execute("SELECT notice_id, rank, share, special FROM notice_main_topics "
                               "WHERE topic = 'business_env'").fetchall()
    assert {r["notice_id"] for r in main} >= {n["notice_id"] for n in special if "营商环境" in n["special_topics"]}
    assert all(r["special"] or r["rank"] == 1 or r["share"] >= 0.25 for r in main)
