"""The durable work queue in PostgreSQL (raw.work_items): runs, items, claims, leases and the sweep.

Redis only carries item ids. An item is claimed under a lease before any work; its result and its
completion are committed in one transaction; a lost message or a dead worker leaves an expired
lease that `sweep` turns back into a queued item (or a dead one, after max_attempts claims).

A claim records its holder: the worker's name and the process (pid and start time). The running
process renews the lease (crawler/db/heartbeat.py), so the lease can be short. A process of the same
worker that finds the holder gone (a killed pool child) takes the item over at once, and a restarted
worker releases what its dead incarnation held (`release_lost`). Completion is fenced on the claim:
a holder that lost its item cannot complete it (its transaction rolls back).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from crawler.db.connect import fetch_all, fetch_one, q
from crawler.errors import SiteNotConfigured
from crawler.sites import Site
from crawler.urls import host_of, url_key

STAGE_OF_KIND = {"list": "crawl", "article": "crawl", "parse": "parse", "store": "store"}

Conn = psycopg.Connection[dict[str, Any]]


class LeaseLost(Exception):
    """The item was taken from this holder (its lease expired, or it was released as lost): the
    step's results must not be committed; whoever holds the item now does the work."""


def process_identity(pid: int | None = None) -> str | None:
    """pid:start time of a live process (start in clock ticks since boot, from /proc), so a pid reused by
    another process does not pass for the holder; None if there is no such process."""
    pid = os.getpid() if pid is None else pid
    try:
        stat = open(f"/proc/{pid}/stat", encoding="ascii", errors="replace").read()  # noqa: SIM115
    except FileNotFoundError:
        return None
    except OSError:  # no /proc (not Linux): the pid alone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return f"{pid}:0"
    fields = stat[stat.rindex(")") + 2:].split()
    if fields[0] in ("Z", "X"):  # a zombie (killed, not yet reaped) is no holder
        return None
    return f"{pid}:{fields[19]}"


def process_alive(identity: str | None) -> bool:
    if not identity:
        return False
    pid = int(identity.split(":", 1)[0])
    return process_identity(pid) == identity


@dataclass(frozen=True)
class Holder:
    """Who claims: the worker's name (a Celery node name like rectify@host, stable across restarts) and
    this process."""

    name: str
    process: str

    @classmethod
    def current(cls) -> Holder:
        name = os.environ.get("RECTIFY_WORKER_NAME") or f"local@{socket.gethostname()}"
        return cls(name, process_identity() or f"{os.getpid()}:0")


@dataclass(frozen=True)
class Followup:
    """A work item to publish to its Celery queue once the transaction that created it committed."""

    kind: str
    item_id: int
    countdown: float = 0.0  # seconds Celery should hold the message (a host's turn not yet due)
    host: str = ""  # of a list or article item: its host's holder fetches it (crawler/web/turns.py)


def followup(row: dict[str, Any], countdown: float = 0.0) -> Followup:
    return Followup(row["kind"], row["item_id"], countdown, row.get("host") or "")


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
    host = host_of(url) if STAGE_OF_KIND[kind] == "crawl" else None
    row = fetch_one(conn, "enqueue_item", {
        "run_id": run_id, "site_id": site_id, "kind": kind, "url": url, "url_key": url_key(url), "host": host,
        "page_id": page_id, "payload": Jsonb(payload or {}), "max_attempts": max_attempts, "lease": lease})
    return Followup(kind, row["item_id"], host=host or "") if row else None


def claim(conn: Conn, item_id: int, *, lease: float, holder: Holder | None = None) -> dict[str, Any] | None:
    """Take the item for this worker; None if it is done, failed, or running under a live lease held by
    a live process. Running under a live lease but held by a dead process of this same worker (a pool
    child killed mid-step, its message redelivered): taken over at once, as a new attempt."""
    holder = holder or Holder.current()
    params = {"item_id": item_id, "lease": lease, "held_by": holder.name, "held_process": holder.process}
    with conn.transaction():
        row = fetch_one(conn, "claim_item", params)
        if row is not None:
            return row
        held = fetch_one(conn, "item_holder", {"item_id": item_id})
        if (held and held["state"] == "running" and held["held_by"] == holder.name
                and held["held_process"] != holder.process and not process_alive(held["held_process"])):
            return fetch_one(conn, "take_over_item", {**params, "dead_process": held["held_process"]})
        return None


def claim_next_of_host(conn: Conn, host: str, *, lease: float, holder: Holder | None = None) -> dict[str, Any] | None:
    """Take the host's next due crawl item (None when none is due), with the latest page kept for its URL
    (`last_page`) and whether its run is a full crawl (`run_full`). Only the host's holder calls this."""
    holder = holder or Holder.current()
    return fetch_one(conn, "claim_next_of_host", {"host": host, "lease": lease, "held_by": holder.name,
                                                  "held_process": holder.process})


