"""The four steps of a crawl as plain functions over one work item each.

    list     fetch a list page → queue its new notice links (article) and the next list page
    article  fetch a notice page (conditional GET) → keep the raw page → queue parse; a known notice whose
             page is gone (404, 410, soft 404) is marked withdrawn, and restored when it answers again
    parse    raw page → notice document → queue store
    store    document → normalised rows

`process_item` claims the item, runs its step and records any failure; it returns the follow-up
items for the caller (a Celery task, or a test) to publish after the transaction committed.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import zlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Any

import psycopg
import redis
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from crawler.db import documents
from crawler.db import workqueue as wq
from crawler.db.connect import fetch_all, fetch_one, q
from crawler.db.heartbeat import Heartbeat
from crawler.db.store import restore_notice, store_notice, withdraw_notice
from crawler.errors import FetchFailed, IngestError
from crawler.settings import Settings
from crawler.sites import Pagination, Site
from crawler.text.parse import is_notice, parse_html, reads_as_list
from crawler.urls import host_of, url_key
from crawler.web.datalist import read_data_list
from crawler.web.discover import ListPage, PageScore, article_links, notice_links, read_list_page, score_page
from crawler.web.encoding import decode_html
from crawler.web.fetch import Fetcher

log = logging.getLogger(__name__)

# How a page says it was taken down: gone for good (410), not found (404), or a "page not found" page
# served with 200 (soft 404, crawler/web/anomalies.py).
GONE = frozenset({"http_404", "http_410", "soft_404"})


@dataclass
class Context:
    settings: Settings
    sites: dict[str, Site]
    fetcher: Fetcher
    pool: ConnectionPool
    heartbeat: Heartbeat | None = None  # renews the leases of the items this process runs

    def enqueue(self, conn: wq.Conn, item: dict[str, Any], kind: str, url: str, **kw: Any) -> wq.Followup | None:
        return wq.enqueue(conn, item["run_id"], item["site_id"], kind, url, lease=self.settings.queue_lease_seconds,
                          max_attempts=self.settings.max_attempts, **kw)


def process_item(ctx: Context, item_id: int) -> list[wq.Followup]:
    """Run one work item to its end (done, retry later, failed or dead)."""
    with ctx.pool.connection() as conn:
        item = wq.claim(conn, item_id, lease=ctx.settings.lease_seconds)
        if item is None:
            return []  # already done, or running elsewhere under a live lease: a duplicate message
        if _dead_on_claim(conn, item):
            return []
    with ctx.heartbeat.holding(item) if ctx.heartbeat else contextlib.nullcontext():
        return _run_step(ctx, item)


@dataclass(frozen=True)
class HostTurn:
    """One turn of a host's chain (crawler/web/turns.py): what to publish, and when the next turn is due
    (None when the host has nothing queued within `horizon`: the chain ends)."""

    followups: list[wq.Followup]
    next_in: float | None


def process_host_turn(ctx: Context, host: str, *, horizon: float = 60.0) -> HostTurn:
    """Claim the host's next due crawl item and run it to its end; the next turn is due when the host's
    gap (or a back-off it asked for) has passed, and no earlier than an item handed back asks. With
    nothing due now, the next turn is when the next item falls due (an item handed back, a retry), if
    that is within `horizon` seconds; later work is the sweep's to start."""
    with ctx.pool.connection() as conn:
        item = wq.claim_next_of_host(conn, host, lease=ctx.settings.lease_seconds)
        if item is None:
            due_in = wq.host_next_due(conn, host)
            return HostTurn([], due_in if due_in is not None and due_in <= horizon else None)
        if _dead_on_claim(conn, item):
            return HostTurn([], 0.0)
    with ctx.heartbeat.holding(item) if ctx.heartbeat else contextlib.nullcontext():
        followups = _run_step(ctx, item)
    handed_back = [f.countdown for f in followups if f.item_id == item["item_id"]]
    return HostTurn(followups, max([ctx.fetcher.free_in(host), *handed_back]))


def _dead_on_claim(conn: wq.Conn, item: dict[str, Any]) -> bool:
    """A claim past max_attempts: its worker keeps dying on it (a poison page): declare it dead, not run it."""
    if item["attempts"] <= item["max_attempts"]:
        return False
    wq.declare_dead(conn, item)
    wq.finish_run(conn, item["run_id"])
    return True


