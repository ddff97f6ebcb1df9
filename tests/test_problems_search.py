"""The problem list as rows, and Chinese full-text search in stock PostgreSQL."""

from __future__ import annotations

import psycopg
from psycopg.rows import dict_row

from crawler.db.store import store_notice
from crawler.text.parse import parse_text
from crawler.text.problems import problems
from tests.conftest import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "crawler" / "mirror" / "corpus"


def _doc(name: str) -> dict:
    return parse_text((CORPUS / f"{name}.txt").read_text(encoding="utf-8"))


def test_problem_headings_become_rows_with_their_measures():
    rows = problems(_doc("js01")["sections"])
    assert len(rows) == 47  # js01 reports on "四个方面、15项、47个突出问题", one heading each
    first = rows[0]
    assert first["problem"] == "学懂弄通深度不够" and first["marker"] == "1." and first["kind"] == "problem"
    assert "优化中心组学习内容" in first["measures"]
    assert first["part"] == "整改落实情况"


def test_the_laishan_notice_lists_its_46_problem_headings():
    rows = problems(_doc("sd01")["sections"])
    names = [r["problem"] for r in rows]
    # 45 numbered (1)…(n) headings, and one run-in paragraph under "4.关于政治敏锐性不够强…问题"
    assert len(rows) == 46 and all(r["kind"] == "problem" for r in rows)
    assert names[0] == "中心区位优势发挥不足" and rows[0]["path"] == "2.1.1.1" and rows[0]["outline"] == "二/(一)/1/(1)"
    assert rows[0]["aspect"] == "贯彻落实中央重大决策部署和省委工作要求不到位,推动高质量发展存在差距"
    run_in = rows[names.index("意识形态工作理论学习不经常")]
    assert run_in["marker"] == "" and run_in["measures"].startswith("关于意识形态工作理论学习不经常问题。把意识形态工作")
    assert "政治敏锐性不够强,意识形态工作存在薄弱环节" not in names  # a heading over a problem is not one
    assert "“双招双引”动作大、成果小" in names and "部分干部缺乏中心区应有的“精气神”" in names  # inner quotes kept
    assert "转办的扫黑除恶线索" in names  # a problem about case leads is a problem ...
    assert all("移交问题线索和信访件" not in n for n in names)  # ... the report on leads handed over is not


def test_problems_named_by_zhendui_and_zhuoli_jiejue_and_as_shortcomings():
    ln26 = problems(_doc("ln26")["sections"])
    by_name = {r["problem"]: r for r in ln26}
    assert by_name["协调推进不力"]["marker"] == "二是"  # 关于“协调推进不力”的问题
    assert by_name["农村人居环境整治不力"]["aspect"].startswith("贯彻落实习近平总书记重要讲话和指示批示精神")
    assert "巡视发现,某街道原民政助理套取、冒领低保金" in by_name  # 针对“…; the quote runs past the heading
    assert {r["part"] for r in ln26} == {"常规巡视整改落实情况", "营商环境专项巡视整改落实情况"}
    ln23 = [r["problem"] for r in problems(_doc("ln23")["sections"])]
    assert ln23[:3] == ["产业结构调整“三篇大文章”推进乏力", "实施全面振兴新突破三年行动不够有力", "对外开放合作水平低"]
    ln10 = problems(_doc("ln10")["sections"])  # the aspects state the shortcomings; items below are measures
    assert ln10[0]["problem"] == "推动县域经济发展的思想认识有差距,树立和践行正确政绩观不牢" and ln10[0]["marker"] == "(一)"


def test_notices_that_report_item_by_item_give_item_rows():
    rows = problems(_doc("ln01")["sections"])
    first = rows[0]
    assert first["kind"] == "item" and first["problem"] == "深入贯彻落实习近平新时代中国特色社会主义思想和党的二十大精神"
    assert first["aspect"] == "深入学习贯彻习近平新时代中国特色社会主义思想,发挥核心城区资源禀赋优势"
    assert "\n结合实际制定具体整改落实方案。建立整改台账" in first["measures"]  # its 一是 … measures
    assert all(r["part"] for r in rows)  # nothing from "一、…履行整改主体责任情况" or "四、下一步工作打算"
    assert not any("下一步" in (r["part"] or "") or "主体责任" in (r["part"] or "") for r in rows)


UNSEEN = """一、整改工作开展情况
校党委高度重视巡视整改工作。
二、巡视反馈问题整改落实情况
(一)关于政治建设方面
1.关于“学习贯彻新思想不够深入系统”的问题
一是完善理论学习中心组学习制度。二是已完成整改。
2.针对“落实意识形态工作责任制有差距”问题
持续推进意识形态阵地管理。
(二)关于全面从严治党方面
1.关于巡视移交问题线索办理情况
已全部办结。
2.着力解决二级单位财务管理不规范的问题
制定《二级单位财务管理办法》。
关于科研经费报销不严问题。开展专项检查,已整改到位。
三、下一步工作打算
关于持续整改的问题,长期坚持。
"""


