"""Bad input ends as a recorded failure with a clear class and message; the rest of the run completes."""

from __future__ import annotations

from tests.conftest import rectify


def _failures(db):  # noqa: ANN001, ANN202
    rows = db.execute("SELECT url, error_class, message, final FROM failures WHERE final ORDER BY url").fetchall()
    return {r["url"].rsplit("/", 1)[-1]: r for r in rows}


def test_faults_site_records_each_failure_and_completes_the_run(worker, env, db, mirror):
    mirror.slow_seconds = 5  # the worker's read timeout is 2 s
    mirror.huge_bytes = 3 * 1024 * 1024  # the worker's cap is 2 MiB
    result = rectify(env, "crawl", "faults")
    assert result.returncode == 0, result.stdout + result.stderr

    failures = _failures(db)
    assert failures["500.html"]["error_class"] == "http_500"
    assert "HTTP 500" in failures["500.html"]["message"]
    assert failures["slow.html"]["error_class"] == "timeout"
    assert failures["huge.html"]["error_class"] == "too_large"
    assert failures["offsite.html"]["error_class"] == "offsite_redirect"
    assert "evil.example.net" in failures["offsite.html"]["message"]
    assert failures["secret.html"]["error_class"] == "robots_disallowed"
    assert not any(r["host"] == "evil.example.net" for r in mirror.requests)

    notices = {r["url"].rsplit("/", 1)[-1]: r for r in db.execute("SELECT * FROM notices").fetchall()}
    assert "1.html" in notices  # the good page is stored despite its neighbours
    assert "镕" in notices["gbk.html"]["body_text"] or "喆" in notices["gbk.html"]["body_text"]
    assert "𠮷" in notices["gb18030.html"]["body_text"]
    broken = notices["broken.html"]  # malformed HTML with junk bytes is read leniently, junk dropped
    assert broken["title"] == "中共示范市南湖区委关于省委巡视整改落实进展情况的通报"
    assert broken["team"] == 6 and "\x1b" not in broken["body_text"]
    run = db.execute("SELECT * FROM crawl_runs").fetchone()
    assert run["state"] == "done" and run["notices_failed"] >= 5
    # nothing is left half-done
    assert db.execute("SELECT count(*) AS n FROM raw.work_items WHERE state IN ('queued', 'running')").fetchone()["n"] == 0
