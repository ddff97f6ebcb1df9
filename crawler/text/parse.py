"""Parsing stage: a fetched page (or a saved .txt/.html file) → the notice document.

Pure: no database, no network. The parse task and `rectify parse` both call `parse_html`/`parse_file`.
The document holds the SPEC record (crawler/text/record.py) plus the outline, keywords and topic tags.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from crawler.errors import ParseFailed
from crawler.sites import ArticleSelectors
from crawler.text import keywords as kw
from crawler.text.figures import figures_as_dicts
from crawler.text.outline import ENUM_LEVEL, outline
from crawler.text.problems import problems
from crawler.text.record import parse_notice_text
from crawler.text.segment import dictionary_tokens, search_tokens, tokens
from crawler.text.similarity import simhash
from crawler.text.tags import ranked_tags, term_hits
from crawler.text.topics import with_topics
from crawler.web.encoding import decode_html
from crawler.web.extract import clean_lines, extract_article

WORD = re.compile(r"[\w\u4e00-\u9fff]")  # tokens that are words, not punctuation or spaces

# Bump when parsing changes in a way that should refresh stored records (rectify reparse).
PARSER_VERSION = "2026.12.19"
KEYWORDS_PER_NOTICE = kw.KEYWORDS_PER_NOTICE
# The record's facts found in the notice's own opening: the text above the first of them (and the title) is
# the page around it (navigation, metadata), never keywords.
OPENING_FACTS = ("title", "inspection_kind", "inspecting_body", "term", "round", "team", "inspection_start",
                 "feedback_on")


def content_hash(title: str | None, body_text: str) -> str:
    """Hash of what a reader sees; whitespace differences are not changes."""
    normalised = " ".join((title or "").split()) + "\n" + "\n".join(" ".join(line.split()) for line in body_text.splitlines())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


# A line of a list of links, as a list page's text gives it: a short title with a date ("…的通报 2024-03-15",
# "[2024-03-15] …"), or a short line that reads like a notice's title.
LIST_ENTRY = re.compile(r"^(?![一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])(?!.*(?:时间|日期|来源))"
                        r"(?:(?:[^,。;:，；：]{4,60}?\s*[\[(（]?\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[\])）]?"
                        r"|[\[(（]?\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?[\])）]?\s*[^,。;:，；：]{4,60}"
                        r"|[\[(（]?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[\])）]?"  # a list's date on a line of its own
                        r"|[^,。;:，；：]{0,40}(?:巡视|巡察)[^,。;:，；：]{0,30}(?:整改[^,。;:，；：]{0,20}(?:通报|报告|公示)|…|\.\.\.)))$")
PARAGRAPH_CHARS = 80


def reads_as_list(body_text: str) -> bool:
    """A list page (many short entries, little running text), whatever its title or its link said."""
    lines = [line.strip() for line in body_text.splitlines() if line.strip()]
    entries = sum(bool(LIST_ENTRY.match(line)) for line in lines)
    paragraphs = sum(len(line) >= PARAGRAPH_CHARS and not LIST_ENTRY.match(line) for line in lines)
    distinct = len({line for line in lines if LIST_ENTRY.match(line)})  # a title printed twice is one entry
    return distinct >= 3 and entries > paragraphs


def is_notice(record: dict[str, Any], body_text: str) -> bool:
    """A rectification notice names an inspection, says who inspected or when the findings were fed
    back, and reports on rectifying them in running text; news *about* notices names none of those facts,
    and a list of notices is no notice."""
    title = record.get("title") or ""
    facts = ("team", "feedback_on", "inspection_start", "problems_total")
    return (bool(record.get("inspection_kind")) and ("整改" in title or "整改" in body_text[:3000])
            and any(record.get(f) is not None for f in facts) and not reads_as_list(body_text))


def analyse(body_text: str, record: dict[str, Any], *, source: str | None = None) -> dict[str, Any]:
    """The full document stored for a notice: record, outline, problems with their topics, ranked tags,
    keywords (and the terms they are ranked from).

    The text is segmented once (segmentation is the cost): keywords read the dictionary's cut, where phrases are
    whole; tags and the SimHash read its words (PKU's conventions over the same cut)."""
    cut = dictionary_tokens(body_text)
    words = tokens(body_text, cut)
    sections = outline(body_text)
    section_rows = [_section_row(i, s) for i, s in enumerate(sections)]
    special = record.get("special_topics") or []
    problem_rows = with_topics(problems(section_rows), special)
    hits = term_hits(body_text, tokens=words, headings=[s.heading for s in sections if s.level < ENUM_LEVEL])
    terms = kw.terms(body_text, cut, start=text_start(record))  # phrases whole: the dictionary's cut
    return {
        "record": record,
        "source": source,
        "body_text": body_text,
        "content_sha256": content_hash(record.get("title"), body_text),
        "sections": section_rows,
        "problems": problem_rows,
        "keywords": [{"keyword": w, "weight": round(float(x), 6)} for w, x in kw.rank(terms)],
        "keyword_terms": dict(terms),
        "figures": figures_as_dicts(body_text),
        "search_text": search_text(record.get("title"), body_text),
        "search_head": search_text(record.get("title"), ""),
        "simhash": simhash(words),
        "tags": ranked_tags(hits, problem_rows, special),
        "parser_version": PARSER_VERSION,
    }


def text_start(record: dict[str, Any]) -> int:
    """Where the notice's own text starts in its body: the line of its title or of its opening's first fact
    (0 when the record read none of them)."""
    evidence = record.get("evidence") or {}
    starts = [e["start"] for f in OPENING_FACTS if isinstance(e := evidence.get(f), dict)
              and isinstance(e.get("start"), int)]
    return min(starts, default=0)


def search_text(title: str | None, body_text: str) -> str:
    """Title and body as space-separated search tokens, for PostgreSQL's `simple` full-text configuration.
    Segmented a block of whole lines at a time (a line break ends every word, so the tokens are the same):
    a large text never has all its search tokens as objects at once."""
    parts = (" ".join(w for w in search_tokens(block) if WORD.search(w))
             for block in _line_blocks(f"{title or ''}\n{body_text}"))
    return " ".join(p for p in parts if p)


def _line_blocks(text: str, size: int = 65_536) -> list[str]:
    """The text cut after line breaks into blocks of about `size` characters."""
    blocks, start = [], 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        blocks.append(text[start:end])
        start = end
    return blocks


def _section_row(ordinal: int, section: Any) -> dict[str, Any]:
    return {"ordinal": ordinal, "parent": section.parent, "level": section.level, "path": section.path,
            "marker": section.marker, "number": section.number, "heading": section.heading, "body": section.text}


def parse_html(html: str, selectors: ArticleSelectors | None = None) -> dict[str, Any]:
    article = extract_article(html, selectors)
    record = parse_notice_text(article.body_text, title=article.title, published_on=article.published_on)
    return analyse(article.body_text, record, source=article.source)


def parse_text(text: str) -> dict[str, Any]:
    body = clean_lines(text)
    return analyse(body, parse_notice_text(body))


def parse_page_bytes(body: bytes, content_type: str | None, selectors: ArticleSelectors | None = None) -> dict[str, Any]:
    html, _encoding = decode_html(body, content_type)
    return parse_html(html, selectors)


def parse_file(path: Path, max_bytes: int | None = None) -> dict[str, Any]:
    """`rectify parse PATH`: .html/.htm/.shtml files are pages, anything else plain text. With
    `max_bytes`, a larger input (or an endless one such as /dev/zero) is refused before it is read whole,
    as a fetched page larger than RECTIFY_MAX_BYTES is."""
    with path.open("rb") as handle:
        data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise ParseFailed(f"{path} is larger than {max_bytes:,} bytes, the most a page may have (RECTIFY_MAX_BYTES)",
                          error_class="too_large")
    if path.suffix.lower() in (".html", ".htm", ".shtml", ".xhtml"):
        return parse_page_bytes(data, None)
    text, _encoding = decode_html(data, None)
    return parse_text(text)
