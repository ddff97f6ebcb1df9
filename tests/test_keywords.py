"""crawler.text.keywords: whole words and names of the notice's own text, weighed with the collection."""

import math
from pathlib import Path

from crawler.text import keywords as kw
from crawler.text.parse import parse_text

CORPUS = Path(__file__).resolve().parents[1] / "crawler" / "mirror" / "corpus"
PAGE = """当前位置：首页 > 巡视巡察 > 正文
中共示范县委关于巡察整改进展情况的通报
来源：示范县纪委监委网站 发布时间：2024-03-01 浏览次数：123 字号：大 中 小
根据县委统一部署，县委第一巡察组对某某乡进行了巡察。某某乡党委制定了《整改方案》（徐发〔2023〕7号）。
一、关于徐庄镇徐庄村集体经济薄弱问题
徐庄镇党委组织徐庄村发展“一村一策”项目，建成金普新区联络站。“一村一策”项目已完成。
二、关于沈阳市皇姑区学校食堂问题
沈阳市皇姑区教育局整改学校食堂。北京市和北京市民都是例子。XX局已经整改。
联系电话：0411-12345678；电子邮箱：xcb@shifan.gov.cn。
相关阅读
关于开展巡察工作的通知
"""


def test_only_the_notices_own_text_gives_terms() -> None:
    start = PAGE.index("中共示范县委")
    terms = kw.terms(PAGE, start=start)
    words = set(terms)
    for chrome in ("当前位置", "首页", "来源", "发布时间", "浏览次数", "字号", "网站", "联系电话", "电子邮箱", "相关阅读",
                   "通知"):
        assert chrome not in words, chrome
    assert not any(kw.PLACEHOLDER.search(w) for w in words)  # 某某乡, XX局
    assert not any(c.isascii() for w in words for c in w)  # xcb, shifan, gov
    assert "徐发" not in words  # a document number's prefix


def test_names_are_kept_whole_and_no_term_is_a_piece_of_another() -> None:
    terms = kw.terms(PAGE, start=PAGE.index("中共示范县委"))
    assert {"徐庄镇", "徐庄村", "沈阳市皇姑区", "金普新区", "一村一策"} <= set(terms)
    assert terms["一村一策"] == 2  # quoted twice: a name, counted as one term
    # 皇姑区 occurs only inside 沈阳市皇姑区, 徐庄 only inside 徐庄镇/徐庄村: no terms of their own
    assert "皇姑区" not in terms and "徐庄" not in terms and "京市" not in terms
    assert not [w for w in terms if kw.is_fragment(w, terms, PAGE)]
    assert kw.is_fragment("京市", ["北京市"], "北京市") and not kw.is_fragment("京市", ["北京市"], "北京市，南京市")


def test_weights_pool_the_collection_with_the_shipped_notices() -> None:
    m, table = kw.domain_df()
    assert m >= 100 and table  # data/keyword_df.tsv, shipped with the parser
    common = max(table, key=lambda t: table[t] if table[t] <= m / 2 else 0)
    assert kw.idf("沈阳市皇姑区") > kw.idf(common) > 0
    assert math.isclose(kw.idf("沈阳市皇姑区"), math.log(m + 1))  # no collection: the shipped notices alone
    # a word in more than half of the notices is no keyword: of the shipped ones for a small collection …
    assert kw.idf(next(t for t, n in table.items() if n > m / 2)) is None
    # … of the collection itself once it has 30 notices or more
    assert kw.idf("沈阳市皇姑区", df=20, n=30) is None and kw.idf("沈阳市皇姑区", df=14, n=30) is not None
    ranked = kw.rank({"沈阳市皇姑区": 3, common: 30, "营商环境": 1})
    assert ranked[0][0] == "沈阳市皇姑区" and all(w > 0 for _, w in ranked)


def test_keywords_of_a_real_notice_tell_it_apart() -> None:
    doc = parse_text((CORPUS / "ln11.txt").read_text(encoding="utf-8"))
    words = [k["keyword"] for k in doc["keywords"]]
    assert len(words) == kw.KEYWORDS_PER_NOTICE and len(set(words)) == len(words)
    assert {"港航", "质保金"} <= set(words[:10])
    for generic in ("整改", "巡视", "时限", "查找", "研究部署", "党中央", "整改措施", "检查和"):
        assert generic not in words
    assert doc["keyword_terms"] and set(words) <= set(doc["keyword_terms"])
