"""Article extraction on real saved pages (two CCDI templates)."""

from crawler.web.extract import extract_article
from tests.conftest import FIXTURES


def _page(name: str) -> str:
    return (FIXTURES / "html" / name).read_text(encoding="utf-8")


def test_ccdi_template_a_title_date_source_body():
    article = extract_article(_page("ccdi_t20241226_396659_full.html"))
    assert article.title == "中央纪委国家监委公开通报七起违反中央八项规定精神典型问题"
    assert article.published_on == "2024-12-26"
    assert article.source == "中央纪委国家监委网站"
    assert article.body_text.startswith("中央纪委国家监委网站讯 元旦、春节将至")
    assert "createPageHTML" not in article.body_text


def test_ccdi_template_b_with_empty_meta_tags():
    article = extract_article(_page("ccdi_pln_t20241231_397601_full.html"))
    assert article.title.startswith("广安观潮")
    assert article.published_on == "2024-12-31"


def test_paragraphs_become_lines_and_inline_tags_do_not():
    html = "<div class='content'><p>　　<strong>一、</strong>整改工作基本情况</p><p>根据省委统一部署，" + "甲" * 100 + "</p></div>"
    article = extract_article(html)
    assert article.body_text.split("\n")[0] == "一、整改工作基本情况"
    assert len(article.body_text.split("\n")) == 2


def test_unknown_layout_falls_back_to_the_generic_extractor():
    body = "".join(f"<p>根据省委统一部署，第{i}段整改工作情况说明，现将巡视整改情况予以公布。</p>" for i in range(12))
    html = f"<html><body><nav><a href='/'>首页</a></nav><section class='x-main'><h1>中共某县委关于巡视整改进展情况的通报</h1>{body}</section><footer>版权所有</footer></body></html>"
    article = extract_article(html)
    assert article.title == "中共某县委关于巡视整改进展情况的通报"
    assert "第11段整改工作情况说明" in article.body_text and "版权所有" not in article.body_text


def test_a_stock_cms_date_line_beside_its_label_is_the_page_date():
    # DedeCMS prints the label in its own element: <small>时间:</small>2026-02-26 10:20
    page = ("<html><body><h1>中共某县委关于巡察整改进展情况的通报</h1><div class='info'><small>时间:</small>2026-02-26 10:20"
            "<small>来源:</small>某县纪委</div><div class='content'><p>" + "根据县委统一部署,县委巡察组进行了巡察。" * 8
            + "</p></div></body></html>")
    assert extract_article(page).published_on == "2026-02-26"


def test_a_date_line_inside_the_title_element_is_the_date_not_part_of_the_title():
    for h1 in ("中共某县委关于巡察整改进展情况的通报<span class='date'>2024-03-15</span>",
               "中共某县委关于巡察整改进展情况的通报 发布时间：2024-03-15 10:00"):
        article = extract_article(f"<html><body><h1>{h1}</h1><div class='content'><p>"
                                  + "根据县委统一部署,县委巡察组进行了巡察。" * 8 + "</p></div></body></html>")
        assert (article.title, article.published_on) == ("中共某县委关于巡察整改进展情况的通报", "2024-03-15")


def test_a_table_row_is_one_line_with_its_cells_apart_and_its_counts_are_read():
    from crawler.text.parse import parse_html

    rows = "".join(f"<tr><td>{a}</td><td>{b}</td><td>{c}</td><td>{d}</td></tr>" for a, b, c, d in (
        ("方面", "问题数", "已完成整改", "正在整改"), ("政治建设", "8", "7", "1"), ("作风建设", "12", "11", "1"),
        ("合计", "20", "18", "2")))
    html = ("<div class='content'><p>中共某某县委巡察组于2024年3月至5月对县交通运输局党组开展了常规巡察，"
            "6月12日反馈了巡察意见。现将巡察整改进展情况予以公布。</p><p>巡察反馈问题整改情况如下表：</p>"
            f"<table>{rows}</table><p>" + "整改工作持续推进。" * 10 + "</p></div>")
    article = extract_article(html)
    assert "合计 20 18 2" in article.body_text.split("\n")
    assert "问题数 已完成整改" in article.body_text  # before: 方面问题数已完成整改正在整改, one word
    record = parse_html(html)["record"]
    assert (record["problems_total"], record["problems_done"]) == (20, 18)
