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

from crawler.sites import Pagination, Site
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


# A list or channel page's file name: index.html, index_2.htm, list_12_2.html, default.aspx, indexHome.shtml.
LIST_NAME = re.compile(r"^(?:index|list|default|more|column)[\w-]*\.(?:s?html?|aspx?|jsp|php)$|^$", re.I)


@dataclass
class ListPage:
    notice_links: list[tuple[str, str]] = field(default_factory=list)  # (url, title)
    index_links: list[tuple[str, str]] = field(default_factory=list)  # pages announcing a batch of notices
    total_pages: int | None = None
    next_url: str | None = None
    next_by_link: bool = False  # the next page came from the page's own link (so its absence ends the list)
    pagination: Pagination | None = None  # paging read from the page itself (not declared by the site)


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
    """The full title of a list link: the title attribute wins because link text is often truncated; an
    image banner's link is named by its picture's alt or title."""
    title = anchor.get("title") or ""
    text = anchor.get_text(" ", strip=True)
    if not text and not title and (img := anchor.find("img")) is not None:
        text = str(img.get("alt") or img.get("title") or "")
    return (title if len(str(title)) >= len(text) else text).strip()


def _titled_links(html: str, page_url: str, selector: str | None,
                  soups: list[BeautifulSoup] | None = None) -> list[tuple[str, str]]:
    """(url, title) of every link, in page order, once each; the selector narrows where to look."""
    seen: set[str] = set()
    links: list[tuple[str, str]] = []
    for soup in soups or _soups(html):
        for anchor in _anchors(soup, selector) or _anchors(soup, None):
            url = absolute(page_url, str(anchor["href"]))
            if url and url not in seen:
                seen.add(url)
                links.append((url, link_title(anchor)))
    return links


