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
