"""Celery tasks: thin adapters that call crawler functions with an item id and publish what follows."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache

from celery.signals import worker_init

from crawler.db import dbsetup
from crawler.db import workqueue as wq
from crawler.db.connect import connect
from crawler.pipeline import Context, process_item
from crawler.runtime import build_context
from crawler.settings import Settings
from workers.app import app
from workers.dispatch import publish
from workers.services import redis_client

log = logging.getLogger(__name__)


@cache
def context() -> Context:
    """Built once per worker process, after the fork, so no connection is shared between processes."""
    settings = Settings.from_env()
    return build_context(settings, redis_client(settings.redis_url))


@worker_init.connect
def _warm(**_kwargs: object) -> None:
    """Load jieba's tables in the worker's main process: the pool children fork from it ready,
    sharing the tables copy-on-write, instead of each loading them (~1 s, ~300 MB) itself."""
    from crawler.text.segment import warm

    warm()


def _run(item_id: int) -> None:
    publish(app, process_item(context(), item_id))


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
        followups = wq.sweep(conn, lease=ctx.settings.lease_seconds)
    return publish(app, followups)


@app.task(name="workers.tasks.refresh_keywords")
def refresh_keywords() -> None:
    """Recompute corpus_idf and notice_keywords_corpus (analysts keep reading the old rows meanwhile)."""
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
                                          lease=ctx.settings.lease_seconds, max_attempts=ctx.settings.max_attempts)
    publish(app, followups)
    return run_id
