"""Storage throughput: crawler.db.store.store_notice, one transaction per notice, vs a bare COPY of the same rows.

Usage: ``bench/storage [--notices 2000] [--batch 100]``.

N notice documents are made from the corpus (each corpus notice parsed once, then copied with a slightly
different body text, so every copy is a new notice with its own hash). Each way of writing starts from
empty tables and writes the same rows (notices, notice_versions, _sections, _keywords, _tags, _figures):

  store_notice          what the store step does: one transaction per notice (the reference of the target)
  + pipeline            the same calls inside ``conn.pipeline()`` (fewer waits on round trips)
  + no deletes          new notices skip the four DELETEs of their (non-existent) children, in a pipeline
  + async commit        store_notice with ``synchronous_commit = off`` (no WAL flush wait per notice)
  children by COPY      one transaction per notice, its sections/keywords/tags/figures by COPY
  batched               many notices per transaction, executemany in pipeline mode (bench/ code, not ours)
  COPY                  bare COPY of the same rows, one transaction: the ceiling

Target: store_notice ≥ 0.5 × COPY, in notices/s.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from collections.abc import Callable
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from bench.harness import Bench, bench_world, corpus_texts, progress, sync, vary
from crawler.db import store
from crawler.db.connect import connect, fetch_one, q
from crawler.text.parse import content_hash, parse_text

TARGET = 0.5
CHILD_TABLES = "notice_figures, notice_tags, notice_keywords, notice_sections, notice_versions, notices"
SITE_OF_PREFIX = {"ln": "liaoning", "pj": "liaoning", "sd": "shandong", "js": "jiangsu"}
NOTICE_COLS = ("site_id", "url_key", "url", *store.RECORD_COLUMNS, "source", "body_text", "content_sha256",
               "version", "parser_version", "page_id")


def make_docs(n: int) -> list[tuple[str, str, dict[str, Any]]]:
    """(site_id, url, doc) × n: corpus notices parsed once, copies with a varied body and their own hash."""
    bases = [(cid, parse_text(text)) for cid, text in corpus_texts()]
    docs = []
    for i in range(n):
        cid, base = bases[i % len(bases)]
        doc = copy.deepcopy(base)
        doc["body_text"] = vary(base["body_text"], i)
        doc["content_sha256"] = content_hash(doc["record"].get("title"), doc["body_text"])
        docs.append((SITE_OF_PREFIX.get(cid[:2], "liaoning"), f"https://bench.test/{cid}/{i}.html", doc))
    return docs


# -- ways of writing --------------------------------------------------------------------------------

def per_notice(conn: psycopg.Connection[Any], docs: list, *, pipeline: bool = False) -> None:
    for site_id, url, doc in docs:
        with conn.transaction():
            if pipeline:
                with conn.pipeline():
                    store.store_notice(conn, site_id=site_id, url=url, page_id=None, doc=doc)
            else:
                store.store_notice(conn, site_id=site_id, url=url, page_id=None, doc=doc)


def per_notice_async_commit(conn: psycopg.Connection[Any], docs: list) -> None:
    conn.execute("SET synchronous_commit = off")
    try:
        per_notice(conn, docs)
    finally:
        conn.execute("RESET synchronous_commit")


def per_notice_no_deletes(conn: psycopg.Connection[Any], docs: list) -> None:
    """store_notice's path for a new notice without the DELETEs of children it cannot have yet."""
    for site_id, url, doc in docs:
        with conn.transaction(), conn.pipeline():
            _store_new(conn, site_id, url, doc, _insert_children)


def per_notice_copy_children(conn: psycopg.Connection[Any], docs: list) -> None:
    """One transaction per notice as the pipeline does, children written with COPY (no DELETEs for a new notice)."""
    for site_id, url, doc in docs:
        with conn.transaction():
            _store_new(conn, site_id, url, doc, _copy_children)