def hosts_waiting(conn: Conn, *, late: float) -> list[str]:
    """Hosts whose crawl work has been due for more than `late` seconds (their holder is missing)."""
    return [r["host"] for r in fetch_all(conn, "hosts_waiting", {"late": late})]


def host_next_due(conn: Conn, host: str) -> float | None:
    """Seconds until the host's next queued crawl item is due (0 when one is due now); None if none is queued."""
    due_in = fetch_one(conn, "host_next_due", {"host": host})["due_in"]
    return None if due_in is None else max(0.0, due_in)


def complete(conn: Conn, item: dict[str, Any] | int, outcome: str, extra: dict[str, Any] | None = None) -> bool:
    """Mark the item done; call inside the transaction that wrote its results. Given the claimed item,
    fenced on that claim: if the item is no longer this claim's (lost, taken over), raise LeaseLost so
    the transaction rolls back and nothing is stored twice."""
    claimed = isinstance(item, dict)
    item_id = item["item_id"] if claimed else item
    row = fetch_one(conn, "complete_item", {
        "item_id": item_id, "outcome": outcome, "extra": Jsonb(extra or {}),
        "attempts": item["attempts"] if claimed else None,
        "held_process": item.get("held_process") if claimed else None})
    if row is None and claimed:
        raise LeaseLost(f"item {item_id} is no longer held by this claim (attempt {item['attempts']})")
    return row is not None


def renew(conn: Conn, held: dict[int, int], *, lease: float, holder: Holder) -> set[int]:
    """Extend the leases of the items this process runs ({item_id: attempts of its claim}); returns the
    ids still held."""
    if not held:
        return set()
    rows = fetch_all(conn, "renew_leases", {"item_ids": list(held), "attempts": list(held.values()),
                                            "lease": lease, "held_process": holder.process})
    return {r["item_id"] for r in rows}


def release_lost(conn: Conn, worker_name: str, *, lease: float) -> list[Followup]:
    """At a worker's start: hand back at once what processes of the same worker name that are gone
    held (its previous incarnation, killed), instead of letting their leases run out. Queued again
    (to publish), or dead when its claims are used up."""
    released = []
    for held in fetch_all(conn, "held_by_worker", {"held_by": worker_name}):
        if process_alive(held["held_process"]):
            continue
        with conn.transaction():
            row = fetch_one(conn, "release_item", {**held, "lease": lease})
            if row and row["state"] == "dead":
                record_failure(conn, row, error_class="worker_lost", message=row["error"])
        if row:
            released.append(row)
    for run_id in {r["run_id"] for r in released}:
        finish_run(conn, run_id)
    return [followup(r) for r in released if r["state"] == "queued"]


def pending(conn: Conn, kinds: list[str]) -> list[Followup]:
    """Queued work of running runs, of these kinds, with the countdown each has left."""
    return [followup(r, r["countdown"]) for r in fetch_all(conn, "pending_of_kinds", {"kinds": kinds})]


def run_waits(conn: Conn, run_id: int, *, stale: float) -> dict[str, Any]:
    """Running items of the run whose holder has not renewed its lease for `stale` seconds."""
    return fetch_one(conn, "run_waits", {"run_id": run_id, "stale": stale})


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
                                           "error": message[:2000], "delay": retry_delay,
                                           "attempts": item["attempts"]})
        else:
            fetch_one(conn, "fail_item", {"item_id": item["item_id"], "state": "failed",
                                          "error_class": error_class, "error": message[:2000]})
        record_failure(conn, item, error_class=error_class, message=message, http_status=http_status,
                       final=not again)


def defer(conn: Conn, item: dict[str, Any], *, delay: float, lease: float) -> Followup:
    """Hand an item back to the queue to run in `delay` seconds: waiting for a host's turn is not an
    attempt (the claim is undone) and not a failure. Its lease still covers a lost message."""
    with conn.transaction():
        conn.execute(q("defer_item"), {"item_id": item["item_id"], "delay": delay, "lease": lease,
                                       "attempts": item["attempts"]})
    return followup(item, delay)


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
    return [followup(r) for r in rows if r["state"] == "queued"]


def finish_run(conn: Conn, run_id: int) -> str | None:
    """Close the run if none of its work is still open; returns its final state, or None if open.

    A cheap indexed EXISTS first: counting the run's items after every item would cost quadratic time."""
    if fetch_one(conn, "run_has_open_items", {"run_id": run_id})["open"]:
        return None
    with conn.transaction():
        row = fetch_one(conn, "finish_run", {"run_id": run_id})
    return row["state"] if row else None