def _run_step(ctx: Context, item: dict[str, Any]) -> list[wq.Followup]:
    item_id = item["item_id"]
    try:
        followups = STEPS[item["kind"]](ctx, item)
    except wq.LeaseLost as exc:  # another process holds the item now and does the work: record nothing
        log.warning("%s", exc)
        return []
    except IngestError as exc:
        if exc.error_class == "host_backoff" and (getattr(exc, "retry_after", None) or 0) <= ctx.settings.max_retry_after:
            with ctx.pool.connection() as conn:  # the host's turn is not due yet: come back then
                return [wq.defer(conn, item, delay=max(0.05, exc.retry_after or 0.2),
                                 lease=ctx.settings.queue_lease_seconds)]
        followups = []
        _record(ctx, item, exc.error_class, str(exc), exc.retryable, exc.http_status,
                getattr(exc, "retry_after", None))
    except psycopg.OperationalError:
        raise  # the database itself is unreachable: nothing can be recorded; the lease brings it back
    except redis.RedisError as exc:  # Redis (politeness, robots cache) away for a moment: try again later
        followups = []
        _record(ctx, item, "redis_unavailable", f"{type(exc).__name__}: {exc}", True, None)
    except Exception as exc:  # a bug or a pathological page: record it, never crash the worker
        log.exception("work item %s failed", item_id)
        followups = []
        # Celery's SoftTimeLimitExceeded, named rather than imported: crawler/ does not depend on Celery.
        # Over time in a fetch step is worth another attempt (the network or the database was slow);
        # a parse over time is a pathological page and is not retried.
        timed_out = type(exc).__name__ == "SoftTimeLimitExceeded"
        _record(ctx, item, "time_limit" if timed_out else "internal_error", f"{type(exc).__name__}: {exc}",
                timed_out and item["kind"] in ("list", "article"), None)
    if not followups:  # a follow-up just queued keeps the run open: closing it is for the last item's step
        with ctx.pool.connection() as conn:
            wq.finish_run(conn, item["run_id"])
    return followups


def _record(ctx: Context, item: dict[str, Any], error_class: str, message: str, retryable: bool,
            http_status: int | None, retry_after: float | None = None) -> None:
    """Record the failure; a retry waits the back-off, or longer if the server asked (Retry-After)."""
    delay = max(ctx.settings.backoff_base * (4 ** item["attempts"]), retry_after or 0.0)
    with ctx.pool.connection() as conn:
        wq.fail(conn, item, error_class=error_class, message=message, retryable=retryable, retry_delay=delay,
                http_status=http_status)


def _site(ctx: Context, item: dict[str, Any]) -> Site:
    try:
        return ctx.sites[item["site_id"]]
    except KeyError:
        raise IngestError(f"no site definition for {item['site_id']!r}", error_class="site_not_configured") from None


# -- list ------------------------------------------------------------------------------------------
#
# A list item plays one of four roles (payload "role"): "home" (the home page, where column discovery
# starts), "list" (a column page: notices, batch pages, next page; while discovering, also a candidate
# that is judged by what it holds and may lead further down), "data" (a data endpoint a shell page's
# script calls for its list) and "index" (a page announcing a batch of notices, whose links may be bare
# unit names).

def step_list(ctx: Context, item: dict[str, Any]) -> list[wq.Followup]:
    site = _site(ctx, item)
    payload = item["payload"]
    role = payload.get("role", "list")
    page = int(payload.get("page", 1))
    method = payload.get("method") or (site.pagination.method if role == "list" and page > 1 else "GET")
    try:
        response = ctx.fetcher.fetch(item["url"], site, method=method)
    except IngestError as exc:
        if payload.get("probe") and not exc.retryable:
            return _not_a_column(ctx, item, site, f"{exc.error_class}: {exc}")
        if payload.get("discovered") and role == "list" and page == 1 and not exc.retryable and site.home_url:
            return _column_gone(ctx, item, site, f"{exc.error_class}: {exc}")
        raise
    html, _ = decode_html(response.body, response.headers.get("content-type"))
    if role == "home":
        return _step_home(ctx, item, site, html, response.final_url)
    if role == "index":
        return _step_index(ctx, item, site, html, response.final_url)
    if role == "data":
        return _step_data(ctx, item, site, html, response.final_url)
    return _step_column(ctx, item, site, html, response.final_url)


