"""Settings read from the environment, one place, each with its default and meaning.

Every process (CLI, worker, beat, tests) builds a `Settings` with `Settings.from_env()`; nothing
else reads `os.environ` for configuration. `.env.example` lists the same keys for deployments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUILTIN_SITES_DIR = Path(__file__).resolve().parent / "sites"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def _float(name: str, default: float) -> float:
    return float(_env(name, str(default)))


def _int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


@dataclass(frozen=True)
class Settings:
    # PostgreSQL connection URL; unset means "start the embedded server under data_dir".
    database_url: str | None = None
    # Passwords `rectify db init` gives the worker and analyst logins (None: leave as is / trust auth).
    writer_password: str | None = None
    analyst_password: str | None = None
    # Redis URL (redis:// or redis+socket://); unset means "start the embedded Redis under data_dir".
    redis_url: str | None = None
    # Where embedded services, beat state and logs live.
    data_dir: Path = PROJECT_ROOT / ".data"
    # Extra folders of site definitions, searched after the built-in crawler/sites/.
    extra_sites_dirs: tuple[Path, ...] = ()
    # Whether the built-in crawler/sites/ is read at all (off: only RECTIFY_SITES_DIRS).
    builtin_sites: bool = True
    # When set (http://127.0.0.1:PORT), every site host is served by the local mirror at that address.
    mirror_url: str | None = None
    user_agent: str = "RectifyBot/0.1 (+https://github.com/rectify-notices; research crawler)"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # Requests per second per host for every site, overriding the definitions (tests, a local mirror).
    rate_limit_override: float | None = None
    # Hard cap on one response body after decompression; larger pages fail with `too_large`.
    max_bytes: int = 8 * 1024 * 1024
    # Retries inside one fetch for 429/5xx/timeouts, with exponential back-off from this base.
    fetch_retries: int = 2
    backoff_base: float = 1.0
    # Longest Retry-After we honour inside one attempt; longer ones become a later retry of the item.
    max_retry_after: float = 30.0
    # How long a fetch waits for its host's turn inside a task; longer, the item is handed back with a
    # countdown so the worker serves other hosts meanwhile.
    host_wait: float = 0.1
    # How long every worker stays off a host that answered with a WAF/anti-bot page.
    block_backoff: float = 900.0
    # The lease of a claimed (running) work item. Short: the process running it renews it every
    # `heartbeat_seconds` (a thread beside the step), so a long fetch or parse keeps its item while a
    # dead worker's items are re-enqueued by the sweep within this long (or at once when it restarts).
    lease_seconds: int = 30
    # How often a running item's lease is renewed; 0 means a third of `lease_seconds`.
    heartbeat_seconds: float = 0.0
    # How long a queued item may wait for its message before the sweep publishes it again (a message
    # lost in Redis). Long: a queued item's message may legitimately wait behind thousands of others.
    queue_lease_seconds: int = 600
    # Attempts per work item before it is declared dead.
    max_attempts: int = 5
    # Threads of the crawl worker that `rectify up` starts (each waits on a host's turn or the network).
    crawl_threads: int = 16
    # Period of the lease sweep run by celery beat.
    sweep_seconds: float = 10.0
    # When celery beat recomputes the corpus IDF and keywords (cron, Asia/Shanghai; empty: never).
    keywords_refresh: str = "40 5 * * *"
    # Analysts' limits, enforced by beat's watchdog from outside their sessions (whatever they SET):
    # a query running longer is cancelled; a session idle in a transaction, or idle, longer is ended.
    analyst_query_seconds: float = 60.0
    analyst_idle_in_transaction_seconds: float = 60.0
    analyst_idle_seconds: float = 1800.0
    # How often the watchdog looks (0: never; the limits are then only the sessions' own settings).
    analyst_watch_seconds: float = 5.0
    # Celery time limits for one task, seconds.
    soft_time_limit: float = 240
    time_limit: float = 300

    @classmethod
    def from_env(cls) -> Settings:
        sites_dirs = _env("RECTIFY_SITES_DIRS", "") or ""
        return cls(
            database_url=_env("DATABASE_URL"),
            redis_url=_env("REDIS_URL"),
            writer_password=_env("RECTIFY_WRITER_PASSWORD"),
            analyst_password=_env("RECTIFY_ANALYST_PASSWORD"),
            data_dir=Path(_env("RECTIFY_DATA_DIR", str(PROJECT_ROOT / ".data"))).resolve(),
            extra_sites_dirs=tuple(Path(p) for p in sites_dirs.split(os.pathsep) if p),
            builtin_sites=_env("RECTIFY_BUILTIN_SITES", "1") != "0",
            mirror_url=_env("RECTIFY_MIRROR"),
            user_agent=_env("RECTIFY_USER_AGENT", cls.user_agent),
            connect_timeout=_float("RECTIFY_CONNECT_TIMEOUT", cls.connect_timeout),
            read_timeout=_float("RECTIFY_READ_TIMEOUT", cls.read_timeout),
            rate_limit_override=float(_env("RECTIFY_RATE_LIMIT")) if _env("RECTIFY_RATE_LIMIT") else None,
            max_bytes=_int("RECTIFY_MAX_BYTES", cls.max_bytes),
            fetch_retries=_int("RECTIFY_FETCH_RETRIES", cls.fetch_retries),
            backoff_base=_float("RECTIFY_BACKOFF_BASE", cls.backoff_base),
            max_retry_after=_float("RECTIFY_MAX_RETRY_AFTER", cls.max_retry_after),
            block_backoff=_float("RECTIFY_BLOCK_BACKOFF", cls.block_backoff),
            host_wait=_float("RECTIFY_HOST_WAIT", cls.host_wait),
            lease_seconds=_int("RECTIFY_LEASE_SECONDS", cls.lease_seconds),
            heartbeat_seconds=_float("RECTIFY_HEARTBEAT_SECONDS", cls.heartbeat_seconds),
            queue_lease_seconds=_int("RECTIFY_QUEUE_LEASE_SECONDS", cls.queue_lease_seconds),
            max_attempts=_int("RECTIFY_MAX_ATTEMPTS", cls.max_attempts),
            sweep_seconds=_float("RECTIFY_SWEEP_SECONDS", cls.sweep_seconds),
            crawl_threads=_int("RECTIFY_CRAWL_THREADS", cls.crawl_threads),
            keywords_refresh=_env("RECTIFY_KEYWORDS_REFRESH", cls.keywords_refresh) or "",
            analyst_query_seconds=_float("RECTIFY_ANALYST_QUERY_SECONDS", cls.analyst_query_seconds),
            analyst_idle_in_transaction_seconds=_float("RECTIFY_ANALYST_IDLE_IN_TRANSACTION_SECONDS",
                                                       cls.analyst_idle_in_transaction_seconds),
            analyst_idle_seconds=_float("RECTIFY_ANALYST_IDLE_SECONDS", cls.analyst_idle_seconds),
            analyst_watch_seconds=_float("RECTIFY_ANALYST_WATCH_SECONDS", cls.analyst_watch_seconds),
            soft_time_limit=_float("RECTIFY_SOFT_TIME_LIMIT", cls.soft_time_limit),
            time_limit=_float("RECTIFY_TIME_LIMIT", cls.time_limit),
        )

    @property
    def heartbeat(self) -> float:
        """Seconds between two renewals of a running item's lease."""
        return self.heartbeat_seconds if self.heartbeat_seconds > 0 else max(0.5, self.lease_seconds / 3)

    @property
    def sites_dirs(self) -> tuple[Path, ...]:
        return (BUILTIN_SITES_DIR, *self.extra_sites_dirs) if self.builtin_sites else self.extra_sites_dirs
