"""`rectify up` on the default set-up (embedded PostgreSQL and Redis: DATABASE_URL and REDIS_URL unset):
stop signals, in the foreground and in the background, leave no process behind; `rectify reparse` works
there; and beat's watchdog holds the analysts' limits."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import psycopg
import pytest

from tests.conftest import PROJECT_ROOT, TEST_SITES, WORKER_ENV, rectify, wait_until

SERVICES = {"postgres", "redis-server", "pg_ctl"}   # the embedded services outlive `up` by design


@pytest.fixture(scope="module")
def embedded_env(mirror) -> Iterator[dict[str, str]]:
    data = Path(tempfile.mkdtemp(prefix="rectify-up-"))
    data.chmod(0o755)  # pgserver runs postgres as its own user, which must reach the folder
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(WORKER_ENV, RECTIFY_DATA_DIR=str(data), RECTIFY_MIRROR=mirror.url,
               RECTIFY_SITES_DIRS=str(TEST_SITES), RECTIFY_ANALYST_QUERY_SECONDS="2",
               RECTIFY_ANALYST_WATCH_SECONDS="0.5")
    yield env
    rectify(env, "services", "stop", timeout=60)
    shutil.rmtree(data, ignore_errors=True)


class Up:
    """`rectify up` as a user starts it: in a session of its own, like a shell job, its SIGINT ignored
    when started in the background (`rectify up &`)."""

    def __init__(self, env: dict[str, str], *, background: bool) -> None:
        self.logs = Path(env["RECTIFY_DATA_DIR"]) / "logs"
        self.offsets = {name: self._size(name) for name in ("worker.log", "crawl-worker.log", "beat.log")}
        self.out = tempfile.TemporaryFile()  # noqa: SIM115 - read while and after the process runs
        exe = Path(sys.executable).with_name("rectify")
        ignore_sigint = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if background else None
        self.proc = subprocess.Popen([str(exe), "up"], env=env, cwd=PROJECT_ROOT, stdout=self.out,
                                     stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=ignore_sigint)

    def _size(self, name: str) -> int:
        path = self.logs / name
        return path.stat().st_size if path.exists() else 0

    def _logged(self, name: str, text: bytes) -> bool:
        path = self.logs / name
        return path.exists() and text in path.read_bytes()[self.offsets[name]:]

    def output(self) -> str:
        self.out.seek(0)
        return self.out.read().decode(errors="replace")

    def wait_ready(self) -> list[psutil.Process]:
        """Worker ready with its pool, beat ticking: the whole process tree of `up`."""
        def ready() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"rectify up exited with {self.proc.returncode}:\n{self.output()}")
            return (self._logged("worker.log", b"ready.") and self._logged("crawl-worker.log", b"ready.")
                    and self._logged("beat.log", b"beat: Starting"))
        wait_until(ready, 180, lambda: f"rectify up did not get ready:\n{self.output()}")
        tree = psutil.Process(self.proc.pid).children(recursive=True)
        commands = [" ".join(p.cmdline()) for p in tree]
        assert sum(" worker " in c for c in commands) >= 4, commands  # the crawl worker, the other and its pool
        assert sum(" -P threads " in c for c in commands) == 1, commands
        assert sum(" beat " in c for c in commands) == 1, commands
        return tree


def left_behind(tree: list[psutil.Process], data_dir: str) -> list[str]:
    """Processes of the tree still alive (zombies too), and any other process of this data folder
    except the embedded services."""
    alive = [p for p in tree if _alive(p)]
    for proc in psutil.process_iter(["name"]):
        try:
            if proc.info["name"] not in SERVICES and proc.environ().get("RECTIFY_DATA_DIR") == data_dir:
                alive.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue
    return [f"{p.pid} (parent {_parent(p)}): {' '.join(_cmdline(p))}" for p in alive]


def _alive(proc: psutil.Process) -> bool:
    try:
        return proc.is_running()   # also checks the pid was not reused (creation time)
    except psutil.NoSuchProcess:
        return False


def _parent(proc: psutil.Process) -> int | None:
    try:
        return proc.ppid()
    except psutil.Error:
        return None


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:
        return ["?"]


@pytest.mark.parametrize("background", [False, True], ids=["foreground", "background"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=lambda s: s.name)
def test_up_stops_on_signal_and_leaves_nothing_behind(embedded_env, sig, background):
    up = Up(embedded_env, background=background)
    try:
        tree = up.wait_ready()
        if background:
            os.kill(up.proc.pid, sig)        # `kill -INT %1`: to the job alone
        else:
            os.killpg(up.proc.pid, sig)      # Ctrl-C, a hang-up: to the whole foreground process group
        code = up.proc.wait(60)
        deadline = time.monotonic() + 10
        while left_behind(tree, embedded_env["RECTIFY_DATA_DIR"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert code == 0, up.output()
        assert left_behind(tree, embedded_env["RECTIFY_DATA_DIR"]) == []
        assert "stopping workers and beat" in up.output()
    finally:
        if up.proc.poll() is None:
            os.killpg(up.proc.pid, signal.SIGKILL)
            up.proc.wait()


def test_reparse_and_the_analyst_watchdog_on_the_default_setup(embedded_env):
    from crawler.db.dbsetup import analyst_url
    from workers.services import start_embedded_postgres

    up = Up(embedded_env, background=False)
    try:
        tree = up.wait_ready()
        crawl = rectify(embedded_env, "crawl", "shandong", timeout=120)
        assert crawl.returncode == 0, crawl.stdout + crawl.stderr
        reparse = rectify(embedded_env, "reparse", "shandong", "--timeout", "120", timeout=180)
        assert reparse.returncode == 0, reparse.stdout + reparse.stderr
        assert "REDIS_URL" not in reparse.stderr and "shandong: done" in reparse.stdout, reparse.stdout
        # As rectify_reader, limits switched off in the session: beat's watchdog cancels it after 2 s.
        admin = start_embedded_postgres(Path(embedded_env["RECTIFY_DATA_DIR"]) / "postgres")
        with psycopg.connect(analyst_url(admin, None), autocommit=True) as conn:
            conn.execute("SET statement_timeout = 0")
            started = time.monotonic()
            with pytest.raises(psycopg.errors.QueryCanceled):
                conn.execute("SELECT pg_sleep(30)")
            assert time.monotonic() - started < 10
        os.killpg(up.proc.pid, signal.SIGTERM)
        assert up.proc.wait(60) == 0
        assert left_behind(tree, embedded_env["RECTIFY_DATA_DIR"]) == []
    finally:
        if up.proc.poll() is None:
            os.killpg(up.proc.pid, signal.SIGKILL)
            up.proc.wait()


def test_every_other_verb_on_the_default_setup(embedded_env, tmp_path):
    """Each verb as the README's users run it: DATABASE_URL and REDIS_URL unset, the embedded services."""
    notice = PROJECT_ROOT / "crawler" / "mirror" / "corpus" / "sd01.txt"
    page = PROJECT_ROOT / "tests" / "fixtures" / "html" / "ccdi_t20241226_396659_full.html"
    backup = tmp_path / "rectify.dump"
    verbs = [
        ("db", "init"), ("db", "upgrade"), ("db", "url"), ("db", "refresh"), ("sites",), ("status",),
        ("sql", "SELECT count(*) AS n FROM sites"), ("parse", str(notice), "--json"),
        ("sites", "check", "faults", "--html", str(page)),
        ("export", "--format", "csv", "--out", str(tmp_path / "notices.csv")),
        ("db", "backup", str(backup)), ("db", "restore", "--clean", str(backup)), ("sweep",),
    ]
    for verb in verbs:
        result = rectify(embedded_env, *verb, timeout=180)
        # `sites check` exits 1 when the page shows nothing the site's definition reads: still no error
        assert result.returncode in ((0, 1) if verb[:2] == ("sites", "check") else (0,)), (verb, result.stderr)
        assert "Traceback" not in result.stderr and "REDIS_URL" not in result.stderr, (verb, result.stderr)
    assert (tmp_path / "notices.csv").exists() and backup.exists()
