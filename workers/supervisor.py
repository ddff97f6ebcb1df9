"""Runs the local process set of `rectify up` / `rectify run`: worker, beat and (offline) the mirror.

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
            self.children.append(processes.start_worker(env, self.settings, concurrency=self.concurrency,
                                                        log_file=logs / "worker.log"))
            self.children.append(processes.start_beat(env, self.settings, log_file=logs / "beat.log"))
        print(f"worker and beat started (logs in {logs})", flush=True)

    def wait(self) -> int:
        """Block until a stop signal, starting again any child that exits (a worker can stop when its
        broker vanishes; PostgreSQL keeps the work, so a restarted worker simply carries on)."""
        try:
            while True:
                for index, child in enumerate(self.children):
                    if child.poll() is not None:
                        print(f"celery {child.args[5]} exited with {child.returncode}; starting it again", flush=True)
                        time.sleep(1)
                        with processes.stop_signals_held():
                            self.children[index] = self._restart(child)
                time.sleep(0.5)
        except (KeyboardInterrupt, processes.Stopped):
            return 0

    def _restart(self, child: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
        env = {**os.environ, "DATABASE_URL": self.worker_database_url}
        logs = self.settings.data_dir / "logs"
        if "worker" in child.args:
            return processes.start_worker(env, self.settings, concurrency=self.concurrency, log_file=logs / "worker.log")
        return processes.start_beat(env, self.settings, log_file=logs / "beat.log")

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        processes.ignore_stop_signals()  # the warm stop runs to its end
        if any(child.poll() is None for child in self.children):
            print("stopping worker and beat (running tasks may finish first)", flush=True)
        processes.stop(self.children)
        if self.mirror is not None:
            self.mirror.stop()
            os.environ.pop("RECTIFY_MIRROR", None)
