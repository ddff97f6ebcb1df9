"""Worker and broker faults (reliability matrix A): every notice stored once, every item ends with a reason."""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import Any

from crawler.mirror import mirrored_notices
from crawler.urls import url_key
from tests.conftest import PROJECT_ROOT, Worker, diagnose, rectify, run_ended, wait_until

NOTICE = next(n for n in mirrored_notices() if n["host"] == "www.sdjj.gov.cn")
SD01 = (PROJECT_ROOT / "crawler" / "mirror" / "corpus" / "sd01.txt").read_text(encoding="utf-8")


def _big_notice_page(copies: int = 40) -> bytes:
    """The Laishan notice repeated: ~1.7 MB of real text, seconds of parsing (a slow, pathological page)."""
    body = "".join(f"<p>{line}</p>" for line in SD01.splitlines() if line.strip()) * copies
    return f"<html><body><h2>{NOTICE['title']}</h2><div class='TRS_Editor'>{body}</div></body></html>".encode()


def _invariants(db: Any) -> None:
    """The SQL invariants every fault test ends with."""
    assert db.execute("SELECT url_key FROM notices GROUP BY url_key HAVING count(*) > 1").fetchall() == []
    open_items = db.execute("SELECT count(*) AS n FROM raw.work_items WHERE state IN ('queued', 'running')").fetchone()
    assert open_items["n"] == 0
    unexplained = db.execute("SELECT count(*) AS n FROM raw.work_items WHERE state IN ('failed', 'dead') "
                             "AND (error IS NULL OR error = '')").fetchone()
    assert unexplained["n"] == 0
    assert db.execute("SELECT count(*) AS n FROM crawl_runs WHERE state = 'running'").fetchone()["n"] == 0


def test_poison_page_that_kills_its_worker_ends_dead_after_bounded_attempts(worker, env, db, mirror):
    """The notice's parse kills the pool child every time (as an OOM kill would): after max_attempts
    claims the item is `dead` with the reason, with no endless requeue; the rest of the run completes."""
    mirror.set_page(NOTICE["host"], NOTICE["path"], _big_notice_page())
    stop = threading.Event()
    kills = []

    def killer() -> None:
        while not stop.is_set():
            running = db.execute("SELECT item_id FROM raw.work_items WHERE kind = 'parse' AND state = 'running' "
                                 "AND url = %s", (NOTICE["url"],)).fetchone()
            if running:
                for pid in worker.children():
                    try:
                        os.kill(pid, signal.SIGKILL)
                        kills.append(pid)
                    except ProcessLookupError:
                        pass
                time.sleep(0.5)
            time.sleep(0.02)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        assert rectify(env, "crawl", "--no-wait", "shandong").returncode == 0
        wait_until(run_ended(db), 120, "the run never ended")
    finally:
        stop.set()
        thread.join()
        mirror.remove_page(NOTICE["host"], NOTICE["path"])
    item = db.execute("SELECT * FROM raw.work_items WHERE kind = 'parse' AND url = %s", (NOTICE["url"],)).fetchone()
    assert item["state"] == "dead" and item["error_class"] == "worker_lost"
    assert item["attempts"] <= int(env["RECTIFY_MAX_ATTEMPTS"]) + 1 and kills
    assert db.execute("SELECT count(*) AS n FROM failures WHERE error_class = 'worker_lost' AND final").fetchone()["n"] >= 1
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 0
    _invariants(db)


def test_parse_over_its_soft_time_limit_is_recorded_not_retried(env, db, mirror, settings, tmp_path):
    from tests.conftest import Sweeper

    slow_env = {**env, "RECTIFY_SOFT_TIME_LIMIT": "0.2", "RECTIFY_TIME_LIMIT": "20"}
    path = "/gzzc/xsxc/202008/t20200803_99999999.htm"
    mirror.set_page("www.sdjj.gov.cn", path, _big_notice_page())
    worker, sweeper = Worker(slow_env, tmp_path / "w.log").start(), Sweeper(settings)
    sweeper.start()
    try:
        from crawler.db import workqueue as wq
        from crawler.sites import load_sites
        from workers.app import make_app
        from workers.dispatch import publish

        site = load_sites(settings.sites_dirs)["shandong"]
        run_id, _ = wq.create_run(db, site, trigger="manual", lease=60, max_attempts=3, list_pages=False)
        item = {"run_id": run_id, "site_id": "shandong"}
        followup = wq.enqueue(db, run_id, "shandong", "article", "http://www.sdjj.gov.cn" + path, lease=60,
                              max_attempts=3, payload=item)
        publish(make_app(settings), [followup])
        wait_until(run_ended(db), 90, "the run never ended")
    finally:
        sweeper.halt.set()
        worker.stop()
        mirror.remove_page("www.sdjj.gov.cn", path)
    parse = db.execute("SELECT * FROM raw.work_items WHERE kind = 'parse'").fetchone()
    assert parse["state"] == "failed" and parse["error_class"] == "time_limit" and parse["attempts"] == 1
    _invariants(db)