def test_a_university_notice_in_an_unseen_layout():
    from crawler.text.parse import parse_text as parse

    rows = problems(parse(UNSEEN)["sections"])
    assert [(r["problem"], r["status"]) for r in rows] == [
        ("学习贯彻新思想不够深入系统", "done"), ("落实意识形态工作责任制有差距", "ongoing"),
        ("二级单位财务管理不规范", None), ("科研经费报销不严", "done")]
    assert {r["aspect"] for r in rows} == {"政治建设", "全面从严治党"}
    assert {r["part"] for r in rows} == {"巡视反馈问题整改落实情况"}


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
        # web-search syntax: words are ANDed, -word excludes, or
        assert analyst.execute("SELECT * FROM search_notices('营商环境 巡视整改')").fetchall() == hits
        without = analyst.execute("SELECT title FROM search_notices('主体责任 -营商环境')").fetchall()
        assert len(analyst.execute("SELECT * FROM search_notices('主体责任 & 营商环境')").fetchall()) == 2
        assert len(without) == 1  # js01, the only notice without 营商环境
        leads = analyst.execute("SELECT snippet FROM search_notices('问题线索 -营商环境')").fetchall()
        assert len(leads) == 1 and "问题线索" in leads[0]["snippet"]
    with psycopg.connect(databases["analyst"], row_factory=dict_row) as analyst:
        summary = {r["title"]: r for r in analyst.execute("SELECT * FROM notice_problem_summary").fetchall()}
        laishan = summary["中共烟台市莱山区委关于巡视整改进展情况的通报"]
        assert (laishan["problems_stated"], laishan["problems_listed"], laishan["items_listed"]) == (52, 46, 0)
        assert laishan["aspects"] == 4
        stored = analyst.execute("SELECT p.problem, p.kind, p.part FROM notice_problems p JOIN notices n USING (notice_id) "
                                 "WHERE n.title LIKE '%%莱山区%%' AND p.marker = ''").fetchall()
        assert stored == [{"problem": "意识形态工作理论学习不经常", "kind": "problem", "part": "省委巡视组反馈意见整改进展情况"}]
        facts = analyst.execute("SELECT f.kind, f.value FROM notice_figures f JOIN notices n USING (notice_id) "
                                "WHERE n.title LIKE '%%莱山区%%' ORDER BY f.ordinal").fetchall()
        facts = {(r["kind"], float(r["value"])) for r in facts}
        assert facts >= {("problems_raised", 52), ("problems_rectified", 37), ("completion_rate", 71.2), ("rules_made", 100)}


def test_keywords_with_an_idf_learned_from_the_stored_notices(db, databases):
    from crawler.db.dbsetup import refresh_keywords

    for i, name in enumerate(("sd01", "js01", "ln01", "ln04", "pj01")):
        with db.transaction():
            store_notice(db, site_id="shandong", url=f"http://www.sdjj.gov.cn/k/{i}.htm", page_id=None, doc=_doc(name))
    refresh_keywords(db)
    with psycopg.connect(databases["analyst"], row_factory=dict_row) as analyst:
        idf = {r["word"]: r["idf"] for r in analyst.execute("SELECT * FROM corpus_idf").fetchall()}
        assert idf["整改"] == 0  # in every notice: says nothing about any one
        top = analyst.execute("SELECT keyword FROM notice_keywords k JOIN notices n USING (notice_id) "
                              "WHERE n.title LIKE '%%莱山区%%' ORDER BY rank LIMIT 5").fetchall()
    words = [r["keyword"] for r in top]
    assert len(words) == 5 and "整改" not in words and "巡视" not in words


def test_plain_phrases_are_split_into_indexed_words(db, databases):
    from crawler.db.dbsetup import refresh_keywords

    for i, name in enumerate(("sd01", "js01", "ln01")):
        with db.transaction():
            store_notice(db, site_id="shandong", url=f"http://www.sdjj.gov.cn/p/{i}.htm", page_id=None, doc=_doc(name))
    refresh_keywords(db)
    with psycopg.connect(databases["analyst"], row_factory=dict_row) as analyst:
        def split(words: str) -> str:
            return analyst.execute("SELECT segment_query(%s) AS s", [words]).fetchone()["s"]

        def titles(query: str) -> list[str]:
            return [h["title"] for h in analyst.execute("SELECT title FROM search_notices(%s)", [query]).fetchall()]

        # jieba makes 巡视整改工作 two tokens: typed as one word it still finds what both words find
        assert split("巡视整改工作") == "巡视整改 工作"
        assert titles("巡视整改工作") == titles("巡视整改 工作") != []
        assert split("营商环境问责 -信访") == "营商环境 问责 -信访"  # negated words are kept as written
        assert split('"巡视 整改"') == '"巡视 整改"'
        assert split("龘靐齉") == "龘靐齉" and titles("龘靐齉") == []  # no indexed piece: kept whole, no match
