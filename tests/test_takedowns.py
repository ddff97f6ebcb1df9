"""Takedowns: a notice whose page disappears upstream is marked withdrawn by a --full re-check, never
deleted, and restored when the page comes back. End to end: the mirror, a real Celery worker, PostgreSQL,
driven by `rectify crawl` as a user would."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.rows import dict_row

from crawler.mirror import mirrored_notices
from crawler.urls import url_key
from tests.conftest import rectify

HOST = "www.lnsjjjc.gov.cn"
# The "page not found" page a site serves with 200 instead of a 404 (recognised by crawler/web/anomalies.py).
SOFT_404 = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>提示信息</title></head><body>'
            '<div class="tip"><p>对不起，您访问的页面不存在或已被删除！</p><a href="/">返回首页</a></div>'
            '</body></html>').encode()


def _notice(db: Any, notice: dict[str, Any]) -> dict[str, Any]:
    return db.execute("SELECT * FROM notices WHERE url_key = %s", [url_key(notice["url"])]).fetchone()


def _events(db: Any, notice: dict[str, Any]) -> list[tuple[int, str, int | None]]:
    """The notice's history as (version, event, http_status)."""
    rows = db.execute("""SELECT v.version, v.event, v.http_status FROM notice_versions v JOIN notices n USING (notice_id)
                         WHERE n.url_key = %s ORDER BY v.version""", [url_key(notice["url"])]).fetchall()
    return [(r["version"], r["event"], r["http_status"]) for r in rows]


def _last_run(db: Any) -> dict[str, Any]:
    return db.execute("SELECT * FROM crawl_runs ORDER BY run_id DESC LIMIT 1").fetchone()


def _requested(mirror: Any, notices: list[dict[str, Any]]) -> list[str]:
    paths = {n["path"] for n in notices}
    return [r["path"] for r in mirror.requests if r["path"] in paths]


def _crawl(env: dict[str, str], *args: str) -> str:
    result = rectify(env, "crawl", *args, "liaoning")
    assert result.returncode == 0, result.stdout + result.stderr  # a takedown never fails the run
    return result.stdout


def _status_line(env: dict[str, str]) -> str:
    out = rectify(env, "status").stdout
    return next(line for line in out.splitlines() if line.startswith("liaoning"))


def _takedowns(analyst_url: str) -> list[dict[str, Any]]:
    """What an analyst sees of the takedowns (the notice_takedowns view, as the analyst login)."""
    with psycopg.connect(analyst_url, row_factory=dict_row) as conn:
        return conn.execute("SELECT * FROM notice_takedowns ORDER BY notice_id, withdrawn_at").fetchall()


