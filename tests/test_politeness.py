"""Politeness under concurrency: four worker processes, one host, many URLs (the mirror's own log decides)."""

from __future__ import annotations

from tests.conftest import Sweeper, Worker, rectify

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
