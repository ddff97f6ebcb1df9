"""search_notices() takes any string an analyst may type, as the analyst (rectify_reader): operators are
read as an expression when well formed and as words otherwise, NULL finds nothing, the limit is clamped;
segment_query() is linear in the query's length."""

from __future__ import annotations

import re
import time

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.rows import dict_row

from crawler.db.dbsetup import refresh_keywords
from crawler.db.store import store_notice
from crawler.text.parse import parse_text
from tests.conftest import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "crawler" / "mirror" / "corpus"
NAMES = ("sd01", "js01", "ln01")


@pytest.fixture
def analyst(db, databases):
    """Three corpus notices stored and the vocabulary refreshed; the analyst's connection."""
    for i, name in enumerate(NAMES):
        with db.transaction():
            store_notice(db, site_id="shandong", url=f"http://www.sdjj.gov.cn/q/{i}.htm", page_id=None,
                         doc=parse_text((CORPUS / f"{name}.txt").read_text(encoding="utf-8")))
    refresh_keywords(db)
    with psycopg.connect(databases["analyst"], row_factory=dict_row, autocommit=True) as conn:
        yield conn


def search(conn, query, limit=20) -> list[dict]:
    return conn.execute("SELECT * FROM search_notices(%s, %s)", (query, limit)).fetchall()


QUERIES = ["&&&|||!!!", "(", ")", "((营商环境", "营商环境 & (", "!", "<->", ":*", "a:b:c", '"营商环境', '营商环境"', '"',
           "''", "'", "\\", "营商环境 <-> | 问责", "& 问责", "-", "or", "营商环境 or", "*", "%", "", "   ", "营商环境 <1000000> 问责"]


def test_any_string_is_a_query(analyst):
    for query in QUERIES:
        assert isinstance(search(analyst, query), list), query


def test_a_malformed_expression_is_read_as_its_words(analyst):
    words = {h["title"] for h in search(analyst, "营商环境")}
    assert words
    assert {h["title"] for h in search(analyst, "营商环境 & (")} == words
    assert {h["title"] for h in search(analyst, "((营商环境")} == words
    assert {h["title"] for h in search(analyst, '"营商环境')} == words  # an unbalanced quote
    assert search(analyst, "&&&|||!!!") == [] and search(analyst, "(") == []
    # a well-formed expression is still an expression
    assert len(search(analyst, "主体责任 & !营商环境")) == 1


def test_null_finds_nothing(analyst):
    assert search(analyst, None) == []
    assert analyst.execute("SELECT segment_query(NULL) AS s").fetchone()["s"] is None


def test_the_limit_is_clamped(analyst):
    assert search(analyst, "主体责任", -5) == []
    assert search(analyst, "主体责任", 0) == []
    assert len(search(analyst, "主体责任", 2_000_000_000)) == 3
    assert len(search(analyst, "主体责任", None)) == 3  # NULL: the default
    assert len(search(analyst, "主体责任", 2)) == 2


def test_a_word_longer_than_any_indexed_word_finds_nothing(analyst):
    assert search(analyst, "x" * 5000) == []
    assert search(analyst, "龘" * 3000) == []


def test_segment_query_is_linear(analyst):
    """20,000 characters of notice text as one word: well within 10 s (the quadratic version took ~25 s;
    bench/search measures up to 100,000)."""
    text = "".join(re.findall(r"[\u4e00-\u9fff]+", "".join(
        (CORPUS / f"{n}.txt").read_text(encoding="utf-8") for n in NAMES)))
    words = (text * (20_000 // len(text) + 1))[:20_000]
    started = time.monotonic()
    split = analyst.execute("SELECT segment_query(%s) AS s", (words,)).fetchone()["s"]
    assert time.monotonic() - started < 10
    assert split.replace(" ", "") != "" and len(split.split()) > 5_000
    # the split is the forward maximum matching one: its pieces, joined, are what was typed minus
    # characters no notice has as a word
    assert set(split.replace(" ", "")) <= set(words)


def test_segment_query_splits_as_before(analyst):
    split = analyst.execute("SELECT segment_query(%s) AS s", ("巡视整改工作",)).fetchone()["s"]
    assert split == "巡视整改 工作"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("&|!()<>:*'\"- \\营商环境问责主体巡视整改orANDnot龘0123456789")),
               max_size=40) | st.text(max_size=40))
def test_fuzz_search_never_fails(analyst, query):
    """Any text, including NUL-free control and operator characters, is a query that runs."""
    query = query.replace("\x00", "")  # PostgreSQL text cannot hold NUL; psycopg refuses it before the server
    search(analyst, query)
    analyst.execute("SELECT segment_query(%s)", (query,)).fetchone()
