"""`rectify sites check`: run one site definition against pages saved from a browser, offline.

For each page it reports what the crawler would see, as a list page (notice links, batch pages, next
page, column links) and as a notice page (title, date, body, how many SPEC fields it fills), so a
definition can be written or fixed without reading code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawler.sites import Site
from crawler.text.parse import is_notice, parse_html
from crawler.text.record import FIELDS
from crawler.web.discover import column_links, read_list_page
from crawler.web.encoding import decode_html


def check_page(site: Site, html: str, url: str) -> dict[str, Any]:
    listing = read_list_page(html, url, site, first_url=url, page=1, total=None)
    doc = parse_html(html, site.article if site.allows(url) else None)
    record = doc["record"]
    filled = sum(record.get(f) not in (None, []) for f in FIELDS)
    notice = is_notice(record, doc["body_text"])
    report = {
        "notice_links": listing.notice_links, "index_links": listing.index_links,
        "next_url": listing.next_url, "total_pages": listing.total_pages,
        "column_links": column_links(html, url, site)[:5],
        "title": record.get("title"), "published_on": record.get("published_on"), "source": doc["source"],
        "body_chars": len(doc["body_text"]), "is_notice": notice, "spec_filled": f"{filled}/{len(FIELDS)}",
        "record": {f: record.get(f) for f in ("issuer", "inspection_kind", "team", "feedback_on", "problems_total")},
        "quality": record.get("quality") or [],
    }
    report["verdict"] = _verdict(report)
    return report


def _verdict(report: dict[str, Any]) -> str:
    if report["is_notice"]:
        return "notice page"
    if report["notice_links"] or report["index_links"]:
        return "list page"
    if report["column_links"]:
        return "home/channel page (column links found)"
    return "nothing found"


def check_pages(site: Site, paths: list[Path], url: str | None = None) -> list[dict[str, Any]]:
    base = url or (site.list_urls[0] if site.list_urls else site.home_url) or "http://localhost/"
    reports = []
    for path in paths:
        html, encoding = decode_html(path.read_bytes(), None)
        reports.append({"file": str(path), "encoding": encoding, **check_page(site, html, base)})
    return reports


def format_report(reports: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for r in reports:
        lines += [f"== {r['file']} ({r['encoding']}): {r['verdict']}",
                  f"   notice links {len(r['notice_links'])}, batch pages {len(r['index_links'])}, "
                  f"next page {r['next_url'] or '-'}, total pages {r['total_pages'] or '-'}"]
        lines += [f"     {t}  <{u}>" for u, t in r["notice_links"][:5]]
        if r["column_links"]:
            lines.append(f"   column links: {', '.join(r['column_links'])}")
        lines.append(f"   title {r['title']!r}, date {r['published_on'] or '-'}, source {r['source'] or '-'}, "
                     f"body {r['body_chars']} chars, SPEC fields filled {r['spec_filled']}")
        if r["is_notice"]:
            lines.append(f"   {r['record']}" + (f"  quality: {r['quality']}" if r["quality"] else ""))
    return "\n".join(lines)
