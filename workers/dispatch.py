"""Publishing work items to their stage's queue (after the transaction that created them committed).

Parse and store items travel one message each. List and article items travel by host: their host's
chain (crawler/web/turns.py) fetches them in turn, so publishing one starts the chain if none is alive
and is otherwise free.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache

from celery import Celery

from crawler.db import workqueue as wq
from crawler.db.workqueue import Followup
from crawler.web.turns import HostChains
from workers.services import redis_client

log = logging.getLogger(__name__)

TASKS = {
    "list": ("workers.tasks.crawl_list", "crawl"),
    "article": ("workers.tasks.crawl_article", "crawl"),
    "parse": ("workers.tasks.parse_page", "parse"),
    "store": ("workers.tasks.store_notice", "store"),
}
CRAWL_HOST = "workers.tasks.crawl_host"
# How long a chain outlives its next turn before the sweep may start another (its message was lost).
CHAIN_SLACK = 30.0


@cache
def chains(broker_url: str) -> HostChains:
    """One attempt per call, 5 s at most: a stalled Redis must not hang a publisher (the sweep retries)."""
    return HostChains(redis_client(broker_url, timeout=5, retries=0))


def publish(app: Celery, followups: Iterable[Followup], *, restart_chains: bool = False) -> int:
    """Send the items' messages (one per host for crawl work). A failed publish is only logged: the item
    stays queued in PostgreSQL and the sweep publishes it again. `restart_chains`: replace the hosts'
    chains even if they look alive (a restarted worker: its dead incarnation's chain messages are gone)."""
    sent, hosts = 0, {}
    items = []
    for followup in followups:
        if followup.host and followup.kind in ("list", "article"):
            hosts[followup.host] = min(hosts.get(followup.host, followup.countdown), followup.countdown)
        else:
            items.append(followup)
    try:
        with app.producer_or_acquire() as producer:
            for host, countdown in hosts.items():
                sent += start_chain(app, host, countdown, force=restart_chains, producer=producer)
            for followup in items:
                name, queue = TASKS[followup.kind]
                app.send_task(name, args=[followup.item_id], queue=queue, countdown=followup.countdown or None,
                              producer=producer)
                sent += 1
    except Exception:  # broker down or stalled: the lease makes this a delay, not a loss
        log.warning("could not publish %d item(s) and %d host(s); the sweep will retry", len(items), len(hosts),
                    exc_info=True)
    return sent


def start_chain(app: Celery, host: str, countdown: float = 0.0, *, force: bool = False, producer: object = None) -> int:
    """Start the host's chain unless one is alive (or, with `force`, in place of it); 1 if a message went."""
    hc = chains(app.conf.broker_url)
    token = hc.start(host, countdown + CHAIN_SLACK, force=force)
    if token is None:
        return 0
    send_turn(app, host, token, countdown, producer=producer)
    return 1


def send_turn(app: Celery, host: str, token: str, countdown: float, *, producer: object = None) -> None:
    app.send_task(CRAWL_HOST, args=[host, token], queue="crawl", countdown=countdown or None, producer=producer)


def sweep(app: Celery, conn: wq.Conn, *, lease: float, late: float = 1.0) -> int:
    """The periodic sweep: re-publish items whose lease expired, and start a chain for every host whose
    crawl work has waited more than `late` seconds (a no-op where the chain is alive)."""
    sent = publish(app, wq.sweep(conn, lease=lease))
    hosts = wq.hosts_waiting(conn, late=late)
    try:
        with app.producer_or_acquire() as producer:
            sent += sum(start_chain(app, host, producer=producer) for host in hosts)
    except Exception:  # noqa: BLE001 - the next sweep tries again
        log.warning("could not start the chains of %d host(s)", len(hosts), exc_info=True)
    return sent
