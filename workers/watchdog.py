"""The analysts' limits, enforced from outside their sessions.

An analyst may SET statement_timeout = 0 in a session, and PostgreSQL lets every role change its own
defaults (ALTER ROLE self SET …), so role settings alone bound nothing. Celery beat runs this watchdog
in a thread of its own (one beat runs per deployment; it executes no tasks, so a busy worker cannot
delay it): every RECTIFY_ANALYST_WATCH_SECONDS it calls raw.enforce_analyst_limits (ops/roles.sql),
which, with the owner's rights, cancels analysts' queries that ran past the limit and ends sessions
left idle in a transaction, or idle, for too long.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import psycopg

from crawler.db.connect import connect
from crawler.settings import Settings

log = logging.getLogger("rectify.watchdog")


def enforce(conn: psycopg.Connection[Any], settings: Settings) -> list[dict[str, Any]]:
    """One pass: what was cancelled or ended (pid, usename, application_name, state, seconds, action)."""
    rows = conn.execute("SELECT * FROM raw.enforce_analyst_limits(%s, %s, %s)",
                        (settings.analyst_query_seconds, settings.analyst_idle_in_transaction_seconds,
                         settings.analyst_idle_seconds)).fetchall()
    for row in rows:
        log.warning("analyst limit: %s pid %s (%s, %r) %s for %.0f s", row["action"], row["pid"], row["usename"],
                    row["application_name"], row["state"], row["seconds"])
    return rows


class Watchdog(threading.Thread):
    def __init__(self, settings: Settings, period: float | None = None) -> None:
        super().__init__(name="analyst-watchdog", daemon=True)
        self.settings = settings
        self.period = period or settings.analyst_watch_seconds
        self.halt = threading.Event()

    def run(self) -> None:
        log.info("analyst watchdog: queries over %.0f s cancelled, idle in transaction over %.0f s and idle over "
                 "%.0f s ended; checked every %.0f s", self.settings.analyst_query_seconds,
                 self.settings.analyst_idle_in_transaction_seconds, self.settings.analyst_idle_seconds, self.period)
        while not self.halt.is_set():
            try:  # a database outage or restart: connect again next period
                with connect(self.settings.database_url, autocommit=True) as conn:
                    conn.execute("SET application_name = 'rectify analyst watchdog'")
                    while not self.halt.is_set():
                        enforce(conn, self.settings)
                        self.halt.wait(self.period)
            except psycopg.Error as exc:
                log.warning("analyst watchdog: %s: %s", type(exc).__name__, exc)
                self.halt.wait(self.period)


def start_in_beat(**_kwargs: object) -> None:
    """celery.signals.beat_init receiver (workers/app.py)."""
    settings = Settings.from_env()
    if settings.database_url and settings.analyst_watch_seconds > 0:
        Watchdog(settings).start()
