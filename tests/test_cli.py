"""The `rectify` command as users run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_ROOT, Worker, rectify, run_ended, wait_until

SPEC_KEYS = {"title", "issuer", "signed_on", "published_on", "inspection_kind", "inspecting_body", "term", "round",
             "team", "inspection_start", "inspection_end", "feedback_on", "special_topics", "problems_total",
             "problems_done", "contact_phone", "contact_email"}
CORPUS = PROJECT_ROOT / "crawler" / "mirror" / "corpus"


def test_parse_prints_the_spec_record_as_json(tmp_path):
    exe = Path(sys.executable).with_name("rectify")
    result = subprocess.run([str(exe), "parse", str(CORPUS / "sd01.txt"), "--json"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stderr == ""
    record = json.loads(result.stdout)
    assert set(record) >= SPEC_KEYS
    assert record["team"] == 8 and record["inspection_kind"] == "巡视"
    # every value says where it was read: the words and their offsets in the text as parsed
    assert record["evidence"]["team"]["text"] in (CORPUS / "sd01.txt").read_text(encoding="utf-8")
    assert {k for k, v in record.items() if k in SPEC_KEYS and v not in (None, [])} <= set(record["evidence"])


def test_parse_into_a_pipe_closed_early_ends_quietly():
    """`rectify parse F --json | head -c 200`: the reader went away; no traceback, the status of SIGPIPE."""
    exe = Path(sys.executable).with_name("rectify")
    proc = subprocess.Popen([str(exe), "parse", str(CORPUS / "sd01.txt"), "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    assert proc.wait() == 141 and "Traceback" not in err, err


def test_parse_reads_a_saved_html_page(tmp_path, mirror):
    import requests

    from crawler.mirror import mirrored_notices

    notice = next(n for n in mirrored_notices() if n["host"] == "www.sdjj.gov.cn")
    page = tmp_path / "notice.html"
    page.write_bytes(requests.get(mirror.url + notice["path"], headers={"Host": notice["host"]}, timeout=5).content)
    exe = Path(sys.executable).with_name("rectify")
    record = json.loads(subprocess.run([str(exe), "parse", str(page), "--json"], capture_output=True, text=True).stdout)
    assert record["title"] == notice["title"] and record["published_on"] == notice["published_on"]


def test_crawl_of_an_unknown_site_is_refused(env, db):
    result = rectify(env, "crawl", "atlantis")
    assert result.returncode == 2 and "unknown site" in result.stderr


def test_crawl_exits_nonzero_when_the_run_fails(worker, env, db):
    result = rectify(env, "crawl", "broken")
    assert result.returncode == 1
    assert "failed" in result.stdout and "HTTP 500" in result.stdout
    assert db.execute("SELECT state FROM crawl_runs").fetchone()["state"] == "failed"


def test_status_shows_the_last_run_per_site(worker, env, db):
    assert rectify(env, "crawl", "shandong").returncode == 0
    out = rectify(env, "status").stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("shandong"))
    assert "notices     1" in line and "new 1" in line and "done" in line


def test_reparse_refreshes_records_from_stored_pages_without_fetching(worker, env, db, mirror):
    assert rectify(env, "crawl", "shandong").returncode == 0
    db.execute("UPDATE notices SET parser_version = 'old', team = NULL")
    mirror.clear_log()
    result = rectify(env, "reparse", "shandong")
    assert result.returncode == 0, result.stdout + result.stderr
    assert mirror.requests == []
    row = db.execute("SELECT team, parser_version FROM notices").fetchone()
    assert row["team"] == 8 and row["parser_version"] != "old"


def test_beat_sweep_recovers_messages_lost_in_redis(env, db, settings, tmp_path):
    """No worker is up when the crawl is queued; Redis then loses every message (as a restart without
    persistence would). A worker and beat started afterwards still finish the run, via the sweep."""
    from workers.services import redis_client

    assert rectify(env, "crawl", "--no-wait", "shandong").returncode == 0
    redis_client(settings.redis_url).flushall()
    beat_env = {**env, "RECTIFY_SWEEP_SECONDS": "1", "RECTIFY_LEASE_SECONDS": "2"}
    worker = Worker(beat_env, tmp_path / "w.log").start()
    beat = subprocess.Popen([sys.executable, "-m", "celery", "-A", "workers.app", "beat", "-s",
                             str(tmp_path / "beat-schedule"), "--loglevel", "INFO"], env=beat_env, cwd=PROJECT_ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(run_ended(db), 60, "the sweep never re-published the lost work")
    finally:
        beat.terminate()
        beat.wait(10)
        worker.stop()
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 1
