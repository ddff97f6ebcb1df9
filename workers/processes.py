"""Starting and stopping the worker, beat and mirror processes for `rectify up` / `rectify run`.

Each child runs in a process group of its own, so a terminal's Ctrl-C or hang-up reaches only the
supervising `rectify` process, which then stops its children in order (a celery worker would take
SIGHUP as "restart", and a second SIGINT as a cold shutdown). Each child is also told by the kernel
to stop (SIGTERM) if the supervisor dies without doing so (SIGKILL, OOM), so none is left under PID 1.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from crawler.settings import Settings

ALL_QUEUES = "crawl,parse,store,control"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
PR_SET_PDEATHSIG = 1
try:  # loaded here, not between fork and exec
    _LIBC: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)
except OSError:
    _LIBC = None


class Stopped(BaseException):  # noqa: N818 - not an error: someone asked us to stop
    """Raised in the main thread by a stop signal (SIGTERM, SIGINT, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def install_stop_handlers() -> None:
    """SIGTERM, SIGINT and SIGHUP raise Stopped, installed explicitly: a job started in the background
    by a shell has SIGINT ignored, and Python then installs no KeyboardInterrupt handler of its own."""
    def handler(signum: int, _frame: object) -> None:
        ignore_stop_signals()  # stop once; a second signal must not interrupt the warm shutdown
        raise Stopped(signum)

    for sig in STOP_SIGNALS:
        signal.signal(sig, handler)


def ignore_stop_signals() -> None:
    for sig in STOP_SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


@contextlib.contextmanager
def stop_signals_held() -> Iterator[None]:
    """Hold stop signals back while children are started, so none is started and then forgotten."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def celery_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "workers.app", *args]


def start_worker(env: dict[str, str], settings: Settings, *, queues: str = ALL_QUEUES, concurrency: int = 2,
                 name: str = "rectify", log_file: Path | None = None, pool: str = "prefork") -> subprocess.Popen[bytes]:
    args = celery_command("worker", "-Q", queues, "-c", str(concurrency), "-P", pool, "-n", f"{name}@%h",
                          "--loglevel", "INFO", "--without-gossip", "--without-mingle")
    return _spawn(args, env, log_file)


def start_beat(env: dict[str, str], settings: Settings, *, log_file: Path | None = None) -> subprocess.Popen[bytes]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    args = celery_command("beat", "-s", str(settings.data_dir / "beat-schedule"), "--loglevel", "INFO")
    return _spawn(args, env, log_file)


def _spawn(args: list[str], env: dict[str, str], log_file: Path | None) -> subprocess.Popen[bytes]:
    out = open(log_file, "ab") if log_file else None  # noqa: SIM115 - lives as long as the child
    return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT if out else None,
                            process_group=0, preexec_fn=_child_setup(os.getpid()))


def _child_setup(parent: int) -> Callable[[], None]:
    """Runs in the child between fork and exec: default signal dispositions and an unblocked mask (both
    survive exec: a background job's ignored SIGINT, our held signals), and SIGTERM when the parent dies."""
    def setup() -> None:
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_DFL)
        if _LIBC is not None and sys.platform == "linux":
            _LIBC.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        if os.getppid() != parent:  # the parent died before prctl: nobody would stop us
            os._exit(1)
    return setup


def stop(processes: list[subprocess.Popen[bytes]], timeout: float = 20) -> None:
    """Warm shutdown (SIGTERM lets running tasks finish), then SIGKILL what is left of each child's
    process group (a worker's pool children are in it)."""
    for proc in processes:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in processes:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        # The group outlives its leader while a pool child still runs; after a warm stop it is empty.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
