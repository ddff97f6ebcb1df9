"""List pages: which links are notices, and where the next list page is.

Notice links are recognised by the language of their titles (巡视/巡察 … 整改), not by position, so
a redesigned list still yields them; a site's `item_selector` only narrows where to look. CMSs that
hide their list inside <script type="text/xml"> (Hanweb) are read too.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from crawler.sites import Site
from crawler.urls import absolute

CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
# Pagers that exist only as script, by CMS family: TRS `createPageHTML(N, cur, "index", "html")` and the
# "network" CMS's `var pages = 'N'` with reverse-numbered index{k}.shtml pages.
TRS_PAGER = re.compile(r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']")
NETWORK_PAGER = re.compile(r"var\s+pages\s*=\s*['\"]?(\d+)")
# Page chrome that repeats on every page of a site (its links are never the batch's notices).
PAGE_CHROME = ("header, footer, nav, .header, .footer, .foot, .nav, .navbar, .menu, #header, #footer, #nav, .top, "
               ".bottom, .copyright, .other_Location, .breadcrumb, .position, .crumb")
# URLs that look like one article (dated paths, CMS article ids), as opposed to lists and channels.
ARTICLE_URL = re.compile(r"/t\d{8}_\d+|/art_\d+_\d+|/post_\d+|/content/|/\d{4}/\d{1,2}/\d{1,2}/|/\d{6,}\.s?html?$|/info/\d+/\d+")


@dataclass
class ListPage:
    notice_links: list[tuple[str, str]] = field(default_factory=list)  # (url, title)
    index_links: list[tuple[str, str]] = field(default_factory=list)  # pages announcing a batch of notices
    total_pages: int | None = None
    next_url: str | None = None
    next_by_link: bool = False  # the next page came from the page's own link (so its absence ends the list)


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


def _titled_links(html: str, page_url: str, selector: str | None) -> list[tuple[str, str]]:
    """(url, title) of every link, in page order, once each; the selector narrows where to look."""
    seen: set[str] = set()
    links: list[tuple[str, str]] = []
    for soup in _soups(html):
        for anchor in _anchors(soup, selector) or _anchors(soup, None):
            url = absolute(page_url, str(anchor["href"]))
            if url and url not in seen:
                seen.add(url)
                links.append((url, link_title(anchor)))
    return links


def notice_links(html: str, page_url: str, site: Site) -> list[tuple[str, str]]:
    """Links whose title reads like a rectification notice (and not like news about notices)."""
    pattern, excluded = re.compile(site.notice_title), re.compile(site.not_notice_title)
    index = re.compile(site.index_title)
    return [(u, t) for u, t in _titled_links(html, page_url, site.item_selector)
            if pattern.search(t) and not excluded.search(t) and not index.search(t)]


def index_links(html: str, page_url: str, site: Site) -> list[tuple[str, str]]:
    """Links to pages that announce a batch of notices (集中公布), which list the notices themselves."""
    index = re.compile(site.index_title)
    return [(u, t) for u, t in _titled_links(html, page_url, site.item_selector) if index.search(t)]


def article_links(html: str, page_url: str) -> list[tuple[str, str]]:
    """On an index page, links are often just unit names (兰州市城关区): take every article-shaped link
    outside the page's header, navigation and footer; the parse stage drops pages that are not notices."""
    here = urlsplit(page_url)
    soup = BeautifulSoup(html, "lxml")
    for chrome in soup.select(PAGE_CHROME):
        chrome.decompose()
    return [(u, t) for u, t in _titled_links(str(soup), page_url, None)
            if ARTICLE_URL.search(urlsplit(u).path) and urlsplit(u)._replace(fragment="") != here and len(t) >= 2]


def column_links(html: str, page_url: str, site: Site) -> list[str]:
    """Navigation links to the rectification column, best first (by the order of the site's column texts)."""
    return [url for _rank, url in ranked_column_links(html, page_url, site)]


def ranked_column_links(html: str, page_url: str, site: Site) -> list[tuple[int, str]]:
    """(rank, url) of column-like navigation links; rank 0 is the most specific text (巡视整改)."""
    ranked: list[tuple[int, int, str]] = []
    for url, title in _titled_links(html, page_url, None):
        text = title.strip()
        if not site.allows(url) or url.rstrip("/") == page_url.rstrip("/") or len(text) > 12:
            continue
        rank = next((i for i, word in enumerate(site.discovery.column_texts) if word in text), None)
        if rank is not None:
            ranked.append((rank, len(text), url))
    return [(rank, url) for rank, _length, url in sorted(ranked)]


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


def script_pager_next(html: str, page_url: str, first_url: str, page: int) -> str | None:
    """Next page of a list whose pager is drawn by script (TRS, "network" CMS), without a declared pattern."""
    trs = TRS_PAGER.search(html)
    if trs:
        total, current, name, ext = int(trs[1]), int(trs[2]), trs[3], trs[4]
        return absolute(page_url, f"{name}_{current + 1}.{ext}") if current + 1 < total else None
    network = NETWORK_PAGER.search(html)
    if network and "indexHome" in first_url:
        total = int(network[1])
        return absolute(first_url, f"index{total - page}.shtml") if page < total else None
    return None


def read_list_page(html: str, page_url: str, site: Site, *, first_url: str, page: int,
                   total: int | None, reached_by_link: bool = False) -> ListPage:
    """Everything the crawler needs from list page number `page` of a site."""
    result = ListPage(notice_links=notice_links(html, page_url, site), index_links=index_links(html, page_url, site))
    result.total_pages = total if total is not None else total_pages(html, site)
    if page >= site.max_pages:
        return result
    if site.pagination.pattern and result.total_pages:
        result.next_url = pattern_url(site, first_url, page + 1, result.total_pages)
    else:
        result.next_url = next_link(html, page_url, site)
        result.next_by_link = result.next_url is not None
        result.next_url = result.next_url or script_pager_next(html, page_url, first_url, page)
        if (not result.next_url and not reached_by_link and site.pagination.pattern
                and not site.pagination.total_regex and result.notice_links):
            # A declared pattern without a page count and no next link: keep going while pages show notices.
            # (A list paged by next links ends where they end.)
            result.next_url = pattern_url(site, first_url, page + 1, page + 1)
    return result
