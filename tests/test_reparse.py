"""`rectify reparse` step by step, in this process (no Celery): parse items pass the store step ids, not the
document (it waits in raw.documents under the store item's id and is gone once stored), and a run's counters
are right the moment it closes."""

from __future__ import annotations

import hashlib
import zlib
from collections import Counter
from typing import Any

import pytest
from psycopg.types.json import Jsonb

from crawler.db import documents
from crawler.db import workqueue as wq
from crawler.mirror import mirrored_notices
from crawler.mirror.layouts import build_sites
from crawler.urls import url_key

SITE_OF_HOST = {"www.lnsjjjc.gov.cn": "liaoning", "www.sdjj.gov.cn": "shandong"}


def _store_pages(db: Any, per_host: int = 3) -> list[dict[str, Any]]:
    """The mirror's notice pages of two sites as raw pages (what a crawl keeps), a few per site."""
    sites, pages, seen = build_sites(), [], {}
    for n in mirrored_notices(hosts=list(SITE_OF_HOST)):
        if seen.setdefault(n["host"], 0) >= per_host:
            continue
        seen[n["host"]] += 1
        page = sites[n["host"]].pages()[n["path"]]
        pages.append(db.execute(
            "INSERT INTO raw.pages (site_id, url_key, url, final_url, http_status, headers, body_sha256, body_size, "
            "body_zlib) VALUES (%s, %s, %s, %s, 200, %s, %s, %s, %s) RETURNING page_id, url, site_id",
            [SITE_OF_HOST[n["host"]], url_key(n["url"]), n["url"], n["url"], Jsonb({"content-type": page.content_type}),
             hashlib.sha256(page.body).hexdigest(), len(page.body), zlib.compress(page.body)]).fetchone())
    return pages


@pytest.fixture
def ctx(settings):
    from crawler.runtime import build_context
    from workers.services import redis_client

    context = build_context(settings, redis_client(settings.redis_url))
    yield context
    context.pool.close()


def _work_off(ctx: Any, followups: list[wq.Followup]) -> None:
    """Run the items and everything they queue, one at a time, as a worker would."""
    from crawler.pipeline import process_item

    todo = list(followups)
    while todo:
        todo += process_item(ctx, todo.pop(0).item_id)


def _queue(ctx: Any, db: Any) -> list[tuple[int, list[wq.Followup]]]:
    from crawler.pipeline import queue_reparse

    with ctx.pool.connection() as conn:
        return queue_reparse(ctx, conn, sorted(SITE_OF_HOST.values()))


def test_the_store_item_carries_ids_and_finds_its_document_by_id(db, ctx):
    from crawler.pipeline import process_item

    pages = _store_pages(db)
    runs = _queue(ctx, db)
    stores = [f for _, followups in runs for f in followups for f in process_item(ctx, f.item_id)]
    assert len(stores) == len(pages)  # every page reads as a notice
    for store in stores:
        item = db.execute("SELECT payload, page_id FROM raw.work_items WHERE item_id = %s", [store.item_id]).fetchone()
        assert "doc" not in item["payload"] and len(str(item["payload"])) < 200, item["payload"]
        doc = documents.decode(db.execute("SELECT body FROM raw.documents WHERE item_id = %s",
                                          [store.item_id]).fetchone()["body"])
        assert doc["record"]["title"] and doc["simhash"] and doc["sections"]
    # nothing is closed while store items are queued; the parse steps did not look (they queued work)
    assert {r["state"] for r in db.execute("SELECT state FROM crawl_runs").fetchall()} == {"running"}

    _work_off(ctx, stores)
    assert db.execute("SELECT count(*) AS n FROM raw.documents").fetchone()["n"] == 0  # taken by the stores
    assert db.execute("SELECT count(*) AS n FROM notices").fetchone()["n"] == len(pages)
    titles = {r["url_key"]: r["title"] for r in db.execute("SELECT url_key, title FROM notices").fetchall()}
    assert all(titles[url_key(p["url"])] for p in pages)

    # a store step run again (a duplicate message) changes nothing
    before = db.execute("SELECT notice_id, version, updated_at FROM notices ORDER BY notice_id").fetchall()
    for store in stores:
        assert process_item(ctx, store.item_id) == []
    assert db.execute("SELECT notice_id, version, updated_at FROM notices ORDER BY notice_id").fetchall() == before


