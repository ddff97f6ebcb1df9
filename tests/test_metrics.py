"""`rectify metrics`: the project's own numbers for Prometheus, read as the analyst from a crawled mirror."""

from __future__ import annotations

import math
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import PROJECT_ROOT, rectify, wait_until

CRAWLED = ("liaoning", "shandong", "jiangsu", "faults", "blocked")


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, keyed by name and sorted labels."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def by(values: dict, name: str, label: str) -> dict[str, float]:
    """Samples of one metric summed by one label."""
    out: dict[str, float] = {}
    for (n, labels), v in values.items():
        if n == name:
            key = dict(labels)[label]
            out[key] = out.get(key, 0) + v
    return out


def crawl_mirror(env: dict[str, str]) -> None:
    result = rectify(env, "crawl", *CRAWLED)
    assert result.returncode in (0, 1), result.stderr  # the blocked site's run may fail: that is its point


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_metrics_count_what_the_database_holds(worker, env, db, databases):
    crawl_mirror(env)
    result = rectify({**env, "RECTIFY_METRICS_DATABASE_URL": databases["analyst"]}, "metrics", "--once")
    assert result.returncode == 0, result.stderr
    values = samples(result.stdout)
    assert values[("rectify_database_up", ())] == 1

    pages = {r["site_id"]: r["n"] for r in db.execute(
        "SELECT site_id, sum(pages_fetched) AS n FROM crawl_runs GROUP BY site_id").fetchall()}
    assert by(values, "rectify_pages_fetched_total", "site") == pages and pages["shandong"] > 0
    notices = {r["site_id"]: r["n"] for r in db.execute("SELECT site_id, count(*) AS n FROM notices GROUP BY 1").fetchall()}
    assert {k: v for k, v in by(values, "rectify_site_notices", "site").items() if v} == notices
    new = by({k: v for k, v in values.items() if ("outcome", "new") in k[1]}, "rectify_notices_stored_total", "site")
    assert new == notices  # a first crawl: every stored notice is new

    failures = db.execute("SELECT error_class, count(*) AS n FROM failures GROUP BY 1").fetchall()
    assert by(values, "rectify_failures_total", "error_class") == {r["error_class"]: r["n"] for r in failures}
    assert values[("rectify_site_flag", (("flag", "blocked"), ("site", "blocked")))] == 1
    assert values[("rectify_site_flag", (("flag", "blocked"), ("site", "shandong")))] == 0
    assert values[("rectify_site_flag", (("flag", "probation"), ("site", "shandong")))] == 0
    assert values[("rectify_site_blocked_pages_last_run", (("site", "blocked"),))] > 0
    assert values[("rectify_site_last_run_timestamp_seconds", (("site", "shandong"),))] > time.time() - 3600
    assert values[("rectify_site_rate_limit_requests_per_second", (("site", "liaoning"),))] == 0.5  # its definition

    done = {r["kind"]: r["n"] for r in db.execute(
        "SELECT kind, count(*) AS n FROM raw.work_items WHERE state = 'done' GROUP BY 1").fetchall()}
    finished = {dict(k[1])["kind"]: v for k, v in values.items()
                if k[0] == "rectify_work_items_finished_total" and ("state", "done") in k[1]}
    assert {k: v for k, v in finished.items() if v} == done
    assert sum(by(values, "rectify_work_items_open", "queue").values()) == 0  # every run ended
    assert by(values, "rectify_queue_oldest_due_seconds", "queue") == {"crawl": 0, "parse": 0, "store": 0}
    progress = by(values, "rectify_queue_seconds_since_progress", "queue")
    assert set(progress) == {"crawl", "parse", "store"} and all(0 <= v < 600 for v in progress.values())
    assert not [k for k, v in values.items() if isinstance(v, float) and math.isnan(v)]


def test_a_queued_item_waiting_too_long_shows_as_the_queue_age(env, db, databases):
    """What the alert RectifyQueueStuck reads: the oldest due item's wait, and no progress."""
    db.execute("INSERT INTO crawl_runs (site_id, trigger) VALUES ('shandong', 'manual')")
    db.execute("""INSERT INTO raw.work_items (run_id, site_id, kind, url, url_key, state, due_at, created_at)
                  SELECT run_id, site_id, 'parse', 'http://x/1', 'http://x/1', 'queued', now() - interval '20 minutes',
                         now() - interval '20 minutes' FROM crawl_runs""")
    result = rectify({**env, "RECTIFY_METRICS_DATABASE_URL": databases["analyst"]}, "metrics", "--once")
    values = samples(result.stdout)
    assert 1190 < values[("rectify_queue_oldest_due_seconds", (("queue", "parse"),))] < 1500
    assert values[("rectify_queue_due_items", (("queue", "parse"),))] == 1
    assert values[("rectify_queue_seconds_since_progress", (("queue", "parse"),))] == math.inf  # never finished one
    assert values[("rectify_crawl_runs_running", (("site", "shandong"),))] == 1


def test_metrics_served_over_http_and_a_database_down_is_a_value_not_an_error(env, databases, tmp_path: Path):
    port = free_port()
    exe = Path(sys.executable).with_name("rectify")
    log = open(tmp_path / "metrics.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([str(exe), "metrics", "--listen", f"127.0.0.1:{port}"], cwd=PROJECT_ROOT, stdout=log,
                            stderr=subprocess.STDOUT, env={**env, "RECTIFY_METRICS_DATABASE_URL": databases["analyst"]})
    try:
        def answers() -> bool:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                    answers.text = response.read().decode()
                return True
            except OSError:
                return False
        wait_until(answers, 30, lambda: (tmp_path / "metrics.log").read_text())
        assert samples(answers.text)[("rectify_database_up", ())] == 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        log.close()

    nowhere = f"postgresql://rectify_reader@127.0.0.1:{free_port()}/rectify?connect_timeout=2"
    result = rectify({**env, "RECTIFY_METRICS_DATABASE_URL": nowhere}, "metrics", "--once")
    assert result.returncode == 0, result.stderr
    values = samples(result.stdout)
    assert values[("rectify_database_up", ())] == 0
    assert values[("rectify_metrics_error_info", (("error", "OperationalError"),))] == 1


def test_metrics_refuses_a_bad_listen_address(env):
    result = rectify(env, "metrics", "--listen", "nowhere")
    assert result.returncode == 2 and "HOST:PORT" in result.stderr


def test_the_analyst_reads_the_work_summary_but_not_the_raw_queue(databases):
    import psycopg

    with psycopg.connect(databases["analyst"]) as conn:
        conn.execute("SELECT * FROM work_summary").fetchall()
        try:
            conn.execute("SELECT 1 FROM raw.work_items LIMIT 1")
        except psycopg.errors.InsufficientPrivilege:
            pass
        else:
            raise AssertionError("the analyst read raw.work_items")

