"""Starting and stopping the worker, beat and mirror processes for `rectify up` / `rectify run`."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from crawler.settings import Settings

ALL_QUEUES = "crawl,parse,store,control"


def celery_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "workers.app", *args]


def start_worker(env: dict[str, str], settings: Settings, *, queues: str = ALL_QUEUES, concurrency: int = 2,
                 name: str = "rectify", log_file: Path | None = None) -> subprocess.Popen[bytes]:
    args = celery_command("worker", "-Q", queues, "-c", str(concurrency), "-n", f"{name}@%h",
                          "--loglevel", "INFO", "--without-gossip", "--without-mingle")
    return _spawn(args, env, log_file)


def start_beat(env: dict[str, str], settings: Settings, *, log_file: Path | None = None) -> subprocess.Popen[bytes]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    args = celery_command("beat", "-s", str(settings.data_dir / "beat-schedule"), "--loglevel", "INFO")
    return _spawn(args, env, log_file)


def _spawn(args: list[str], env: dict[str, str], log_file: Path | None) -> subprocess.Popen[bytes]:
    out = open(log_file, "ab") if log_file else None  # noqa: SIM115 - lives as long as the child
    return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT if out else None)


def stop(processes: list[subprocess.Popen[bytes]], timeout: float = 20) -> None:
    """Warm shutdown (SIGTERM lets running tasks finish), then SIGKILL what is left."""
    for proc in processes:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in processes:
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