def notice_links(html: str, page_url: str, site: Site, *,
                 links: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """Links whose title reads like a rectification notice (and not like news about notices). `links`:
    the page's titled links when the caller has read them already (a big page is parsed once)."""
    pattern, excluded = re.compile(site.notice_title), re.compile(site.not_notice_title)
    index = re.compile(site.index_title)
    links = _titled_links(html, page_url, site.item_selector) if links is None else links
    return [(u, t) for u, t in links
            if pattern.search(t) and not excluded.search(t) and not index.search(t) and not is_list_url(u, page_url)]


def is_list_url(url: str, page_url: str) -> bool:
    """The page itself, or a list or channel above or beside it ("…/xszg/", "…/index.html", "list_12.html"):
    a column whose own name reads like a notice's title links itself from its navigation and breadcrumb."""
    here, there = urlsplit(page_url), urlsplit(url)
    if (there.netloc, there.path.rstrip("/"), there.query) == (here.netloc, here.path.rstrip("/"), here.query):
        return True
    name = there.path.rsplit("/", 1)[-1]
    return there.path.endswith("/") or bool(LIST_NAME.match(name)) and not ARTICLE_URL.search(there.path)


def index_links(html: str, page_url: str, site: Site, *,
                links: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """Links to pages that announce a batch of notices (集中公布), which list the notices themselves."""
    index = re.compile(site.index_title)
    links = _titled_links(html, page_url, site.item_selector) if links is None else links
    return [(u, t) for u, t in links if index.search(t)]


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


def total_pages(html: str, site: Site, pag: Pagination | None = None) -> int | None:
    pag = pag or site.pagination
    if not pag.total_regex:
        return None
    match = re.search(pag.total_regex, html)
    if not match:
        return None
    count = int(match.group(1))
    return math.ceil(count / pag.per_page) if pag.total_unit == "records" else count


def pattern_url(site: Site, first_url: str, page: int, total: int, pag: Pagination | None = None) -> str | None:
    """URL of list page `page` (>= 2) from the site's declared pattern (or one read from the page)."""
    pag = pag or site.pagination
    if not pag.pattern or page > total:
        return None
    path = pag.pattern.format(p=page, p0=page - 1, rev=total - page + 1,
                              start=(page - 1) * pag.per_page + 1, end=page * pag.per_page)
    return absolute(first_url, path)


def next_link(html: str, page_url: str, site: Site, soup: BeautifulSoup | None = None) -> str | None:
    """The page's own "next page" link (by selector and/or its text)."""
    soup = soup or BeautifulSoup(html, "lxml")
    pag = site.pagination
    candidates = soup.select(pag.next_selector) if pag.next_selector else soup.find_all("a", href=True)
    for anchor in candidates:
        text = anchor.get_text(strip=True)
        if text in pag.next_texts or "next" in (anchor.get("class") or []):
            url = absolute(page_url, str(anchor.get("href", "")))
            if url and url != page_url:
                return url
    return None


PAGE_COUNT = re.compile(r"共\s*(\d{1,4})\s*页")
# "1/3" or "第1页/共3页" inside a pager element.
PAGE_OF = re.compile(r"(?<![\d/])(\d{1,4})\s*/\s*(?:共\s*)?(\d{1,4})(?![\d/])")
PAGER = "[class*=page], [class*=Page], [class*=flip], [class*=pager], [id*=page], [id*=Page]"


def announced_pages(html: str, soup: BeautifulSoup | None = None) -> int | None:
    """How many pages the list's pager says it has (script pagers, "共12页", "1/3" in the pager), to tell
    a list read in part."""
    if trs := TRS_PAGER.search(html):
        return int(trs[1])
    if network := NETWORK_PAGER.search(html):
        return int(network[1])
    soup = soup or BeautifulSoup(html, "lxml")
    for pager in soup.select(PAGER):
        text = pager.get_text(" ", strip=True)
        if len(text) < 200 and (m := PAGE_COUNT.search(text) or PAGE_OF.search(text)):
            return int(m[m.lastindex or 1])
    text = PAGE_COUNT.search(soup.get_text(" ")) if "页" in html else None
    return int(text[1]) if text else None


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
                   total: int | None, reached_by_link: bool = False,
                   pagination: Pagination | None = None) -> ListPage:
    """Everything the crawler needs from list page number `page` of a site. `pagination` is the one
    read from the column's first page (a Hanweb column found by discovery, not declared). The page is
    parsed once, however many questions are asked of it (a list page can hold 100,000 links)."""
    soups = _soups(html)
    links = _titled_links(html, page_url, site.item_selector, soups)
    result = ListPage(notice_links=notice_links(html, page_url, site, links=links),
                      index_links=index_links(html, page_url, site, links=links))
    pag = pagination or site.pagination
    if not pag.pattern and page == 1 and (detected := hanweb_pagination(html, page_url)):
        pag = result.pagination = detected
    result.total_pages = (total if total is not None
                          else total_pages(html, site, pag) or announced_pages(html, soups[0]))
    if page >= site.max_pages:
        return result
    if pag.pattern and result.total_pages:
        result.next_url = pattern_url(site, first_url, page + 1, result.total_pages, pag)
    else:
        result.next_url = next_link(html, page_url, site, soups[0])
        result.next_by_link = result.next_url is not None
        result.next_url = result.next_url or script_pager_next(html, page_url, first_url, page)
        if (not result.next_url and not reached_by_link and pag.pattern
                and not pag.total_regex and result.notice_links):
            # A declared pattern without a page count and no next link: keep going while pages show notices.
            # (A list paged by next links ends where they end.)
            result.next_url = pattern_url(site, first_url, page + 1, page + 1, pag)
    return result


# Hanweb (大汉) JCMS: the first records sit in <script type="text/xml"><datastore>, the rest come from its
# data proxy, called with the parameters the page's jpage script passes (col, appid, webid, columnid …).
HANWEB_PROXY = "/module/web/jpage/dataproxy.jsp"
HANWEB_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>")
HANWEB_PARAM = re.compile(
    r"""\b(?P<k>col|appid|webid|path|columnid|sourceContentType|unitid|webname|permissiontype)\s*[:=]\s*['"]?(?P<v>[^'",;}\s&<)]*)""")


def hanweb_pagination(html: str, page_url: str) -> Pagination | None:
    """The data proxy's paging of a Hanweb column whose page holds fewer records than it announces."""
    total = HANWEB_TOTAL.search(html)
    records = html.count("<record>")
    if "<datastore>" not in html or not total or not records or int(total[1]) <= records:
        return None
    params = {m["k"]: m["v"] for m in HANWEB_PARAM.finditer(html) if m["v"]}
    if "columnid" not in params and (col := re.search(r"/col/col(\d+)/", page_url)):
        params["columnid"] = col[1]
    query = "".join(f"&{k}={v}" for k, v in params.items())
    return Pagination(pattern=f"{HANWEB_PROXY}?startrecord={{start}}&endrecord={{end}}&perpage=15{query}",
                      total_regex=HANWEB_TOTAL.pattern, total_unit="records", per_page=records, method="POST")


# -- columns judged by what they hold -----------------------------------------------------------------
#
# Discovery looks at every candidate page the navigation offers, down to `discovery.max_depth`, and
# judges each by its content: how many notice-like links it lists (how many of them dated), whether it
# has a pager, which sub-columns, frames and data endpoints it leads to. Every page that lists notices is
# read as a list; the best of them is remembered as the site's column, with the trace of why.

# Navigation texts of pages that may hold the column further down, after the column's own names.
CHANNEL_TEXTS = ("整改", "通报", "信息公开", "政务公开", "党务公开", "专栏", "公开")
DATED = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")
PAGER_TEXT = re.compile(r"下一页|下页|尾页|末页|共\s*\d+\s*页|共\s*\d+\s*条|createPageHTML|<totalrecord>|pageCount|totalPage")
# A list's data endpoint named in a page's scripts: "/api/list?channelId=12", "…/getList.do", "…/xxgk.json".
ENDPOINT = re.compile(
    r"""["'](?P<url>(?:https?://[^"'\s]+|/[^"'\s]+?)(?:\.json|/api/[^"'\s]*|[/_?]?(?:get|query|search|load)?[Ll]ist[^"'\s]*"""
    r"""|/search/[^"'\s]*))["']""")
# A page whose list is filled in by its scripts (an empty list container and a data call).
SCRIPT_LIST = re.compile(r"\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|XMLHttpRequest|axios\.|jsonp", re.I)
MAX_PROBES_PER_PAGE = 8
MAX_PROBES_FROM_HOME = 16  # a home page whose navigation names no column: its first links, in order
HOME_TEXTS = ("首页", "网站首页", "返回首页", "主页", "English", "无障碍", "登录", "注册", "网站地图")


@dataclass
class PageScore:
    """What one candidate page holds, as column discovery judges it."""

    url: str
    notice_links: int
    dated_links: int
    pager: bool
    sub_columns: list[tuple[int, str]]  # (rank, url): the column's names first, then channel names
    frames: list[str]
    endpoints: list[str]
    score: float

    @property
    def is_column(self) -> bool:
        return self.notice_links > 0

    script_list: bool = False  # its list is drawn by script from data it does not name readably

    @property
    def is_strong(self) -> bool:
        """A full column: several dated notice links and a pager, or many notice links."""
        return (self.pager and self.dated_links >= 3) or self.notice_links >= 10

    def reason(self) -> str:
        parts = [f"{self.notice_links} notice links ({self.dated_links} dated)"]
        parts += ["pager"] if self.pager else []
        parts += [f"{len(self.sub_columns)} sub-columns"] if self.sub_columns else []
        parts += [f"{len(self.frames)} frames"] if self.frames else []
        parts += [f"{len(self.endpoints)} data endpoints"] if self.endpoints else []
        return ", ".join(parts)

    def trace(self, depth: int) -> dict[str, object]:
        return {"url": self.url, "depth": depth, "score": self.score, "notices": self.notice_links,
                "reason": self.reason()}


def score_page(html: str, url: str, site: Site, listing: ListPage | None = None, *, home: bool = False) -> PageScore:
    """Judge a candidate page by its content (see the section comment)."""
    # pages announcing a batch of notices (集中公布) lead to notices as surely as notice links do
    notices = ([*listing.notice_links, *listing.index_links] if listing
               else [*notice_links(html, url, site), *index_links(html, url, site)])
    dated = _dated_links(html, url, {u for u, _ in notices})
    pager = bool((listing and (listing.next_url or listing.total_pages)) or PAGER_TEXT.search(html))
    score = 3 * len(notices) + 2 * dated + (5 if pager and notices else 0)
    endpoints = data_endpoints(html, url, site)
    return PageScore(url, len(notices), dated, pager, candidate_links(html, url, site, any_name=home),
                     frame_links(html, url, site), endpoints, float(score),
                     script_list=not notices and not endpoints and bool(SCRIPT_LIST.search(html)))


def _dated_links(html: str, page_url: str, urls: set[str]) -> int:
    """Notice links listed with a date beside them (in the same list item or table row)."""
    if not urls:
        return 0
    count = 0
    for anchor in BeautifulSoup(html, "lxml").find_all("a", href=True):
        if absolute(page_url, str(anchor["href"])) in urls:
            item = anchor.find_parent(["li", "tr", "dd", "p", "div"])
            count += bool(item is not None and DATED.search(item.get_text(" ", strip=True)[:200]))
    return min(count, len(urls))


def candidate_links(html: str, page_url: str, site: Site, *, any_name: bool = False) -> list[tuple[int, str]]:
    """Navigation links (menus, drop-downs, footers, image banners) that may lead to the column: the
    column's own names first (site.discovery.column_texts), then channels that may hold it; with
    `any_name` (a home page whose navigation names neither), every navigation link, in page order."""
    texts = (*site.discovery.column_texts, *CHANNEL_TEXTS)
    ranked: list[tuple[int, int, str]] = []
    others: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for position, (url, title) in enumerate(_titled_links(html, page_url, None)):
        text = title.strip()
        if (not site.allows(url) or url.rstrip("/") == page_url.rstrip("/") or not 2 <= len(text) <= 14
                or ARTICLE_URL.search(urlsplit(url).path) or url in seen or text in HOME_TEXTS):
            continue
        seen.add(url)
        rank = next((i for i, word in enumerate(texts) if word in text), None)
        if rank is not None:
            ranked.append((rank, len(text), url))
        else:
            others.append((len(texts) + 1, position, url))
    chosen = sorted(ranked)[:MAX_PROBES_PER_PAGE]
    if any_name and len(chosen) < 2:
        chosen += others[:MAX_PROBES_FROM_HOME - len(chosen)]
    return [(rank, url) for rank, _order, url in chosen]


def frame_links(html: str, page_url: str, site: Site) -> list[str]:
    """Pages shown inside this one (<iframe>/<frame>): an information-disclosure tree opens its lists so."""
    soup = BeautifulSoup(html, "lxml")
    urls = [absolute(page_url, str(f.get("src"))) for f in soup.find_all(["iframe", "frame"]) if f.get("src")]
    return [u for u in dict.fromkeys(urls) if u and site.allows(u)]


def data_endpoints(html: str, page_url: str, site: Site) -> list[str]:
    """Data endpoints a page's scripts call to fill in its list (a shell page of a 集约化 platform): URLs
    named in its inline scripts, an ajax call's url with its data object as the query, and the list API of
    the government platforms whose shell pages only name their column tree (PLATFORM_LISTS)."""
    scripts = " ".join(s.get_text() for s in BeautifulSoup(html, "lxml").find_all("script") if not s.get("src"))
    urls = [absolute(page_url, u) for u in (*_ajax_calls(scripts), *(m["url"] for m in ENDPOINT.finditer(scripts)),
                                            *_platform_lists(scripts, site))]
    return [u for u in dict.fromkeys(urls) if u and site.allows(u) and not re.search(r"\.(?:js|css)(?:\?|$)", u)]


AJAX_CALL = re.compile(r"""\burl\s*:\s*['"](?P<url>[^'"\s]+)['"](?P<rest>[^;]{0,400}?)\bdata\s*:\s*\{(?P<data>[^{}]*)\}""", re.S)
JS_PAIR = re.compile(r"""(?P<k>\w+)\s*:\s*(?:['"](?P<s>[^'"]*)['"]|(?P<n>-?\d+)|(?P<id>[A-Za-z_$][\w$]*))""")
JS_VAR = re.compile(r"""\b(?:var|let|const)\s+(?P<k>[A-Za-z_$][\w$]*)\s*=\s*(?:['"](?P<s>[^'"]*)['"]|(?P<n>-?\d+))""")


def _ajax_calls(scripts: str) -> list[str]:
    """ "$.ajax({url: '/search4/s', data: {columnId: columnId, pageNum: pageNum, pageSize: 10}})": the URL
    with its data as the query (literals, and variables the script sets to literals; a page number
    variable starts at 1)."""
    from crawler.web.datalist import PAGE_PARAMS

    known = {m["k"]: m["s"] if m["s"] is not None else m["n"] for m in JS_VAR.finditer(scripts)}
    out = []
    for call in AJAX_CALL.finditer(scripts):
        query = []
        for pair in JS_PAIR.finditer(call["data"]):
            value = pair["s"] if pair["s"] is not None else pair["n"] if pair["n"] is not None else known.get(pair["id"] or "")
            if value is None and pair["k"] in PAGE_PARAMS:
                value = "1"
            if value is not None:
                query.append(f"{pair['k']}={value}")
        out.append(call["url"] + ("&" if "?" in call["url"] else "?") + "&".join(query))
    return out


# Government platforms whose shell pages carry only their column tree as data, with the list API their
# front-end scripts call (data, not code: one row per platform). Guangdong's 政务公开目录 (gkmlpt):
# window._CONFIG = {"SID": …, "TREE": [{"id": 2981, "name": "巡察整改", …}]} → /gkmlpt/api/all/{id}?page=1&sid={sid}.
PLATFORM_LISTS = (
    (re.compile(r"""_CONFIG\s*=\s*\{.*?"SID"\s*:\s*"(?P<sid>\w+)".*?"TREE"\s*:\s*(?P<tree>\[.*?\])\s*[,}]""", re.S),
     "/gkmlpt/api/all/{id}?page=1&sid={sid}"),
)


def _platform_lists(scripts: str, site: Site) -> list[str]:
    import json

    out = []
    for marker, template in PLATFORM_LISTS:
        if not (m := marker.search(scripts)):
            continue
        try:
            tree = json.loads(m["tree"])
        except ValueError:
            continue
        names = site.discovery.column_texts
        for node in tree:
            if isinstance(node, dict) and any(word in str(node.get("name", "")) for word in names):
                out.append(template.format(id=node.get("id"), sid=m["sid"]))
    return out
