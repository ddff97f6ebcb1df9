"""Politeness under concurrency: four worker processes, one host, many URLs (the mirror's own log decides)."""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest
import redis

from crawler.web.politeness import GAP_MARGIN, HostBusy, HostThrottle
from tests.conftest import Sweeper, Worker, rectify
from workers.services import redis_client

HOST = "www.lnsjjjc.gov.cn"
RATE = 20.0  # requests per second to the host: a minimum gap of 50 ms between request starts


def test_four_workers_keep_one_connection_and_the_gap_on_one_host(env, db, settings, mirror, tmp_path):
    # Workers hand an item back (countdown) instead of waiting for the host: the production default.
    polite_env = {**env, "RECTIFY_RATE_LIMIT": str(RATE), "RECTIFY_HOST_WAIT": "0.05"}
    mirror.latency = 0.08  # slower than the gap: without the per-host lock, four workers would overlap
    worker, sweeper = Worker(polite_env, tmp_path / "w.log", concurrency=4).start(), Sweeper(settings)
    sweeper.start()
    try:
        assert rectify(polite_env, "crawl", "liaoning").returncode == 0
    finally:
        sweeper.halt.set()
        worker.stop()
    hits = sorted((r for r in mirror.requests if r["host"] == HOST), key=lambda r: r["time"])
    assert len(hits) >= 40  # robots.txt, 5 list pages, 34 notices
    gaps = [b["time"] - a["time"] for a, b in zip(hits, hits[1:], strict=False)]
    overlaps = [(a["path"], b["path"]) for a, b in zip(hits, hits[1:], strict=False)
                if b["time"] < a["time"] + a["duration"] - 0.002]
    assert min(gaps) >= 1 / RATE - 0.005, sorted(gaps)[:5]
    assert overlaps == []  # never two requests in flight to the host
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 34
    # waiting for the host's turn is neither a failure nor an attempt
    assert db.execute("SELECT count(*) AS n FROM failures").fetchone()["n"] == 0
    assert db.execute("SELECT max(attempts) AS n FROM raw.work_items").fetchone()["n"] == 1


def _throttle(settings) -> tuple[HostThrottle, redis.Redis, str]:
    client = redis_client(settings.redis_url)
    prefix = f"polite-{uuid.uuid4().hex[:8]}:"
    return HostThrottle(client, prefix=prefix, lock_prefix=prefix + "conn:"), client, prefix


def test_an_attempt_handed_back_does_not_push_the_hosts_gap(settings):
    throttle, client, prefix = _throttle(settings)
    with throttle.turn("h.test", 0.5):
        pass
    time.sleep(0.3)
    with pytest.raises(HostBusy), throttle.turn("h.test", 0.5, max_wait=0.02):
        pass  # pragma: no cover - the turn is not given
    # The gap still ends when the taken turn said (~0.2 s from now); the bounce made no request and must
    # not start a new 0.5 s gap.
    assert 0 < client.pttl(prefix + "h.test") <= (0.2 + GAP_MARGIN) * 1000


def test_the_gap_is_counted_from_the_start_of_a_request(settings):
    """A request that takes 0.3 s of a 0.5 s gap leaves 0.2 s: the next may start 0.5 s after the first
    started (not 0.5 s after it ended), and not a moment before."""
    throttle, _, _ = _throttle(settings)
    with throttle.turn("h.test", 0.5) as turn:
        first = turn.sent_at = time.monotonic()
        time.sleep(0.3)
    with throttle.turn("h.test", 0.5, max_wait=1.0):
        second = time.monotonic()
    assert 0.5 <= second - first < 0.5 + GAP_MARGIN + 0.05


def test_a_request_sent_late_in_its_turn_moves_the_gap_with_it(settings):
    """A thread kept off the CPU between taking its turn and sending: the gap runs from the send, so two
    requests never arrive closer than the gap."""
    throttle, _, _ = _throttle(settings)
    with throttle.turn("h.test", 0.5) as turn:
        time.sleep(0.2)
        turn.sent_at = time.monotonic()
    with throttle.turn("h.test", 0.5, max_wait=1.0):
        second = time.monotonic()
    assert second - turn.sent_at >= 0.5


def test_several_waiting_items_of_one_host_all_get_their_turn(settings):
    """Items of one host that bounce (HostBusy) and come back at scattered moments, as Celery countdowns
    do, must not keep the host's gap alive for ever: every item is fetched, at the host's rate."""
    throttle, _, _ = _throttle(settings)
    gap, per_item, items = 0.1, 5, 4
    starts: list[float] = []
    deadline = time.monotonic() + 15
    rng = random.Random(7)

    def item() -> None:
        done = 0
        while done < per_item and time.monotonic() < deadline:
            try:
                with throttle.turn("h.test", gap, max_wait=0.02):
                    starts.append(time.monotonic())
                    done += 1
            except HostBusy as exc:  # handed back: return after a scattered countdown, never past the gap
                time.sleep(min(exc.retry_in, rng.uniform(0.005, gap / 2)))

    threads = [threading.Thread(target=item) for _ in range(items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(starts) == items * per_item, f"stalled: {len(starts)} of {items * per_item} turns in 15 s"
    starts.sort()
    assert min(b - a for a, b in zip(starts, starts[1:], strict=False)) >= gap - 0.005  # still polite
