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
    assert parse, db.execute("SELECT kind, state, error_class, error, attempts FROM raw.work_items").fetchall()
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


# -- recovery in seconds: short leases, renewed by a heartbeat; a restarted worker releases its items ----

PRODUCTION_LEASES = {"RECTIFY_LEASE_SECONDS": "30", "RECTIFY_QUEUE_LEASE_SECONDS": "600", "RECTIFY_HEARTBEAT_SECONDS": ""}


def test_a_worker_killed_and_restarted_resumes_every_item_in_seconds(env, db, settings, mirror, tmp_path):
    """SIGKILL of the whole worker (main process and pool children) mid-crawl, with the production leases
    (30 s running, 600 s queued): the worker started again under its name releases at once what its dead
    incarnation held and re-publishes the queued work whose messages it had reserved. Every item resumes
    well within the lease (so not by the sweep), the run ends, every notice stored once."""
    import dataclasses

    from tests.conftest import Sweeper

    prod_env = {**env, **PRODUCTION_LEASES}
    sweeper = Sweeper(dataclasses.replace(settings, lease_seconds=30, queue_lease_seconds=600))
    mirror.latency = 0.3  # fetches in flight at the kill
    worker = Worker(prod_env, tmp_path / "w1.log", name="rec").start()
    sweeper.start()
    replacement = None
    try:
        assert rectify(prod_env, "crawl", "--no-wait", "liaoning").returncode == 0
        wait_until(lambda: db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] >= 3
                   and db.execute("SELECT count(*) AS n FROM raw.work_items WHERE state = 'running'").fetchone()["n"] >= 1,
                   90, "no progress before the kill", poll=0.05)
        worker.kill()
        killed_at = time.monotonic()
        held = db.execute("SELECT item_id, held_process FROM raw.work_items WHERE state = 'running'").fetchall()
        stored_at_kill = db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"]
        assert held and stored_at_kill < 34, "nothing in flight at the kill; the test proves nothing"
        mirror.latency = 0.0
        replacement = Worker(prod_env, tmp_path / "w2.log", name="rec").start()
        ready_at = time.monotonic()

        def resumed() -> bool:
            rows = db.execute("SELECT item_id, state, held_process FROM raw.work_items WHERE item_id = ANY(%s)",
                              [[h["item_id"] for h in held]]).fetchall()
            before = {h["item_id"]: h["held_process"] for h in held}
            return all(r["state"] != "running" or r["held_process"] != before[r["item_id"]] for r in rows)

        wait_until(resumed, 60, lambda: "the items of the killed worker were not resumed\n" + diagnose(db, replacement),
                   poll=0.05)
        resumed_at = time.monotonic()
        wait_until(run_ended(db), 120, lambda: "the run never ended after the restart\n" + diagnose(db, replacement))
        ended_at = time.monotonic()
    finally:
        sweeper.halt.set()
        mirror.latency = 0.0
        for w in (worker, replacement):
            if w:
                w.stop()
    print(f"\nrecovery after SIGKILL: {len(held)} item(s) held at the kill; worker restarted (ready) "
          f"{ready_at - killed_at:.1f} s after the kill; kill -> every item resumed {resumed_at - killed_at:.1f} s; "
          f"kill -> run done {ended_at - killed_at:.1f} s (lease 30 s, old lease 600 s)")
    assert resumed_at - killed_at < 25  # well under the lease: the restart released them, not the sweep
    assert ended_at - killed_at < 90
    expected = {url_key(n["url"]) for n in mirrored_notices() if n["host"] == "www.lnsjjjc.gov.cn"}
    assert sorted(r["url_key"] for r in db.execute("SELECT url_key FROM notices").fetchall()) == sorted(expected)
    assert db.execute("SELECT state FROM crawl_runs").fetchone()["state"] == "done"
    assert "released" in (tmp_path / "w2.log").read_text(errors="replace")
    _invariants(db)


