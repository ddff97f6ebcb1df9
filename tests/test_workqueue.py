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


def _dead_process() -> str:
    """The identity of a process that existed and is gone (a child that exited)."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    identity = wq.process_identity(child.pid) or f"{child.pid}:0"
    child.wait()
    assert not wq.process_alive(identity)
    return identity


def test_an_item_of_a_dead_process_of_the_same_worker_is_taken_over_at_once(db, settings):
    """A pool child killed mid-step: its message comes back, and a sibling takes the item over at once
    (no wait for the lease); a process of another worker still waits for the lease."""
    _run_id, followups = wq.create_run(db, _site(settings), trigger="manual", lease=60, max_attempts=3)
    item_id = followups[0].item_id
    dead = wq.Holder("w1@host", _dead_process())
    assert wq.claim(db, item_id, lease=60, holder=dead)["held_process"] == dead.process
    me = wq.Holder.current()
    assert wq.claim(db, item_id, lease=60, holder=wq.Holder("w2@host", me.process)) is None  # another worker
    alive_sibling = wq.Holder("w1@host", me.process)
    taken = wq.claim(db, item_id, lease=60, holder=alive_sibling)
    assert taken["attempts"] == 2 and taken["held_process"] == me.process and taken["error_class"] == "worker_lost"
    assert wq.claim(db, item_id, lease=60, holder=wq.Holder("w1@host", "1:1")) is None  # its holder lives


def test_completion_is_fenced_on_the_claim(db, settings):
    """A holder that lost its item (lease expired, taken by another claim) cannot complete it: LeaseLost
    rolls its transaction back, so its results are not stored beside the new holder's."""
    import pytest

    _run_id, followups = wq.create_run(db, _site(settings), trigger="manual", lease=60, max_attempts=3)
    item_id = followups[0].item_id
    first = wq.claim(db, item_id, lease=0)
    time.sleep(0.01)
    second = wq.claim(db, item_id, lease=60)  # the first lease expired: claimed again
    with pytest.raises(wq.LeaseLost), db.transaction():
        wq.complete(db, first, "listed")
    assert db.execute("SELECT state FROM raw.work_items WHERE item_id = %s", [item_id]).fetchone()["state"] == "running"
    with db.transaction():
        assert wq.complete(db, second, "listed")


def test_renewal_extends_only_the_leases_this_claim_still_holds(db, settings):
    _run_id, followups = wq.create_run(db, _site(settings), trigger="manual", lease=60, max_attempts=3)
    item_id = followups[0].item_id
    me = wq.Holder.current()
    item = wq.claim(db, item_id, lease=1, holder=me)
    assert wq.renew(db, {item_id: item["attempts"]}, lease=60, holder=me) == {item_id}
    left = db.execute("SELECT extract(epoch FROM lease_until - now()) AS s FROM raw.work_items").fetchone()["s"]
    assert left > 50
    assert wq.renew(db, {item_id: item["attempts"]}, lease=60, holder=wq.Holder(me.name, "1:1")) == set()
    assert wq.renew(db, {item_id: item["attempts"] + 1}, lease=60, holder=me) == set()


def test_a_restarted_worker_releases_what_its_dead_incarnation_held(db, settings):
    """Items held by dead processes of the worker's name are queued again at once (dead when their
    claims are used up); items of its live processes and of other workers are left alone."""
    run_id, _ = wq.create_run(db, _site(settings), trigger="manual", lease=60, max_attempts=2, list_pages=False)
    ids = [wq.enqueue(db, run_id, "shandong", "article", f"http://www.sdjj.gov.cn/{n}.htm", lease=60,
                      max_attempts=2).item_id for n in range(4)]
    dead, me = _dead_process(), wq.Holder.current()
    wq.claim(db, ids[0], lease=60, holder=wq.Holder("w1@host", dead))
    wq.claim(db, ids[1], lease=60, holder=wq.Holder("w1@host", dead))
    db.execute("UPDATE raw.work_items SET attempts = 2 WHERE item_id = %s", [ids[1]])  # its last claim
    wq.claim(db, ids[2], lease=60, holder=wq.Holder("w1@host", me.process))
    wq.claim(db, ids[3], lease=60, holder=wq.Holder("w2@host", dead))
    followups = wq.release_lost(db, "w1@host", lease=60)
    assert [f.item_id for f in followups] == [ids[0]]
    states = {r["item_id"]: r["state"] for r in db.execute("SELECT item_id, state FROM raw.work_items").fetchall()}
    assert [states[i] for i in ids] == ["queued", "dead", "running", "running"]
    failure = db.execute("SELECT error_class, message FROM failures WHERE item_id = %s", [ids[1]]).fetchone()
    assert failure["error_class"] == "worker_lost" and "died" in failure["message"]
    assert [f.item_id for f in wq.pending(db, ["article"])] == [ids[0]]