def _step_home(ctx: Context, item: dict[str, Any], site: Site, html: str, url: str) -> list[wq.Followup]:
    """Every navigation link that may lead to the column (menus, drop-downs, footers, banners, frames) is
    a candidate; each is judged by what it holds (`_explore`)."""
    score = score_page(html, url, site, home=True)
    if not score.sub_columns and not score.frames and not score.endpoints:
        raise IngestError(f"no navigation link on {url} reads like a rectification column or a channel that "
                          f"may hold it ({', '.join(site.discovery.column_texts[:4])} …)",
                          error_class="column_not_found")
    with ctx.pool.connection() as conn, conn.transaction():
        _trace(conn, item, site, score.trace(0), eligible=False)
        followups = _probes(ctx, conn, item, site, score, depth=0)
        wq.complete(conn, item, "listed", {"candidates": len(followups)})
    return [f for f in followups if f]


def _probes(ctx: Context, conn: wq.Conn, item: dict[str, Any], site: Site, score: PageScore,
            depth: int) -> list[wq.Followup | None]:
    """Candidates one level further down: sub-columns, frames (as lists) and data endpoints."""
    out = [ctx.enqueue(conn, item, "list", u, payload={
        "page": 1, "first_url": u, "discovered": True, "probe": True, "depth": depth + 1, "rank": rank})
        for rank, u in score.sub_columns]
    out += [ctx.enqueue(conn, item, "list", u, payload={
        "page": 1, "first_url": u, "discovered": True, "probe": True, "depth": depth + 1, "rank": 0})
        for u in score.frames]
    out += [ctx.enqueue(conn, item, "list", u, payload={
        "role": "data", "page": 1, "first_url": u, "discovered": True, "probe": True, "depth": depth + 1})
        for u in score.endpoints]
    return out


def _step_column(ctx: Context, item: dict[str, Any], site: Site, html: str, url: str) -> list[wq.Followup]:
    payload = item["payload"]
    page = int(payload.get("page", 1))
    first_url = payload.get("first_url", item["url"])
    carried = Pagination(**payload["pagination"]) if payload.get("pagination") else None
    listing = read_list_page(html, url, site, first_url=first_url, page=page, total=payload.get("total"),
                             reached_by_link=bool(payload.get("by_link")), pagination=carried)
    pagination = listing.pagination or carried
    full = _run_is_full(ctx, item)
    followups: list[wq.Followup | None] = []
    with ctx.pool.connection() as conn, conn.transaction():
        new = _new_links(conn, listing.notice_links, full)
        followups += _enqueue_articles(ctx, conn, item, site, new)
        followups += [ctx.enqueue(conn, item, "list", u, payload={"role": "index", "title": t})
                      for u, t in listing.index_links]
        # Incremental crawls stop paging once a page shows only notices we already have.
        stopped = bool(listing.next_url and not (full or new or not listing.notice_links))
        if listing.next_url and not stopped:
            followups.append(ctx.enqueue(conn, item, "list", listing.next_url, payload={
                **{k: v for k, v in payload.items() if k in ("discovered", "depth")},
                "page": page + 1, "first_url": first_url, "total": listing.total_pages,
                "by_link": listing.next_by_link,
                **({"pagination": asdict(pagination), "method": pagination.method} if pagination else {})}))
        if payload.get("discovered") and page == 1:
            followups += _explore(ctx, conn, item, site, html, url, listing)
        wq.complete(conn, item, "listed", {
            "links": len(listing.notice_links), "new": len(new), "index": len(listing.index_links),
            "announced": listing.total_pages, "capped": bool(page >= site.max_pages and listing.notice_links),
            "stopped": stopped})
    return [f for f in followups if f]


def _step_data(ctx: Context, item: dict[str, Any], site: Site, body: str, url: str) -> list[wq.Followup]:
    """A data endpoint's rows: notice links and the next page, as a list page gives them."""
    payload = item["payload"]
    page, first_url = int(payload.get("page", 1)), payload.get("first_url", item["url"])
    data = read_data_list(body, url, page, first_url)
    if data is None:
        return _not_a_column(ctx, item, site, "the endpoint answered no list of titled links")
    pattern, excluded = re.compile(site.notice_title), re.compile(site.not_notice_title)
    links = [(u, t) for u, t in data.links if pattern.search(t) and not excluded.search(t)]
    full = _run_is_full(ctx, item)
    with ctx.pool.connection() as conn, conn.transaction():
        new = _new_links(conn, links, full)
        followups = _enqueue_articles(ctx, conn, item, site, new)
        if data.next_url and (full or new or not links):
            followups.append(ctx.enqueue(conn, item, "list", data.next_url, payload={
                "role": "data", "page": page + 1, "first_url": first_url, "discovered": True}))
        if page == 1:
            _trace(conn, item, site, {"url": url, "depth": payload.get("depth", 1), "notices": len(links),
                                      "score": float(3 * len(links) + (5 if data.total_pages else 0)),
                                      "reason": f"data endpoint: {len(data.links)} rows, {len(links)} notice links"
                                                f"{f', {data.total_pages} pages' if data.total_pages else ''}"})
        wq.complete(conn, item, "listed", {"links": len(links), "new": len(new),
                                                      "announced": data.total_pages})
    return [f for f in followups if f]


