"""Wiring of one worker process: settings, sites, a connection pool, the fetcher with its robots cache."""

from __future__ import annotations

import redis
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from crawler.fetch import Fetcher
from crawler.pipeline import Context
from crawler.politeness import HostThrottle
from crawler.robots import RobotsCache
from crawler.settings import Settings
from crawler.sites import load_sites


def build_context(settings: Settings, client: redis.Redis) -> Context:
    sites = load_sites(settings.sites_dirs)
    pool = ConnectionPool(settings.database_url, min_size=1, max_size=2, kwargs={"row_factory": dict_row},
                          check=ConnectionPool.check_connection, open=True)
    fetcher = Fetcher(settings, HostThrottle(client), RobotsCache(client))
    return Context(settings, sites, fetcher, pool)
