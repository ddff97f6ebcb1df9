"""Parse throughput of the parse worker (2 processes) vs 2 × the single-process parse rate, same run.

Usage: ``bench/reparse [--notices 10000] [--quick] [--processes 2]``; ``--quick`` = 1,000 notices.

N raw pages are made from the mirror's notice pages of the corpus sites (each copy gets a one-line
difference, as ASCII so every page encoding holds it) and COPied into raw.pages. ``queue_reparse`` (what
``rectify reparse`` runs) queues a parse item per page and the messages are published. The bare parse of a
sample of those pages is timed in this process (zlib → decode → ``parse_html`` with the site's selectors:
what the parse step computes, no database, no Celery): the single-process rate, measured just before and
just after the worker and averaged, so a change in the machine's load while the worker runs moves the
reference too (both are printed). Then one ``celery worker -Q parse -c 2`` works the queue; its rate is
counted from the items' completion times in PostgreSQL (first to last). Target: worker rate ≥ 0.8 × 2 ×
single-process rate. Store items produced by the parse step are left queued (no store worker), so the
figure is the parse stage's alone.

Also printed, to tell the worker's own costs from the machine's load: CPU milliseconds per notice of the
bare parse and of the worker's processes, PostgreSQL and Redis while the worker ran (their quotient is
what the ratio would be on 2 CPUs with nothing else running); two bare parse processes side by side (what
the machine gives 2 processes now, without database or Celery); and the two queries that close runs (the
indexed EXISTS a step without follow-ups runs, the aggregate run once when a run closes).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import zlib
from typing import Any

from psycopg.types.json import Jsonb

from bench.crawl_rate import cpu_seconds
from bench.harness import Bench, bench_world, progress, sync, wait_for
from crawler.mirror import REAL_HOSTS, mirrored_notices
from crawler.mirror.layouts import build_sites
from crawler.text.parse import parse_html
from crawler.urls import url_key
from crawler.web.encoding import decode_html

TARGET = 0.8
SITE_OF_HOST = {"www.lnsjjjc.gov.cn": "liaoning", "www.sdjj.gov.cn": "shandong", "www.jssjw.gov.cn": "jiangsu"}
PAGE_COLS = ("site_id", "url_key", "url", "final_url", "http_status", "headers", "etag", "last_modified",
             "encoding", "body_sha256", "body_size", "body_zlib")


def corpus_pages() -> list[dict[str, Any]]:
    """The mirror's notice pages of the corpus sites: site, url, body bytes, content type."""
    sites = build_sites()
    out = []
    for n in mirrored_notices(hosts=[h for h in REAL_HOSTS if h in SITE_OF_HOST]):
        page = sites[n["host"]].pages()[n["path"]]
        out.append({"site_id": SITE_OF_HOST[n["host"]], "url": n["url"], "body": page.body,
                    "content_type": page.content_type})
    return out


def copy_page(base: dict[str, Any], i: int) -> dict[str, Any]:
    marker = f"<p>(copy {i:06d})</p>".encode()
    body = base["body"].replace(b"</p>", b"</p>" + marker, 1)
    return {**base, "url": f"{base['url']}?copy={i}", "body": body}


def load_pages(bench: Bench, n: int) -> list[dict[str, Any]]:
    bases = corpus_pages()
    pages = [copy_page(bases[i % len(bases)], i) for i in range(n)]
    with bench.admin() as conn, conn.cursor().copy(f"COPY raw.pages ({', '.join(PAGE_COLS)}) FROM STDIN") as cp:
        for p in pages:
            cp.write_row((p["site_id"], url_key(p["url"]), p["url"], p["url"], 200,
                          Jsonb({"content-type": p["content_type"]}), None, None, None,
                          hashlib.sha256(p["body"]).hexdigest(), len(p["body"]), zlib.compress(p["body"], 6)))
    return pages


