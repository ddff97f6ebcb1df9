"""End to end: the mirror, a real Celery worker, real Redis and PostgreSQL, driven by `rectify crawl`."""

from __future__ import annotations

import json
from typing import Any

from crawler.db.connect import connect
from crawler.mirror import mirrored_notices
from crawler.text.parse import parse_text
from crawler.urls import url_key
from tests.conftest import FIXTURES, rectify, run_ended, wait_until

SITES_OF_HOST = {"www.lnsjjjc.gov.cn": "liaoning", "www.sdjj.gov.cn": "shandong", "www.jssjw.gov.cn": "jiangsu"}
GOLD = {r["id"]: r for r in map(json.loads, (FIXTURES / "gold" / "dev.jsonl").read_text().splitlines())}


def _notices(db: Any) -> list[dict[str, Any]]:
    return db.execute("SELECT * FROM notices ORDER BY notice_id").fetchall()


def _article_requests(mirror: Any) -> list[dict[str, Any]]:
    listed = {n["path"] for n in mirrored_notices()}
    return [r for r in mirror.requests if r["path"] in listed]


def test_crawl_stores_every_mirrored_notice_once_then_recrawl_fetches_nothing(worker, env, db, mirror):
    result = rectify(env, "crawl", "liaoning", "shandong", "jiangsu")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "new=" in result.stdout and "[done]" in result.stdout  # progress lines were shown

    expected = mirrored_notices()
    stored = {n["url_key"]: n for n in _notices(db)}
    assert len(stored) == len(expected) == 36
    assert db.execute("SELECT count(*) AS n FROM notices GROUP BY url_key HAVING count(*) > 1").fetchall() == []
    for notice in expected:
        row = stored[url_key(notice["url"])]
        assert row["site_id"] == SITES_OF_HOST[notice["host"]]
        assert row["title"] == notice["title"]
        assert str(row["published_on"]) == notice["published_on"]
        gold = GOLD[notice["corpus_id"]]
        for field in ("inspection_kind", "inspecting_body", "team"):
            assert row[field] == gold[field], (notice["corpus_id"], field)
        assert row["version"] == 1
    assert db.execute("SELECT count(*) AS n FROM notice_sections").fetchone()["n"] > 36
    assert db.execute("SELECT count(DISTINCT notice_id) AS n FROM notice_keywords").fetchone()["n"] == 36
    runs = db.execute("SELECT * FROM crawl_runs ORDER BY run_id").fetchall()
    assert [r["state"] for r in runs] == ["done"] * 3
    assert sum(r["notices_new"] for r in runs) == 36
    assert db.execute("SELECT count(*) AS n FROM raw.work_items WHERE state <> 'done'").fetchone()["n"] == 0

    # Second, incremental crawl of the unchanged mirror: list pages only, no notice written.
    mirror.clear_log()
    versions_before = db.execute("SELECT count(*) AS n FROM notice_versions").fetchone()["n"]
    result = rectify(env, "crawl", "liaoning", "shandong", "jiangsu")
    assert result.returncode == 0, result.stdout + result.stderr
    assert _article_requests(mirror) == []
    assert len(_notices(db)) == 36
    assert db.execute("SELECT count(*) AS n FROM notice_versions").fetchone()["n"] == versions_before
    assert sum(r["notices_new"] for r in db.execute("SELECT * FROM crawl_runs WHERE run_id > 3").fetchall()) == 0

    # A full crawl asks again for every notice page, conditionally: every answer is 304.
    mirror.clear_log()
    result = rectify(env, "crawl", "--full", "liaoning", "shandong", "jiangsu")
    assert result.returncode == 0, result.stdout + result.stderr
    statuses = [r["status"] for r in _article_requests(mirror)]
    assert len(statuses) == 36 and set(statuses) == {304}
    assert db.execute("SELECT max(version) AS v FROM notices").fetchone()["v"] == 1


