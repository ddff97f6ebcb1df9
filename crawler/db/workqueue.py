"""The durable work queue in PostgreSQL (raw.work_items): runs, items, claims, leases and the sweep.

Redis only carries item ids. An item is claimed under a lease before any work; its result and its
completion are committed in one transaction; a lost message or a dead worker leaves an expired
lease that `sweep` turns back into a queued item (or a dead one, after max_attempts claims).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from crawler.db.connect import fetch_all, fetch_one, q
from crawler.errors import SiteNotConfigured
from crawler.sites import Site
from crawler.urls import url_key

STAGE_OF_KIND = {"list": "crawl", "article": "crawl", "parse": "parse", "store": "store"}

Conn = psycopg.Connection[dict[str, Any]]


@dataclass(frozen=True)
class Followup:
    """A work item to publish to its Celery queue once the transaction that created it committed."""

    kind: str
    item_id: int
    countdown: float = 0.0  # seconds Celery should hold the message (a host's turn not yet due)


def create_run(conn: Conn, site: Site, *, trigger: str, full: bool = False, slot: datetime | None = None,
               request_key: str | None = None, lease: float, max_attempts: int,
               list_pages: bool = True) -> tuple[int, list[Followup]]:
    """Start a crawl of `site` (its first list pages queued). A repeated request key or schedule slot, or
    a crawl of the site already running (the per-site lock), returns that run and nothing to publish."""
    params = {"site_id": site.id, "trigger": trigger, "full_crawl": full, "slot": slot, "request_key": request_key}
    with conn.transaction():
        row = fetch_one(conn, "insert_run", params)
        if row is None:
            return fetch_one(conn, "find_run", params)["run_id"], []
        run_id = row["run_id"]
        followups = [enqueue(conn, run_id, site.id, "list", url, payload=payload, lease=lease,
                             max_attempts=max_attempts) for url, payload in start_items(conn, site) if list_pages]
    return run_id, [f for f in followups if f]


def start_items(conn: Conn, site: Site) -> list[tuple[str, dict[str, Any]]]:
    """Where a crawl of the site begins: its declared list pages, else the column discovered earlier,
    else its home page (to discover the column from)."""
    if site.list_urls:
        return [(url, {"page": 1, "first_url": url}) for url in site.list_urls]
    row = fetch_one(conn, "discovered_column", {"site_id": site.id})
    if row and row["discovered_list_url"]:
        url = row["discovered_list_url"]
        return [(url, {"page": 1, "first_url": url, "discovered": True, "depth": 1})]
    if not site.home_url:
        raise SiteNotConfigured(f"site {site.id} has neither list_urls nor home_url")
    return [(site.home_url, {"role": "home", "page": 1})]


def enqueue(conn: Conn, run_id: int, site_id: str, kind: str, url: str, *, lease: float, max_attempts: int,
            page_id: int | None = None, payload: dict[str, Any] | None = None) -> Followup | None:
    """Add an item (no-op if this run already has the same kind of work for the same URL)."""
    row = fetch_one(conn, "enqueue_item", {
        "run_id": run_id, "site_id": site_id, "kind": kind, "url": url, "url_key": url_key(url),
        "page_id": page_id, "payload": Jsonb(payload or {}), "max_attempts": max_attempts, "lease": lease})
    return Followup(kind, row["item_id"]) if row else None


def claim(conn: Conn, item_id: int, *, lease: float) -> dict[str, Any] | None:
    """Take the item for this worker; None if it is done, failed, or running under a live lease."""
    with conn.transaction():
        return fetch_one(conn, "claim_item", {"item_id": item_id, "lease": lease})


def complete(conn: Conn, item_id: int, outcome: str, extra: dict[str, Any] | None = None) -> bool:
    """Mark the item done; call inside the transaction that wrote its results."""
    row = fetch_one(conn, "complete_item", {"item_id": item_id, "outcome": outcome, "extra": Jsonb(extra or {})})
    return row is not None


def record_failure(conn: Conn, item: dict[str, Any], *, error_class: str, message: str,
                   http_status: int | None = None, final: bool = True) -> None:
    conn.execute(q("insert_failure"), {
        "run_id": item["run_id"], "item_id": item["item_id"], "site_id": item["site_id"],
        "stage": STAGE_OF_KIND[item["kind"]], "url": item["url"], "error_class": error_class,
        "message": message[:2000], "http_status": http_status, "final": final})


def fail(conn: Conn, item: dict[str, Any], *, error_class: str, message: str, retryable: bool,
         retry_delay: float, http_status: int | None = None) -> None:
    """Record a failure; retry later (by the sweep, after `retry_delay`) while attempts remain."""
    again = retryable and item["attempts"] < item["max_attempts"]
    with conn.transaction():
        if again:
            conn.execute(q("retry_item"), {"item_id": item["item_id"], "error_class": error_class,
                                           "error": message[:2000], "delay": retry_delay})
        else:
            fetch_one(conn, "fail_item", {"item_id": item["item_id"], "state": "failed",
                                          "error_class": error_class, "error": message[:2000]})
        record_failure(conn, item, error_class=error_class, message=message, http_status=http_status,
                       final=not again)


def defer(conn: Conn, item: dict[str, Any], *, delay: float, lease: float) -> Followup:
    """Hand an item back to the queue to run in `delay` seconds: waiting for a host's turn is not an
    attempt (the claim is undone) and not a failure. Its lease still covers a lost message."""
    with conn.transaction():
        conn.execute(q("defer_item"), {"item_id": item["item_id"], "delay": delay + lease})
    return Followup(item["kind"], item["item_id"], countdown=delay)


def declare_dead(conn: Conn, item: dict[str, Any]) -> None:
    """An item claimed more than max_attempts times: its worker keeps dying on it (a poison page)."""
    message = (f"claimed {item['attempts'] - 1} times without finishing (last error: "
               f"{item.get('error_class') or 'worker_lost'}: {item.get('error') or 'the worker died'})")
    with conn.transaction():
        fetch_one(conn, "fail_item", {"item_id": item["item_id"], "state": "dead", "error_class": "worker_lost",
                                      "error": message})
        record_failure(conn, item, error_class="worker_lost", message=message)


def sweep(conn: Conn, *, lease: float, limit: int = 1000) -> list[Followup]:
    """Re-queue items whose lease expired (lost message, dead worker) and finish runs that ended."""
    with conn.transaction():
        rows = fetch_all(conn, "sweep_expired", {"lease": lease, "limit": limit})
        for row in rows:
            if row["state"] == "dead":
                record_failure(conn, {**row, "item_id": row["item_id"]}, error_class="worker_lost",
                               message=row["error"] or "lease expired")
    for run in fetch_all(conn, "open_runs"):
        finish_run(conn, run["run_id"])
    return [Followup(r["kind"], r["item_id"]) for r in rows if r["state"] == "queued"]


def finish_run(conn: Conn, run_id: int) -> str | None:
    """Close the run if none of its work is still open; returns its final state, or None if open.

    A cheap indexed EXISTS first: counting the run's items after every item would cost quadratic time."""
    if fetch_one(conn, "run_has_open_items", {"run_id": run_id})["open"]:
        return None
    with conn.transaction():
        row = fetch_one(conn, "finish_run", {"run_id": run_id})
    return row["state"] if row else None
