"""The HTML path: each mirrored notice page (three site layouts) parses to its hand-checked gold record."""

from __future__ import annotations

import json

import pytest
import requests

from crawler.mirror import mirrored_notices
from crawler.settings import BUILTIN_SITES_DIR
from crawler.sites import load_sites, site_for_url
from crawler.text.parse import parse_page_bytes
from tests.conftest import FIXTURES

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