def _step_index(ctx: Context, item: dict[str, Any], site: Site, html: str, url: str) -> list[wq.Followup]:
    links = {u: t for u, t in [*article_links(html, url), *notice_links(html, url, site)]}
    full = _run_is_full(ctx, item)
    with ctx.pool.connection() as conn, conn.transaction():
        new = _new_links(conn, list(links.items()), full)
        followups = _enqueue_articles(ctx, conn, item, site, new)
        wq.complete(conn, item, "listed", {"links": len(links), "new": len(new)})
    return [f for f in followups if f]


def _new_links(conn: wq.Conn, links: list[tuple[str, str]], full: bool) -> list[tuple[str, str]]:
    return [(u, t) for u, t in links if full or not fetch_one(conn, "page_known", {"url_key": url_key(u)})]


def _enqueue_articles(ctx: Context, conn: wq.Conn, item: dict[str, Any], site: Site,
                      links: list[tuple[str, str]]) -> list[wq.Followup | None]:
    """Notice pages on the site, and (if the site allows) on the inspected units' own portals."""
    out = []
    for url, title in links:
        offsite = not site.allows(url)
        if offsite and not site.follow_offsite_notices:
            continue
        out.append(ctx.enqueue(conn, item, "article", url, payload={"list_title": title, "offsite": offsite}))
    return out


def _explore(ctx: Context, conn: wq.Conn, item: dict[str, Any], site: Site, html: str, url: str,
             listing: ListPage) -> list[wq.Followup | None]:
    """Column discovery on a candidate page: judge it by what it holds (the trace keeps why), remember
    the best page of the run that lists notices, and look further down from a page that is no full column
    (a channel of sub-columns, a box of headlines). A remembered column that yields nothing is forgotten,
    so the next run discovers again."""
    payload = item["payload"]
    depth = int(payload.get("depth", 1))
    score = score_page(html, url, site, listing)
    _trace(conn, item, site, score.trace(depth))
    if score.script_list and int(payload.get("rank", 99)) < len(site.discovery.column_texts):
        # named like the column, but its list is drawn by script from data we cannot find: say so
        wq.record_failure(conn, item, error_class="script_only_list", message=(
            f"{url} is named like the column but its list is filled in by script from data the page does not "
            "name readably; declare the endpoint (or list_urls) in the site file"))
    if not payload.get("probe") and not score.is_column:  # the remembered column: forget it, look from it
        conn.execute(q("forget_column"), {"site_id": site.id, "url": payload["first_url"]})
    if depth >= site.discovery.max_depth or score.is_strong:
        return []
    return _probes(ctx, conn, item, site, score, depth)


def _trace(conn: wq.Conn, item: dict[str, Any], site: Site, candidate: dict[str, Any], eligible: bool = True) -> None:
    """Add a candidate to the run's discovery trace (sites.discovery_trace) and remember the best page
    that lists notices as the site's column."""
    candidate = {**candidate, "eligible": eligible}
    conn.execute(q("trace_candidate"), {"site_id": site.id, "run_id": item["run_id"], "candidate": Jsonb(candidate)})
    conn.execute(q("choose_column"), {"site_id": site.id})


def _column_gone(ctx: Context, item: dict[str, Any], site: Site, why: str) -> list[wq.Followup]:
    """The remembered column is gone (moved, renamed): forget it and discover again from the home page."""
    with ctx.pool.connection() as conn, conn.transaction():
        conn.execute(q("forget_column"), {"site_id": site.id, "url": item["url"]})
        _trace(conn, item, site, {"url": item["url"], "depth": 1, "score": 0.0, "notices": 0,
                                  "reason": f"the remembered column is gone ({why[:200]}): discovering again"})
        followup = ctx.enqueue(conn, item, "list", site.home_url, payload={"role": "home", "page": 1})  # type: ignore[arg-type]
        wq.complete(conn, item, "column_gone", {"why": why[:300]})
    return [followup] if followup else []


