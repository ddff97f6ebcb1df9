"""List pages: which links are notices, and where the next list page is.

Notice links are recognised by the language of their titles (巡视/巡察 … 整改), not by position, so
a redesigned list still yields them; a site's `item_selector` only narrows where to look. CMSs that
hide their list inside <script type="text/xml"> (Hanweb) are read too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, Tag

from crawler.sites import Site
from crawler.urls import absolute

CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)


@dataclass
class ListPage:
    notice_links: list[tuple[str, str]] = field(default_factory=list)  # (url, title)
    total_pages: int | None = None
    next_url: str | None = None


def _soups(html: str) -> list[BeautifulSoup]:
    """The page itself plus every HTML fragment kept in CDATA inside XML data islands."""
    soups = [BeautifulSoup(html, "lxml")]
    fragments = CDATA.findall(html)
    if fragments:
        soups.append(BeautifulSoup("\n".join(fragments), "lxml"))
    return soups


def _anchors(soup: BeautifulSoup, selector: str | None) -> list[Tag]:
    if selector:
        found = [a if a.name == "a" else a.find("a") for a in soup.select(selector)]
        return [a for a in found if isinstance(a, Tag) and a.get("href")]
    return [a for a in soup.find_all("a", href=True)]


def link_title(anchor: Tag) -> str:
    """The full title of a list link: the title attribute wins because link text is often truncated."""
    title = anchor.get("title") or ""
    text = anchor.get_text(" ", strip=True)
    return (title if len(str(title)) >= len(text) else text).strip()


def notice_links(html: str, page_url: str, site: Site) -> list[tuple[str, str]]:
    pattern, excluded = re.compile(site.notice_title), re.compile(site.not_notice_title)
    seen: set[str] = set()
    links: list[tuple[str, str]] = []
    for soup in _soups(html):
        for anchor in _anchors(soup, site.item_selector) or _anchors(soup, None):
            url = absolute(page_url, str(anchor["href"]))
            title = link_title(anchor)
            if url and url not in seen and pattern.search(title) and not excluded.search(title):
                seen.add(url)
                links.append((url, title))
    return links


def total_pages(html: str, site: Site) -> int | None:
    pag = site.pagination
    if not pag.total_regex:
        return None
    match = re.search(pag.total_regex, html)
    if not match:
        return None
    count = int(match.group(1))
    return math.ceil(count / pag.per_page) if pag.total_unit == "records" else count


def pattern_url(site: Site, first_url: str, page: int, total: int) -> str | None:
    """URL of list page `page` (>= 2) from the site's declared pattern."""
    pag = site.pagination
    if not pag.pattern or page > total:
        return None
    path = pag.pattern.format(p=page, p0=page - 1, rev=total - page + 1,
                              start=(page - 1) * pag.per_page + 1, end=page * pag.per_page)
    return absolute(first_url, path)


def next_link(html: str, page_url: str, site: Site) -> str | None:
    """The page's own "next page" link (by selector and/or its text)."""
    soup = BeautifulSoup(html, "lxml")
    pag = site.pagination
    candidates = soup.select(pag.next_selector) if pag.next_selector else soup.find_all("a", href=True)
    for anchor in candidates:
        text = anchor.get_text(strip=True)
        if text in pag.next_texts or "next" in (anchor.get("class") or []):
            url = absolute(page_url, str(anchor.get("href", "")))
            if url and url != page_url:
                return url
    return None


def read_list_page(html: str, page_url: str, site: Site, *, first_url: str, page: int,
                   total: int | None) -> ListPage:
    """Everything the crawler needs from list page number `page` of a site."""
    result = ListPage(notice_links=notice_links(html, page_url, site))
    result.total_pages = total if total is not None else total_pages(html, site)
    if page >= site.max_pages:
        return result
    if site.pagination.pattern and result.total_pages:
        result.next_url = pattern_url(site, first_url, page + 1, result.total_pages)
    elif not site.pagination.pattern:
        result.next_url = next_link(html, page_url, site)
    return result
