"""Site definitions: one TOML file per site under crawler/sites/ (plus RECTIFY_SITES_DIRS).

A definition is data only; adding a site never needs code. `load_sites()` validates every file and
fails loudly naming the file and the key, so a broken definition is caught at start-up, not mid-crawl.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.errors import SiteNotConfigured
from crawler.urls import authority, host_of

# Link text that marks a rectification notice in a list (巡视/巡察 … 整改 … 通报/情况); site files may override.
# A "第N轮" round also names an inspection (some titles drop the word 巡视).
DEFAULT_NOTICE_TITLE = (r"(巡视|巡察|第[一二三四五六七八九十\d]{1,3}轮).{0,40}整改.{0,30}(通报|情况|报告)"
                        r"|关于.{0,60}(巡视|巡察).{0,40}整改")
# Look-alike headlines in the same columns: news about notices, meetings, arrivals of teams.
DEFAULT_NOT_NOTICE_TITLE = r"开始公布|陆续公布|集中公布|动员|进驻|反馈会|工作会议|培训"
DEFAULT_NEXT_TEXTS = ("下一页", "下页", ">", "›", "»", "后一页")
# Headlines that announce a batch of notices (Gansu's 集中公布 pages): followed as lists of notices.
DEFAULT_INDEX_TITLE = r"(巡视|巡察).{0,30}(集中公布|开始公布|陆续公布|公布.{0,6}整改)|整改.{0,10}(集中公布|开始公布|陆续公布)"
# Navigation link texts of a rectification column, best first (column discovery from the home page).
DEFAULT_COLUMN_TEXTS = ("巡视整改", "整改通报", "整改情况", "巡视巡察", "巡察整改", "巡视工作", "巡察工作",
                        "巡视", "巡察")
CONFIDENCE_LEVELS = ("H", "M", "L", "G")


@dataclass(frozen=True)
class Pagination:
    """How to reach list page p >= 2.

    Either follow the page's own next link (`next_selector`/`next_texts`), or build the URL from
    `pattern` with placeholders {p} (page number), {p0} (p-1), {rev} (total-p+1, for CMSs that number
    pages backwards), {start}/{end} (record range for record-paged CMSs such as Hanweb).
    """

    pattern: str | None = None
    total_regex: str | None = None
    total_unit: str = "pages"  # or "records": total_regex yields a record count
    per_page: int = 15
    method: str = "GET"
    next_selector: str | None = None
    next_texts: tuple[str, ...] = DEFAULT_NEXT_TEXTS


@dataclass(frozen=True)
class ArticleSelectors:
    title: str | None = None
    date: str | None = None
    source: str | None = None
    body: str | None = None


@dataclass(frozen=True)
class Discovery:
    """How to find the rectification column when the definition gives no list URL (or it stops yielding)."""

    column_texts: tuple[str, ...] = DEFAULT_COLUMN_TEXTS
    max_depth: int = 3  # home page → channel → sub-channel → column


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    list_urls: tuple[str, ...]
    allowed_hosts: frozenset[str]
    confidence: str = "G"
    disabled_reason: str | None = None
    # Notice pages on other hosts (the inspected unit's own portal) linked from this site's lists are
    # fetched too: those pages only, never crawled further.
    follow_offsite_notices: bool = True
    province: str | None = None
    level: str = "province"
    home_url: str | None = None
    enabled: bool = True
    schedule: str = "0 */6 * * *"
    full_schedule: str = "30 3 * * 0"
    rate_limit: float = 1.0  # requests per second per host
    max_pages: int = 30
    item_selector: str | None = None
    notice_title: str = DEFAULT_NOTICE_TITLE
    not_notice_title: str = DEFAULT_NOT_NOTICE_TITLE
    index_title: str = DEFAULT_INDEX_TITLE
    discovery: Discovery = field(default_factory=Discovery)
    pagination: Pagination = field(default_factory=Pagination)
    article: ArticleSelectors = field(default_factory=ArticleSelectors)
    source_file: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def min_interval(self) -> float:
        return 1.0 / self.rate_limit if self.rate_limit > 0 else 0.0

    def allows(self, url: str) -> bool:
        return authority(url) in self.allowed_hosts


REQUIRED = ("id", "name", "confidence")
TOP_LEVEL_KEYS = frozenset({
    "id", "name", "province", "level", "home_url", "list_urls", "allowed_hosts", "enabled", "disabled_reason",
    "confidence", "follow_offsite_notices", "schedule", "full_schedule", "rate_limit", "max_pages", "links",
    "pagination", "article", "discovery"})


def _require(data: dict[str, Any], path: Path) -> None:
    for key in REQUIRED:
        if not data.get(key):
            raise SiteNotConfigured(f"{path}: missing required key {key!r}")
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise SiteNotConfigured(f"{path}: unknown key(s) {', '.join(sorted(unknown))}")
    if not data.get("list_urls") and not data.get("home_url"):
        raise SiteNotConfigured(f"{path}: give list_urls, or home_url to discover the column from")
    if not isinstance(data.get("list_urls", []), list):
        raise SiteNotConfigured(f"{path}: list_urls must be a list of URLs")
    if data["confidence"] not in CONFIDENCE_LEVELS:
        raise SiteNotConfigured(f"{path}: confidence must be one of {', '.join(CONFIDENCE_LEVELS)}")
    if not data.get("enabled", True) and not data.get("disabled_reason"):
        raise SiteNotConfigured(f"{path}: a disabled site must say why (disabled_reason)")


def site_from_dict(data: dict[str, Any], path: Path = Path("<dict>")) -> Site:
    _require(data, path)
    links = data.get("links", {})
    pagination = dict(data.get("pagination", {}))
    if "next_texts" in pagination:
        pagination["next_texts"] = tuple(pagination["next_texts"])
    urls = [*data.get("list_urls", []), *([data["home_url"]] if data.get("home_url") else [])]
    hosts = data.get("allowed_hosts") or sorted({host_of(u) for u in urls})
    discovery = dict(data.get("discovery", {}))
    if "column_texts" in discovery:
        discovery["column_texts"] = tuple(discovery["column_texts"])
    try:
        return Site(
            id=data["id"],
            name=data["name"],
            list_urls=tuple(data.get("list_urls", [])),
            allowed_hosts=frozenset(h.lower() for h in hosts),
            confidence=data["confidence"],
            disabled_reason=data.get("disabled_reason"),
            follow_offsite_notices=bool(data.get("follow_offsite_notices", True)),
            province=data.get("province"),
            level=data.get("level", "province"),
            home_url=data.get("home_url"),
            enabled=bool(data.get("enabled", True)),
            schedule=data.get("schedule", Site.schedule),
            full_schedule=data.get("full_schedule", Site.full_schedule),
            rate_limit=float(data.get("rate_limit", Site.rate_limit)),
            max_pages=int(data.get("max_pages", Site.max_pages)),
            item_selector=links.get("item_selector"),
            notice_title=links.get("notice_title", DEFAULT_NOTICE_TITLE),
            not_notice_title=links.get("not_notice_title", DEFAULT_NOT_NOTICE_TITLE),
            index_title=links.get("index_title", DEFAULT_INDEX_TITLE),
            discovery=Discovery(**discovery),
            pagination=Pagination(**pagination),
            article=ArticleSelectors(**data.get("article", {})),
            source_file=str(path),
            raw=data,
        )
    except TypeError as exc:  # an unknown key inside [pagination] or [article]
        raise SiteNotConfigured(f"{path}: {exc}") from exc


def _definition_files(dirs: Iterable[Path]) -> list[Path]:
    return [p for d in dirs if d.is_dir() for p in sorted(d.glob("*.toml"))]


def load_sites(dirs: Iterable[Path]) -> dict[str, Site]:
    """Every site definition in `dirs`, by id; a later directory may not redefine an id."""
    sites: dict[str, Site] = {}
    for path in _definition_files(dirs):
        with path.open("rb") as fh:
            site = site_from_dict(tomllib.load(fh), path)
        if site.id in sites:
            raise SiteNotConfigured(f"{path}: site id {site.id!r} already defined in {sites[site.id].source_file}")
        sites[site.id] = site
    return sites


def site_for_url(sites: dict[str, Site], url: str) -> Site | None:
    """The site whose allowed hosts include the URL's host."""
    host = host_of(url)
    return next((s for s in sites.values() if host in s.allowed_hosts), None)