def test_stored_record_equals_offline_parse_of_the_same_notice(worker, env, db, mirror):
    assert rectify(env, "crawl", "shandong").returncode == 0
    row = db.execute("SELECT * FROM notices").fetchone()
    offline = parse_text((FIXTURES.parent.parent / "crawler/mirror/corpus/sd01.txt").read_text())["record"]
    for field in ("issuer", "inspection_start", "inspection_end", "feedback_on", "problems_total", "problems_done"):
        value = row[field]
        assert (str(value) if value is not None and "_on" in field or "inspection_" in field else value) == offline[field]


def test_edited_notice_becomes_a_new_version_not_a_new_notice(worker, env, db, mirror):
    assert rectify(env, "crawl", "shandong").returncode == 0
    notice = next(n for n in mirrored_notices() if n["host"] == "www.sdjj.gov.cn")
    original = db.execute("SELECT notice_id, body_text FROM notices").fetchone()
    mirror.edit_notice(notice["host"], notice["path"], original["body_text"] + "\n特此通报。")
    assert rectify(env, "crawl", "--full", "shandong").returncode == 0
    rows = _notices(db)
    assert len(rows) == 1 and rows[0]["notice_id"] == original["notice_id"]
    assert rows[0]["version"] == 2 and rows[0]["body_text"].endswith("特此通报。")
    assert db.execute("SELECT count(*) AS n FROM notice_versions").fetchone()["n"] == 2
    summary = db.execute("SELECT diff_summary FROM notice_versions WHERE version = 2").fetchone()["diff_summary"]
    assert summary.startswith("1 line(s) added, 0 removed") and "特此通报" in summary
    run = db.execute("SELECT * FROM crawl_runs ORDER BY run_id DESC LIMIT 1").fetchone()
    assert run["notices_changed"] == 1


def test_worker_killed_mid_crawl_loses_and_doubles_nothing(worker, env, db, mirror, tmp_path):
    from tests.conftest import Worker

    result = rectify(env, "crawl", "--no-wait", "liaoning")
    assert result.returncode == 0, result.stderr
    wait_until(lambda: db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] >= 5, 60,
               "crawl made no progress", poll=0.05)
    worker.kill()
    stored_at_kill = db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"]
    assert stored_at_kill < 34, "the crawl finished before the kill; the test proves nothing"

    replacement = Worker(env, tmp_path / "worker2.log").start()
    try:
        wait_until(run_ended(db), 120, "run never finished after the restart")
    finally:
        replacement.stop()
    expected = {url_key(n["url"]) for n in mirrored_notices() if n["host"] == "www.lnsjjjc.gov.cn"}
    stored = [n["url_key"] for n in _notices(db)]
    assert sorted(stored) == sorted(expected)  # every notice, exactly once
    assert db.execute("SELECT state FROM crawl_runs").fetchone()["state"] == "done"
    left = db.execute("SELECT state, count(*) AS n FROM raw.work_items GROUP BY state").fetchall()
    assert {r["state"] for r in left} <= {"done", "failed", "dead"}


def test_connection_info_is_stable(settings):
    with connect(settings.database_url) as conn:
        assert conn.execute("SELECT 1 AS one").fetchone()["one"] == 1


def test_a_notice_republished_on_another_site_is_linked_to_its_canonical_copy(worker, env, db):
    """faults.mirror.test carries a copy of the Liaoning notice ln02 at another URL, another layout."""
    assert rectify(env, "crawl", "liaoning").returncode == 0
    assert rectify(env, "crawl", "faults").returncode == 0
    dups = db.execute("SELECT * FROM notice_duplicates").fetchall()
    assert len(dups) == 1, dups
    assert (dups[0]["site_id"], dups[0]["canonical_site_id"]) == ("faults", "liaoning")
    assert dups[0]["url"].endswith("/ok/1.html") and dups[0]["distance"] <= 3
