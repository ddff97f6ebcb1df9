"""Wiring of one worker process: settings, sites, a connection pool, the fetcher with its robots cache."""

from __future__ import annotations

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
    pool = ConnectionPool(settings.database_url, min_size=1, max_size=2, kwargs={"row_factory": dict_row},
                          check=ConnectionPool.check_connection, open=True,
                          timeout=max(1.0, min(10.0, settings.soft_time_limit / 2)))
    fetcher = Fetcher(settings, HostThrottle(client), RobotsCache(client))
    heartbeat = Heartbeat(settings.database_url, lease=settings.lease_seconds, period=settings.heartbeat)
    return Context(settings, sites, fetcher, pool, heartbeat)