def parse_sample(pages: list[dict[str, Any]], sample: int) -> list[tuple[bytes, str, Any]]:
    """(zlib body, content type, site selectors) of the first `sample` pages, as the parse step reads them."""
    from crawler.settings import Settings
    from crawler.sites import load_sites
    from crawler.text import segment

    segment.warm()
    sites = load_sites(Settings.from_env().sites_dirs)
    return [(zlib.compress(p["body"], 6), p["content_type"], sites[p["site_id"]].article) for p in pages[:sample]]


def bare_parse(blobs: list[tuple[bytes, str, Any]]) -> None:
    for blob, ctype, selectors in blobs:
        html, _ = decode_html(zlib.decompress(blob), ctype)
        parse_html(html, selectors)


def single_process_rate(blobs: list[tuple[bytes, str, Any]]) -> tuple[float, float]:
    """Notices/s of the parse step's computation in this one process (warm segmenter, best of 2), and its
    CPU milliseconds per notice (of that best run)."""
    best, cpu = float("inf"), 0.0
    for _ in range(2):
        started, cpu0 = time.perf_counter(), time.process_time()
        bare_parse(blobs)
        seconds = time.perf_counter() - started
        if seconds < best:
            best, cpu = seconds, time.process_time() - cpu0
    return len(blobs) / best, cpu / len(blobs) * 1000


