"""The durable work queue: claims, leases, the sweep, dead items, idempotent runs (real PostgreSQL)."""

from __future__ import annotations

import time

from crawler.db import workqueue as wq
from crawler.sites import load_sites


def _site(settings):  # noqa: ANN001, ANN202
    return load_sites(settings.sites_dirs)["shandong"]


def test_a_claimed_item_cannot_be_claimed_again_until_its_lease_expires(db, settings):
    run_id, followups = wq.create_run(db, _site(settings), trigger="manual", lease=1, max_attempts=3)
    item_id = followups[0].item_id
    assert wq.claim(db, item_id, lease=1)["attempts"] == 1
    assert wq.claim(db, item_id, lease=1) is None  # duplicate delivery while running: skipped
    time.sleep(1.1)
    assert wq.claim(db, item_id, lease=1)["attempts"] == 2  # the lease expired: the worker is presumed dead


def test_sweep_requeues_lost_work_and_declares_it_dead_after_max_attempts(db, settings):
    _run_id, followups = wq.create_run(db, _site(settings), trigger="manual", lease=0, max_attempts=2)
    item_id = followups[0].item_id
    time.sleep(0.05)
    assert [f.item_id for f in wq.sweep(db, lease=0)] == [item_id]  # queued, message lost: published again
    for _ in range(2):
        wq.claim(db, item_id, lease=0)
        time.sleep(0.05)
        wq.sweep(db, lease=0)
    item = db.execute("SELECT * FROM raw.work_items WHERE item_id = %s", (item_id,)).fetchone()
    assert item["state"] == "dead" and item["error_class"] == "worker_lost"
    failure = db.execute("SELECT * FROM failures").fetchone()
    assert failure["error_class"] == "worker_lost" and "lease expired" in failure["message"]
    run = db.execute("SELECT * FROM crawl_runs").fetchone()
    assert run["state"] == "failed" and "no list page could be read" in run["error"]  # its only list page died


def test_a_repeated_request_key_returns_the_same_run(db, settings):
    first, followups = wq.create_run(db, _site(settings), trigger="manual", request_key="k1", lease=60, max_attempts=3)
    again, none = wq.create_run(db, _site(settings), trigger="manual", request_key="k1", lease=60, max_attempts=3)
    assert first == again and followups and none == []
    assert db.execute("SELECT count(*) AS n FROM crawl_runs").fetchone()["n"] == 1


def test_one_run_per_site_and_schedule_slot(db, settings):
    from datetime import UTC, datetime

    slot = datetime(2026, 11, 23, 6, 25, tzinfo=UTC)
    a, _ = wq.create_run(db, _site(settings), trigger="schedule", slot=slot, lease=60, max_attempts=3)
    b, again = wq.create_run(db, _site(settings), trigger="schedule", slot=slot, lease=60, max_attempts=3)
    assert a == b and again == []


def test_retryable_failure_goes_back_to_the_queue_then_fails_for_good(db, settings):
    _run_id, followups = wq.create_run(db, _site(settings), trigger="manual", lease=60, max_attempts=2)
    item_id = followups[0].item_id
    for expected_state in ("queued", "failed"):
        item = wq.claim(db, item_id, lease=60) or db.execute(
            "UPDATE raw.work_items SET state='running' WHERE item_id=%s RETURNING *", (item_id,)).fetchone()
        wq.fail(db, item, error_class="http_503", message="HTTP 503", retryable=True, retry_delay=0)
        state = db.execute("SELECT state FROM raw.work_items WHERE item_id = %s", (item_id,)).fetchone()["state"]
        assert state == expected_state
    finals = [r["final"] for r in db.execute("SELECT final FROM failures ORDER BY failure_id").fetchall()]
    assert finals == [False, True]


def test_a_second_crawl_of_a_running_site_joins_the_running_run(db, settings):
    """Per-site lock: a manual re-crawl during the scheduled crawl never starts a second crawler."""
    from datetime import UTC, datetime

    scheduled, first = wq.create_run(db, _site(settings), trigger="schedule", lease=60, max_attempts=3,
                                     slot=datetime(2026, 11, 23, 6, 25, tzinfo=UTC))
    manual, second = wq.create_run(db, _site(settings), trigger="manual", lease=60, max_attempts=3)
    assert manual == scheduled and first and second == []
    other_site, _ = wq.create_run(db, load_sites(settings.sites_dirs)["jiangsu"], trigger="manual", lease=60,
                                  max_attempts=3)
    assert other_site != scheduled  # the lock is per site
    db.execute("UPDATE crawl_runs SET state = 'done' WHERE run_id = %s", (scheduled,))
    after, again = wq.create_run(db, _site(settings), trigger="manual", lease=60, max_attempts=3)
    assert after not in (scheduled, other_site) and again  # once it ended, a new crawl starts


def test_double_submitted_commands_create_one_run(db, settings):
    import threading

    ids: list[int] = []

    def submit() -> None:
        from crawler.db.connect import connect

        with connect(settings.database_url) as conn:
            ids.append(wq.create_run(conn, _site(settings), trigger="manual", lease=60, max_attempts=3)[0])

    threads = [threading.Thread(target=submit) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(set(ids)) == 1
    assert db.execute("SELECT count(*) AS n FROM crawl_runs").fetchone()["n"] == 1