def test_gone_notices_are_withdrawn_on_full_recheck_and_restored_when_back(worker, env, db, mirror, databases):
    _crawl(env)
    liaoning = [n for n in mirrored_notices() if n["host"] == HOST]
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == len(liaoning) == 34
    gone404, gone410, soft = liaoning[3], liaoning[10], liaoning[20]
    taken = [gone404, gone410, soft]
    sections_before = db.execute("SELECT count(*) AS n FROM notice_sections").fetchone()["n"]

    mirror.remove_page(HOST, gone404["path"])                                        # 404 Not Found
    mirror.set_page(HOST, gone410["path"], b"<html><body>Gone</body></html>", status=410)  # 410 Gone
    mirror.set_page(HOST, soft["path"], SOFT_404)                                    # soft 404, status 200

    # A plain crawl does not re-check known notices: nothing is asked for, nothing is marked.
    mirror.clear_log()
    _crawl(env)
    assert _requested(mirror, taken) == []
    assert db.execute("SELECT count(*) AS n FROM notices WHERE withdrawn_at IS NOT NULL").fetchone()["n"] == 0
    assert db.execute("SELECT count(*) AS n FROM notice_versions WHERE event <> 'content'").fetchone()["n"] == 0

    # A full re-check finds the three pages gone and marks the notices withdrawn, with one event each.
    mirror.clear_log()
    out = _crawl(env, "--full")
    assert "withdrawn=3" in out
    run = _last_run(db)
    assert run["state"] == "done" and run["notices_withdrawn"] == 3 and run["notices_failed"] == 0
    assert sorted(_requested(mirror, taken)) == sorted(n["path"] for n in taken)
    for notice, status in ((gone404, 404), (gone410, 410), (soft, 200)):
        assert _notice(db, notice)["withdrawn_at"] is not None, notice["path"]
        assert _events(db, notice) == [(1, "content", None), (2, "withdrawn", status)]
    answers = {r["http_status"]: r["diff_summary"] for r in db.execute(
        "SELECT http_status, diff_summary FROM notice_versions WHERE event = 'withdrawn'").fetchall()}
    assert answers[404] == "HTTP 404 Not Found" and answers[410] == "HTTP 410 Gone"
    assert answers[200].startswith("soft 404")
    # Nothing deleted: every notice and its rows are still there; the others are untouched.
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 34
    assert db.execute("SELECT count(*) AS n FROM notice_sections").fetchone()["n"] == sections_before
    assert db.execute("SELECT count(*) AS n FROM notices WHERE withdrawn_at IS NOT NULL").fetchone()["n"] == 3
    # Not a failure of the crawl: no failure row for these pages.
    assert db.execute("SELECT count(*) AS n FROM failures WHERE url = ANY(%s)",
                      [[n["url"] for n in taken]]).fetchone()["n"] == 0
    assert "(withdrawn 3)" in _status_line(env)
    seen = _takedowns(databases["analyst"])
    assert sorted(r["http_status"] for r in seen) == [200, 404, 410]
    assert all(r["restored_at"] is None and r["site_id"] == "liaoning" for r in seen)

    # Again: the pages are still gone, nothing changes (no second event, the same withdrawn_at).
    marked_at = {n["path"]: _notice(db, n)["withdrawn_at"] for n in taken}
    _crawl(env, "--full")
    assert _last_run(db)["notices_withdrawn"] == 0 and _last_run(db)["notices_failed"] == 0
    for notice in taken:
        assert _notice(db, notice)["withdrawn_at"] == marked_at[notice["path"]]
        assert [e for _, e, _ in _events(db, notice)] == ["content", "withdrawn"]
    # A reparse reads stored pages only: it says nothing about the site and restores nothing.
    assert rectify(env, "reparse", "liaoning").returncode == 0
    assert db.execute("SELECT count(*) AS n FROM notices WHERE withdrawn_at IS NOT NULL").fetchone()["n"] == 3

    # The pages come back: two as they were (answering 304), one edited (a new version).
    mirror.restore_page(HOST, gone404["path"])
    mirror.restore_page(HOST, soft["path"])
    original = _notice(db, gone410)["body_text"]
    mirror.edit_notice(HOST, gone410["path"], original + "\n特此通报。")
    mirror.clear_log()
    _crawl(env, "--full")
    statuses = {r["path"]: r["status"] for r in mirror.requests if r["path"] in {n["path"] for n in taken}}
    assert statuses == {gone404["path"]: 304, soft["path"]: 304, gone410["path"]: 200}
    assert db.execute("SELECT count(*) AS n FROM notices WHERE withdrawn_at IS NOT NULL").fetchone()["n"] == 0
    assert _events(db, gone404) == [(1, "content", None), (2, "withdrawn", 404), (3, "restored", 304)]
    assert _events(db, soft) == [(1, "content", None), (2, "withdrawn", 200), (3, "restored", 304)]
    assert _events(db, gone410) == [(1, "content", None), (2, "withdrawn", 410), (3, "restored", 200),
                                    (4, "content", None)]
    edited = _notice(db, gone410)
    assert edited["version"] == 4 and edited["body_text"].endswith("特此通报。")
    summary = db.execute("SELECT diff_summary FROM notice_versions WHERE notice_id = %s AND version = 4",
                         [edited["notice_id"]]).fetchone()["diff_summary"]
    assert summary.startswith("1 line(s) added, 0 removed")  # against the previous text, not an event
    assert "(withdrawn 0)" in _status_line(env)
    seen = _takedowns(databases["analyst"])
    assert len(seen) == 3 and all(r["restored_at"] > r["withdrawn_at"] for r in seen)

    # Back and re-checked again: nothing more happens.
    _crawl(env, "--full")
    assert db.execute("SELECT count(*) AS n FROM notice_versions WHERE event <> 'content'").fetchone()["n"] == 6