def _not_a_column(ctx: Context, item: dict[str, Any], site: Site, why: str) -> list[wq.Followup]:
    """A candidate that cannot be read (gone, not HTML, no list) is a dead end of discovery, not a failure
    of the site: it goes into the trace."""
    with ctx.pool.connection() as conn, conn.transaction():
        _trace(conn, item, site, {"url": item["url"], "depth": item["payload"].get("depth", 1), "score": 0.0,
                                  "notices": 0, "reason": why})
        wq.complete(conn, item, "not_a_column", {"why": why[:300]})
    return []


def _run_is_full(ctx: Context, item: dict[str, Any]) -> bool:
    if item.get("run_full") is not None:  # read with the claim
        return bool(item["run_full"])
    run_id = item["run_id"]
    with ctx.pool.connection() as conn:
        return bool(fetch_one(conn, "get_run", {"run_id": run_id})["full_crawl"])


# -- article ---------------------------------------------------------------------------------------

def step_article(ctx: Context, item: dict[str, Any]) -> list[wq.Followup]:
    site = _site(ctx, item)
    key = url_key(item["url"])
    # The host's holder read the latest page with its claim; a claim by item id did not.
    last = item["last_page"] if "last_page" in item else _latest_page(ctx, key)
    extra = frozenset({host_of(item["url"])}) if item["payload"].get("offsite") else frozenset()
    try:
        response = ctx.fetcher.fetch(item["url"], site, etag=last and last["etag"],
                                     last_modified=last and last["last_modified"], extra_hosts=extra)
    except FetchFailed as exc:
        if exc.error_class in GONE and _taken_down(ctx, item, exc):
            return []
        raise  # a page never stored as a notice that is missing is a failure, as before
    with ctx.pool.connection() as conn, conn.transaction():
        if response.not_modified and last:
            conn.execute(q("touch_page"), {"page_id": last["page_id"]})
            restored = restore_notice(conn, url=item["url"], page_id=last["page_id"], http_status=response.status,
                                      answer="online again: HTTP 304 Not Modified, the page as it was", same_page=True)
            wq.complete(conn, item, "restored" if restored else "not_modified")
            return []
        sha = hashlib.sha256(response.body).hexdigest()
        if last and last["body_sha256"] == sha and fetch_one(conn, "notice_for_page", {"url_key": key, "page_id": last["page_id"]}):
            restored = restore_notice(conn, url=item["url"], page_id=last["page_id"], http_status=response.status,
                                      answer=f"online again: HTTP {response.status}, the same page", same_page=True)
            wq.complete(conn, item, "restored" if restored else "unchanged")
            return []
        page_id = _save_page(conn, item, response, sha)
        followup = ctx.enqueue(conn, item, "parse", item["url"], page_id=page_id,
                               payload={"list_title": item["payload"].get("list_title")})
        wq.complete(conn, item, "fetched", {"page_id": page_id})
    return [followup] if followup else []


def _latest_page(ctx: Context, key: str) -> dict[str, Any] | None:
    with ctx.pool.connection() as conn:
        return fetch_one(conn, "latest_page", {"url_key": key})


def _taken_down(ctx: Context, item: dict[str, Any], exc: FetchFailed) -> bool:
    """A known notice's page is gone: mark it withdrawn (once) and end the item as done, not failed; a
    takedown is news about the notice, not a failure of the crawl. False when no notice has this URL."""
    status = exc.http_status  # 404 or 410; 200 for a soft 404
    answer = (f"soft 404: HTTP {status} with a page saying the page does not exist" if exc.error_class == "soft_404"
              else f"HTTP {status} {HTTPStatus(status).phrase}")
    with ctx.pool.connection() as conn, conn.transaction():
        marked = withdraw_notice(conn, url=item["url"], http_status=status, answer=answer)
        if marked is None:
            return False
        wq.complete(conn, item, "withdrawn" if marked else "gone",
                    {"error_class": exc.error_class, "http_status": status})
    return True


def _save_page(conn: wq.Conn, item: dict[str, Any], response: Any, sha: str) -> int:
    _, encoding = decode_html(response.body, response.headers.get("content-type"))
    row = fetch_one(conn, "insert_page", {
        "site_id": item["site_id"], "url_key": url_key(item["url"]), "url": item["url"],
        "final_url": response.final_url, "http_status": response.status, "headers": Jsonb(response.headers),
        "etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified"),
        "encoding": encoding, "body_sha256": sha, "body_size": len(response.body),
        "body_zlib": zlib.compress(response.body, 6)})
    return row["page_id"]


