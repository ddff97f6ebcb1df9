"""crawler.text.tags: taxonomy validity, word-boundary matching, threshold, real notices."""

import json
import re
import tomllib
from pathlib import Path

import pytest

from crawler.text import segment, tags
from crawler.text.tags import TAXONOMY, taxonomy, topic_tags

CORPUS = Path(__file__).resolve().parents[1] / "crawler" / "mirror" / "corpus"


def by_id(result: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in result}


def test_taxonomy_is_well_formed() -> None:
    tax = taxonomy()
    assert 10 <= len(tax.topics) <= 20
    assert (tax.min_hits, tax.heading_hits) == (3, 1)
    ids = [t.id for t in tax.topics]
    assert len(set(ids)) == len(ids)
    assert {"business_env", "eight_rules", "formalism", "personnel", "ideology", "rural", "ecology", "safety",
            "soe", "finance_debt", "livelihood", "integrity", "petition", "inspection_work", "party_building",
            "party_responsibility"} <= set(ids)
    for t in tax.topics:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", t.id)
        assert re.search(r"[\u4e00-\u9fff]", t.label) and t.description
        assert len(t.terms) >= 5
    raw = tomllib.loads(TAXONOMY.read_text(encoding="utf-8"))
    assert [t["id"] for t in raw["topic"]] == ids
    assert "To add a topic" in TAXONOMY.read_text(encoding="utf-8")


def test_descriptions_say_what_belongs_and_where_the_rest_goes() -> None:
    # the descriptions are the annotators' only guide (docs/taxonomy_review.md): each says what belongs, what
    # does not and which topic that goes to, with examples; every slug they point to exists
    tax = taxonomy()
    ids = {t.id for t in tax.topics}
    raw = tomllib.loads(TAXONOMY.read_text(encoding="utf-8"))
    assert "other" in raw["guide"] and "business_env" in raw["guide"]
    for t in tax.topics:
        assert re.search(r"^属于：", t.description, re.M) and re.search(r"^不属于：.*→", t.description, re.M), t.id
        assert re.search(r"^例：“", t.description, re.M), t.id
        pointed = set(re.findall(r"→ ?([a-z][a-z0-9_]*)", t.description))
        assert pointed and pointed <= ids and t.id not in pointed, (t.id, pointed - ids)
    assert set(re.findall(r"→ ?([a-z][a-z0-9_]*)", raw["guide"])) <= ids


@pytest.mark.parametrize("topic", taxonomy().topics, ids=lambda t: t.id)
def test_every_term_can_match(topic: tags.Topic) -> None:
    for term in topic.terms:
        text = f"区委要求,{term}。"
        toks = segment.tokens(text)
        assert tags._count(toks, tags._index(toks), topic)[term] == 1, term


def test_real_sentences_business_env() -> None:
    # quoted from ln04 / ln26 / ln11
    text = ("(1)进一步落实助企纾困政策\n"
            "一是提高对优化营商环境建设工作重要性认识。\n"
            "1.积极解决政府拖欠企业账款问题。一是全面梳理,防止新增拖欠账款。\n")
    got = by_id(topic_tags(text))
    assert got["business_env"]["hits"] == 3
    assert got["business_env"]["terms"] == {"助企纾困": 1, "营商环境": 1, "拖欠企业账款": 1}
    assert got["business_env"]["label"] == "营商环境"
    assert got["business_env"]["heading_hits"] == 2  # （1） and 1. are headings; 一是 is not


def test_word_boundaries_prevent_substring_hits() -> None:
    text = ("全国企业家座谈会精神。全国企业信用信息公示系统。全国企业名录。"
            "引进高校大学生3名。大学生志愿者服务。大学生创业园。开展警示教育。开展警示教育。开展警示教育。")
    assert text.count("国企") == 3 and text.count("学生") == 3  # a substring matcher would tag both
    got = by_id(topic_tags(text))
    assert "soe" not in got  # 国企 is no word in 全国/企业
    assert "livelihood" not in got  # 学生 is no word in 大学生
    assert got["integrity"]["terms"] == {"警示教育": 3}


def test_threshold_hits_or_heading() -> None:
    two = "加强安全生产监管。开展消防检查。"
    assert "safety" not in by_id(topic_tags(two))
    three = two + "开展燃气安全检查。"
    assert by_id(topic_tags(three))["safety"]["hits"] == 3
    in_heading = "(一)关于乡村振兴推进不快问题\n区委召开专题会议研究部署。\n"
    got = by_id(topic_tags(in_heading))
    assert (got["rural"]["hits"], got["rural"]["heading_hits"]) == (1, 1)
    # an 一是 item's first sentence is not a heading
    assert "rural" not in by_id(topic_tags("1.加强学习\n一是推进乡村振兴。\n"))


def test_overlapping_terms_counted_once() -> None:
    got = by_id(topic_tags("切实为基层减负。为基层减负。基层减负。"))
    assert got["formalism"]["hits"] == 3
    assert got["formalism"]["terms"] == {"为基层减负": 2, "基层减负": 1}


