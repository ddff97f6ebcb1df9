"""No silent misses: part of a column hidden from the crawler is flagged in `rectify status`; a column
that moved is found again; `rectify sites` shows which sites are verified or on probation, and why the
column was chosen."""

from __future__ import annotations

from typing import Any

import requests

from crawler.mirror import MirrorServer, mirrored_notices
from crawler.urls import url_key
from tests.conftest import rectify, running_worker

SHANDONG, GANSU = "www.sdjj.gov.cn", "www.gsjw.gov.cn"


def _page(mirror: MirrorServer, host: str, path: str) -> str:
    return requests.get(mirror.url + path, headers={"Host": host}, timeout=10).text


def _health(db: Any, site_id: str) -> dict[str, Any]:
    return db.execute("SELECT flags, evidence FROM site_health WHERE site_id = %s", (site_id,)).fetchone()


def test_a_pager_the_crawler_cannot_follow_is_flagged(worker, env, db, mirror):
    first = _page(mirror, SHANDONG, "/gzzc/xsxc/index.htm")
    assert '<a href="index_1.htm">&gt;</a>' in first and "<span>1/3</span>" in first
    # the next page only by script, the last-page link gone: the pager still says 1/3
    hidden = first.replace('<a href="index_1.htm">&gt;</a>', '<a href="javascript:void(0)" onclick="go(2)">&gt;</a>')
    hidden = hidden.replace('<a href="index_2.htm">尾页</a>', "")
    mirror.set_page(SHANDONG, "/gzzc/xsxc/index.htm", hidden.encode("utf-8"))
    assert rectify(env, "crawl", "shandong", timeout=300).returncode == 0  # the run itself succeeds
    health = _health(db, "shandong")
    assert "pages_missed" in health["flags"], health
    assert "the pager announces 3 pages, 1 read" in health["evidence"]
    status = rectify(env, "status").stdout
    assert "pages_missed" in status and "announces 3 pages, 1 read" in status


def test_a_column_that_moved_under_another_name_is_found_again(worker, env, db, mirror):
    expected = {url_key(n["url"]) for n in mirrored_notices(include_synthetic=True) if n.get("site_hint") == "gansu"}
    assert rectify(env, "crawl", "gansu", timeout=300).returncode == 0
    assert db.execute("SELECT discovered_list_url FROM sites WHERE site_id = 'gansu'").fetchone()[
        "discovered_list_url"] == "http://www.gsjw.gov.cn/category/xsxc"
    # redesign: the column moves to /category/zxgz and the menu calls it 专项工作 (no word discovery knows)
    mirror.set_page(GANSU, "/category/zxgz", _page(mirror, GANSU, "/category/xsxc").encode("utf-8"))
    mirror.remove_page(GANSU, "/category/xsxc")
    home = _page(mirror, GANSU, "/").replace('<a href="/category/xsxc">巡视巡察</a>', '<a href="/category/zxgz">专项工作</a>')
    mirror.set_page(GANSU, "/", home.encode("utf-8"))
    mirror.clear_log()
    assert rectify(env, "crawl", "gansu", "--full", timeout=300).returncode == 0
    found = db.execute("SELECT discovered_list_url, discovery_trace FROM sites WHERE site_id = 'gansu'").fetchone()
    assert found["discovered_list_url"] == "http://www.gsjw.gov.cn/category/zxgz"
    assert any("remembered column is gone" in c["reason"] for c in found["discovery_trace"]["candidates"])
    stored = {r["url_key"] for r in db.execute("SELECT url_key FROM notices WHERE site_id = 'gansu'").fetchall()}
    assert stored == expected
    assert any(r["path"] == "/category/zxgz" for r in mirror.requests if r["host"] == GANSU)


def test_a_column_that_vanished_is_flagged_not_silent(worker, env, db, mirror):
    assert rectify(env, "crawl", "gansu", timeout=300).returncode == 0
    mirror.remove_page(GANSU, "/category/xsxc")  # gone, and linked from nowhere any more
    home = _page(mirror, GANSU, "/").replace('<a href="/category/xsxc">巡视巡察</a>', "")
    mirror.set_page(GANSU, "/", home.encode("utf-8"))
    rectify(env, "crawl", "gansu", timeout=300)
    health = _health(db, "gansu")
    assert "no_links" in health["flags"], health
    assert "gansu" in rectify(env, "status").stdout.split("no_links")[0].rsplit("\n", 3)[-2]


def test_sites_shows_verified_probation_and_the_discovery_trace(worker, env, db):
    assert rectify(env, "crawl", "ccdi", timeout=300).returncode == 0
    lines = rectify(env, "sites").stdout.splitlines()
    ccdi = next(i for i, line in enumerate(lines) if line.startswith("ccdi "))
    assert "verified" in lines[ccdi] and "https://www.ccdi.gov.cn/xsxcn/xszg/" in lines[ccdi]
    assert lines[ccdi + 1].strip().startswith("discovery (run")
    assert lines[ccdi + 2].strip().startswith("* https://www.ccdi.gov.cn/xsxcn/xszg/")  # the chosen page, best score
    anhui = next(line for line in lines if line.startswith("anhui "))
    assert "probation" in anhui and "column to discover" in anhui
    flags = db.execute("SELECT flags FROM site_health WHERE site_id = 'anhui'").fetchone()["flags"]
    assert "probation" in flags


def test_a_column_drawn_by_script_from_data_it_does_not_name_is_flagged(env, db, settings, mirror, tmp_path):
    host = "shell.mirror.test"
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "shell.toml").write_text(
        f'id = "shell"\nname = "壳页面测试站"\nconfidence = "G"\nhome_url = "http://{host}/"\n', encoding="utf-8")
    mirror.set_page(host, "/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain")
    mirror.set_page(host, "/", '<html><body><a href="/xszg/">巡视整改</a></body></html>'.encode())
    shell = ('<html><body><ul id="list"></ul><script>var base = window.CONFIG.api;'
             '$.ajax({url: base + "/l", success: function (r) { draw(r); }});</script></body></html>')
    mirror.set_page(host, "/xszg/", shell.encode())
    shell_env = {**env, "RECTIFY_BUILTIN_SITES": "0", "RECTIFY_SITES_DIRS": f"{tmp_path / 'sites'}"}
    from crawler.db.store import sync_sites
    from crawler.sites import load_sites

    sync_sites(db, load_sites([tmp_path / "sites"]))
    with running_worker(shell_env, settings, tmp_path / "w.log"):
        rectify(shell_env, "crawl", "shell", timeout=120)
    failure = db.execute("SELECT url, error_class FROM failures WHERE site_id = 'shell'").fetchone()
    assert failure == {"url": f"http://{host}/xszg/", "error_class": "script_only_list"}
    health = _health(db, "shell")
    assert "script_list" in health["flags"] and "drawn by script" in health["evidence"]
