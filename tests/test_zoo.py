"""The CMS zoo (crawler/mirror/zoo/): every non-held-out zoo site crawled end to end from its HOME PAGE
ALONE (tests/fixtures/zoo_sites/<id>.toml: no list URL, no selectors) with a real worker. Per site:
every expected notice stored, and nothing else (a list page, a channel page or look-alike news stored as
a notice fails). On failure the message shows what the crawler asked the mirror for and the failures table.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from crawler.mirror import MirrorServer
from crawler.mirror.zoo import HELD_OUT, SITE_CLASSES, expected_notice_urls, zoo_site_ids
from crawler.settings import Settings
from crawler.sites import load_sites
from crawler.urls import url_key
from tests.conftest import FIXTURES, TEST_SITES, Worker, rectify, running_worker

ZOO_SITES = FIXTURES / "zoo_sites"
ZOO = load_sites([ZOO_SITES])


# -- the mirror side (no crawler involved) ---------------------------------------------------------


def test_zoo_site_files_give_the_home_page_only() -> None:
    assert sorted(ZOO) == sorted(zoo_site_ids(include_held_out=True))
    assert set(HELD_OUT) < set(ZOO) and len(HELD_OUT) == 3
    for site in ZOO.values():
        assert site.home_url and not site.list_urls and site.enabled and site.confidence == "G"
        assert site.item_selector is None and site.pagination.next_selector is None and site.article.body is None
        assert set(site.raw) <= {"id", "name", "confidence", "level", "home_url", "allowed_hosts", "enabled"}


@pytest.mark.parametrize("site_id", zoo_site_ids(include_held_out=True))
def test_zoo_mirror_serves_every_expected_notice(mirror: MirrorServer, site_id: str) -> None:
    site, cls = ZOO[site_id], next(c for c in SITE_CLASSES if c.site_id == site_id)
    expected = expected_notice_urls(site_id)
    assert 3 <= len(expected) <= 6
    home = requests.get(mirror.url + "/", headers={"Host": urlsplit(site.home_url).hostname}, timeout=5)
    assert home.status_code == 200
    titles = {cls().absolute_url(a.path): a.title for a in cls().articles if a.is_notice}
    for url in expected:
        assert urlsplit(url).hostname in site.allowed_hosts
        parts = urlsplit(url)
        page = requests.get(mirror.url + parts.path + (f"?{parts.query}" if parts.query else ""),
                            headers={"Host": parts.hostname}, timeout=5)
        assert page.status_code == 200, url
        assert titles[url] in page.content.decode(cls.encoding), url


# -- the crawl -------------------------------------------------------------------------------------


@pytest.fixture
def zoo_env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "RECTIFY_BUILTIN_SITES": "0", "RECTIFY_SITES_DIRS": f"{ZOO_SITES}:{TEST_SITES}"}


@pytest.fixture
def zoo_worker(zoo_env: dict[str, str], settings: Settings, db: Any, tmp_path: Path) -> Iterator[Worker]:
    with running_worker(zoo_env, settings, tmp_path / "zoo-worker.log") as worker:
        yield worker


def _what_happened(db: Any, mirror: MirrorServer, site_id: str, result: Any) -> str:
    hosts = ZOO[site_id].allowed_hosts
    asked = [f"  {r['method']} {r['host']}{r['path']} -> {r['status']}" for r in mirror.requests if r["host"] in hosts]
    failures = db.execute("SELECT url, error_class, left(coalesce(message, ''), 160) AS message, final FROM failures "
                          "WHERE site_id = %s ORDER BY failure_id", (site_id,)).fetchall()
    failed = [f"  {f['error_class']} {f['url']} {f['message']}" for f in failures]
    items = db.execute("SELECT kind, url, state, outcome FROM raw.work_items WHERE site_id = %s AND kind IN "
                       "('list', 'parse') ORDER BY item_id", (site_id,)).fetchall()
    worked = [f"  {i['kind']} {i['url']} {i['state']}/{i['outcome']}" for i in items]
    return ("\nrequests to the site:\n" + "\n".join(asked or ["  (none)"])
            + "\nfailures:\n" + "\n".join(failed or ["  (none)"])
            + "\nlist and parse items:\n" + "\n".join(worked or ["  (none)"])
            + f"\nrectify crawl exit {result.returncode}: {(result.stdout + result.stderr)[-1500:]}")


# The held-out layouts measure how discovery does on layouts it was not written against: crawled only with
# RECTIFY_ZOO_HELD_OUT=1 (e.g. `RECTIFY_ZOO_HELD_OUT=1 .venv/bin/python -m pytest tests/test_zoo.py -k held`).
CRAWLED = zoo_site_ids(include_held_out=bool(os.environ.get("RECTIFY_ZOO_HELD_OUT")))


@pytest.mark.parametrize("site_id", CRAWLED, ids=[f"{s}{'-held' if s in HELD_OUT else ''}" for s in CRAWLED])
def test_zoo_site_is_crawled_from_its_home_page_alone(
    zoo_env: dict[str, str], zoo_worker: Worker, db: Any, mirror: MirrorServer, site_id: str
) -> None:
    result = rectify(zoo_env, "crawl", site_id, timeout=300)
    stored = {r["url_key"] for r in db.execute("SELECT url_key FROM notices WHERE site_id = %s", (site_id,)).fetchall()}
    expected = {url_key(u) for u in expected_notice_urls(site_id)}
    report = _what_happened(db, mirror, site_id, result)
    assert not stored - expected, f"{site_id}: stored pages that are not notices: {sorted(stored - expected)}{report}"
    assert not expected - stored, f"{site_id}: notices not stored: {sorted(expected - stored)}{report}"