def test_a_step_longer_than_its_lease_keeps_its_item_thanks_to_the_heartbeat(env, db, settings, mirror, tmp_path):
    """A fetch lasting several leases (the site answers in 4 s; lease 2 s, heartbeat 0.5 s): the sweep
    runs every 0.5 s and a second worker gets a duplicate message of the item, yet nobody takes it: one
    claim, one fetch, one notice, no worker_lost. (With the heartbeat off, the sweep takes it: 3 claims.)"""
    import dataclasses

    from crawler.db import workqueue as wq
    from crawler.sites import load_sites
    from tests.conftest import Sweeper
    from workers.app import make_app
    from workers.dispatch import publish

    slow_env = {**env, "RECTIFY_LEASE_SECONDS": "2", "RECTIFY_HEARTBEAT_SECONDS": "0.5", "RECTIFY_READ_TIMEOUT": "20",
                "RECTIFY_SOFT_TIME_LIMIT": "60", "RECTIFY_TIME_LIMIT": "90"}
    fast = dataclasses.replace(settings, lease_seconds=2)
    first = Worker(slow_env, tmp_path / "w1.log", concurrency=1).start()
    second = Worker(slow_env, tmp_path / "w2.log", concurrency=1).start()
    sweeper = Sweeper(fast, period=0.5)
    sweeper.start()
    try:
        site = load_sites(settings.sites_dirs)["shandong"]
        run_id, _ = wq.create_run(db, site, trigger="manual", lease=60, max_attempts=3, list_pages=False)
        followup = wq.enqueue(db, run_id, "shandong", "article", NOTICE["url"], lease=60, max_attempts=3)
        mirror.latency = 4.0
        app = make_app(settings)
        publish(app, [followup])
        wait_until(lambda: db.execute("SELECT state FROM raw.work_items WHERE item_id = %s",
                                      [followup.item_id]).fetchone()["state"] == "running", 30, "never claimed", poll=0.05)
        claimed_at = time.monotonic()
        for _ in range(6):  # a duplicate message every second, for whichever worker is free
            time.sleep(1)
            publish(app, [followup])
        mirror.latency = 0.0
        wait_until(run_ended(db), 90, lambda: "the run never ended\n" + diagnose(db, first))
    finally:
        sweeper.halt.set()
        mirror.latency = 0.0
        first.stop()
        second.stop()
    article = db.execute("SELECT * FROM raw.work_items WHERE item_id = %s", [followup.item_id]).fetchone()
    fetches = [r for r in mirror.requests if r["path"] == NOTICE["path"]]
    print(f"\nlong step: article held {time.monotonic() - claimed_at:.1f}+ s under a 2 s lease; "
          f"{article['attempts']} claim(s), {len(fetches)} fetch(es)")
    assert article["state"] == "done" and article["attempts"] == 1, article
    assert len(fetches) == 1
    assert db.execute("SELECT count(*) AS n FROM failures WHERE error_class = 'worker_lost'").fetchone()["n"] == 0
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 1
    _invariants(db)


def test_rectify_crawl_says_what_it_waits_for(db, settings, capsys):
    """While items are held by a worker that stopped renewing their leases, the progress line says so,
    with when they resume."""
    from crawler.db import workqueue as wq
    from crawler.sites import load_sites
    from workers.cli import wait_for_runs

    site = load_sites(settings.sites_dirs)["shandong"]
    run_id, followups = wq.create_run(db, site, trigger="manual", lease=60, max_attempts=3)
    wq.claim(db, followups[0].item_id, lease=30, holder=wq.Holder("gone@host", "1:1"))
    db.execute("UPDATE raw.work_items SET renewed_at = now() - interval '40 s', lease_until = now() + interval '18 s'")
    wait_for_runs(settings, [run_id], timeout=0)
    out = capsys.readouterr().out
    assert "1 item held by a lost worker, resuming in ~" in out, out
