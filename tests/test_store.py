"""Storage is idempotent: a replay changes nothing; changed text makes a version; NUL bytes are dropped."""

from __future__ import annotations

import psycopg
import pytest

from crawler.db.store import store_notice
from crawler.text.parse import parse_text
from crawler.urls import url_key
from tests.conftest import PROJECT_ROOT

URL = "http://www.sdjj.gov.cn/gzzc/xsxc/202008/t20200803_1.htm"


def _doc(text: str | None = None) -> dict:
    return parse_text(text or (PROJECT_ROOT / "crawler/mirror/corpus/sd01.txt").read_text())


def _counts(db) -> tuple:  # noqa: ANN001
    return tuple(db.execute(f"SELECT count(*) AS n FROM {t}").fetchone()["n"]
                 for t in ("notices", "notice_versions", "notice_sections", "notice_keywords", "notice_tags",
                           "notice_figures"))


def test_storing_the_same_document_twice_changes_nothing(db):
    doc = _doc()
    with db.transaction():
        assert store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc) == "new"
    before = _counts(db), db.execute("SELECT updated_at FROM notices").fetchone()
    with db.transaction():
        assert store_notice(db, site_id="shandong", url=URL + "?utm_source=x", page_id=None, doc=doc) == "unchanged"
    assert (_counts(db), db.execute("SELECT updated_at FROM notices").fetchone()) == before
    assert before[0][0] == 1 and before[0][2] > 5 and before[0][5] >= 1  # sd01 states 占比71.2%


def test_changed_text_is_a_new_version_of_the_same_notice(db):
    doc = _doc()
    with db.transaction():
        store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc)
    edited = _doc(doc["body_text"] + "\n以上为更新内容。")
    with db.transaction():
        assert store_notice(db, site_id="shandong", url=URL, page_id=None, doc=edited) == "changed"
    row = db.execute("SELECT version, body_text FROM notices").fetchone()
    assert row["version"] == 2 and row["body_text"].endswith("以上为更新内容。")
    assert _counts(db)[:2] == (1, 2)


def test_nul_bytes_are_stripped(db):
    doc = _doc()
    doc["body_text"] = doc["body_text"].replace("根据", "根\x00据", 1)
    with db.transaction():
        store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc)
    assert "\x00" not in db.execute("SELECT body_text FROM notices").fetchone()["body_text"]


# -- the write path: pipeline mode, one INSERT per child table, nothing of a failed notice left ------------

CHILDREN = {"notice_sections": "ordinal", "notice_keywords": "rank", "notice_tags": "tag",
            "notice_problems": "ordinal", "notice_figures": "ordinal"}


def _rows_of(db, url: str) -> dict[str, list[dict]]:  # noqa: ANN001
    """Everything stored for the notice at `url` that describes its current version, without its id."""
    notice = db.execute("SELECT notice_id, search_vector::text AS search_vector, search_head::text AS search_head, "
                        "content_simhash, province, body_text, evidence, version FROM notices WHERE url_key = %s",
                        (url_key(url),)).fetchone()
    rows = {table: [{k: v for k, v in r.items() if k != "notice_id"} for r in db.execute(
        f"SELECT * FROM {table} WHERE notice_id = %s ORDER BY {key}", (notice["notice_id"],)).fetchall()]
        for table, key in CHILDREN.items()}
    rows["version"] = [db.execute("SELECT body_text, record, content_sha256 FROM notice_versions "
                                  "WHERE notice_id = %s AND version = %s", (notice["notice_id"], notice["version"])
                                  ).fetchone()]
    rows["notice"] = [{k: v for k, v in notice.items() if k not in ("notice_id", "version")}]
    return rows


def test_a_new_notice_gets_the_rows_a_changed_notice_gets(db):
    """A new notice's children go in without DELETEs and its search columns with its INSERT; a changed
    notice's are deleted, written again and updated. Both end with the same rows."""
    doc, other = _doc(), _doc((PROJECT_ROOT / "crawler/mirror/corpus/ln01.txt").read_text())
    changed_url = "http://www.sdjj.gov.cn/gzzc/xsxc/202008/t20200803_2.htm"
    with db.transaction():
        assert store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc) == "new"
        assert store_notice(db, site_id="shandong", url=changed_url, page_id=None, doc=other) == "new"
    with db.transaction():
        assert store_notice(db, site_id="shandong", url=changed_url, page_id=None, doc=doc) == "changed"
    new, changed = _rows_of(db, URL), _rows_of(db, changed_url)
    assert all(new[t] for t in CHILDREN) and new["notice"][0]["search_vector"]
    assert new == changed
    assert _counts(db)[1] == 3  # versions: 1 of the new notice, 1 and 2 of the changed one


