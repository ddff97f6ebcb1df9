"""Wiring of one worker process: settings, sites, a connection pool, the fetcher with its robots cache."""

from __future__ import annotations

import os
import time
import weakref
from typing import Any

import psycopg
import redis
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from crawler.db.heartbeat import Heartbeat
from crawler.pipeline import Context
from crawler.settings import Settings
from crawler.sites import load_sites
from crawler.web.fetch import Fetcher
from crawler.web.politeness import HostThrottle
from crawler.web.robots import RobotsCache


def build_context(settings: Settings, client: redis.Redis) -> Context:
    sites = load_sites(settings.sites_dirs)
    # A step waits at most `timeout` for a connection; PoolTimeout is an OperationalError, which leaves
    # the item to its lease instead of letting an outage run the task into its time limit.
    # Two connections a process (a step and the few that nest); a threads pool's tasks share the process.
    threads = int(os.environ.get("RECTIFY_WORKER_THREADS") or 1)
    pool = ConnectionPool(settings.database_url, min_size=1, max_size=max(2, threads + 1),
                          kwargs={"row_factory": dict_row},
                          check=check_if_idle, reset=_mark_returned, open=True,
                          timeout=max(1.0, min(10.0, settings.soft_time_limit / 2)))
    fetcher = Fetcher(settings, HostThrottle(client), RobotsCache(client))
    heartbeat = Heartbeat(settings.database_url, lease=settings.lease_seconds, period=settings.heartbeat)
    return Context(settings, sites, fetcher, pool, heartbeat)


# A connection back in the pool within this long is trusted as it is: checking it (a round trip) on every
# checkout cost 12 % of a crawl worker's time. One idle longer (the server may have restarted meanwhile)
# is checked, so a worker back from a quiet spell does not meet a dead connection first.
IDLE_CHECK_AFTER = 5.0
_returned: weakref.WeakKeyDictionary[psycopg.Connection[Any], float] = weakref.WeakKeyDictionary()


def check_if_idle(conn: psycopg.Connection[Any]) -> None:
    if time.monotonic() - _returned.get(conn, 0.0) > IDLE_CHECK_AFTER:
        ConnectionPool.check_connection(conn)


def _mark_returned(conn: psycopg.Connection[Any]) -> None:
    _returned[conn] = time.monotonic()
