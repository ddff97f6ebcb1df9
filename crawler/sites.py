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
from crawler.urls import host_of

# Link text that marks a rectification notice in a list (巡视/巡察 … 整改 … 通报/情况); site files may override.
# A "第N轮" round also names an inspection (some titles drop the word 巡视).
DEFAULT_NOTICE_TITLE = (r"(巡视|巡察|第[一二三四五六七八九十\d]{1,3}轮).{0,40}整改.{0,30}(通报|情况|报告)"
                        r"|关于.{0,60}(巡视|巡察).{0,40}整改")
# Look-alike headlines in the same columns: news about notices, meetings, arrivals of teams.
DEFAULT_NOT_NOTICE_TITLE = r"开始公布|陆续公布|集中公布|动员|进驻|反馈会|工作会议|培训"
DEFAULT_NEXT_TEXTS = ("下一页", "下页", ">", "›", "»", "后一页")


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
class Site:
    id: str
    name: str
    list_urls: tuple[str, ...]
    allowed_hosts: frozenset[str]
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
    pagination: Pagination = field(default_factory=Pagination)
    article: ArticleSelectors = field(default_factory=ArticleSelectors)
    source_file: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def min_interval(self) -> float:
        return 1.0 / self.rate_limit if self.rate_limit > 0 else 0.0

    def allows(self, url: str) -> bool:
        return host_of(url) in self.allowed_hosts


REQUIRED = ("id", "name", "list_urls")


def _require(data: dict[str, Any], path: Path) -> None:
    for key in REQUIRED:
        if not data.get(key):
            raise SiteNotConfigured(f"{path}: missing required key {key!r}")
    if not isinstance(data["list_urls"], list):
        raise SiteNotConfigured(f"{path}: list_urls must be a list of URLs")


def site_from_dict(data: dict[str, Any], path: Path = Path("<dict>")) -> Site:
    _require(data, path)
    links = data.get("links", {})
    pagination = dict(data.get("pagination", {}))
    if "next_texts" in pagination:
        pagination["next_texts"] = tuple(pagination["next_texts"])
    hosts = data.get("allowed_hosts") or sorted({host_of(u) for u in data["list_urls"]})
    try:
        return Site(
            id=data["id"],
            name=data["name"],
            list_urls=tuple(data["list_urls"]),
            allowed_hosts=frozenset(h.lower() for h in hosts),
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
