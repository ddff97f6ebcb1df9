"""The real-notice corpus is what the parser's accuracy is measured on, so it must stay sound: every notice
has its source address and a gold record whose every value quotes the text it came from, the split covers
each notice once, and none of them is a notice the project's scorers keep back."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from crawler.text.record import FIELDS
from tests.conftest import PROJECT_ROOT

REAL = PROJECT_ROOT / "tests" / "fixtures" / "real"
HELD_BACK = PROJECT_ROOT.parent / "shared" / "corpus" / "held_back.py"
GOLD = [json.loads(line) for line in (REAL / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
NO_ADDRESS = "(no address returned by the search tool for this result)"
NOTICES = sorted((REAL / "notices").glob("*.txt"))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_notice_has_one_gold_record_one_source_address_and_one_side_of_the_split():
    ids = [p.stem for p in NOTICES]
    urls = dict(line.split("\t", 1) for line in (REAL / "urls.tsv").read_text(encoding="utf-8").splitlines()
                if line.strip())
    split = json.loads((REAL / "split.json").read_text(encoding="utf-8"))
    assert sorted(r["id"] for r in GOLD) == ids
    assert sorted(urls) == ids
    # four pages came from the search tool's store without an address (one of them from shared/): said so
    assert all(u.startswith(("http://", "https://")) or u == NO_ADDRESS for u in urls.values())
    assert sorted(split["fit"] + split["unseen"]) == ids


@pytest.mark.parametrize("record", GOLD, ids=lambda r: r["id"])
def test_every_gold_value_quotes_the_text_it_was_read_from(record):
    text = _flat((REAL / "notices" / f"{record['id']}.txt").read_text(encoding="utf-8"))
    assert set(record) - {"id", "evidence", "also_ok"} == set(FIELDS)
    for field in FIELDS:
        if record[field] not in (None, []):
            assert _flat(record["evidence"][field]) in text, field  # a line break may sit inside a quote
    assert set(record["evidence"]) <= set(FIELDS)  # an empty topic list may cite why it is empty


@pytest.mark.skipif(not HELD_BACK.exists(), reason="../shared/corpus/held_back.py is not beside this checkout")
def test_no_notice_of_the_corpus_is_one_the_scorers_keep_back():
    run = subprocess.run([sys.executable, str(HELD_BACK), *map(str, NOTICES)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout
