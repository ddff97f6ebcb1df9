"""PostgreSQL faults (reliability matrix C): outages, killed connections, concurrent stores, URL variants."""

from __future__ import annotations

import os
import threading
import time

import psycopg
import pytest

from crawler.db.connect import connect
from crawler.db.store import store_notice
from crawler.mirror import mirrored_notices
from crawler.text.parse import parse_text
from crawler.urls import url_key
from tests.conftest import PROJECT_ROOT, rectify, wait_until
from tests.test_worker_faults import _invariants

SD01 = (PROJECT_ROOT / "crawler" / "mirror" / "corpus" / "sd01.txt").read_text(encoding="utf-8")
LIAONING = {url_key(n["url"]) for n in mirrored_notices() if n["host"] == "www.lnsjjjc.gov.cn"}


def _run_state(url: str) -> str:
    with connect(url) as conn:
        return conn.execute("SELECT state FROM crawl_runs ORDER BY run_id DESC LIMIT 1").fetchone()["state"]


def _stored_keys(url: str) -> list[str]:
    with connect(url) as conn:
        return [r["url_key"] for r in conn.execute("SELECT url_key FROM notices").fetchall()]


def test_connections_killed_mid_crawl_and_at_commit_change_nothing(worker, env, db, settings, admin_url):
    """A watcher terminates every worker connection again and again while Liaoning is crawled: each
    interrupted transaction rolls back and is replayed; every notice ends stored exactly once."""
    stop, killed = threading.Event(), []

    def killer() -> None:
        with connect(admin_url, autocommit=True) as conn:
            while not stop.wait(0.3):
                rows = conn.execute("SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                                    "AND application_name NOT LIKE 'pytest%%'").fetchall()
                killed.extend(r["ok"] for r in rows)

    db.execute("SET application_name = 'pytest-db'")
    assert rectify(env, "crawl", "--no-wait", "liaoning").returncode == 0
    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    time.sleep(4)
    stop.set()
    thread.join()
    wait_until(lambda: _run_state(settings.database_url) != "running", 180, "the run never ended")
    assert any(killed)
    keys = _stored_keys(settings.database_url)
    with connect(settings.database_url) as conn:
        missing = [dict(r) for r in conn.execute(
            "SELECT kind, state, error FROM raw.work_items WHERE url_key <> ALL(%s) "
            "AND kind <> 'list'", (keys,)).fetchall()]
    assert sorted(keys) == sorted(LIAONING), missing
    with connect(settings.database_url) as conn:
        _invariants(conn)


@pytest.mark.skipif(bool(os.environ.get("RECTIFY_TEST_DATABASE_URL")), reason="needs the embedded server to stop it")
def test_postgres_stopped_during_a_crawl_and_restarted(worker, env, db, settings):
    from workers.services import start_embedded_postgres, stop_embedded_postgres

    pgdata = _pgdata(settings.database_url)
    assert rectify(env, "crawl", "--no-wait", "liaoning").returncode == 0
    wait_until(lambda: len(_stored_keys(settings.database_url)) >= 3, 60, "no progress before the outage")
    db.close()
    stop_embedded_postgres(pgdata)
    time.sleep(3)
    start_embedded_postgres(pgdata)
    wait_until(lambda: _run_state(settings.database_url) != "running", 240, "the run never ended after the restart")
    assert sorted(_stored_keys(settings.database_url)) == sorted(LIAONING)
    with connect(settings.database_url) as conn:
        _invariants(conn)


def _pgdata(database_url: str):  # noqa: ANN202
    from pathlib import Path

    from psycopg.conninfo import conninfo_to_dict

    return Path(conninfo_to_dict(database_url)["host"])


def test_the_same_notice_stored_concurrently_is_one_row(db, settings):
    doc = parse_text(SD01)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def store() -> None:
        with connect(settings.database_url) as conn, conn.transaction():
            barrier.wait()
            outcomes.append(store_notice(conn, site_id="shandong", url="http://www.sdjj.gov.cn/a/1.htm",
                                         page_id=None, doc=doc))

    threads = [threading.Thread(target=store) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(outcomes) == ["new", "unchanged"]
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 1
    assert db.execute("SELECT count(*) AS n FROM notice_versions").fetchone()["n"] == 1


def test_url_variants_are_one_notice(db):
    doc = parse_text(SD01)
    variants = ["http://www.sdjj.gov.cn/a/1.htm", "https://www.sdjj.gov.cn/a/1.htm", "http://WWW.SDJJ.GOV.CN/a/1.htm",
                "http://www.sdjj.gov.cn/a/1.htm/", "http://www.sdjj.gov.cn/a/1.htm?utm_source=weixin#p2"]
    with db.transaction():
        outcomes = [store_notice(db, site_id="shandong", url=u, page_id=None, doc=doc) for u in variants]
    assert outcomes == ["new"] + ["unchanged"] * 4
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 1


def test_a_write_after_the_server_hung_up_is_an_operational_error_not_a_silent_success(settings, admin_url):
    """The storage layer never swallows database errors (the task lets the lease bring the item back)."""
    conn = connect(settings.database_url)
    with connect(admin_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
    with pytest.raises(psycopg.OperationalError):
        conn.execute("SELECT 1")