def test_a_runs_counters_are_right_the_moment_it_closes(db, ctx):
    pages = _store_pages(db)
    runs = _queue(ctx, db)
    _work_off(ctx, [f for _, followups in runs for f in followups])
    per_site = Counter(p["site_id"] for p in pages)
    for run_id, _ in runs:
        run = db.execute("SELECT * FROM crawl_runs WHERE run_id = %s", [run_id]).fetchone()
        progress = db.execute("SELECT * FROM crawl_run_progress WHERE run_id = %s", [run_id]).fetchone()
        assert run["state"] == "done" and run["finished_at"] is not None, run
        assert run["notices_new"] == per_site[run["site_id"]]
        for counter in ("pages_fetched", "notices_new", "notices_changed", "notices_unchanged", "notices_failed",
                        "notices_withdrawn"):
            assert run[counter] == progress[counter], counter

    # again: the notices are there now, so the stores find them unchanged; the counters say so at once
    runs = _queue(ctx, db)
    _work_off(ctx, [f for _, followups in runs for f in followups])
    for run_id, _ in runs:
        run = db.execute("SELECT * FROM crawl_runs WHERE run_id = %s", [run_id]).fetchone()
        assert (run["state"], run["notices_new"], run["notices_unchanged"]) == ("done", 0, per_site[run["site_id"]])


def test_a_store_item_queued_with_its_document_in_the_payload_is_still_stored(db, ctx):
    """Store items queued before the upgrade carry the whole document in their payload."""
    from crawler.pipeline import process_item
    from crawler.sites import load_sites
    from crawler.text.parse import parse_page_bytes

    page = _store_pages(db, per_host=1)[0]
    site = load_sites(ctx.settings.sites_dirs)["liaoning"]
    body = zlib.decompress(db.execute("SELECT body_zlib FROM raw.pages WHERE page_id = %s",
                                      [page["page_id"]]).fetchone()["body_zlib"])
    doc = parse_page_bytes(body, "text/html; charset=utf-8", site.article)
    run_id, _ = wq.create_run(db, site, trigger="reparse", lease=60, max_attempts=3, list_pages=False)
    item = wq.enqueue(db, run_id, site.id, "store", page["url"], page_id=page["page_id"], lease=60, max_attempts=3,
                      payload={"doc": doc})
    assert process_item(ctx, item.item_id) == []
    assert db.execute("SELECT title FROM notices").fetchone()["title"] == doc["record"]["title"]


def test_a_store_item_whose_document_is_gone_parses_its_page_again(db, ctx):
    from crawler.pipeline import process_item

    _store_pages(db, per_host=1)
    runs = _queue(ctx, db)
    stores = [f for _, followups in runs for f in followups for f in process_item(ctx, f.item_id)]
    expected = {s.item_id: documents.decode(db.execute("SELECT body FROM raw.documents WHERE item_id = %s",
                                                       [s.item_id]).fetchone()["body"]) for s in stores}
    db.execute("DELETE FROM raw.documents")
    for store in stores:
        assert process_item(ctx, store.item_id) == []
    stored = {r["url_key"]: r for r in db.execute("SELECT url_key, title, content_sha256, content_simhash "
                                                  "FROM notices").fetchall()}
    assert len(stored) == len(stores)
    for store in stores:
        url = db.execute("SELECT url_key FROM raw.work_items WHERE item_id = %s", [store.item_id]).fetchone()["url_key"]
        doc = expected[store.item_id]
        assert (stored[url]["title"], stored[url]["content_sha256"], stored[url]["content_simhash"]) == (
            doc["record"]["title"], doc["content_sha256"], doc["simhash"])