def _store_new(conn: psycopg.Connection[Any], site_id: str, url: str, doc: dict[str, Any],
               write_children: Callable[[psycopg.Connection[Any], list[tuple[int, dict[str, Any]]]], None]) -> None:
    """Insert the notice and its first version, then its children with `write_children`; a notice that
    already exists goes through store_notice (the version logic)."""
    params = store.notice_params(site_id, url, None, doc)
    inserted = fetch_one(conn, "insert_notice", params)
    if inserted is None:
        store.store_notice(conn, site_id=site_id, url=url, page_id=None, doc=doc)
        return
    store._write_version(conn, inserted["notice_id"], 1, params, doc)
    write_children(conn, [(inserted["notice_id"], doc)])


def batched(conn: psycopg.Connection[Any], docs: list, *, batch: int = 100) -> None:
    """Many notices per transaction: executemany for every table, pipeline mode. New notices only; one
    that already exists goes through store_notice (the version logic)."""
    for start in range(0, len(docs), batch):
        chunk = docs[start:start + batch]
        with conn.transaction(), conn.pipeline(), conn.cursor() as cur:
            params = [store.notice_params(s, u, None, d) for s, u, d in chunk]
            cur.executemany(q("insert_notice"), params, returning=True)
            ids = []
            while True:
                row = cur.fetchone()
                ids.append(row["notice_id"] if row else None)
                if not cur.nextset():
                    break
            new = [(nid, p, d) for nid, p, (_s, _u, d) in zip(ids, params, chunk, strict=True) if nid is not None]
            cur.executemany(q("upsert_version"), [
                {"notice_id": nid, "version": 1, "content_sha256": p["content_sha256"], "title": p["title"],
                 "body_text": p["body_text"], "record": Jsonb(store.strip_nul(d["record"])), "page_id": None,
                 "diff_summary": None}
                for nid, p, d in new])
            _insert_children(conn, [(nid, d) for nid, _p, d in new], cur)
        for nid, (site_id, url, doc) in zip(ids, chunk, strict=True):
            if nid is None:
                with conn.transaction():
                    store.store_notice(conn, site_id=site_id, url=url, page_id=None, doc=doc)


def _insert_children(conn: psycopg.Connection[Any], items: list[tuple[int, dict[str, Any]]],
                     cur: psycopg.Cursor[Any] | None = None) -> None:
    own = cur is None
    cur = cur or conn.cursor()
    try:
        cur.executemany(q("insert_section"), [store.strip_nul({**s, "notice_id": n}) for n, d in items for s in d["sections"]])
        cur.executemany(q("insert_keyword"), [{"notice_id": n, "rank": i + 1, **k} for n, d in items
                                              for i, k in enumerate(d["keywords"])])
        cur.executemany(q("insert_tag"), [{"notice_id": n, "tag": t["id"], "label": t["label"], "hits": t["hits"]}
                                          for n, d in items for t in d["tags"]])
        cur.executemany(q("insert_figure"), [store.strip_nul({**f, "notice_id": n, "ordinal": i}) for n, d in items
                                             for i, f in enumerate(d.get("figures", []))])
    finally:
        if own:
            cur.close()


def bare_copy(conn: psycopg.Connection[Any], docs: list) -> None:
    """The same rows through COPY, one transaction: ids drawn from the sequence first."""
    with conn.transaction():
        ids = [r["id"] for r in conn.execute("SELECT nextval('notices_notice_id_seq') AS id "
                                             "FROM generate_series(1, %s)", (len(docs),)).fetchall()]
        params = [(nid, store.notice_params(s, u, None, d), d) for nid, (s, u, d) in zip(ids, docs, strict=True)]
        _copy(conn, "notices", ("notice_id", *NOTICE_COLS),
              [(nid, *[1 if c == "version" else p[c] for c in NOTICE_COLS]) for nid, p, _d in params])
        _copy(conn, "notice_versions", ("notice_id", "version", "content_sha256", "title", "body_text", "record", "page_id"),
              [(nid, 1, p["content_sha256"], p["title"], p["body_text"], Jsonb(store.strip_nul(d["record"])), None)
               for nid, p, d in params])
        _copy_children(conn, [(nid, d) for nid, _p, d in params])


