"""Celery tasks: thin adapters that call crawler functions with an item id and publish what follows."""

from __future__ import annotations

import gc
import logging
import os
import time
from datetime import datetime
from functools import cache
from typing import Any

from celery.signals import worker_init, worker_ready

from crawler.db import dbsetup
from crawler.db import workqueue as wq
from crawler.db.connect import connect
from crawler.pipeline import Context, process_host_turn, process_item
from crawler.runtime import build_context
from crawler.settings import Settings
from workers.app import app
from workers.dispatch import CHAIN_SLACK, TASKS, chains, publish, send_turn, start_chain
from workers.dispatch import sweep as sweep_and_publish
from workers.services import redis_client

log = logging.getLogger(__name__)


@cache
def context() -> Context:
    """Built once per worker process, after the fork, so no connection is shared between processes."""
    settings = Settings.from_env()
    return build_context(settings, redis_client(settings.redis_url))


@worker_init.connect
def _warm(sender: Any = None, **_kwargs: object) -> None:
    """Load jieba's tables in the worker's main process: the pool children fork from it ready,
    sharing the tables copy-on-write, instead of each loading them (~1 s, ~300 MB) itself; a worker that
    only crawls never needs them. Also name the holder of the items this worker's processes claim: its
    node name (rectify@host), stable across restarts, inherited by the pool children; and size the
    database pool for a threads pool (its tasks share one process)."""
    from crawler.text.segment import warm

    queues: set[str] = set()
    if sender is not None and getattr(sender, "hostname", None):
        os.environ["RECTIFY_WORKER_NAME"] = sender.hostname
        queues = set(getattr(getattr(sender.app.amqp, "queues", None), "consume_from", None) or {})
        os.environ["RECTIFY_WORKER_QUEUES"] = ",".join(queues)
        threaded = "thread" in type(getattr(sender, "pool", None)).__name__.lower() or \
            "thread" in str(getattr(sender, "pool_cls", "")).lower()
        os.environ["RECTIFY_WORKER_THREADS"] = str(sender.concurrency if threaded else 1)
    if not queues or queues & {"parse", "store"}:
        warm()
        tune_gc()


