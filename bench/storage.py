"""Storage throughput: crawler.db.store.store_notice, one transaction per notice, vs a bare COPY of the same rows.

Usage: ``bench/storage [--notices 2000] [--repeat 2] [--batch 100]``.

N notice documents are made from the corpus (each corpus notice parsed once, then copied with a slightly
different body text, so every copy is a new notice with its own hash). Each way of writing starts from
empty tables and writes the rows store_notice writes for a new notice: notices (with the search columns:
two full-text vectors, the SimHash, the province), notice_versions, _sections, _keywords, _tags, _problems
and _figures. Every way runs once per round, the rounds one after the other (the best of --repeat counts):

  store_notice            the shipped code, one transaction per notice as the store step runs it
  store_notice before     the code before pipeline mode: a statement per child row, awaited one by one,
                          the search columns by a second UPDATE (the 0.20–0.42 × COPY figures)
  + async commit          store_notice with synchronous_commit = off (not shipped: a crash loses commits)
  batched                 store_notice, --batch notices per transaction (not the store step's contract)
  COPY, same rows         the ceiling: PostgreSQL computes the full-text vectors of all notices in one
                          query, then COPY writes every row and column, the vectors given as data
  COPY, fewer rows        the reference of the earlier figures: no problems, no search columns (so no
                          to_tsvector and no GIN index entries, which cost more than the rest of a notice)

Target: store_notice ≥ 0.5 × COPY of the same rows, in notices/s.
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
TABLES = ("notices", "notice_versions", "notice_sections", "notice_keywords", "notice_tags", "notice_problems",
          "notice_figures")
SITE_OF_PREFIX = {"ln": "liaoning", "pj": "liaoning", "sd": "shandong", "js": "jiangsu"}
NOTICE_COLS = ("site_id", "url_key", "url", *store.RECORD_COLUMNS, "source", "body_text", "content_sha256",
               "version", "parser_version", "page_id")
SEARCH_COLS = ("search_vector", "search_head", "content_simhash", "province")
SECTION_COLS = ("ordinal", "parent", "level", "path", "marker", "number", "heading", "body")
PROBLEM_COLS = ("ordinal", "section", "path", "outline", "marker", "kind", "part", "problem", "aspect", "measures",
                "status")
Docs = list[tuple[str, str, dict[str, Any]]]


def make_docs(n: int) -> Docs:
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

def per_notice(conn: psycopg.Connection[Any], docs: Docs, *, batch: int = 1,
               write: Callable[..., Any] = store.store_notice) -> None:
    """`batch` notices per transaction (1: what the store step does)."""
    for start in range(0, len(docs), batch):
        with conn.transaction():
            for site_id, url, doc in docs[start:start + batch]:
                write(conn, site_id=site_id, url=url, page_id=None, doc=doc)


def per_notice_async_commit(conn: psycopg.Connection[Any], docs: Docs) -> None:
    conn.execute("SET synchronous_commit = off")
    try:
        per_notice(conn, docs)
    finally:
        conn.execute("RESET synchronous_commit")


# store_notice before pipeline mode, its path for a new notice: the statements as they were.
BEFORE_SQL = {
    "insert_notice": """
        INSERT INTO notices (site_id, url_key, url, title, issuer, signed_on, published_on, source, inspection_kind,
            inspecting_body, term, round, team, inspection_start, inspection_end, feedback_on, special_topics,
            problems_total, problems_done, contact_phone, contact_email, quality, evidence, body_text,
            content_sha256, version, parser_version, page_id)
        VALUES (%(site_id)s, %(url_key)s, %(url)s, %(title)s, %(issuer)s, %(signed_on)s, %(published_on)s,
            %(source)s, %(inspection_kind)s, %(inspecting_body)s, %(term)s, %(round)s, %(team)s,
            %(inspection_start)s, %(inspection_end)s, %(feedback_on)s, %(special_topics)s, %(problems_total)s,
            %(problems_done)s, %(contact_phone)s, %(contact_email)s, %(quality)s, %(evidence)s, %(body_text)s,
            %(content_sha256)s, 1, %(parser_version)s, %(page_id)s)
        ON CONFLICT (url_key) DO NOTHING RETURNING notice_id""",
    "insert_section": """
        INSERT INTO notice_sections (notice_id, ordinal, parent, level, path, marker, number, heading, body)
        VALUES (%(notice_id)s, %(ordinal)s, %(parent)s, %(level)s, %(path)s, %(marker)s, %(number)s, %(heading)s,
            %(body)s)""",
    "insert_keyword": """INSERT INTO notice_keywords (notice_id, rank, keyword, weight)
        VALUES (%(notice_id)s, %(rank)s, %(keyword)s, %(weight)s)""",
    "insert_tag": """INSERT INTO notice_tags (notice_id, tag, label, hits)
        VALUES (%(notice_id)s, %(tag)s, %(label)s, %(hits)s)""",
    "insert_problem": """
        INSERT INTO notice_problems (notice_id, ordinal, section, path, outline, marker, kind, part, problem,
            aspect, measures, status)
        VALUES (%(notice_id)s, %(ordinal)s, %(section)s, %(path)s, %(outline)s, %(marker)s, %(kind)s, %(part)s,
            %(problem)s, %(aspect)s, %(measures)s, %(status)s)""",
    "set_search_vector": """
        UPDATE notices SET search_vector = to_tsvector('simple', %(search_text)s), content_simhash = %(simhash)s,
            search_head = to_tsvector('simple', %(search_head)s),
            province = (SELECT province FROM sites WHERE sites.site_id = notices.site_id)
        WHERE notice_id = %(notice_id)s""",
    "insert_figure": """
        INSERT INTO notice_figures (notice_id, ordinal, kind, value, unit, text, sentence)
        VALUES (%(notice_id)s, %(ordinal)s, %(kind)s, %(value)s, %(unit)s, %(text)s, %(sentence)s)""",
}


def store_notice_before(conn: psycopg.Connection[Any], *, site_id: str, url: str, page_id: int | None,
                        doc: dict[str, Any]) -> None:
    """What store_notice did for a new notice before pipeline mode (its other paths are not measured here)."""
    params = store.notice_params(site_id, url, page_id, doc)
    notice_id = conn.execute(BEFORE_SQL["insert_notice"], params).fetchone()["notice_id"]
    previous = fetch_one(conn, "previous_version_text", {"notice_id": notice_id, "version": 1})
    conn.execute(q("upsert_version"), {
        "diff_summary": store.diff_summary(previous["body_text"], params["body_text"]) if previous else None,
        "notice_id": notice_id, "version": 1, "content_sha256": params["content_sha256"], "title": params["title"],
        "body_text": params["body_text"], "record": Jsonb(store.strip_nul(doc["record"])), "page_id": page_id})
    with conn.cursor() as cur:
        cur.executemany(BEFORE_SQL["insert_section"], [store.strip_nul({**s, "notice_id": notice_id})
                                                       for s in doc["sections"]])
        cur.executemany(BEFORE_SQL["insert_keyword"], [{"notice_id": notice_id, "rank": i + 1, **k}
                                                       for i, k in enumerate(doc["keywords"])])
        cur.executemany(BEFORE_SQL["insert_tag"], [{"notice_id": notice_id, "tag": t["id"], "label": t["label"],
                                                    "hits": t["hits"]} for t in doc["tags"]])
        cur.executemany(BEFORE_SQL["insert_problem"], [store.strip_nul({**p, "notice_id": notice_id})
                                                       for p in doc.get("problems", [])])
        cur.execute(BEFORE_SQL["set_search_vector"], {**params, "notice_id": notice_id})
        cur.executemany(BEFORE_SQL["insert_figure"], [store.strip_nul({**f, "notice_id": notice_id, "ordinal": i})
                                                      for i, f in enumerate(doc.get("figures", []))])


def search_texts(docs: Docs) -> list[str]:
    """The texts of the two full-text vectors of each notice, in order: search_text, search_head."""
    texts = []
    for site_id, url, doc in docs:
        params = store.notice_params(site_id, url, None, doc)
        texts += [params["search_text"], params["search_head"]]
    return texts


def vectors_of(conn: psycopg.Connection[Any], docs: Docs) -> list[str]:
    """The full-text vectors of every notice as text, computed by PostgreSQL (before the clock starts)."""
    return [r["v"] for r in conn.execute(
        "SELECT to_tsvector('simple', t)::text AS v FROM unnest(%s::text[]) WITH ORDINALITY AS x(t, i) ORDER BY i",
        (search_texts(docs),))]


def copy_same_rows(conn: psycopg.Connection[Any], docs: Docs, vectors: list[str], timing: dict[str, float]) -> None:
    """The ceiling: every row and column store_notice writes, by COPY in one transaction. Its vectors cannot
    be written without PostgreSQL's text search parser: it computes them first, for all notices in one
    query (the result is dropped: COPY then reads `vectors`, the same values computed before the clock)."""
    with conn.transaction():
        started = time.perf_counter()
        conn.execute("SELECT sum(length(to_tsvector('simple', t))) FROM unnest(%s::text[]) AS t",
                     (search_texts(docs),)).fetchone()
        timing["to_tsvector"] = time.perf_counter() - started
        provinces = {r["site_id"]: r["province"] for r in conn.execute("SELECT site_id, province FROM sites")}
        rows = _copy_notices(conn, docs, extra=lambda i, p: (vectors[2 * i], vectors[2 * i + 1], p["simhash"],
                                                             provinces[p["site_id"]]))
        _copy_children(conn, [(nid, d) for nid, _p, d in rows], problems=True)


def copy_fewer_rows(conn: psycopg.Connection[Any], docs: Docs) -> None:
    """The earlier reference: the same COPY without the problems and without the search columns."""
    with conn.transaction():
        rows = _copy_notices(conn, docs)
        _copy_children(conn, [(nid, d) for nid, _p, d in rows], problems=False)


def _copy_notices(conn: psycopg.Connection[Any], docs: Docs, extra: Callable[[int, dict[str, Any]], tuple] | None = None,
                  ) -> list[tuple[int, dict[str, Any], dict[str, Any]]]:
    """COPY the notices (ids drawn from the sequence first) and their first versions."""
    ids = [r["id"] for r in conn.execute("SELECT nextval('notices_notice_id_seq') AS id "
                                         "FROM generate_series(1, %s)", (len(docs),)).fetchall()]
    rows = [(nid, store.notice_params(s, u, None, d), d) for nid, (s, u, d) in zip(ids, docs, strict=True)]
    cols = ("notice_id", *NOTICE_COLS, "evidence", *(SEARCH_COLS if extra else ()))
    _copy(conn, "notices", cols, [(nid, *[1 if c == "version" else p[c] for c in NOTICE_COLS], p["evidence"],
                                   *(extra(i, p) if extra else ())) for i, (nid, p, _d) in enumerate(rows)])
    _copy(conn, "notice_versions", ("notice_id", "version", "content_sha256", "title", "body_text", "record", "page_id"),
          [(nid, 1, p["content_sha256"], p["title"], p["body_text"], Jsonb(store.strip_nul(d["record"])), None)
           for nid, p, d in rows])
    return rows


def _copy_children(conn: psycopg.Connection[Any], items: list[tuple[int, dict[str, Any]]], *, problems: bool) -> None:
    _copy(conn, "notice_sections", ("notice_id", *SECTION_COLS),
          [(nid, *[s[c] for c in SECTION_COLS]) for nid, d in items for s in store.strip_nul(d["sections"])])
    _copy(conn, "notice_keywords", ("notice_id", "rank", "keyword", "weight"),
          [(nid, i + 1, k["keyword"], k["weight"]) for nid, d in items for i, k in enumerate(d["keywords"])])
    _copy(conn, "notice_tags", ("notice_id", "tag", "label", "hits"),
          [(nid, t["id"], t["label"], t["hits"]) for nid, d in items for t in d["tags"]])
    if problems:
        _copy(conn, "notice_problems", ("notice_id", *PROBLEM_COLS),
              [(nid, *[p[c] for c in PROBLEM_COLS]) for nid, d in items for p in store.strip_nul(d.get("problems", []))])
    _copy(conn, "notice_figures", ("notice_id", "ordinal", "kind", "value", "unit", "text", "sentence"),
          [(nid, i, f["kind"], f["value"], f["unit"], f["text"], f["sentence"]) for nid, d in items
           for i, f in enumerate(store.strip_nul(d.get("figures", [])))])


def _copy(conn: psycopg.Connection[Any], table: str, cols: tuple[str, ...], rows: list[tuple]) -> None:
    with conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


# -- the benchmark ------------------------------------------------------------------------------------

def _timed_once(bench: Bench, name: str, write: Callable[[psycopg.Connection[Any]], None],
                docs: Docs) -> dict[str, Any]:
    with bench.admin() as admin:
        admin.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
        admin.execute("CHECKPOINT")  # each way starts with no dirty buffers of the previous one
    with connect(bench.worker_url) as conn:  # the workers' login, dict rows, as the pipeline's pool
        started = time.perf_counter()
        write(conn)
        conn.commit()
        seconds = time.perf_counter() - started
    with bench.admin() as admin:
        rows = {t: admin.execute(f"SELECT count(*) AS n FROM {t}").fetchone()["n"] for t in TABLES}
        rows["search vectors"] = admin.execute("SELECT count(*) AS n FROM notices WHERE search_vector IS NOT NULL "
                                               "AND search_head IS NOT NULL").fetchone()["n"]
    progress(f"{name}: {len(docs)} notices in {seconds:.2f}s")
    return {"name": name, "seconds": seconds, "rate": len(docs) / seconds, "rows": rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=2000)
    ap.add_argument("--batch", type=int, default=100, help="notices per transaction of the batched writer")
    ap.add_argument("--repeat", type=int, default=2, help="rounds: each writer runs once a round (the best counts)")
    args = ap.parse_args(argv)
    docs = make_docs(args.notices)
    progress(f"{len(docs)} documents made from the corpus")
    timing: dict[str, float] = {}
    with bench_world("storage") as bench:
        sync(bench, bench.settings(bench.env()))
        with connect(bench.worker_url) as conn:
            vectors = vectors_of(conn, docs)
        ways = [("store_notice (shipped)", lambda c: per_notice(c, docs)),
                ("store_notice before", lambda c: per_notice(c, docs, write=store_notice_before)),
                ("+ async commit (not shipped)", lambda c: per_notice_async_commit(c, docs)),
                (f"batched ({args.batch}/txn)", lambda c: per_notice(c, docs, batch=args.batch)),
                ("COPY, same rows", lambda c: copy_same_rows(c, docs, vectors, timing)),
                ("COPY, fewer rows (earlier)", lambda c: copy_fewer_rows(c, docs))]
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in ways}
        tsv: list[float] = []
        for _ in range(args.repeat):  # rounds, so that a change of the machine's load hits every way alike
            for name, write in ways:
                runs[name].append(_timed_once(bench, name, write, docs))
            tsv.append(timing["to_tsvector"])
    best = {name: min(rs, key=lambda r: r["seconds"]) for name, rs in runs.items()}
    shipped, before = best["store_notice (shipped)"], best["store_notice before"]
    ceiling, earlier = best["COPY, same rows"], best["COPY, fewer rows (earlier)"]
    print(f"storage: {args.notices} notices, best of {args.repeat} rounds (rows per run: {shipped['rows']})")
    print(f"{'writer':30} {'seconds':>8} {'notices/s':>10} {'÷ COPY':>7} {'÷ earlier':>9}   every round (notices/s)")
    for name, r in best.items():
        rows = "" if r["rows"] == shipped["rows"] else "  (fewer rows)" if r is earlier else "  (row counts differ!)"
        every = " / ".join(f"{x['rate']:.0f}" for x in runs[name])
        print(f"{name:30} {r['seconds']:8.2f} {r['rate']:10.1f} {r['rate'] / ceiling['rate']:7.2f} "
              f"{r['rate'] / earlier['rate']:9.2f}   {every}{rows}")
    print(f"COPY, same rows: of its time, PostgreSQL's to_tsvector took {' / '.join(f'{t:.1f}' for t in tsv)} s")
    ratio = shipped["rate"] / ceiling["rate"]
    print(f"target store_notice ≥ {TARGET} × COPY of the same rows: {ratio:.2f} — {'met' if ratio >= TARGET else 'NOT met'}")
    print(f"store_notice ÷ the earlier reference (COPY without problems and search columns): "
          f"{shipped['rate'] / earlier['rate']:.2f} (before: {before['rate'] / earlier['rate']:.2f}); "
          f"store_notice now ÷ before: {shipped['rate'] / before['rate']:.2f}")
    return 0 if ratio >= TARGET and shipped["rows"] == ceiling["rows"] else 1


if __name__ == "__main__":
    sys.exit(main())