def _copy_children(conn: psycopg.Connection[Any], items: list[tuple[int, dict[str, Any]]]) -> None:
    _copy(conn, "notice_sections", ("notice_id", "ordinal", "parent", "level", "path", "marker", "number", "heading", "body"),
          [(nid, s["ordinal"], s["parent"], s["level"], s["path"], s["marker"], s["number"], s["heading"], s["body"])
           for nid, d in items for s in store.strip_nul(d["sections"])])
    _copy(conn, "notice_keywords", ("notice_id", "rank", "keyword", "weight"),
          [(nid, i + 1, k["keyword"], k["weight"]) for nid, d in items for i, k in enumerate(d["keywords"])])
    _copy(conn, "notice_tags", ("notice_id", "tag", "label", "hits"),
          [(nid, t["id"], t["label"], t["hits"]) for nid, d in items for t in d["tags"]])
    _copy(conn, "notice_figures", ("notice_id", "ordinal", "kind", "value", "unit", "text", "sentence"),
          [(nid, i, f["kind"], f["value"], f["unit"], f["text"], f["sentence"]) for nid, d in items
           for i, f in enumerate(store.strip_nul(d.get("figures", [])))])


def _copy(conn: psycopg.Connection[Any], table: str, cols: tuple[str, ...], rows: list[tuple]) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


# -- the benchmark ------------------------------------------------------------------------------------

def timed(bench: Bench, name: str, write: Callable[[psycopg.Connection[Any]], None], docs: list,
          repeat: int) -> dict[str, Any]:
    """Best of `repeat` runs, each from empty tables."""
    runs = [_timed_once(bench, name, write, docs) for _ in range(repeat)]
    return min(runs, key=lambda r: r["seconds"])


def _timed_once(bench: Bench, name: str, write: Callable[[psycopg.Connection[Any]], None],
                docs: list) -> dict[str, Any]:
    with bench.admin() as admin:
        admin.execute(f"TRUNCATE {CHILD_TABLES} RESTART IDENTITY CASCADE")
        admin.execute("CHECKPOINT")  # each way starts with no dirty buffers of the previous one
    with connect(bench.worker_url) as conn:  # the workers' login, dict rows, as the pipeline's pool
        started = time.perf_counter()
        write(conn)
        conn.commit()
        seconds = time.perf_counter() - started
    with bench.admin() as admin:
        rows = {t: admin.execute(f"SELECT count(*) AS n FROM {t}").fetchone()["n"] for t in CHILD_TABLES.split(", ")}
    progress(f"{name}: {len(docs)} notices in {seconds:.2f}s")
    return {"name": name, "seconds": seconds, "rate": len(docs) / seconds, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=100, help="notices per transaction of the batched writer")
    ap.add_argument("--repeat", type=int, default=2, help="runs per writer (the best counts)")
    args = ap.parse_args(argv)
    docs = make_docs(args.notices)
    progress(f"{len(docs)} documents made from the corpus")
    ways = [("store_notice (1 txn/notice)", lambda c: per_notice(c, docs)),
            ("+ pipeline", lambda c: per_notice(c, docs, pipeline=True)),
            ("+ no deletes (pipeline)", lambda c: per_notice_no_deletes(c, docs)),
            ("+ async commit", lambda c: per_notice_async_commit(c, docs)),
            ("children by COPY (1 txn/notice)", lambda c: per_notice_copy_children(c, docs)),
            (f"batched ({args.batch}/txn)", lambda c: batched(c, docs, batch=args.batch)),
            ("COPY", lambda c: bare_copy(c, docs))]
    with bench_world("storage") as bench:
        sync(bench, bench.settings(bench.env()))
        results = [timed(bench, name, write, docs, args.repeat) for name, write in ways]
    reference = results[-1]
    print(f"storage: {args.notices} notices, best of {args.repeat} (rows per run: {reference['rows']})")
    print(f"{'writer':30} {'seconds':>8} {'notices/s':>10} {'÷ COPY':>7}")
    for r in results:
        same = "" if r["rows"] == reference["rows"] else "  (row counts differ!)"
        print(f"{r['name']:30} {r['seconds']:8.2f} {r['rate']:10.0f} {r['rate'] / reference['rate']:7.2f}{same}")
    ratio = results[0]["rate"] / reference["rate"]
    print(f"target store_notice ≥ {TARGET} × COPY: {ratio:.2f} — {'met' if ratio >= TARGET else 'NOT met'}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