def test_precomputed_tokens_and_headings_give_the_same_result() -> None:
    text = (CORPUS / "ln26.txt").read_text(encoding="utf-8")
    assert topic_tags(text, tokens=segment.tokens(text)) == topic_tags(text)
    assert topic_tags("", tokens=[], headings=[]) == []


def test_real_notice_ln26() -> None:
    got = topic_tags((CORPUS / "ln26.txt").read_text(encoding="utf-8"))
    ids = [r["id"] for r in got]
    hits = [r["hits"] for r in got]
    assert hits == sorted(hits, reverse=True)
    # ln26 (溪湖区) has whole sections on 教育/民生, 民政, 政府债务, 信访 and 营商环境
    assert {"livelihood", "business_env", "finance_debt", "petition", "rural"} <= set(ids)
    row = by_id(got)["livelihood"]
    assert row["hits"] >= 40 and row["heading_hits"] >= 10 and "幼儿园" in row["terms"]
    assert set(row) == {"id", "label", "hits", "heading_hits", "terms"}


def test_real_notice_js01_eight_rules() -> None:
    got = by_id(topic_tags((CORPUS / "js01.txt").read_text(encoding="utf-8")))
    # js01 has "25.关于“吃喝风有所回潮”问题" and "27.关于“公车管理存在漏洞”问题" under 八项规定精神
    assert got["eight_rules"]["hits"] >= 10 and got["eight_rules"]["heading_hits"] >= 1
    # the 2019 Jiangsu notice predates the 营商环境 special inspections; its one business problem
    # ("12.关于“减税降费政策落实不到位”问题") is a heading, so business_env is tagged, but far below eight_rules
    env = got["business_env"]
    assert env["heading_hits"] == 1 and "减税降费" in env["terms"] and env["hits"] < got["eight_rules"]["hits"] / 2


def test_business_env_agrees_with_gold_special_topics() -> None:
    gold = Path(__file__).resolve().parent / "fixtures" / "gold" / "dev.jsonl"
    rows = [json.loads(ln) for ln in gold.read_text(encoding="utf-8").splitlines() if ln.strip()]
    special = {r["id"] for r in rows if "营商环境" in (r["special_topics"] or [])}
    assert len(special) >= 30
    for r in rows:
        text = (CORPUS / f"{r['id']}.txt").read_text(encoding="utf-8")
        row = by_id(topic_tags(text)).get("business_env")
        if r["id"] in special:  # a 营商环境 special inspection: tagged, with a section on it
            assert row and row["hits"] >= 20 and row["heading_hits"] >= 2, r["id"]


def _hits(**counts: int) -> list[dict]:
    return [{"id": t.id, "label": t.label, "hits": counts.get(t.id, 0), "heading_hits": 0, "terms": {}}
            for t in taxonomy().topics]


def test_the_special_inspections_topic_ranks_first() -> None:
    problems = [{"topic": "economy"}] * 5 + [{"topic": "business_env"}] * 2 + [{"topic": "personnel"}] * 2 + [
        {"topic": "other"}]
    got = tags.ranked_tags(_hits(economy=40, business_env=3), problems, ["营商环境"])
    assert [(r["id"], r["rank"], r["share"], r["special"]) for r in got] == [
        ("business_env", 1, 0.2, True), ("economy", 2, 0.5, False), ("personnel", 3, 0.2, False)]
    assert {r["basis"] for r in got} == {"problems"}
    # without the special inspection, by share
    assert [r["id"] for r in tags.ranked_tags(_hits(), problems)] == ["economy", "business_env", "personnel"]
    # a special topic the taxonomy lacks adds nothing
    assert [r["id"] for r in tags.ranked_tags(_hits(), problems, ["营造“三个环境”"])][0] == "economy"


def test_a_topic_with_a_small_share_is_no_tag() -> None:
    problems = [{"topic": "economy"}] * 19 + [{"topic": "rural"}]  # rural: 5 % of the problems
    assert [r["id"] for r in tags.ranked_tags(_hits(rural=30), problems)] == ["economy"]
    # a notice that lists fewer than MIN_PROBLEMS problems is told by its text's topic terms
    got = tags.ranked_tags(_hits(rural=12, ideology=6, safety=1), [{"topic": "economy"}])
    assert [(r["id"], r["share"], r["basis"]) for r in got] == [("rural", round(12 / 19, 4), "text"),
                                                                 ("ideology", round(6 / 19, 4), "text")]
    assert tags.ranked_tags(_hits(), []) == []


def test_a_parsed_special_inspection_ranks_its_topic_first() -> None:
    from crawler.text.parse import parse_text

    doc = parse_text((CORPUS / "ln26.txt").read_text(encoding="utf-8"))
    assert doc["record"]["special_topics"] == ["营商环境"]
    first = doc["tags"][0]
    assert (first["id"], first["rank"], first["special"]) == ("business_env", 1, True)
    assert all(r["share"] >= tags.MIN_SHARE for r in doc["tags"][1:]) and len(doc["tags"]) <= 6
    assert all(p["topic"] for p in doc["problems"])
    assert {p["topic"] for p in doc["problems"] if "营商环境" in (p["part"] or "")} == {"business_env"}