def test_messages_lost_by_a_redis_restart_without_persistence_are_recovered(worker, env, db, settings, tmp_path):
    """Redis is shut down without saving and its append-only file deleted while work is queued and running;
    it comes back empty; the sweep re-publishes from PostgreSQL and every notice is stored once."""
    from workers.services import redis_socket, start_embedded_redis, stop_embedded_redis

    redis_dir = redis_socket_dir(settings.redis_url)
    assert rectify(env, "crawl", "--no-wait", "liaoning").returncode == 0
    wait_until(lambda: db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] >= 3, 60, "no progress")
    stop_embedded_redis(redis_dir)
    for leftover in redis_dir.glob("appendonly*"):
        _remove(leftover)
    start_embedded_redis(redis_dir)
    assert redis_socket(redis_dir).exists()
    # Kombu's Unix-socket transport can stop the worker when its broker vanishes; in production the
    # process supervisor (compose's restart policy, `rectify up`) starts it again. Do the same here.
    time.sleep(3)
    replacement = None
    if worker.proc.poll() is not None:
        replacement = Worker(env, worker.log_path.with_name("worker-restarted.log")).start()
    try:
        wait_until(run_ended(db), 180, lambda: "the run never ended after the Redis restart\n"
                   + diagnose(db, replacement or worker))
    finally:
        if replacement:
            replacement.stop()
    expected = {url_key(n["url"]) for n in mirrored_notices() if n["host"] == "www.lnsjjjc.gov.cn"}
    assert {r["url_key"] for r in db.execute("SELECT url_key FROM notices").fetchall()} == expected
    _invariants(db)


def redis_socket_dir(redis_url: str):  # noqa: ANN201
    from pathlib import Path

    return Path(redis_url.removeprefix("redis+socket://")).parent


def _remove(path) -> None:  # noqa: ANN001
    import shutil

    shutil.rmtree(path) if path.is_dir() else path.unlink()


def test_a_stalled_redis_delays_publishing_but_loses_nothing(worker, env, db, settings):
    """Redis is frozen (SIGSTOP) while `rectify crawl` publishes: the command returns instead of hanging,
    the run's first item waits in PostgreSQL, and after Redis resumes the sweep publishes it."""
    import subprocess

    redis_dir = redis_socket_dir(settings.redis_url)
    pid = int((redis_dir / "redis.pid").read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        result = rectify(env, "crawl", "--no-wait", "shandong", timeout=120)
        elapsed = time.monotonic() - started
    except subprocess.TimeoutExpired:
        raise AssertionError("rectify crawl hung on a stalled Redis") from None
    finally:
        os.kill(pid, signal.SIGCONT)
    assert result.returncode == 0 and elapsed < 90
    assert "could not publish" in result.stderr or "sweep" in result.stderr
    wait_until(run_ended(db), 120, "the run never ended after Redis resumed")
    items = db.execute("SELECT kind, state, outcome, error FROM raw.work_items ORDER BY item_id").fetchall()
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 1, items
    _invariants(db)


def test_broker_connection_lost_during_long_tasks_loses_and_doubles_nothing(worker, env, db, settings, mirror):
    """Redis freezes for several seconds while the worker is inside slow fetches (the site answers
    slowly): the connection is lost mid-task; after it returns every notice is stored exactly once."""
    mirror.latency = 0.3
    redis_dir = redis_socket_dir(settings.redis_url)
    pid = int((redis_dir / "redis.pid").read_text())
    assert rectify(env, "crawl", "--no-wait", "liaoning").returncode == 0
    wait_until(lambda: db.execute("SELECT count(*) AS n FROM raw.work_items WHERE kind = 'article' "
                                  "AND state = 'running'").fetchone()["n"] >= 1, 60, "no article in flight")
    os.kill(pid, signal.SIGSTOP)
    time.sleep(8)
    os.kill(pid, signal.SIGCONT)
    mirror.latency = 0.0
    wait_until(run_ended(db), 240, lambda: "the run never ended after the broker came back\n" + diagnose(db, worker))
    expected = {url_key(n["url"]) for n in mirrored_notices() if n["host"] == "www.lnsjjjc.gov.cn"}
    assert sorted(r["url_key"] for r in db.execute("SELECT url_key FROM notices").fetchall()) == sorted(expected)
    _invariants(db)


def test_redis_away_during_a_fetch_is_retried_not_a_lost_notice(db, settings):
    """A step whose politeness lock cannot reach Redis records a retryable failure and goes back to the
    queue (it used to end as a final internal_error: the notice was lost)."""
    import redis

    from crawler.db import workqueue as wq
    from crawler.mirror import mirrored_notices
    from crawler.pipeline import process_item
    from crawler.runtime import build_context
    from crawler.sites import load_sites

    site = load_sites(settings.sites_dirs)["liaoning"]
    run_id, _ = wq.create_run(db, site, trigger="manual", lease=6, max_attempts=3, list_pages=False)
    notice = next(n for n in mirrored_notices() if n["host"] == "www.lnsjjjc.gov.cn")
    item = wq.enqueue(db, run_id, site.id, "article", notice["url"], lease=6, max_attempts=3)
    away = redis.Redis(unix_socket_path="/nonexistent/redis.sock", socket_connect_timeout=0.5)
    ctx = build_context(settings, away)
    try:
        assert process_item(ctx, item.item_id) == []
    finally:
        ctx.pool.close()
    row = db.execute("SELECT state, error_class FROM raw.work_items WHERE item_id = %s", [item.item_id]).fetchone()
    assert (row["state"], row["error_class"]) == ("queued", "redis_unavailable")
    failure = db.execute("SELECT error_class, final FROM failures WHERE item_id = %s", [item.item_id]).fetchone()
    assert (failure["error_class"], failure["final"]) == ("redis_unavailable", False)
