"""How the crawl scales with crawl processes: 1, 2 and 4 crawl workers over many rate-limited hosts.

Usage: ``bench/crawl_scale [--hosts 64] [--articles 40] [--rate 2] [--crawlers 1,2,4] [--parsers 1] [--storers 1]``
(the issue's larger mirror: ``--articles 200``, about ten times longer).

The mirror gets K hosts of N notice pages each (bench/crawl_rate's pages and site files). For each count
P of crawl processes, with empty tables and Redis: P crawl workers (``-P threads -c 16``, queues crawl and
control, as docker-compose.yml's crawl service), one parse and one store worker (``-c 2`` each by default),
all K sites crawled at once. Printed per P: the fetch rate (requests/s over the crawl, from the mirror's
log) against the bound K·r; notices stored per second until the last is stored (the whole pipeline);
CPU seconds per request of the crawl workers, of parse + store, of PostgreSQL and of Redis; the busiest
host's 1 s window (≤ r). On this 2-CPU machine the pipeline is CPU-bound well below K·r: the curve shows
where the time goes, and the CPU per request is what the projection in bench/PERFORMANCE.md scales.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from bench.crawl_rate import (
    TABLES,
    analyse,
    cpu_seconds,
    publish_hosts,
    service_cpu,
    wait_unless_stalled,
    write_sites,
)
from bench.harness import Bench, bench_world, progress, start_runs, sync
from crawler.mirror import MirrorServer
from workers.services import redis_client


def run(bench: Bench, mirror: MirrorServer, env: dict[str, str], site_ids: list[str], crawlers: int,
        parsers: int, storers: int, rate: float) -> dict[str, Any]:
    with bench.admin() as conn:
        conn.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")
    redis_client(bench.redis_url).flushall()
    crawl = [bench.worker(env, queues="crawl,control", concurrency=16, name=f"crawl{i}", pool="threads")
             for i in range(crawlers)]
    rest = [bench.worker(env, queues="parse", concurrency=parsers, name="parse"),
            bench.worker(env, queues="store", concurrency=storers, name="store")]
    crawl_pids = [[w.proc.pid, *w.children()] for w in crawl]
    rest_pids = [[w.proc.pid, *w.children()] for w in rest]
    c0, r0 = sum(map(cpu_seconds, crawl_pids)), sum(map(cpu_seconds, rest_pids))
    pg0, redis0 = service_cpu(bench)
    mirror.clear_log()
    started = time.monotonic()
    run_ids = start_runs(bench.settings(env), site_ids)
    with bench.admin() as conn:
        stalled = wait_unless_stalled(conn, mirror, run_ids, timeout=3600, stall_after=30, name=f"P={crawlers}")
        stored = conn.execute("SELECT count(*) AS n FROM notices").fetchone()["n"]
    wall = time.monotonic() - started
    crawl_cpu, rest_cpu = sum(map(cpu_seconds, crawl_pids)) - c0, sum(map(cpu_seconds, rest_pids)) - r0
    pg1, redis1 = service_cpu(bench)
    for w in [*crawl, *rest]:
        w.stop()
    result = analyse(mirror.requests, len(site_ids), rate)
    result.update(crawlers=crawlers, stalled=stalled, wall=wall, notices=stored, crawl_cpu=crawl_cpu,
                  rest_cpu=rest_cpu, pg_cpu=pg1 - pg0, redis_cpu=redis1 - redis0)
    progress(f"P={crawlers}: {result['requests']} requests in {result['span']:.1f}s, {stored} notices stored "
             f"in {wall:.1f}s")
    return result


def report(results: list[dict[str, Any]], rate: float) -> str:
    lines = [f"{'crawl procs':>11} {'requests':>8} {'fetch/s':>8} {'of K·r':>6} {'stored/s':>8} {'max/1s':>6} "
             f"{'crawl CPU':>9} {'parse+store':>11} {'PostgreSQL':>10} {'Redis':>6}  (CPU ms per request)"]
    for r in results:
        n = max(1, r["requests"])
        lines.append(f"{r['crawlers']:11} {r['requests']:8} {r['rate']:8.2f} {r['rate'] / r['bound']:6.2f} "
                     f"{r['notices'] / r['wall']:8.2f} {r['max_window']:6} {1000 * r['crawl_cpu'] / n:9.1f} "
                     f"{1000 * r['rest_cpu'] / n:11.1f} {1000 * r['pg_cpu'] / n:10.1f} {1000 * r['redis_cpu'] / n:6.1f}"
                     f"{'  STALLED' if r['stalled'] else ''}")
    lines.append(f"fetch/s from the mirror's log; of K·r = fetch/s over hosts × r; stored/s = notices stored over "
                 f"the wall time until the last was stored; max/1s ≤ {rate:g} is politeness")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hosts", type=int, default=64)
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--rate", type=float, default=2.0)
    ap.add_argument("--crawlers", default="1,2,4", help="crawl worker counts to run, comma-separated")
    ap.add_argument("--parsers", type=int, default=2, help="pool processes of the parse worker")
    ap.add_argument("--storers", type=int, default=2, help="pool processes of the store worker")
    args = ap.parse_args(argv)
    with bench_world("crawl-scale") as bench, MirrorServer() as mirror:
        publish_hosts(mirror, args.hosts, args.articles)
        site_ids = write_sites(bench.root / "sites", args.hosts, args.rate)
        env = bench.env(RECTIFY_BUILTIN_SITES="0", RECTIFY_SITES_DIRS=str(bench.root / "sites"),
                        RECTIFY_MIRROR=mirror.url)
        sync(bench, bench.settings(env))
        progress(f"{args.hosts} hosts × ({args.articles} notices + list + robots.txt) at {args.rate:g} req/s each; "
                 f"bound K·r = {args.hosts * args.rate:g} req/s")
        results = [run(bench, mirror, env, site_ids, int(p), args.parsers, args.storers, args.rate)
                   for p in args.crawlers.split(",")]
    print(f"crawl scaling: K={args.hosts} hosts, r={args.rate:g} req/s, N={args.articles} notices per host")
    print(report(results, args.rate))
    return 1 if any(r["stalled"] or r["max_window"] > args.rate for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
