"""The README's main job (`rectify run --mirror`): its own worker, beat and mirror, rows in PostgreSQL."""

from __future__ import annotations

from tests.conftest import rectify


def test_run_with_the_mirror_crawls_and_reports(env, db):
    env = {k: v for k, v in env.items() if k != "RECTIFY_MIRROR"}  # `--mirror` starts its own
    result = rectify(env, "run", "--mirror", "--sites", "shandong", "jiangsu", "--timeout", "240", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mirror of the sites at http://127.0.0.1:" in result.stdout
    assert "notices in PostgreSQL" in result.stdout
    rows = db.execute("SELECT site_id, title FROM notices ORDER BY site_id").fetchall()
    assert [r["site_id"] for r in rows] == ["jiangsu", "shandong"]
    assert rows[1]["title"] == "中共烟台市莱山区委关于巡视整改进展情况的通报"
    runs = db.execute("SELECT state, trigger FROM crawl_runs").fetchall()
    assert {(r["state"], r["trigger"]) for r in runs} == {("done", "manual")}