def tune_gc() -> None:
    """Freeze what is loaded so far (the pool children share it copy-on-write and the collector never walks
    it again) and collect the young generation less often: a parse allocates ~10^5 containers, so the
    default threshold (700) ran ~6 collections a notice, 2–6 ms of its ~100 ms; 10,000 cost 1–1.3 ms with
    the same peak memory (BeautifulSoup's trees are cycles freed by the collector either way)."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@worker_ready.connect
def _release_lost(**_kwargs: object) -> None:
    """A (re)started worker takes back at once what its dead previous incarnation left: the items its
    processes held (their leases would otherwise run out first) and the queued work of its queues
    (whose messages that incarnation may have reserved: Redis returns them only after its visibility
    timeout). Duplicate messages are harmless: a claim is exclusive."""
    name = os.environ.get("RECTIFY_WORKER_NAME")
    if not name:
        return
    queues = set(filter(None, os.environ.get("RECTIFY_WORKER_QUEUES", "").split(",")))
    kinds = [kind for kind, (_task, queue) in TASKS.items() if not queues or queue in queues]
    settings = Settings.from_env()
    started = time.monotonic()
    try:
        with connect(settings.database_url, autocommit=True) as conn:
            released = wq.release_lost(conn, name, lease=settings.queue_lease_seconds)
            queued = wq.pending(conn, kinds)
    except Exception:  # noqa: BLE001 - the database away at start: the sweep brings the work back later
        log.warning("could not release the items of a previous incarnation of %s", name, exc_info=True)
        return
    released_ids = {f.item_id for f in released}
    # The dead incarnation's host chains died with it (their messages are reserved, not lost, until the
    # visibility timeout): start them again in place.
    publish(app, [*released, *(f for f in queued if f.item_id not in released_ids)], restart_chains=True)
    log.info("worker %s started: released %d item(s) held by its dead processes, re-published %d queued "
             "item(s) (%.2f s)", name, len(released), len(queued), time.monotonic() - started)


def _run(item_id: int) -> None:
    publish(app, process_item(context(), item_id))


# Start a host's next turn a little before its gap ends: the message's trip to a pool process costs a few
# milliseconds, which the turn then waits in place (crawler/web/politeness.py) instead of losing them.
EARLY = 0.05
# A gap this short is waited in the task (no database connection held); a task serves its host this long at most.
IN_PLACE, TURN_BUDGET = 0.1, 2.0


def _turn_limits() -> dict[str, float]:
    """A turn's time is bounded by its fetch's own deadline (connect + 2 × read timeout, crawler/web/fetch.py);
    the task limits (RECTIFY_SOFT_TIME_LIMIT, for parsing) must not cut a fetch short before that."""
    s = Settings.from_env()
    deadline = s.connect_timeout + 2 * s.read_timeout
    return {"soft_time_limit": max(s.soft_time_limit, deadline + 10),
            "time_limit": max(s.time_limit, deadline + 20)}


@app.task(name="workers.tasks.crawl_host", acks_late=True, **_turn_limits())
def crawl_host(host: str, token: str) -> None:
    """One turn of the host's chain: its next due item, then the next turn when the host's gap ends (see
    crawler/web/turns.py). A message whose token is stale stops here."""
    ctx = context()
    hc = chains(app.conf.broker_url)
    turn_ttl = ctx.settings.connect_timeout + 2 * ctx.settings.read_timeout + CHAIN_SLACK
    budget = time.monotonic() + TURN_BUDGET
    while True:
        if not hc.keep(host, token, turn_ttl):
            return
        turn = process_host_turn(ctx, host)
        publish(app, turn.followups)  # other hosts' work, parse items; this host's own are taken by the chain
        if turn.next_in is None:
            break
        # A host with a short gap (a fast mirror, a generous rate) is served on in this task: a message per
        # request would wait behind other queues' messages for a pool slot, for longer than the gap.
        if turn.next_in <= IN_PLACE and time.monotonic() + turn.next_in < budget:
            time.sleep(turn.next_in)
            continue
        if hc.keep(host, token, turn.next_in + CHAIN_SLACK):
            send_turn(app, host, token, max(0.0, turn.next_in - EARLY))
        return
    hc.end(host, token)
    with ctx.pool.connection() as conn:  # work queued while the chain was ending must not wait for the sweep
        due_in = wq.host_next_due(conn, host)
    if due_in is not None and due_in <= CHAIN_SLACK:
        start_chain(app, host, due_in)


@app.task(name="workers.tasks.crawl_list", acks_late=True)
def crawl_list(item_id: int) -> None:
    _run(item_id)


@app.task(name="workers.tasks.crawl_article", acks_late=True)
def crawl_article(item_id: int) -> None:
    _run(item_id)


@app.task(name="workers.tasks.parse_page", acks_late=True)
def parse_page(item_id: int) -> None:
    _run(item_id)


@app.task(name="workers.tasks.store_notice", acks_late=True)
def store_notice(item_id: int) -> None:
    _run(item_id)


@app.task(name="workers.tasks.sweep")
def sweep() -> int:
    ctx = context()
    with ctx.pool.connection() as conn:
        return sweep_and_publish(app, conn, lease=ctx.settings.queue_lease_seconds)


@app.task(name="workers.tasks.refresh_keywords")
def refresh_keywords() -> None:
    """Recompute corpus_idf and rank notice_keywords with it (analysts keep reading the old rows meanwhile)."""
    ctx = context()
    with ctx.pool.connection() as conn:
        dbsetup.refresh_keywords(conn)


@app.task(name="workers.tasks.scheduled_crawl")
def scheduled_crawl(site_id: str, full: bool = False) -> int:
    """One run per site and schedule slot (the minute the beat fired), even if two beats fire it."""
    ctx = context()
    slot = datetime.now().astimezone().replace(second=0, microsecond=0)
    with connect(ctx.settings.database_url) as conn:
        run_id, followups = wq.create_run(conn, ctx.sites[site_id], trigger="schedule", full=full, slot=slot,
                                          lease=ctx.settings.queue_lease_seconds, max_attempts=ctx.settings.max_attempts)
    publish(app, followups)
    return run_id
