"""Shared plumbing of the benchmarks: embedded services in a temp dir, Celery workers, the mirror, corpus pages.

Everything a benchmark starts is stopped by the context managers here (services, workers, temp dirs),
also when the benchmark fails or is interrupted, so a run leaves no process or folder behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from crawler.db.connect import connect
from crawler.db.dbsetup import create_migrated_database, worker_url
from crawler.settings import PROJECT_ROOT, Settings
from workers.services import (
    start_embedded_postgres,
    start_embedded_redis,
    stop_embedded_postgres,
    stop_embedded_redis,
)

CORPUS = PROJECT_ROOT / "crawler" / "mirror" / "corpus"
PASSWORD = "rectify-bench-password"
# Settings of every benchmark process; RECTIFY_RATE_LIMIT is removed unless a benchmark sets it.
BASE_ENV = {"RECTIFY_WRITER_PASSWORD": PASSWORD, "RECTIFY_ANALYST_PASSWORD": PASSWORD,
            "RECTIFY_FETCH_RETRIES": "1", "RECTIFY_BACKOFF_BASE": "0.05", "RECTIFY_MAX_ATTEMPTS": "3"}


@dataclass
class Bench:
    """One benchmark's world: temp dir, embedded PostgreSQL + Redis, a migrated database."""

    root: Path
    admin_url: str
    worker_url: str
    redis_url: str
    workers: list[Worker] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
        env.update(BASE_ENV)
        env.update({"DATABASE_URL": self.worker_url, "REDIS_URL": self.redis_url,
                    "RECTIFY_DATA_DIR": str(self.root / "data"), "PYTHONPATH": str(PROJECT_ROOT)})
        env.update(extra)
        return env

    def settings(self, env: dict[str, str]) -> Settings:
        """Make `env` this process's environment too (workers.app reads it at import) and read the settings."""
        os.environ.clear()
        os.environ.update(env)
        return Settings.from_env()

    def admin(self) -> psycopg.Connection[dict[str, Any]]:
        return connect(self.admin_url, autocommit=True)

    def worker(self, env: dict[str, str], *, queues: str, concurrency: int, name: str,
               pool: str = "prefork") -> Worker:
        w = Worker(env, self.root / f"{name}.log", queues=queues, concurrency=concurrency, name=name, pool=pool)
        self.workers.append(w)
        return w.start()


@contextlib.contextmanager
def bench_world(prefix: str) -> Iterator[Bench]:
    """Start embedded PostgreSQL and Redis in a fresh temp dir (as the tests do); stop and remove all after."""
    root = Path(tempfile.mkdtemp(prefix=f"rectify-{prefix}-"))
    root.chmod(0o755)  # pgserver runs postgres as its own user, which must reach the folder
    world: Bench | None = None
    try:
        t0 = time.monotonic()
        admin = start_embedded_postgres(root / "postgres")
        redis_url = start_embedded_redis(root / "redis")
        url = create_migrated_database(admin, "bench", password=PASSWORD)
        world = Bench(root, url, worker_url(url, PASSWORD), redis_url)
        progress(f"services up in {time.monotonic() - t0:.1f}s (PostgreSQL + Redis under {root}); "
                 f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        yield world
        progress(f"load average at the end {os.getloadavg()[0]:.2f} (other processes on the machine skew figures)")
    finally:
        if world is not None:
            for w in world.workers:
                w.stop()
        stop_embedded_redis(root / "redis")
        stop_embedded_postgres(root / "postgres")
        shutil.rmtree(root, ignore_errors=True)


class Worker:
    """A `celery worker` subprocess (as `rectify up` / docker compose start it) in its own process group."""

    def __init__(self, env: dict[str, str], log: Path, *, queues: str, concurrency: int, name: str,
                 pool: str = "prefork") -> None:
        self.env, self.log, self.queues, self.concurrency, self.name, self.pool = env, log, queues, concurrency, name, pool
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 90) -> Worker:
        out = open(self.log, "ab")  # noqa: SIM115 - closed by the child's exit
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workers.app", "worker", "-Q", self.queues, "-c",
             str(self.concurrency), "-P", self.pool, "-n", f"{self.name}-{uuid.uuid4().hex[:4]}@%h",
             "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while not self._ready():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker {self.name} did not start:\n" + self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)
        return self

    def _ready(self) -> bool:
        """Ready once every pool child exists (prefork) or the main process answers (threads)."""
        if self.pool != "prefork":
            return time.sleep(2) is None and self.proc.poll() is None
        return len(self.children()) >= self.concurrency

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self, timeout: float = 20) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def wait_for(condition: Callable[[], Any], *, timeout: float, what: str, every: float = 0.5,
             report: Callable[[], str] | None = None, report_every: float = 10.0) -> None:
    """Poll until `condition()` is truthy; progress lines meanwhile; RuntimeError after `timeout`."""
    deadline, last = time.monotonic() + timeout, time.monotonic()
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")
        if report and time.monotonic() - last >= report_every:
            progress(report())
            last = time.monotonic()
        time.sleep(every)


def runs_ended(conn: psycopg.Connection[Any], run_ids: list[int]) -> bool:
    rows = conn.execute("SELECT state FROM crawl_runs WHERE run_id = ANY(%s)", (run_ids,)).fetchall()
    return len(rows) == len(run_ids) and all(r["state"] != "running" for r in rows)


def start_runs(settings: Settings, site_ids: list[str], *, full: bool = False, reparse: bool = False) -> list[int]:
    """What `rectify crawl SITE…` does before it waits: one run per site, its first items published."""
    from crawler.db import workqueue as wq
    from crawler.sites import load_sites
    from workers.app import make_app
    from workers.dispatch import publish

    sites, app = load_sites(settings.sites_dirs), make_app(settings)
    run_ids = []
    with connect(settings.database_url) as conn:
        for site_id in site_ids:
            run_id, followups = wq.create_run(conn, sites[site_id], trigger="manual", full=full,
                                              lease=settings.lease_seconds, max_attempts=settings.max_attempts)
            publish(app, followups)
            run_ids.append(run_id)
    return run_ids


def sync(bench: Bench, settings: Settings) -> None:
    from crawler.db.store import sync_sites
    from crawler.sites import load_sites

    with bench.admin() as conn:
        sync_sites(conn, load_sites(settings.sites_dirs))


def corpus_texts() -> list[tuple[str, str]]:
    """(id, text) of every corpus notice, sorted by id."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]


def vary(text: str, copy: int) -> str:
    """A slightly different text per copy: a sentence with the copy number after the first paragraph."""
    lines = text.splitlines()
    return "\n".join([*lines[:2], f"（本文为第{copy}份副本，编号{copy:06d}。）", *lines[2:]])


def article_html(title: str, body: str) -> bytes:
    from html import escape

    paras = "".join(f"<p>{escape(line)}</p>\n" for line in body.splitlines() if line.strip())
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{escape(title)}</title></head><body>"
            f"<div class=\"nav\"><a href=\"/\">首页</a></div><h1>{escape(title)}</h1>"
            f"<div class=\"info\">发布时间：2024-03-01 来源：本站</div>"
            f"<div class=\"content\">{paras}</div></body></html>").encode()


def rss_kib(pid: int, key: str = "VmRSS") -> int:
    """VmRSS (current) or VmHWM (peak) of a process, KiB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0
