"""Turn the text of one 巡视/巡察 rectification notice into its record (see docs/SPEC.md), with the
evidence for every value: the text it was read from and its offsets in the text as parsed.

The notices follow a common shape: page chrome (breadcrumbs, 来源/发布时间 lines), a title line, an
opening paragraph ("根据…统一部署,2023年9月21日至11月30日,省委第三巡视组对…进行了常规巡视和营商环境专项
巡视。2024年1月7日,省委巡视组向…反馈了巡视意见…"), a body reporting the rectification with its counts, a
closing invitation with contacts, and an optional signature with its date. One module reads each part:

    doc      the reading form of the text (width, traditional characters, damaged dates) and citations
    chrome   page chrome, the title and the page's date
    opening  the inspection: kind, body, team, term, round, on-site period, feedback, special topics
    counts   problems raised and rectified
    closing  the signature and the contacts
    checks   cross-field consistency (`quality`)
"""

from __future__ import annotations

from crawler.text.cndates import iso
from crawler.text.record.checks import as_date, quality_checks
from crawler.text.record.chrome import LINK_ITEM, find_published, find_title, issuer_from_title, notice_end
from crawler.text.record.closing import find_signature, read_contacts
from crawler.text.record.counts import read_problem_counts
from crawler.text.record.doc import Doc, Span, reading_form
from crawler.text.record.opening import (
    find_opening,
    read_inspection,
    read_opening,
    read_opening_dates,
    read_special_topics,
    read_term_round,
    rectified_by,
    revisit_part,
)

__all__ = ["FIELDS", "parse_notice_text", "quality_checks"]

FIELDS = (
    "title",
    "issuer",
    "signed_on",
    "published_on",
    "inspection_kind",
    "inspecting_body",
    "term",
    "round",
    "team",
    "inspection_start",
    "inspection_end",
    "feedback_on",
    "special_topics",
    "problems_total",
    "problems_done",
    "contact_phone",
    "contact_email",
)


def parse_notice_text(text: str, *, title: str | None = None, published_on: str | None = None) -> dict:
    """Parse one notice's plain text into the SPEC record plus ``quality`` (failed cross-field checks)
    and ``evidence`` ({field: {text, start, end}}: offsets in `text`; ``"from": "page"`` and no offsets
    for a value the page's title element or date metadata gave)."""
    doc = Doc.of(text)
    opening_i = find_opening(doc)
    opening = read_opening(doc, opening_i)
    title = _page_value(doc, "title", title) or find_title(doc, opening_i)
    published = _page_value(doc, "published_on", published_on) or find_published(doc, opening_i)
    signer, signed = find_signature(doc, opening_i)
    title_span, text = _title_span(doc, title), _notice_text(doc, opening_i)
    opening = revisit_part(opening, title_span)
    insp = read_inspection(opening, title_span, text)
    start, end, feedback = read_opening_dates(opening, as_date(signed) or as_date(published)
                                              or rectified_by(doc, opening))
    insp.start = start
    term, round_ = read_term_round(title_span, opening, text, insp)
    insp.round = round_
    insp.special_topics = read_special_topics(opening, text, insp, title_span)
    total, done = read_problem_counts(doc, insp)
    phone, email = read_contacts(doc, opening_i)
    record = {
        "title": title,
        "issuer": signer or issuer_from_title(title, doc),
        "signed_on": signed,
        "published_on": published,
        "inspection_kind": insp.kind,
        "inspecting_body": insp.body,
        "term": term,
        "round": round_,
        "team": insp.team,
        "inspection_start": iso(start),
        "inspection_end": iso(end),
        "feedback_on": iso(feedback),
        "special_topics": insp.special_topics,
        "problems_total": total,
        "problems_done": done,
        "contact_phone": phone,
        "contact_email": email,
    }
    record["quality"] = quality_checks(record)
    record["evidence"] = doc.evidence(record)
    return record


def _notice_text(doc: Doc, opening_i: int | None) -> Span:
    """The text up to where links to other pages begin (上一篇/下一篇/相关阅读) or another notice starts: their
    titles name other inspections."""
    last = notice_end(doc, (opening_i or 0) + 1)
    end = doc.lines[last][0] if last < len(doc.lines) else len(doc.read)
    links = [doc.lines[i] for i in range(last) if LINK_ITEM.match(doc.line(i))]  # a list of links set in the text
    if not links:
        return Span(doc, doc.read[:end], range(end))
    at = [i for i in range(end) if not any(a <= i < b for a, b in links)]
    return Span(doc, "".join(doc.read[i] for i in at), at)


def _page_value(doc: Doc, name: str, value: str | None) -> str | None:
    """A title or date the page gave (HTML title element, date metadata), cited where the text has it."""
    value = (value or "").strip() or None
    if value:
        doc.cite_page(name, value)
        if name == "title" and (at := doc.read.find(reading_form(value)[0])) >= 0:
            doc.title_at = (at, at + len(reading_form(value)[0]))
    return value


def _title_span(doc: Doc, title: str | None) -> Span:
    """The title as readers search it: its place in the text, or the page's title on its own."""
    if doc.title_at:
        start, end = doc.title_at
        return Span.of(doc, (start, end))
    return Span(doc, reading_form(title or "")[0].replace("\n", " "), None)
