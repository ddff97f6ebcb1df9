"""Publishing work items to their stage's queue (after the transaction that created them committed)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import Celery

from crawler.db.workqueue import Followup

log = logging.getLogger(__name__)

TASKS = {
    "list": ("workers.tasks.crawl_list", "crawl"),
    "article": ("workers.tasks.crawl_article", "crawl"),
    "parse": ("workers.tasks.parse_page", "parse"),
    "store": ("workers.tasks.store_notice", "store"),
}


def publish(app: Celery, followups: Iterable[Followup]) -> int:
    """Send one message per item. A failed publish is only logged: the item stays queued in
    PostgreSQL and the sweep publishes it again when its lease expires."""
    sent = 0
    for followup in followups:
        name, queue = TASKS[followup.kind]
        try:
            app.send_task(name, args=[followup.item_id], queue=queue, countdown=followup.countdown or None)
            sent += 1
        except Exception:  # broker down or stalled: the lease makes this a delay, not a loss
            log.warning("could not publish %s item %s; the sweep will retry", followup.kind, followup.item_id,
                        exc_info=True)
    return sent
