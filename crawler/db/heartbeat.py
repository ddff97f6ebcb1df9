"""The heartbeat of a worker process: a thread that renews the leases of the items the process runs.

A running item's lease is short (RECTIFY_LEASE_SECONDS, 30 s by default) so that a dead worker's items
come back quickly; a live one keeps its items however long a step takes (a slow fetch, a big parse),
because this thread extends their leases every RECTIFY_HEARTBEAT_SECONDS. It has its own connection
(never one of the steps' pool, which a step may hold for a long transaction) and is started lazily in
the process that runs the steps (after the fork of a Celery pool child, never before it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from typing import Any

import psycopg

from crawler.db import workqueue as wq
from crawler.db.connect import connect

log = logging.getLogger(__name__)


class Heartbeat:
    def __init__(self, database_url: str, *, lease: float, period: float) -> None:
        self.database_url, self.lease, self.period = database_url, lease, period
        self._held: dict[int, int] = {}  # item_id -> attempts of this process's claim
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._conn: psycopg.Connection[Any] | None = None
        self.renewals = 0  # how many renewals went through (tests look at it)

    @contextlib.contextmanager
    def holding(self, item: dict[str, Any]) -> Iterator[None]:
        """Keep the claimed item's lease alive while the block runs."""
        self._ensure_thread()
        with self._lock:
            self._held[item["item_id"]] = item["attempts"]
        try:
            yield
        finally:
            with self._lock:
                self._held.pop(item["item_id"], None)

    def _ensure_thread(self) -> None:
        # A thread does not survive a fork: a forked process starts its own.
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid, self._conn = os.getpid(), None
            self._thread = threading.Thread(target=self._run, name="lease-heartbeat", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        holder = wq.Holder.current()
        while True:
            threading.Event().wait(self.period)
            with self._lock:
                held = dict(self._held)
            if not held:
                continue
            try:
                if self._conn is None or self._conn.closed:
                    self._conn = connect(self.database_url, autocommit=True, connect_timeout=5)
                kept = wq.renew(self._conn, held, lease=self.lease, holder=holder)
                self.renewals += 1
                for item_id in set(held) - kept:
                    # Finished meanwhile, or taken from us; in the latter case completion is fenced.
                    log.debug("item %s is no longer held by this process; its lease was not renewed", item_id)
            except psycopg.Error as exc:  # the database away for a moment: try again next beat
                log.warning("could not renew leases of items %s: %s", sorted(held), exc)
                with contextlib.suppress(Exception):
                    if self._conn is not None:
                        self._conn.close()
                self._conn = None