def test_child_values_end_as_single_parameters_stored_them(db):
    """The children go in as one array per column: every value ends as it did when it was a statement's
    own parameter: a float figure goes float8 → numeric (15 significant digits), a keyword weight float8
    → real; text with quotes, braces, backslashes, commas or reading NULL stays as written, NUL dropped."""
    doc = _doc()
    odd = 'a "quoted" {brace}, back\\slash NULL \x00 and NUL'
    doc["sections"][0]["heading"], doc["sections"][1]["body"], doc["sections"][2]["heading"] = odd, "", "NULL"
    doc["sections"][3]["parent"] = None
    values = [0.1 + 0.2, 1e20, 123456789.123456789, 47.0, 5, 1 / 3, 2.5e-7, 12345678901234567890, -0.0]
    doc["figures"] = [{"kind": "problems_raised", "value": v, "unit": "个", "text": odd, "sentence": "s\x00"}
                      for v in values]
    weights = [0.1, 1, 1 / 3, 0.067628]
    for keyword, weight in zip(doc["keywords"], weights, strict=False):
        keyword["weight"] = weight
    doc["keywords"][1]["keyword"] = "NULL"
    with db.transaction():
        store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc)

    def alone(sql: str, value: object) -> object:
        return db.execute(sql, (value,)).fetchone()["v"]

    figures = db.execute("SELECT value, text, sentence FROM notice_figures ORDER BY ordinal").fetchall()
    assert [str(f["value"]) for f in figures] == [str(alone("SELECT %s::numeric AS v", v)) for v in values]
    assert {(f["text"], f["sentence"]) for f in figures} == {(odd.replace("\x00", ""), "s")}
    stored = [r["weight"] for r in db.execute("SELECT weight FROM notice_keywords ORDER BY rank LIMIT 4").fetchall()]
    assert stored == [alone("SELECT %s::real AS v", w) for w in weights]
    assert db.execute("SELECT keyword FROM notice_keywords WHERE rank = 2").fetchone()["keyword"] == "NULL"
    sections = db.execute("SELECT heading, body, parent FROM notice_sections ORDER BY ordinal LIMIT 4").fetchall()
    assert sections[0]["heading"] == odd.replace("\x00", "") and sections[1]["body"] == ""
    assert sections[2]["heading"] == "NULL" and sections[3]["parent"] is None


def test_a_failed_store_leaves_nothing_of_the_notice(db):
    """A statement that fails in the pipeline (two sections with one ordinal) raises from store_notice;
    the transaction rolls back all of it: a new notice is not there, a changed one is as it was."""
    doc = _doc()
    broken = _doc(doc["body_text"] + "\n以上为更新内容。")
    broken["sections"][1]["ordinal"] = broken["sections"][0]["ordinal"]
    with pytest.raises(psycopg.errors.UniqueViolation), db.transaction():
        store_notice(db, site_id="shandong", url=URL, page_id=None, doc=broken)
    assert _counts(db) == (0, 0, 0, 0, 0, 0)
    assert db.execute("SELECT count(*) AS n FROM notice_problems").fetchone()["n"] == 0
    with db.transaction():
        store_notice(db, site_id="shandong", url=URL, page_id=None, doc=doc)
    before = _rows_of(db, URL), _counts(db)
    with pytest.raises(psycopg.errors.UniqueViolation), db.transaction():
        store_notice(db, site_id="shandong", url=URL, page_id=None, doc=broken)
    assert (_rows_of(db, URL), _counts(db)) == before


def test_the_store_step_runs_the_pipeline_inside_its_transaction(db, settings):
    """Through the store step (its transaction also restores and completes the item): a good document
    is stored and the item done; a failing one is a recorded failure with nothing of it stored."""
    from crawler.db import workqueue as wq
    from crawler.pipeline import process_item
    from crawler.runtime import build_context
    from crawler.sites import load_sites
    from tests.conftest import redis_client

    site = load_sites(settings.sites_dirs)["shandong"]
    run_id, _ = wq.create_run(db, site, trigger="manual", lease=6, max_attempts=3, list_pages=False)
    broken = _doc()
    broken["sections"][1]["ordinal"] = broken["sections"][0]["ordinal"]
    good = wq.enqueue(db, run_id, site.id, "store", URL, lease=6, max_attempts=3, payload={"doc": _doc()})
    bad = wq.enqueue(db, run_id, site.id, "store", URL.replace("_1", "_9"), lease=6, max_attempts=3,
                     payload={"doc": broken})
    ctx = build_context(settings, redis_client(settings.redis_url))
    try:
        assert process_item(ctx, good.item_id) == [] and process_item(ctx, bad.item_id) == []
    finally:
        ctx.pool.close()
    items = {r["item_id"]: r for r in db.execute("SELECT item_id, state, outcome, error_class, error "
                                                 "FROM raw.work_items").fetchall()}
    assert (items[good.item_id]["state"], items[good.item_id]["outcome"]) == ("done", "new")
    assert items[bad.item_id]["state"] == "failed" and "UniqueViolation" in items[bad.item_id]["error"]
    assert [r["url_key"] for r in db.execute("SELECT url_key FROM notices").fetchall()] == [url_key(URL)]
    assert _counts(db)[:2] == (1, 1)
