"""site_health flags a site that went quiet, finds no links, or extracts less than it used to."""

from __future__ import annotations

from datetime import date, timedelta


def _notice(db, site: str, n: int, published: date, filled: bool = True) -> None:  # noqa: ANN001
    db.execute("""INSERT INTO notices (site_id, url_key, url, published_on, issuer, inspection_kind, inspecting_body,
                  team, inspection_start, inspection_end, feedback_on, problems_total, body_text, content_sha256,
                  parser_version, first_seen_at)
                  VALUES (%s, %s, %s, %s, %s, '巡视', '省委', %s, %s, %s, %s, %s, '正文', %s, 'x', now() - %s * interval '1 hour')""",
               (site, f"{site}/{n}", f"http://{site}/{n}", published, "某区委" if filled else None, 1 if filled else None,
                published if filled else None, published if filled else None, published if filled else None,
                10 if filled else None, f"h{n}", 100 - n))


def _health(db, site: str) -> dict:  # noqa: ANN001
    return db.execute("SELECT * FROM site_health WHERE site_id = %s", (site,)).fetchone()


def test_a_site_that_stopped_publishing_is_quiet(db):
    start = date.today() - timedelta(days=400)
    for i in range(6):  # one notice every 14 days, the last one ~330 days ago
        _notice(db, "jiangsu", i, start + timedelta(days=14 * i))
    health = _health(db, "jiangsu")
    assert "quiet" in health["flags"] and float(health["median_gap_days"]) == 14
    assert "no notice published for" in health["evidence"]
    assert "quiet" not in _health(db, "shandong")["flags"]  # no notices: nothing to judge


def test_runs_that_find_no_links_are_flagged(db):
    for _ in range(2):
        run = db.execute("INSERT INTO crawl_runs (site_id, trigger, state) VALUES ('shandong', 'manual', 'done') RETURNING run_id").fetchone()
        db.execute("""INSERT INTO raw.work_items (run_id, site_id, kind, url, url_key, payload, state, outcome)
                      VALUES (%s, 'shandong', 'list', 'http://www.sdjj.gov.cn/x', 'k', '{"page": 1, "links": 0}', 'done', 'listed')""",
                   (run["run_id"],))
    health = _health(db, "shandong")
    assert "no_links" in health["flags"] and "found no notice links" in health["evidence"]


def test_a_drop_in_extracted_fields_is_flagged(db):
    today = date.today()
    for i in range(12):  # older notices complete, the ten newest mostly empty
        _notice(db, "liaoning", i, today - timedelta(days=20 - i), filled=(i < 2 or i % 5 == 0))
    health = _health(db, "liaoning")
    assert "fill_rate_drop" in health["flags"], health


def test_status_prints_the_flags_with_their_evidence(db, env):
    from tests.conftest import rectify

    start = date.today() - timedelta(days=400)
    for i in range(4):
        _notice(db, "jiangsu", i, start + timedelta(days=10 * i))
    out = rectify(env, "status").stdout
    assert "! quiet: no notice published for" in out
