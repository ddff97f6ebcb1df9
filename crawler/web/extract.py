"""Article pages: title, publication date, source and body text.

Site selectors are tried first; when they find nothing (a redesign, an unknown site) generic
candidates common to Chinese government CMSs are tried, then trafilatura's main-content extractor.
Body text keeps one paragraph per line because the record parser reads sentences and numbered
headings line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag

from crawler.sites import ArticleSelectors

TITLE_CANDIDATES = ("h2.tit", "h1.title", "div.article h1", "h1", ".title", "h2", "meta[name=ArticleTitle]")
BODY_CANDIDATES = ("div.TRS_Editor", "#zoom", "div.content", "div.article-content", "#frameContent",
                   "div.pages_content", "div.article", "div.main")
BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "table",
                    "article", "blockquote", "pre"})
CELLS = frozenset({"td", "th"})
DATE = re.compile(r"(?:发布时间|发布日期|时间|日期)?\s*[:：]?\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
# A label of the page's date, in its own element or not: "发布时间:", "<small>时间:</small>", "更新日期："
DATE_LABEL = re.compile(r"^\s*(?:发布|更新|发文|上传|录入)?(?:时间|日期)\s*[:：]")
# A date line printed at the end of a title element: "…的通报 2024-03-15", "…的通报 发布时间：2024-03-15 10:00".
TITLE_DATE_LINE = re.compile(
    r"\s*[\[【(（]?\s*(?:(?:发布|更新)?(?:时间|日期)\s*[:：]\s*)?\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）]?.{0,40}$")
SOURCE = re.compile(r"来源\s*[:：|]\s*([^\s|]+?)(?=\s|发布|时间|日期|$)")
TITLE_SUFFIX = re.compile(r"\s*(?:[-_—|]+\s*[^-_—|]{2,30})+$")
SPACES = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u200b\ufeff]+")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # junk bytes in broken pages; never text
MIN_BODY_CHARS = 80


@dataclass
class Article:
    title: str | None
    published_on: str | None
    source: str | None
    body_text: str


def clean_lines(text: str) -> str:
    """One paragraph per line: whitespace runs (full-width included) collapsed, empty lines dropped."""
    text = CONTROL.sub("", text.replace("\r", "\n"))
    lines = (SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def block_text(element: Tag) -> str:
    """Text of an element with a line break after each block element (not after inline ones)."""
    for node in element.find_all(["script", "style", "noscript"]):
        node.decompose()
    for node in element.find_all(BLOCKS):
        node.insert_after(NavigableString("\n"))
    # A table row is one line with its cells apart ("合计 20 18 2", not "合计20182"): what a copied page
    # gives, and what a table's counts are read from.
    for node in element.find_all(CELLS):
        node.insert_after(NavigableString(" "))
    return clean_lines(element.get_text())


def _first(soup: BeautifulSoup, selectors: tuple[str | None, ...]) -> Tag | None:
    for selector in selectors:
        if not selector:
            continue
        for node in soup.select(selector):
            if node.name == "meta" and (node.get("content") or "").strip():
                return node
            if node.name != "meta" and node.get_text(strip=True):
                return node
    return None


def find_title(soup: BeautifulSoup, selector: str | None) -> str | None:
    """The title element's text, without a date line printed inside it ("<h1>…的通报<span>2024-03-15</span>")."""
    node = _first(soup, (selector, *TITLE_CANDIDATES))
    if node is not None:
        text = str(node["content"]) if node.name == "meta" else _title_text(node)
        text = BeautifulSoup(text, "lxml").get_text("", strip=True) if "<" in text else text
        return _without_date_line(" ".join(text.split())) or None
    if soup.title and soup.title.string:
        return TITLE_SUFFIX.sub("", soup.title.string.strip()) or None
    return None


def _title_text(node: Tag) -> str:
    """The element's text without the parts of it that hold only a date line."""
    parts = [child.get_text("", strip=True) if isinstance(child, Tag) else str(child) for child in node.children]
    return "".join(p for p in parts if not TITLE_DATE_LINE.fullmatch(p.strip()) or not p.strip()).strip()


def _without_date_line(title: str) -> str:
    m = TITLE_DATE_LINE.search(title)
    return (title[: m.start()] if m else title).strip()


def find_date(soup: BeautifulSoup, selector: str | None) -> str | None:
    texts = [n.get_text(" ", strip=True) for n in soup.select(selector)] if selector else []
    meta = soup.select_one("meta[name=PubDate], meta[name=pubdate], meta[property='article:published_time']")
    for label in soup.find_all(string=DATE_LABEL, limit=5):
        # "<small>时间:</small>2026-02-26 10:20" (DedeCMS): the date may sit beside the label's element
        for node in (label.parent, label.parent.parent if label.parent else None):
            if node is not None and len(text := node.get_text(" ", strip=True)) <= 300:
                texts.append(text)
    title = _first(soup, TITLE_CANDIDATES[:-1])
    texts += [title.get_text(" ", strip=True)] if title is not None else []  # a date line inside the <h1>
    texts += [str(meta.get("content", ""))] if meta else []
    for text in texts:
        match = DATE.search(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def find_source(soup: BeautifulSoup, selector: str | None) -> str | None:
    texts = [n.get_text(" ", strip=True) for n in soup.select(selector)] if selector else []
    header = soup.find(string=re.compile("来源"))
    texts += [header.parent.get_text(" ", strip=True)] if header and header.parent else []
    for text in texts:
        match = SOURCE.search(text)
        if match:
            return match.group(1)
    return None


def find_body(soup: BeautifulSoup, html: str, selector: str | None) -> str:
    for candidate in (selector, *BODY_CANDIDATES):
        if not candidate:
            continue
        node = soup.select_one(candidate)
        if node is not None:
            text = block_text(node)
            if len(text) >= MIN_BODY_CHARS:
                return text
    return _generic_body(html)


def _generic_body(html: str) -> str:
    import trafilatura  # imported lazily: only pages no selector understands need it

    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True) or ""
    return clean_lines(text)


def extract_article(html: str, selectors: ArticleSelectors | None = None) -> Article:
    selectors = selectors or ArticleSelectors()
    soup = BeautifulSoup(html, "lxml")
    title = find_title(soup, selectors.title)
    published = find_date(soup, selectors.date)
    source = find_source(soup, selectors.source)
    return Article(title=title, published_on=published, source=source,
                   body_text=find_body(soup, html, selectors.body))
