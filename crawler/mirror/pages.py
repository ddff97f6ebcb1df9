"""Shared building blocks of the mirror: pages, responses, articles and the Site base class."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
HTML_UTF8 = "text/html; charset=utf-8"
ALLOW_ALL_ROBOTS = "User-agent: *\nAllow: /\n"
EPOCH_2020 = datetime(2020, 1, 1, tzinfo=UTC)


def esc(text: str) -> str:
    """HTML-escape text for element content and double-quoted attributes."""
    return html.escape(text, quote=True)


def paragraphs(lines: Iterable[str]) -> str:
    """One <p> per line; the text inside is the escaped line, unchanged otherwise."""
    return "".join(f"<p>{esc(line)}</p>\n" for line in lines)


def text_lines(text: str) -> list[str]:
    """Split replacement text into the non-blank lines a notice body is made of."""
    return [line for line in text.splitlines() if line.strip()]


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


@dataclass(frozen=True)
class Page:
    """A stored response body. ``last_modified`` is timezone-aware."""

    body: bytes
    content_type: str = HTML_UTF8
    last_modified: datetime = EPOCH_2020
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def etag(self) -> str:
        return strong_etag(self.body)


@dataclass
class Response:
    """What a dynamic route answers. A non-bytes ``body`` is streamed chunked, without Content-Length.

    ``delay`` seconds pass before anything is sent (the server waits interruptibly).
    ``conditional`` enables ETag/Last-Modified handling for bytes bodies.
    """

    status: int
    body: bytes | Iterable[bytes] = b""
    content_type: str | None = HTML_UTF8
    headers: list[tuple[str, str]] = field(default_factory=list)
    last_modified: datetime | None = None
    delay: float = 0.0
    conditional: bool = True

    @classmethod
    def from_page(cls, page: Page) -> Response:
        return cls(page.status, page.body, page.content_type, list(page.headers), page.last_modified)


def html_response(status: int, title: str) -> Response:
    body = f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(title)}</title></head><body><h1>{esc(title)}</h1></body></html>'
    return Response(status, body.encode("utf-8"), conditional=False)


@dataclass
class Article:
    """One article of a column: a corpus notice (``corpus_id`` set), a synthetic notice (``expected``
    set: the spec values it was generated from, see ``synthetic.py``) or filler news (neither).

    ``published`` is Beijing wall-clock time as shown on the page. ``listed`` False keeps an
    article off the column's list pages (it is reached another way, e.g. Gansu's 集中公布 page).
    ``extra`` holds layout-specific data (e.g. the unit links of a 集中公布 page).
    """

    title: str
    lines: list[str]
    published: datetime
    corpus_id: str | None = None
    article_id: int = 0
    path: str = ""
    modified: datetime | None = None
    expected: dict[str, Any] | None = None
    synthetic_id: str | None = None
    listed: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_notice(self) -> bool:
        return self.corpus_id is not None or self.expected is not None

    @property
    def last_modified(self) -> datetime:
        return self.modified or self.published.replace(tzinfo=BEIJING)


class Site:
    """A virtual host whose column lists ``articles`` newest first.

    Subclasses give the URL scheme (``article_path``), templates (``render_article``,
    ``render_lists``) and any dynamic routes (``dynamic``).
    """

    host: str = ""
    scheme: str = "https"
    site_hint: str = ""  # the crawler's site id this host belongs to (liaoning, ccdi, gansu …)
    site_name: str = ""
    column_name: str = "巡视巡察"
    list_path: str = "/"
    robots: str = ALLOW_ALL_ROBOTS
    id_base: int = 1
    id_step: int = 1

    def __init__(self, articles: Iterable[Article]) -> None:
        self.articles: list[Article] = []
        for article in sorted(articles, key=lambda a: a.published):
            self._assign(article)

    # -- URL scheme -------------------------------------------------------------------------
    def article_path(self, article: Article) -> str:
        raise NotImplementedError

    def absolute_url(self, path: str) -> str:
        return f"{self.scheme}://{self.host}{path}"

    def _assign(self, article: Article) -> Article:
        """Give an article the next id (ids grow with publication order, as CMS ids do)."""
        last = max((a.article_id for a in self.articles), default=self.id_base - self.id_step)
        article.article_id = last + self.id_step
        article.path = self.article_path(article)
        self.articles.append(article)
        return article

    def newest_first(self) -> list[Article]:
        return sorted(self.articles, key=lambda a: (a.published, a.article_id), reverse=True)

    def listed_newest_first(self) -> list[Article]:
        """The articles the column's list pages show, newest first."""
        return [a for a in self.newest_first() if a.listed]

    def find(self, path: str) -> Article:
        for article in self.articles:
            if article.path == path:
                return article
        raise KeyError(f"{self.host}{path} is not an article")

    # -- rendering ---------------------------------------------------------------------------
    def render_article(self, article: Article) -> str:
        raise NotImplementedError

    def render_lists(self) -> dict[str, str]:
        """Path -> HTML for every list page of the column."""
        raise NotImplementedError

    # Nav bar of the home page: (text, href). The column link sits among decoys, as on the real
    # sites, so a crawler discovering the column from link text must pick the right one. The decoy
    # targets are not served (404), except where a subclass says otherwise.
    home_nav: tuple[tuple[str, str], ...] = ()

    def nav_links(self) -> list[tuple[str, str]]:
        return list(self.home_nav) or [
            ("首页", "/"),
            ("要闻动态", "/ywdt/"),
            ("审查调查", "/scdc/"),
            ("党纪法规", "/djfg/"),
            (self.column_name, self.list_path),
            ("宣传教育", "/xcjy/"),
            ("信访举报", "/xfjb/"),
        ]

    def render_home(self) -> str:
        nav = "".join(f'<li><a href="{esc(href)}">{esc(text)}</a></li>' for text, href in self.nav_links())
        return (
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{esc(self.site_name)}</title></head><body>'
            f'<div class="header"><a href="/">{esc(self.site_name)}</a></div>'
            f'<div class="nav"><ul>{nav}</ul></div>'
            "</body></html>"
        )

    def article_page(self, article: Article) -> Page:
        return Page(self.render_article(article).encode("utf-8"), last_modified=article.last_modified)

    def list_pages(self) -> dict[str, Page]:
        # Any new article can shift every list page, so all of them carry the newest date.
        newest = max((a.last_modified for a in self.articles if a.listed), default=EPOCH_2020)
        return {
            path: Page(body.encode("utf-8"), last_modified=newest)
            for path, body in self.render_lists().items()
        }

    def pages(self) -> dict[str, Page]:
        pages = {
            "/": Page(self.render_home().encode("utf-8")),
            "/robots.txt": Page(self.robots.encode("ascii"), "text/plain; charset=utf-8"),
        }
        pages.update(self.list_pages())
        pages.update({a.path: self.article_page(a) for a in self.articles})
        return pages

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        """Answer routes that are computed per request; None when ``path`` is not one."""
        return None

    # -- run-time changes --------------------------------------------------------------------
    def edit(self, path: str, new_text: str, title: str | None = None) -> dict[str, Page]:
        """Replace an article's body (and optionally its title); returns the pages that changed."""
        article = self.find(path)
        retitled = title is not None and title != article.title
        article.lines = text_lines(new_text)
        article.title = title or article.title
        article.modified = datetime.now(UTC)
        # Only a new title shows on the list pages; a body edit leaves them byte-identical.
        return {path: self.article_page(article), **(self.list_pages() if retitled else {})}

    def add(self, article: Article) -> tuple[Article, dict[str, Page]]:
        """Publish a new article; returns it (with its path) and the pages that changed."""
        self._assign(article)
        return article, {article.path: self.article_page(article), **self.list_pages()}
