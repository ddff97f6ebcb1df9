"""What a re-crawl costs: requests per kind and notice writes for a first, an incremental and a full crawl.

Usage: ``bench/recrawl [--sites liaoning,shandong,jiangsu] [--concurrency 2]``.

The three corpus sites are crawled from the mirror by one worker on all queues (as ``rectify up --mirror``
runs it: ``-c 2``, RECTIFY_RATE_LIMIT=20), three times: a first crawl, the same again (incremental, the
mirror unchanged), then ``--full`` (conditional GETs of every known notice). For each run, from the
mirror's request log: robots.txt, list pages, article pages answered 200, answers 304; from PostgreSQL:
the store outcomes and the rows written (inserted or updated, by xmin) in the notice tables. Target: the incremental re-crawl fetches list pages only, 0 article pages, 0 notice writes.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any
from urllib.parse import urlsplit

from bench.harness import Bench, bench_world, progress, runs_ended, start_runs, sync, wait_for
from crawler.mirror import MirrorServer

NOTICE_TABLES = ("notices", "notice_versions", "notice_sections", "notice_keywords", "notice_tags", "notice_figures")
RUNS = (("first crawl", False), ("re-crawl (incremental)", False), ("re-crawl --full", True))


def current_xid(bench: Bench) -> int:
    with bench.admin() as conn:
        return int(conn.execute("SELECT pg_current_xact_id()::text AS x").fetchone()["x"])


def rows_written_since(bench: Bench, xid: int) -> dict[str, int]:
    """Live rows of each notice table written (inserted, or updated: a new row version) by a transaction
    newer than `xid`. Exact, unlike pg_stat counters, which backends flush up to 10 s late."""
    with bench.admin() as conn:
        return {t: conn.execute(f"SELECT count(*) AS n FROM {t} WHERE xmin::text::bigint > %s", (xid,)).fetchone()["n"]
                for t in NOTICE_TABLES}


def article_paths(bench: Bench) -> set[str]:
    with bench.admin() as conn:
        urls = conn.execute("SELECT DISTINCT url FROM raw.work_items WHERE kind = 'article'").fetchall()
    return {urlsplit(r["url"]).path for r in urls}


def classify(log: list[dict[str, Any]], articles: set[str]) -> dict[str, int]:
    counts = {"robots": 0, "list": 0, "article_200": 0, "article_304": 0, "other": 0}
    for r in log:
        path = r["path"].split("?", 1)[0]
        if path == "/robots.txt":
            counts["robots"] += 1
        elif path in articles:
            counts["article_304" if r["status"] == 304 else "article_200" if r["status"] == 200 else "other"] += 1
        else:
            counts["list"] += 1
    return counts


def outcomes(bench: Bench, run_ids: list[int]) -> dict[str, int]:
    with bench.admin() as conn:
        rows = conn.execute("SELECT kind || ':' || coalesce(outcome, state) AS k, count(*) AS n FROM raw.work_items "
                            "WHERE run_id = ANY(%s) AND kind IN ('article', 'store') GROUP BY 1", (run_ids,)).fetchall()
    return {r["k"]: r["n"] for r in rows}


def crawl_once(bench: Bench, mirror: MirrorServer, env: dict[str, str], sites: list[str], label: str,
               full: bool) -> dict[str, Any]:
    mirror.clear_log()
    before = current_xid(bench)
    started = time.monotonic()
    run_ids = start_runs(bench.settings(env), sites, full=full)
    with bench.admin() as conn:
        wait_for(lambda: runs_ended(conn, run_ids), timeout=600, what=label,
                 report=lambda: f"{label}: {len(mirror.requests)} requests so far")
        states = [r["state"] for r in conn.execute("SELECT state FROM crawl_runs WHERE run_id = ANY(%s)",
                                                   (run_ids,)).fetchall()]
    wall = time.monotonic() - started
    writes = rows_written_since(bench, before)
    log = mirror.requests
    result = {"label": label, "wall": wall, "states": states, "requests": len(log),
              **classify(log, article_paths(bench)), "outcomes": outcomes(bench, run_ids), "writes": writes}
    progress(f"{label}: {len(log)} requests, {wall:.1f}s, runs {states}")
    return result


def report(results: list[dict[str, Any]]) -> str:
    lines = [f"{'run':24} {'secs':>5} {'requests':>8} {'robots':>6} {'list':>5} {'art 200':>7} {'art 304':>7} "
             f"{'new':>4} {'chg':>4} {'unchg':>5} {'notice rows':>11} {'child rows':>10}"]
    for r in results:
        o, w = r["outcomes"], r["writes"]
        unchanged = o.get("store:unchanged", 0) + o.get("article:not_modified", 0) + o.get("article:unchanged", 0)
        lines.append(f"{r['label']:24} {r['wall']:5.1f} {r['requests']:8} {r['robots']:6} {r['list']:5} "
                     f"{r['article_200']:7} {r['article_304']:7} {o.get('store:new', 0):4} {o.get('store:changed', 0):4} "
                     f"{unchanged:5} {w['notices']:11} {sum(w.values()) - w['notices']:10}")
    lines.append("notice rows = rows of notices written (inserted or updated) by the run; child rows = the same in "
                 "notice_versions, _sections, _keywords, _tags, _figures (row versions whose xmin is newer than the run)")
    inc = results[1]
    ok = inc["article_200"] == inc["article_304"] == 0 and sum(inc["writes"].values()) == 0
    lines.append(f"target (re-crawl = list pages only, 0 article fetches, 0 notice writes): {'met' if ok else 'NOT met'}"
                 f" — incremental re-crawl: {inc['list']} list pages, {inc['robots']} robots.txt, "
                 f"{inc['article_200'] + inc['article_304']} article requests, {sum(inc['writes'].values())} rows written")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", default="liaoning,shandong,jiangsu")
    ap.add_argument("--concurrency", type=int, default=2, help="worker pool size (rectify up's default: 2)")
    args = ap.parse_args(argv)
    sites = args.sites.split(",")
    with bench_world("recrawl") as bench, MirrorServer() as mirror:
        env = bench.env(RECTIFY_MIRROR=mirror.url, RECTIFY_RATE_LIMIT="20")
        sync(bench, bench.settings(env))
        bench.worker(env, queues="crawl,parse,store,control", concurrency=args.concurrency, name="recrawl")
        results = [crawl_once(bench, mirror, env, sites, label, full) for label, full in RUNS]
    print(f"re-crawl cost: sites {', '.join(sites)} from the mirror, one worker -c {args.concurrency}")
    print(report(results))
    inc = results[1]
    return 0 if inc["article_200"] == inc["article_304"] == 0 and sum(inc["writes"].values()) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