# -- parse -----------------------------------------------------------------------------------------

def step_parse(ctx: Context, item: dict[str, Any]) -> list[wq.Followup]:
    site = ctx.sites.get(item["site_id"])
    with ctx.pool.connection() as conn:
        page = fetch_one(conn, "get_page", {"page_id": item["page_id"]})
    doc = _parse_page(ctx, item, page)
    with ctx.pool.connection() as conn, conn.transaction():
        if not is_notice(doc["record"], doc["body_text"]):
            link = item["payload"].get("list_title") or ""
            if site and link and re.search(site.notice_title, link):  # no notice-like link is dropped silently
                wq.record_failure(conn, item, error_class="not_a_notice", message=(
                    f"the link {link!r} led to a page that does not read as a notice"
                    f"{' (a list)' if reads_as_list(doc['body_text']) else ''}"))
            wq.complete(conn, item, "not_notice", {"title": doc["record"].get("title")})
            return []
        # The store item carries ids; its document waits in raw.documents under its id (same transaction).
        followup = ctx.enqueue(conn, item, "store", item["url"], page_id=item["page_id"])
        if followup:
            documents.save(conn, followup.item_id, doc)
        wq.complete(conn, item, "parsed")
    return [followup] if followup else []


def _parse_page(ctx: Context, item: dict[str, Any], page: dict[str, Any]) -> dict[str, Any]:
    """The notice document of a stored raw page (pure: no database)."""
    site = ctx.sites.get(item["site_id"])
    body = zlib.decompress(page["body_zlib"])
    html, _ = decode_html(body, page["headers"].get("content-type"))
    # Site selectors describe the site's own pages, not the portals it links to.
    selectors = site.article if site and site.allows(item["url"]) else None
    return parse_html(html, selectors)


# -- store -----------------------------------------------------------------------------------------

def step_store(ctx: Context, item: dict[str, Any]) -> list[wq.Followup]:
    with ctx.pool.connection() as conn, conn.transaction():
        # In a crawl the page was fetched just now and parsed as a notice: a withdrawn notice is back. A
        # reparse only reads stored pages and says nothing about the site.
        if fetch_one(conn, "get_run", {"run_id": item["run_id"]})["trigger"] != "reparse":
            restore_notice(conn, url=item["url"], page_id=item["page_id"], http_status=None,
                           answer="online again: the page answers with the notice")
        outcome = store_notice(conn, site_id=item["site_id"], url=item["url"], page_id=item["page_id"],
                               doc=_document(ctx, conn, item))
        wq.complete(conn, item, outcome)
    return []


def _document(ctx: Context, conn: wq.Conn, item: dict[str, Any]) -> dict[str, Any]:
    """The store item's document, taken from raw.documents (deleted when the store commits). A store item
    queued before documents were passed by id carries it in its payload; one whose document is gone
    (deleted by hand) gets its page parsed again, which gives the same document."""
    doc = documents.take(conn, item["item_id"]) or item["payload"].get("doc")
    if doc is None:
        log.warning("store item %s has no document: parsing page %s again", item["item_id"], item["page_id"])
        doc = _parse_page(ctx, item, fetch_one(conn, "get_page", {"page_id": item["page_id"]}))
    return doc


STEPS: dict[str, Callable[[Context, dict[str, Any]], list[wq.Followup]]] = {
    "list": step_list, "article": step_article, "parse": step_parse, "store": step_store}


def queue_reparse(ctx: Context, conn: wq.Conn, site_ids: list[str]) -> list[tuple[int, list[wq.Followup]]]:
    """`rectify reparse`: one run per site whose latest raw pages are parsed (and stored) again."""
    results = []
    for site_id in site_ids:
        # The run and its items in one transaction: a sweep never sees (and closes) the run without them.
        with conn.transaction():
            run_id, _ = wq.create_run(conn, ctx.sites[site_id], trigger="reparse", lease=ctx.settings.queue_lease_seconds,
                                      max_attempts=ctx.settings.max_attempts, list_pages=False)
            item = {"run_id": run_id, "site_id": site_id}
            followups = [ctx.enqueue(conn, item, "parse", p["url"], page_id=p["page_id"])
                         for p in fetch_all(conn, "latest_pages_of_site", {"site_id": site_id})]
        results.append((run_id, [f for f in followups if f]))
    return results
