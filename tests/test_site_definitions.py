"""The built-in site definitions: the central commission plus one per province, consistent and documented."""

from __future__ import annotations

from itertools import combinations

import pytest

from crawler.settings import BUILTIN_SITES_DIR
from crawler.sites import Site, load_sites
from crawler.urls import host_of
from workers.schedule import cron

# The 31 province-level divisions of mainland China (provinces, autonomous regions, municipalities).
PROVINCES = frozenset({
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏", "陕西", "甘肃",
    "青海", "宁夏", "新疆"})
# Definitions whose column is known from evidence (the others discover it and are on probation).
VERIFIED = frozenset({"ccdi", "guangdong", "beijing", "gansu", "liaoning", "shandong", "jiangsu"})


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return load_sites([BUILTIN_SITES_DIR])


def test_one_definition_for_the_centre_and_each_province(sites):
    assert len(sites) == 32
    assert len(list(BUILTIN_SITES_DIR.glob("*.toml"))) == 32  # ids unique: no file shadowed another
    central = [s for s in sites.values() if s.level == "central"]
    assert [s.id for s in central] == ["ccdi"] and central[0].province is None
    provincial = [s for s in sites.values() if s.level == "province"]
    assert len(provincial) == 31
    assert {s.province for s in provincial} == PROVINCES


def test_ids_are_unique_ascii_slugs_matching_their_file(sites):
    assert len({s.id for s in sites.values()}) == len(sites)
    for site in sites.values():
        assert site.id.isascii() and site.id.isalpha() and site.id.islower(), site.id
        assert site.source_file.endswith(f"/{site.id}.toml"), (site.id, site.source_file)


def test_every_definition_is_enabled(sites):
    assert all(s.enabled for s in sites.values())


def test_a_definition_without_evidence_for_its_column_discovers_it_from_the_home_page(sites):
    for site in sites.values():
        if site.id in VERIFIED:
            assert site.confidence in ("H", "M"), site.id
        else:  # on probation: no guessed list URL is fetched, discovery starts from the home page
            assert not site.list_urls and site.home_url, site.id
            assert "probation" in (BUILTIN_SITES_DIR / f"{site.id}.toml").read_text(encoding="utf-8"), site.id


def test_every_start_url_is_on_an_allowed_host(sites):
    for site in sites.values():
        urls = [*site.list_urls, *([site.home_url] if site.home_url else [])]
        assert urls, site.id
        for url in urls:
            assert url.startswith(("http://", "https://")), (site.id, url)
            assert host_of(url) in site.allowed_hosts, (site.id, url)


def test_each_file_opens_with_an_evidence_comment():
    for path in sorted(BUILTIN_SITES_DIR.glob("*.toml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        block = []
        for line in lines:
            if not line.startswith("#"):
                break
            block.append(line)
        assert block, f"{path.name} does not start with a comment block"
        assert "evidence" in "\n".join(block).lower(), f"{path.name}: comment block cites no evidence"


def test_cron_strings_parse(sites):
    for site in sites.values():
        for expression in (site.schedule, site.full_schedule):
            assert len(expression.split()) == 5, (site.id, expression)
            cron(expression)


def _slots(expression: str) -> set[tuple[int, int]]:
    schedule = cron(expression)
    return {(hour, minute) for hour in schedule.hour for minute in schedule.minute}


@pytest.mark.parametrize("attribute", ["schedule", "full_schedule"])
def test_enabled_sites_never_start_at_the_same_time(sites, attribute):
    enabled = [s for s in sites.values() if s.enabled]
    for a, b in combinations(enabled, 2):
        shared = _slots(getattr(a, attribute)) & _slots(getattr(b, attribute))
        assert not shared, (attribute, a.id, b.id, sorted(shared))


def test_ccdi_discovers_its_column_slowly(sites):
    ccdi = sites["ccdi"]
    assert not ccdi.list_urls and ccdi.home_url == "https://www.ccdi.gov.cn/"
    assert ccdi.allowed_hosts == {"www.ccdi.gov.cn", "ccdi.gov.cn"}
    assert ccdi.rate_limit < 0.5
    assert ccdi.pagination.pattern == "index_{p0}.html"
