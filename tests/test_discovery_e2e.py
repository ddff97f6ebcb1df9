"""Every enabled site definition, crawled end to end from the mirror; discovery without selectors; block pages."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from crawler.mirror import HOSTS, mirrored_notices
from crawler.settings import BUILTIN_SITES_DIR
from crawler.sites import load_sites
from crawler.urls import host_of, url_key
from tests.conftest import TEST_SITES, Sweeper, Worker, rectify

# Every enabled definition the mirror serves (the others, on probation, exist only on the live web).
ENABLED = sorted(s.id for s in load_sites([BUILTIN_SITES_DIR]).values()
                 if s.enabled and host_of(s.home_url or s.list_urls[0]) in HOSTS)


def _expected(site_id: str) -> set[str]:
    return {url_key(n["url"]) for n in mirrored_notices(include_synthetic=True) if n.get("site_hint") == site_id}


def _stored(db: Any, site_id: str) -> list[str]:
    return [r["url_key"] for r in db.execute("SELECT url_key FROM notices WHERE site_id = %s", (site_id,)).fetchall()]


def test_every_enabled_site_is_crawled_end_to_end(worker, env, db):
    result = rectify(env, "crawl", *ENABLED, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    for site_id in ENABLED:
        expected, stored = _expected(site_id), _stored(db, site_id)
        assert expected, f"the mirror has no notices for {site_id}"
        assert sorted(stored) == sorted(expected), site_id
    # the crawler asked for nothing that is not there (no footer links, no guessed pages)
    failures = db.execute("SELECT url, error_class FROM failures").fetchall()
    assert failures == []
    # notices with known facts (synthetic ones carry them) were parsed to those facts
    by_key = {r["url_key"]: r for r in db.execute("SELECT * FROM notices").fetchall()}
    for notice in (n for n in mirrored_notices(include_synthetic=True) if n.get("expected")):
        row = by_key[url_key(notice["url"])]
        for field in ("inspection_kind", "inspecting_body", "team", "round", "problems_total"):
            assert row[field] == notice["expected"][field], (notice["url"], field)


def test_discovered_columns_are_remembered(worker, env, db):
    home_only = [s for s in ENABLED if not load_sites([BUILTIN_SITES_DIR])[s].list_urls]
    assert home_only, "no enabled site relies on column discovery"
    assert rectify(env, "crawl", *home_only, timeout=300).returncode == 0
    found = db.execute("SELECT site_id, discovered_list_url FROM sites WHERE site_id = ANY(%s)", (home_only,)).fetchall()
    assert all(r["discovered_list_url"] for r in found), found
    out = rectify(env, "sites").stdout
    assert "discovered" in out


def _strip_selectors(target: Path) -> None:
    """Copies of the enabled definitions without any CSS selector (items, next link, article parts)."""
    import tomli_w

    for site_id in ENABLED:
        data = tomllib.loads((BUILTIN_SITES_DIR / f"{site_id}.toml").read_text())
        data.pop("article", None)
        data.get("links", {}).pop("item_selector", None)
        data.get("pagination", {}).pop("next_selector", None)
        (target / f"{site_id}.toml").write_text(tomli_w.dumps(data))


def test_discovery_needs_no_selectors(env, db, settings, tmp_path):
    sites_dir = tmp_path / "sites"
    sites_dir.mkdir()
    _strip_selectors(sites_dir)
    bare_env = {**env, "RECTIFY_BUILTIN_SITES": "0", "RECTIFY_SITES_DIRS": f"{sites_dir}:{TEST_SITES}"}
    worker, sweeper = Worker(bare_env, tmp_path / "w.log").start(), Sweeper(settings)
    sweeper.start()
    try:
        result = rectify(bare_env, "crawl", *ENABLED, timeout=600)
    finally:
        sweeper.halt.set()
        worker.stop()
    assert result.returncode == 0, result.stdout[-3000:]
    for site_id in ENABLED:
        assert sorted(_stored(db, site_id)) == sorted(_expected(site_id)), site_id


def test_block_pages_and_soft_404s_are_failures_not_notices(worker, env, db):
    result = rectify(env, "crawl", "blocked")
    assert result.returncode == 0, result.stdout + result.stderr
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == 0
    classes = {r["url"].rsplit("/", 1)[-1]: r["error_class"] for r in
               db.execute("SELECT url, error_class FROM failures WHERE final").fetchall()}
    assert classes.pop("soft404.html") == "soft_404"
    assert classes and set(classes.values()) == {"blocked"}, classes
    health = db.execute("SELECT flags, evidence FROM site_health WHERE site_id = 'blocked'").fetchone()
    assert "blocked" in health["flags"] and "WAF" in health["evidence"]


@pytest.mark.parametrize("site_id", ["shandong"])
def test_sites_check_reports_what_the_crawler_sees(mirror, env, tmp_path, site_id):
    import requests

    notice = next(n for n in mirrored_notices(include_synthetic=True) if n.get("site_hint") == site_id)
    host = notice["host"]
    list_url = "http://www.sdjj.gov.cn/gzzc/xsxc/index_1.htm"  # the page of the list that shows the notice
    pages = {"list.html": list_url.split(host, 1)[1], "notice.html": notice["path"]}
    for name, path in pages.items():
        (tmp_path / name).write_bytes(requests.get(mirror.url + path, headers={"Host": host}, timeout=10).content)
    result = rectify(env, "sites", "check", site_id, "--html", str(tmp_path / "list.html"),
                     str(tmp_path / "notice.html"), "--url", list_url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "list.html (utf-8): list page" in result.stdout and "notice.html (utf-8): notice page" in result.stdout
    assert "notice links 1" in result.stdout and "next page http" in result.stdout


def test_a_remembered_column_that_stops_yielding_is_rediscovered(worker, env, db):
    """Gansu redesigned: the column we remembered now shows no notice. That run forgets it (and still
    finds the real column from the page's navigation); the site keeps delivering."""
    db.execute("UPDATE sites SET discovered_list_url = 'http://www.gsjw.gov.cn/' WHERE site_id = 'gansu'")
    assert rectify(env, "crawl", "gansu", timeout=300).returncode == 0
    row = db.execute("SELECT discovered_list_url FROM sites WHERE site_id = 'gansu'").fetchone()
    assert row["discovered_list_url"] and row["discovered_list_url"] != "http://www.gsjw.gov.cn/"
    assert sorted(_stored(db, "gansu")) == sorted(_expected("gansu"))
