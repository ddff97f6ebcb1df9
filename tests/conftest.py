"""Shared test fixtures: real PostgreSQL and Redis (embedded unless RECTIFY_TEST_DATABASE_URL /
RECTIFY_TEST_REDIS_URL are given), the mirror on loopback, and real Celery worker processes."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings
from psycopg.conninfo import conninfo_to_dict

from crawler.db.connect import connect
from crawler.db.dbsetup import analyst_url, create_migrated_database, worker_url
from crawler.db.store import sync_sites
from crawler.mirror import MirrorServer
from crawler.settings import PROJECT_ROOT, Settings
from crawler.sites import load_sites
from workers.services import (
    redis_client,
    start_embedded_postgres,
    start_embedded_redis,
    stop_embedded_postgres,
    stop_embedded_redis,
)

# Property tests (Hypothesis) draw the same examples on every run, so CI is reproducible; explore new ones
# with HYPOTHESIS_PROFILE=explore.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

FIXTURES = Path(__file__).parent / "fixtures"
TEST_SITES = FIXTURES / "sites"

# Fast settings for the test worker: quick timeouts, leases and retries, no real politeness delays.
WORKER_ENV = {
    "RECTIFY_SITES_DIRS": str(TEST_SITES),
    "RECTIFY_RATE_LIMIT": "200",
    "RECTIFY_CONNECT_TIMEOUT": "2",
    "RECTIFY_READ_TIMEOUT": "2",
    "RECTIFY_MAX_BYTES": str(2 * 1024 * 1024),
    "RECTIFY_FETCH_RETRIES": "1",
    "RECTIFY_BACKOFF_BASE": "0.05",
    "RECTIFY_LEASE_SECONDS": "6",
    "RECTIFY_QUEUE_LEASE_SECONDS": "6",  # lost messages come back in seconds (production: 600)
    "RECTIFY_MAX_ATTEMPTS": "3",
    "RECTIFY_BLOCK_BACKOFF": "1",
    "RECTIFY_HOST_WAIT": "30",  # the fetcher tests call it directly and want it to wait; see test_politeness
    "RECTIFY_SOFT_TIME_LIMIT": "20",
    "RECTIFY_TIME_LIMIT": "30",
}
TABLES = "failures, notice_problems, notice_figures, notice_tags, notice_keywords, notice_sections, notice_versions, notices, raw.work_items, raw.pages, crawl_runs, sites"


TEST_LOGIN_PASSWORD = "rectify-test-password"  # used where the server checks passwords; trust auth ignores it


@pytest.fixture(scope="session")
def databases() -> Iterator[dict[str, str]]:
    """A fresh database for this test session, set up as `rectify db init` does (roles, schema owned by
    rectify_owner, logins), and a Redis of its own. Keys: admin, worker, analyst (connection strings), redis."""
    # Not under pytest's 0700 tmp dirs: run as root, pgserver runs postgres as its own system user,
    # which must be able to reach the data folder.
    data = Path(tempfile.mkdtemp(prefix="rectify-test-"))
    data.chmod(0o755)
    admin_url = os.environ.get("RECTIFY_TEST_DATABASE_URL") or start_embedded_postgres(data / "postgres")
    redis_url = os.environ.get("RECTIFY_TEST_REDIS_URL") or start_embedded_redis(data / "redis")
    url = create_migrated_database(admin_url, "rectify_test", password=TEST_LOGIN_PASSWORD)
    dbname = conninfo_to_dict(url)["dbname"]
    yield {"admin": url, "worker": worker_url(url, TEST_LOGIN_PASSWORD),
           "analyst": analyst_url(url, TEST_LOGIN_PASSWORD), "redis": redis_url}
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    if not os.environ.get("RECTIFY_TEST_REDIS_URL"):
        stop_embedded_redis(data / "redis")
    if not os.environ.get("RECTIFY_TEST_DATABASE_URL"):
        stop_embedded_postgres(data / "postgres")
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def service_urls(databases: dict[str, str]) -> dict[str, str]:
    """What every process of a test connects with: workers and the CLI use the writer login, as in production."""
    return {"DATABASE_URL": databases["worker"], "REDIS_URL": databases["redis"],
            "RECTIFY_WRITER_PASSWORD": TEST_LOGIN_PASSWORD, "RECTIFY_ANALYST_PASSWORD": TEST_LOGIN_PASSWORD}


@pytest.fixture(scope="session")
def admin_url(databases: dict[str, str]) -> str:
    return databases["admin"]


@pytest.fixture(scope="session")
def mirror() -> Iterator[MirrorServer]:
    with MirrorServer() as server:
        yield server


@pytest.fixture
def env(service_urls: dict[str, str], mirror: MirrorServer, tmp_path: Path) -> dict[str, str]:
    """The environment of every process of a test: services, mirror, fast settings."""
    return {**os.environ, **service_urls, **WORKER_ENV, "RECTIFY_MIRROR": mirror.url,
            "RECTIFY_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def settings(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings.from_env()


@pytest.fixture
def db(settings: Settings, mirror: MirrorServer, admin_url: str) -> Iterator[psycopg.Connection[Any]]:
    """An admin's autocommit connection to a database emptied for this test, sites synced; Redis flushed."""
    redis_client(settings.redis_url).flushall()
    mirror.reset()
    mirror.clear_log()
    with connect(admin_url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
        sync_sites(conn, load_sites(settings.sites_dirs))
        yield conn


class Worker:
    """A real `celery worker` process on all queues, plus a sweeper thread standing in for beat."""

    def __init__(self, env: dict[str, str], log_path: Path, concurrency: int = 2, name: str | None = None) -> None:
        self.env, self.log_path, self.concurrency = env, log_path, concurrency
        self.name = name or f"test-{uuid.uuid4().hex[:6]}"  # the same name again: a restart of that worker
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "-Q", "crawl,parse,store,control",
             "-c", str(self.concurrency), "-n", f"{self.name}@%h", "--loglevel", "INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
        self._wait_ready()
        return self

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while b"ready." not in self.log_path.read_bytes():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("worker did not start:\n" + self.log_path.read_text(errors="replace")[-3000:])
            time.sleep(0.2)

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def kill(self) -> None:
        """SIGKILL the main process and its pool children (as an OOM kill or a lost machine would)."""
        pids = [*self.children(), self.proc.pid]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


class Sweeper(threading.Thread):
    """Runs the lease sweep every `period` seconds, as celery beat does in production."""

    def __init__(self, settings: Settings, period: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.settings, self.period = settings, period
        self.halt = threading.Event()

    def run(self) -> None:
        from workers.app import make_app
        from workers.dispatch import sweep

        app = make_app(self.settings)
        while not self.halt.is_set():
            try:  # like beat's periodic task, survive a database outage and try again next period
                with connect(self.settings.database_url, autocommit=True) as conn:
                    while not self.halt.wait(self.period):
                        sweep(app, conn, lease=self.settings.queue_lease_seconds)
            except Exception as exc:  # noqa: BLE001 - like beat: a failed sweep is retried next period
                print(f"sweeper: {type(exc).__name__}: {exc}", file=sys.stderr)
                self.halt.wait(self.period)


@contextlib.contextmanager
def running_worker(env: dict[str, str], settings: Settings, log: Path) -> Iterator[Worker]:
    """A real worker with the sweeper standing in for beat, both stopped on the way out."""
    sweeper = Sweeper(settings)
    w = Worker(env, log).start()
    sweeper.start()
    try:
        yield w
    finally:
        sweeper.halt.set()
        w.stop()


@pytest.fixture
def worker(env: dict[str, str], settings: Settings, db: Any, tmp_path: Path) -> Iterator[Worker]:
    with running_worker(env, settings, tmp_path / "worker.log") as w:
        yield w


def wait_until(condition: Callable[[], bool], timeout: float, message: str | Callable[[], str],
               poll: float = 0.2) -> None:
    """Poll `condition` until true; fail the test with `message` (or what it returns) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(message() if callable(message) else message)
        time.sleep(poll)


def diagnose(db: Any, worker: Worker | None = None) -> str:
    """What a stuck run looks like: open work items, and the end of the worker's log."""
    items = db.execute("SELECT item_id, kind, state, attempts, lease_until - now() AS lease_left, error_class "
                       "FROM raw.work_items WHERE state IN ('queued', 'running') ORDER BY item_id LIMIT 20").fetchall()
    log = worker.log_path.read_text(errors="replace")[-4000:] if worker else ""
    return f"open items: {items}\nworker log tail:\n{log}"


def run_ended(db: Any) -> Callable[[], bool]:
    """Condition: the (only) crawl run of the test is no longer running."""
    return lambda: db.execute("SELECT state FROM crawl_runs").fetchone()["state"] != "running"


def rectify(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the `rectify` console script as a user would."""
    exe = Path(sys.executable).with_name("rectify")
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=PROJECT_ROOT)
