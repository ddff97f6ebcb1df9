"""The HTML path: each mirrored notice page (three site layouts) parses to its hand-checked gold record."""

from __future__ import annotations

import json

import pytest
import requests

from crawler.mirror import mirrored_notices
from crawler.settings import BUILTIN_SITES_DIR
from crawler.sites import load_sites, site_for_url
from crawler.text.parse import parse_page_bytes
from tests.conftest import FIXTURES, PROJECT_ROOT

GOLD = {r["id"]: r for r in map(json.loads, (FIXTURES / "gold" / "dev.jsonl").read_text().splitlines())}
SITES = load_sites([BUILTIN_SITES_DIR])
PAGE_FIELDS = ("title", "published_on")  # these come from the page, not from the text


@pytest.mark.parametrize("notice", mirrored_notices(), ids=lambda n: n["corpus_id"])
def test_page_parses_to_the_gold_record(mirror, notice):
    response = requests.get(mirror.url + notice["path"], headers={"Host": notice["host"]}, timeout=10)
    site = site_for_url(SITES, notice["url"])
    record = parse_page_bytes(response.content, response.headers.get("content-type"), site.article)["record"]
    gold = GOLD[notice["corpus_id"]]
    wrong = {k: (record[k], v) for k, v in gold.items() if k not in ("id", "evidence", *PAGE_FIELDS) and record[k] != v}
    assert wrong == {}
    assert (record["title"], record["published_on"]) == (notice["title"], notice["published_on"])


LIST_PAGES = [("www.sdjj.gov.cn", "/gzzc/xsxc/index.htm"), ("www.lnsjjjc.gov.cn", "/network/xsxc/indexHome.shtml"),
              ("www.ccdi.gov.cn", "/xsxcn/xszg/"), ("www.bjsupervision.gov.cn", "/zt/shejswxc/xsfk/"),
              ("www.gdjct.gd.gov.cn", "/swxsnew/xszg82/"), ("www.gsjw.gov.cn", "/category/xsxc")]


@pytest.mark.parametrize(("host", "path"), LIST_PAGES)
def test_a_list_page_is_no_notice_whatever_its_title_says(mirror, host, path):
    from crawler.text.parse import is_notice, parse_html

    html = requests.get(mirror.url + path, headers={"Host": host}, timeout=10).text
    # a column named like a notice ("巡视巡察整改通报") gives the page a notice-like title
    html = html.replace("<title>", "<title>关于巡视整改进展情况的通报 ", 1)
    doc = parse_html(html)
    doc["record"].update(inspection_kind="巡视", team=3)  # even with the facts a notice names
    assert not is_notice(doc["record"], doc["body_text"])


def test_every_real_notice_reads_as_running_text():
    from crawler.text.parse import parse_file, reads_as_list

    paths = [*(PROJECT_ROOT / "crawler/mirror/corpus").glob("*.txt"),
             *(PROJECT_ROOT / "tests/fixtures/real/notices").glob("*.txt")]
    assert len(paths) > 130
    assert [p.stem for p in paths if reads_as_list(parse_file(p)["body_text"])] == []