def side_by_side_rate(blobs: list[tuple[bytes, str, Any]], processes: int) -> float:
    """Notices/s of `processes` bare parse processes at once (forked from this warm one), each parsing the
    whole sample: what the machine gives that many processes now, without database or Celery."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    go = ctx.Barrier(processes + 1)
    workers = [ctx.Process(target=_side, args=(blobs, go)) for _ in range(processes)]
    for w in workers:
        w.start()
    go.wait()
    started = time.perf_counter()
    for w in workers:
        w.join()
    return processes * len(blobs) / (time.perf_counter() - started)


def _side(blobs: list[tuple[bytes, str, Any]], go: Any) -> None:
    go.wait()
    bare_parse(blobs)


def queue_parse_items(bench: Bench, env: dict[str, str]) -> int:
    """`rectify reparse`: one run per site, a parse item per latest page, the messages published."""
    from crawler.db.connect import connect
    from crawler.pipeline import queue_reparse
    from crawler.runtime import build_context
    from workers.app import make_app
    from workers.dispatch import publish
    from workers.services import redis_client

    settings = bench.settings(env)
    ctx = build_context(settings, redis_client(settings.redis_url))
    app = make_app(settings)
    sent = 0
    try:
        with connect(settings.database_url) as conn:
            runs = queue_reparse(ctx, conn, sorted(SITE_OF_HOST.values()))
        for _run_id, followups in runs:
            sent += publish(app, followups)
    finally:
        ctx.pool.close()
    return sent


def in_process_steps(bench: Bench, env: dict[str, str], count: int, profile: bool) -> float:
    """Notices/s of `process_item` (the whole parse step: claim, read page, parse, queue the store item with
    its document)
    called in this process for the first `count` parse items, no Celery; optionally profiled."""
    import cProfile
    import pstats

    from crawler.pipeline import process_item
    from crawler.runtime import build_context
    from workers.services import redis_client

    settings = bench.settings(env)
    ctx = build_context(settings, redis_client(settings.redis_url))
    with bench.admin() as conn:
        ids = [r["item_id"] for r in conn.execute("SELECT item_id FROM raw.work_items WHERE kind = 'parse' "
                                                  "ORDER BY item_id LIMIT %s", (count,)).fetchall()]
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    try:
        if profiler:
            profiler.enable()
        for item_id in ids:
            process_item(ctx, item_id)
        if profiler:
            profiler.disable()
    finally:
        ctx.pool.close()
    seconds = time.perf_counter() - started
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stdout)
        print(f"profile of {len(ids)} parse steps in one process (cumulative, top 25):")
        stats.sort_stats("cumulative").print_stats(25)
    return len(ids) / seconds


def parse_progress(bench: Bench, since: Any = None) -> dict[str, Any]:
    """Parse items' counts; first/last completion among those done at or after `since` (the worker's)."""
    with bench.admin() as conn:
        return conn.execute(
            "SELECT count(*) FILTER (WHERE state IN ('done', 'failed', 'dead')) AS ended, "
            "count(*) FILTER (WHERE state <> 'done') AS not_done, "
            "min(updated_at) FILTER (WHERE state = 'done' AND updated_at >= %(since)s) AS first, "
            "max(updated_at) FILTER (WHERE state = 'done' AND updated_at >= %(since)s) AS last, "
            "count(*) FILTER (WHERE state = 'done' AND updated_at >= %(since)s) AS done, "
            "count(*) FILTER (WHERE outcome = 'parsed') AS parsed "
            "FROM raw.work_items WHERE kind = 'parse'", {"since": since or "-infinity"}).fetchone()


def closing_costs(bench: Bench) -> tuple[float, float]:
    """Milliseconds of the two queries that close runs, on the largest run as it stands now: the indexed
    EXISTS (run after a step that queued nothing) and the aggregate that closes the run (once per run)."""
    from crawler.db.connect import q

    with bench.admin() as conn:
        run_id = conn.execute("SELECT run_id FROM raw.work_items GROUP BY 1 ORDER BY count(*) DESC LIMIT 1").fetchone()["run_id"]
        costs = []
        for name in ("run_has_open_items", "finish_run"):
            started = time.perf_counter()
            with conn.transaction():
                for _ in range(10):
                    conn.execute(q(name), {"run_id": run_id}).fetchall()
                raise_rollback(conn)
            costs.append((time.perf_counter() - started) * 100)
    return costs[0], costs[1]


def service_pids(bench: Bench) -> tuple[list[int], list[int]]:
    """PostgreSQL's processes (postmaster and its children, now) and Redis's."""
    import subprocess

    def pgrep(*args: str) -> list[int]:
        return [int(p) for p in subprocess.run(["pgrep", *args], capture_output=True, text=True).stdout.split()]

    postmaster = int((bench.root / "postgres" / "postmaster.pid").read_text().split()[0])
    return [postmaster, *pgrep("-P", str(postmaster))], pgrep("-f", str(bench.root / "redis"))


def raise_rollback(conn: Any) -> None:
    from psycopg import Rollback

    raise Rollback()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=10_000)
    ap.add_argument("--quick", action="store_true", help="1,000 notices (for development)")
    ap.add_argument("--processes", type=int, default=2, help="pool size of the parse worker")
    ap.add_argument("--sample", type=int, default=300, help="pages timed for the single-process rate")
    ap.add_argument("--steps", type=int, default=100, help="parse items run in this process before the worker")
    ap.add_argument("--profile", action="store_true", help="cProfile those in-process steps")
    ap.add_argument("--timeout", type=float, default=3600)
    args = ap.parse_args(argv)
    n = 1000 if args.quick else args.notices
    with bench_world("reparse") as bench:
        env = bench.env()
        sync(bench, bench.settings(env))
        pages = load_pages(bench, n)
        progress(f"{n} raw pages stored")
        blobs = parse_sample(pages, min(args.sample, n))
        before, bare_cpu = single_process_rate(blobs)
        progress(f"single process: {before:.1f} notices/s over {len(blobs)} pages ({bare_cpu:.1f} ms CPU each)")
        side = side_by_side_rate(blobs, args.processes)
        progress(f"{args.processes} bare parse processes side by side: {side:.1f} notices/s")
        progress(f"published {queue_parse_items(bench, env)} parse items")
        steps = in_process_steps(bench, env, min(args.steps, n), args.profile)
        progress(f"in-process parse step (process_item, no Celery): {steps:.1f} notices/s")
        with bench.admin() as conn:
            since = conn.execute("SELECT now() AS t").fetchone()["t"]
        started = time.monotonic()
        worker = bench.worker(env, queues="parse", concurrency=args.processes, name="parse")
        main, children = [worker.proc.pid], worker.children()
        # CPU is counted from the first parsed notice on: the children's warm-up (segmenter, GC freeze)
        # comes after they exist and is not a notice's cost.
        wait_for(lambda: parse_progress(bench)["ended"] >= 1, timeout=args.timeout, what="the first parse item")
        postgres, redis_ = service_pids(bench)
        cpu0, pg0, redis0, t0 = cpu_seconds(main + children), cpu_seconds(postgres), cpu_seconds(redis_), time.monotonic()
        main0 = cpu_seconds(main)
        ended0 = parse_progress(bench)["ended"]
        wait_for(lambda: parse_progress(bench)["ended"] >= n, timeout=args.timeout, what="the parse items",
                 report=lambda: f"parsed {parse_progress(bench)['ended']}/{n}", every=1.0)
        wall = time.monotonic() - started
        worked = max(1, n - ended0)
        worker_cpu = cpu_seconds(main + children) - cpu0
        main_cpu = cpu_seconds(main) - main0
        cpu_share = worker_cpu / ((time.monotonic() - t0) * args.processes)
        postgres = sorted({*postgres, *service_pids(bench)[0]})  # backends that started meanwhile too
        pg_cpu, redis_cpu = cpu_seconds(postgres) - pg0, cpu_seconds(redis_) - redis0
        final = parse_progress(bench, since)
        exists_ms, close_ms = closing_costs(bench)
        after, _ = single_process_rate(blobs)
        progress(f"single process again: {after:.1f} notices/s")
    single = (before + after) / 2
    span = (final["last"] - final["first"]).total_seconds()
    rate = (final["done"] - 1) / span if span > 0 else float("nan")
    ratio = rate / (args.processes * single)
    per = {name: seconds / worked * 1000 for name, seconds in
           (("worker", worker_cpu), ("postgres", pg_cpu), ("redis", redis_cpu))}
    print(f"reparse: {n} notices ({final['parsed']} parsed as notices, {final['not_done']} not done), "
          f"parse worker -c {args.processes}, {wall:.0f}s wall including worker start")
    print(f"  single process (bare parse, {len(blobs)} pages)   {single:8.1f} notices/s "
          f"(before the worker {before:.1f}, after {after:.1f})")
    print(f"  {args.processes} × single                               {args.processes * single:8.1f} notices/s")
    print(f"  {args.processes} bare processes side by side            {side:8.1f} notices/s "
          f"(= {side / (args.processes * before):.2f} × {args.processes} × single before)")
    print(f"  single process, whole parse step (process_item)  {steps:8.1f} notices/s")
    print(f"  parse worker -c {args.processes} (first→last done)      {rate:8.1f} notices/s")
    print(f"  CPU ms per notice: bare parse {bare_cpu:.1f}; worker processes {per['worker']:.1f} + PostgreSQL "
          f"{per['postgres']:.1f} + Redis {per['redis']:.1f} = {sum(per.values()):.1f} "
          f"(bare / all = {bare_cpu / sum(per.values()):.2f}); of the worker's, its main process "
          f"{main_cpu / worked * 1000:.1f}")
    print(f"  CPU time of the worker's processes / (wall × {args.processes}) = {cpu_share:.0%}; "
          f"load average now {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"  closing runs, on the largest run at the end: EXISTS of an open item {exists_ms:.2f} ms (after a step "
          f"that queued nothing), the aggregate {close_ms:.1f} ms (once, when the run closes)")
    print(f"  ratio worker / ({args.processes} × single) = {ratio:.2f}  target ≥ {TARGET}: "
          f"{'met' if ratio >= TARGET else 'NOT met'}")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
