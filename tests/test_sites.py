"""Every site definition loads, is consistent, and schedules; a broken one fails with its file named."""

from __future__ import annotations

import pytest

from crawler.errors import SiteNotConfigured
from crawler.settings import BUILTIN_SITES_DIR
from crawler.sites import load_sites
from crawler.urls import host_of
from tests.conftest import TEST_SITES
from workers.schedule import cron


def test_every_definition_is_consistent():
    sites = load_sites([BUILTIN_SITES_DIR, TEST_SITES])
    assert {"liaoning", "shandong", "jiangsu", "faults"} <= set(sites)
    for site in sites.values():
        for url in site.list_urls:
            assert host_of(url) in site.allowed_hosts, (site.id, url)
        assert site.rate_limit > 0 and site.max_pages > 0
        cron(site.schedule)
        cron(site.full_schedule)


def test_missing_key_names_the_file(tmp_path):
    (tmp_path / "bad.toml").write_text('id = "x"\nname = "X"\nconfidence = "M"\n')
    with pytest.raises(SiteNotConfigured, match="bad.toml.*list_urls, or home_url"):
        load_sites([tmp_path])


def test_unknown_selector_key_is_rejected(tmp_path):
    (tmp_path / "bad.toml").write_text('id = "x"\nname = "X"\nconfidence = "M"\nlist_urls = ["http://a.cn/"]\n[article]\nbodyy = "div"\n')
    with pytest.raises(SiteNotConfigured, match="bodyy"):
        load_sites([tmp_path])


def test_duplicate_ids_are_rejected(tmp_path):
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text('id = "x"\nname = "X"\nconfidence = "M"\nlist_urls = ["http://a.cn/"]\n')
    with pytest.raises(SiteNotConfigured, match="already defined"):
        load_sites([tmp_path])


def test_a_new_site_needs_only_a_file(tmp_path):
    (tmp_path / "hubei.toml").write_text(
        'id = "hubei"\nname = "湖北省纪委监委"\nconfidence = "G"\nlist_urls = ["http://www.hbjwjc.gov.cn/xszg/index.shtml"]\n')
    site = load_sites([tmp_path])["hubei"]
    assert site.allowed_hosts == {"www.hbjwjc.gov.cn"} and site.enabled


def test_a_disabled_site_must_say_why(tmp_path):
    (tmp_path / "x.toml").write_text('id = "x"\nname = "X"\nconfidence = "G"\nhome_url = "http://a.cn/"\nenabled = false\n')
    with pytest.raises(SiteNotConfigured, match="disabled_reason"):
        load_sites([tmp_path])


def test_unknown_top_level_keys_and_confidence_are_rejected(tmp_path):
    (tmp_path / "x.toml").write_text('id = "x"\nname = "X"\nconfidence = "sure"\nhome_url = "http://a.cn/"\n')
    with pytest.raises(SiteNotConfigured, match="confidence"):
        load_sites([tmp_path])
    (tmp_path / "x.toml").write_text('id = "x"\nname = "X"\nconfidence = "M"\nhome_url = "http://a.cn/"\nlisturls = []\n')
    with pytest.raises(SiteNotConfigured, match="unknown key"):
        load_sites([tmp_path])
