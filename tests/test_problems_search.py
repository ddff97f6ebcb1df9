"""The problem list as rows, and Chinese full-text search in stock PostgreSQL."""

from __future__ import annotations

import psycopg
from psycopg.rows import dict_row

from crawler.parse import parse_text
from crawler.problems import problems
from crawler.store import store_notice
from tests.conftest import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "crawler" / "mirror" / "corpus"


def _doc(name: str) -> dict:
    return parse_text((CORPUS / f"{name}.txt").read_text(encoding="utf-8"))


def test_problem_headings_become_rows_with_their_measures():
    rows = problems(_doc("js01")["sections"])
    assert len(rows) == 47  # js01 reports on "四个方面、15项、47个突出问题", one heading each
    first = rows[0]
    assert first["problem"] == "学懂弄通深度不够" and first["marker"] == "1."
    assert "优化中心组学习内容" in first["measures"]


def test_problems_nest_under_their_aspect_and_read_their_status():
    rows = problems(_doc("sd01")["sections"])
    first = rows[0]
    assert first["problem"] == "中心区位优势发挥不足" and first["path"].count(".") == 3
    assert first["aspect"].startswith("贯彻落实中央重大决策部署和省委工作要求不到位")
    assert all(r["problem"] != "巡视移交问题线索和信访件办理情况" for r in rows)  # a case-lead report is no problem
    done = problems(_doc("pj01")["sections"])
    assert sum(r["status"] == "done" for r in done) >= 15


def test_search_notices_finds_by_domain_terms_as_the_analyst(db, databases):
    for i, name in enumerate(("sd01", "js01", "ln01")):
        with db.transaction():
            store_notice(db, site_id="shandong", url=f"http://www.sdjj.gov.cn/x/{i}.htm", page_id=None, doc=_doc(name))
    with psycopg.connect(databases["analyst"], row_factory=dict_row) as analyst:
        hits = analyst.execute("SELECT * FROM search_notices('营商环境 & 巡视整改')").fetchall()
        assert {h["title"] for h in hits} >= {"中共烟台市莱山区委关于巡视整改进展情况的通报"}
        assert all("营商环境" in h["snippet"] for h in hits)
        assert hits == sorted(hits, key=lambda h: -h["rank"])
        none = analyst.execute("SELECT * FROM search_notices('营商环境 & 不存在的词语')").fetchall()
        assert none == []
        # 主体责任 is one token (domain dictionary), so it is found as a word
        assert len(analyst.execute("SELECT * FROM search_notices('主体责任')").fetchall()) == 3
    problems_stored = db.execute("SELECT count(*) AS n FROM notice_problems").fetchone()["n"]
    assert problems_stored >= 47 + 45


def test_keywords_with_an_idf_learned_from_the_stored_notices(db, databases):
    from crawler.dbsetup import refresh_keywords

    for i, name in enumerate(("sd01", "js01", "ln01", "ln04", "pj01")):
        with db.transaction():
            store_notice(db, site_id="shandong", url=f"http://www.sdjj.gov.cn/k/{i}.htm", page_id=None, doc=_doc(name))
    refresh_keywords(db)
    with psycopg.connect(databases["analyst"], row_factory=dict_row) as analyst:
        idf = {r["word"]: r["idf"] for r in analyst.execute("SELECT * FROM corpus_idf").fetchall()}
        assert idf["整改"] == 0  # in every notice: says nothing about any one
        top = analyst.execute("SELECT keyword FROM notice_keywords_corpus k JOIN notices n USING (notice_id) "
                              "WHERE n.title LIKE '%%莱山区%%' ORDER BY rank LIMIT 5").fetchall()
    words = [r["keyword"] for r in top]
    assert len(words) == 5 and "整改" not in words and "巡视" not in words
