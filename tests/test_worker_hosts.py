"""Workers on other machines reach the central services as docker-compose.workers.yml says: PostgreSQL over TLS
with a certificate of ops/make-certs.sh, verified (sslmode=verify-full), and refused without TLS
(ops/postgres/pg_hba.conf); Redis with the password docker-compose.yml starts it with, and refused without.

Real servers on 127.0.0.1: Debian's PostgreSQL binaries (pgserver's are built without OpenSSL) in a cluster of
the test's own, and the redis-server of the venv, started with the compose file's arguments."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import pytest
import redis

from tests.conftest import PROJECT_ROOT, wait_until
from tests.test_compose import COMPOSE, WORKERS, compose, dotenv

ENV = {**dotenv(), "RECTIFY_CENTRAL_HOST": "localhost", "RECTIFY_WRITER_PASSWORD": "writer-pw", "REDIS_PASSWORD": "redis-pw"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_with_tls() -> Path | None:
    for bindir in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        config = subprocess.run([f"{bindir}/pg_config", "--configure"], capture_output=True, text=True).stdout
        if "--with-openssl" in config and os.path.exists(f"{bindir}/initdb"):
            return Path(bindir)
    return None


BINDIR = _postgres_with_tls()


def _worker_env(service: str = "worker-parse") -> dict[str, str]:
    return compose(WORKERS, env=ENV)["services"][service]["environment"]


@pytest.fixture
def tls_server():
    """A PostgreSQL cluster on 127.0.0.1 with ops/postgres/pg_hba.conf and a certificate for `localhost` only."""
    if BINDIR is None or not shutil.which("openssl"):
        pytest.skip("no PostgreSQL built with OpenSSL (Debian's postgresql package) or no openssl here")
    root = os.geteuid() == 0
    if root:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server as")
        run_as = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups"]
    else:
        user, run_as = pwd.getpwuid(os.geteuid()), []
    work = Path(tempfile.mkdtemp(prefix="rectify-tls-"))
    work.chmod(0o755)
    tls = work / "tls"
    made = subprocess.run([str(PROJECT_ROOT / "ops" / "make-certs.sh"), "localhost"], capture_output=True, text=True,
                          env={**os.environ, "RECTIFY_TLS_DIR": str(tls), "RECTIFY_PG_UID": str(user.pw_uid)})
    assert made.returncode == 0, made.stderr
    shutil.copy(PROJECT_ROOT / "ops" / "postgres" / "pg_hba.conf", work / "pg_hba.conf")
    (work / "pg_hba.conf").chmod(0o644)
    if root:
        for path in (work, tls, tls / "server.key"):
            os.chown(path, user.pw_uid, user.pw_gid)
    init = subprocess.run([*run_as, str(BINDIR / "initdb"), "-D", str(work / "data"), "-U", "rectify",
                           "--auth-local=trust", "-E", "UTF8"], capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    port = _free_port()
    log = open(work / "server.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen([*run_as, str(BINDIR / "postgres"), "-D", str(work / "data"),
                               "-c", "listen_addresses=127.0.0.1", "-c", f"port={port}",
                               "-c", f"unix_socket_directories={work}", "-c", "ssl=on",
                               "-c", f"ssl_cert_file={tls / 'server.crt'}", "-c", f"ssl_key_file={tls / 'server.key'}",
                               "-c", f"hba_file={work / 'pg_hba.conf'}"], stdout=log, stderr=subprocess.STDOUT)

    def ready() -> bool:
        try:
            with psycopg.connect(host=str(work), port=port, user="rectify", dbname="postgres", autocommit=True) as conn:
                conn.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            assert server.poll() is None, (work / "server.log").read_text()
            return False
    try:
        wait_until(ready, 30, lambda: (work / "server.log").read_text())
        with psycopg.connect(host=str(work), port=port, user="rectify", dbname="postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE rectify")
            conn.execute("CREATE ROLE rectify_worker LOGIN PASSWORD 'writer-pw'")  # SCRAM (PostgreSQL's default)
        yield {"port": port, "ca": tls / "ca.crt"}
    finally:
        server.terminate()
        server.wait(30)
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def _url(template: str, server: dict, **changes: str) -> str:
    url = template.replace(":5432/", f":{server['port']}/").replace("/etc/rectify/tls/ca.crt", str(server["ca"]))
    for old, new in changes.items():
        url = url.replace(old, new)
    return url


def test_a_worker_host_reaches_postgresql_over_verified_tls_only(tls_server):
    url = _url(_worker_env()["DATABASE_URL"], tls_server)
    assert "sslmode=verify-full" in url
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT current_user, s.ssl, s.version FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()").fetchone()
    assert row[:2] == ("rectify_worker", True) and row[2].startswith("TLS")

    # the certificate names `localhost` only: a client that verifies refuses another name for the server
    with pytest.raises(psycopg.OperationalError, match="does not match|certificate"):
        psycopg.connect(_url(_worker_env()["DATABASE_URL"], tls_server, **{"@localhost:": "@127.0.0.1:"}))
    # no TLS: refused by pg_hba.conf, whatever the password
    with pytest.raises(psycopg.OperationalError, match="pg_hba.conf|no encryption"):
        psycopg.connect(_url(_worker_env()["DATABASE_URL"], tls_server, **{"sslmode=verify-full": "sslmode=disable"}))
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(_url(_worker_env()["DATABASE_URL"], tls_server, **{"writer-pw@": "wrong@"}))
    # RECTIFY_PG_SSLMODE=require (the image's self-signed certificate: no CA file to give): encrypted, unverified
    require = compose(WORKERS, env={**ENV, "RECTIFY_PG_SSLMODE": "require"})["services"]["worker-parse"]["environment"]
    with psycopg.connect(_url(require["DATABASE_URL"], tls_server, **{str(tls_server["ca"]): "/nonexistent/ca.crt"})) as conn:
        assert conn.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()[0] is True


def test_redis_started_as_compose_starts_it_wants_the_workers_password(tmp_path):
    port = _free_port()
    command = compose(COMPOSE, env=ENV)["services"]["redis"]["command"]
    exe = Path(sys.executable).with_name("redis-server")
    server = subprocess.Popen([str(exe), *command[1:], "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        url = _worker_env()["REDIS_URL"].replace("@localhost:6379/", f"@127.0.0.1:{port}/")

        def up() -> bool:
            try:
                return redis.Redis.from_url(url, socket_timeout=2).ping()
            except redis.exceptions.ConnectionError:
                assert server.poll() is None
                return False
        wait_until(up, 20, "redis-server did not start")
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis(host="127.0.0.1", port=port, socket_timeout=2).ping()
        with pytest.raises(redis.exceptions.AuthenticationError):
            redis.Redis.from_url(url.replace(":redis-pw@", ":wrong@"), socket_timeout=2).ping()
        # Celery (kombu) takes the URL as given: the workers' broker connection authenticates
        from celery import Celery

        with Celery(broker=url).connection() as conn:
            conn.ensure_connection(max_retries=1)
            assert conn.connected
    finally:
        server.terminate()
        server.wait(10)
