"""Runs the local process set of `rectify up` / `rectify run`: two workers, beat and (offline) the mirror.

The crawl worker (queues crawl and control, a threads pool) spends its time waiting on hosts' turns and
the network; the parse-and-store worker (a process pool) spends it on the CPU. Apart, a host's turn never
waits for a parse to free a pool slot, and a crawl holds no process while it waits.

Stop signals (SIGTERM, SIGINT, SIGHUP) raise processes.Stopped in the main thread once the supervisor
is entered; leaving it stops worker and beat warmly and leaves no process of theirs behind."""

from __future__ import annotations

import os
import subprocess
import time
from types import TracebackType
from typing import Any

from crawler.settings import Settings
from workers import processes


class Supervisor:
    def __init__(self, settings: Settings, *, mirror: bool = False, concurrency: int = 2,
                 worker_database_url: str | None = None) -> None:
        self.settings = settings
        self.worker_database_url = worker_database_url or settings.database_url
        self.mirror_enabled = mirror
        self.concurrency = concurrency
        self.children: list[subprocess.Popen[bytes]] = []
        self.mirror: Any = None

    def __enter__(self) -> Supervisor:
        processes.install_stop_handlers()
        try:
            self._start()
        except BaseException:  # a signal (or an error) while starting: stop what was started
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self) -> None:
        if self.mirror_enabled:
            from crawler.mirror.server import MirrorServer

            self.mirror = MirrorServer()
            self.mirror.start()
            os.environ["RECTIFY_MIRROR"] = self.mirror.url
            # The mirror is our own process on loopback: the real sites' politeness limits do not apply.
            os.environ.setdefault("RECTIFY_RATE_LIMIT", "20")
            print(f"mirror of the sites at {self.mirror.url}", flush=True)
        self.settings = Settings.from_env()
        logs = self.settings.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DATABASE_URL": self.worker_database_url}  # workers never run as the admin
        with processes.stop_signals_held():
            self.children = [self._start_child(kind, env) for kind in ("crawl", "worker", "beat")]
        print(f"workers and beat started (logs in {logs})", flush=True)

    def _start_child(self, kind: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        logs = self.settings.data_dir / "logs"
        if kind == "crawl":
            return processes.start_worker(env, self.settings, queues="crawl,control", pool="threads",
                                          concurrency=self.settings.crawl_threads, name="rectify-crawl",
                                          log_file=logs / "crawl-worker.log")
        if kind == "worker":
            return processes.start_worker(env, self.settings, queues="parse,store", concurrency=self.concurrency,
                                          log_file=logs / "worker.log")
        return processes.start_beat(env, self.settings, log_file=logs / "beat.log")

    def wait(self) -> int:
        """Block until a stop signal, starting again any child that exits (a worker can stop when its
        broker vanishes; PostgreSQL keeps the work, so a restarted worker simply carries on)."""
        try:
            while True:
                for index, child in enumerate(self.children):
                    if child.poll() is not None:
                        kind = ("crawl", "worker", "beat")[index]
                        print(f"celery {kind} exited with {child.returncode}; starting it again", flush=True)
                        time.sleep(1)
                        with processes.stop_signals_held():
                            env = {**os.environ, "DATABASE_URL": self.worker_database_url}
                            self.children[index] = self._start_child(kind, env)
                time.sleep(0.5)
        except (KeyboardInterrupt, processes.Stopped):
            return 0

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        processes.ignore_stop_signals()  # the warm stop runs to its end
        if any(child.poll() is None for child in self.children):
            print("stopping workers and beat (running tasks may finish first)", flush=True)
        processes.stop(self.children)
        if self.mirror is not None:
            self.mirror.stop()
            os.environ.pop("RECTIFY_MIRROR", None)
