"""Peak RSS of each queue's worker after 1,000 notices vs a bare Python with the segmenter loaded.

Usage: ``bench/memory [--notices 1000] [--hosts 8]``.

The notices are crawled end to end from the mirror (hosts h1.bench.test … as in bench/crawl_rate, no rate
limit) by one worker per queue, as docker-compose.yml runs them: crawl ``-c 4``, parse ``-c 2``, store
``-c 2``. For every worker: the peak RSS (VmHWM) of its main process and of its largest pool child at
the end, and the current RSS (VmRSS) of its largest child when the worker's stage had handled 200 items
and again after all N (growth = after N − after 200). The reference: a bare ``python`` that imports
crawler.text.segment and calls ``warm()``. Targets: parse worker peak ≤ 1.5 × reference; no growth with the
number of notices.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Any

from bench.crawl_rate import publish_hosts, write_sites
from bench.harness import (
    Bench,
    Worker,
    bench_world,
    progress,
    rss_kib,
    runs_ended,
    start_runs,
    sync,
)
from crawler.mirror import MirrorServer
from crawler.settings import PROJECT_ROOT

TARGET = 1.5
EARLY = 200
WORKERS = (("crawl", "crawl,control", 4, "article"), ("parse", "parse", 2, "parse"), ("store", "store", 2, "store"))
REFERENCE = ("import crawler.text.segment as s; s.warm(); s.tokens('预热'); "
             "print({l.split(':')[0]: int(l.split()[1]) for l in open('/proc/self/status') "
             "if l.startswith(('VmRSS', 'VmHWM'))})")


def reference_rss() -> dict[str, int]:
    out = subprocess.run([sys.executable, "-c", REFERENCE], capture_output=True, text=True, check=True,
                         cwd=PROJECT_ROOT).stdout
    return eval(out.strip().splitlines()[-1], {})  # noqa: S307 - our own one-line dict literal


def largest_child(worker: Worker, key: str = "VmRSS") -> int:
    return max((rss_kib(pid, key) for pid in worker.children()), default=0)


def stage_done(bench: Bench, kind: str) -> int:
    with bench.admin() as conn:
        return conn.execute("SELECT count(*) AS n FROM raw.work_items WHERE kind = %s AND state <> 'queued' "
                            "AND state <> 'running'", (kind,)).fetchone()["n"]


def watch(bench: Bench, workers: dict[str, Worker], run_ids: list[int], timeout: float) -> dict[str, int]:
    """Poll until the runs end; note each worker's largest child RSS when its stage passes EARLY items."""
    early: dict[str, int] = {}
    deadline = time.monotonic() + timeout
    last = 0.0
    with bench.admin() as conn:
        while not runs_ended(conn, run_ids):
            if time.monotonic() > deadline:
                raise RuntimeError("timed out waiting for the crawl")
            counts = {name: stage_done(bench, kind) for name, _q, _c, kind in WORKERS}
            for name, count in counts.items():
                if name not in early and count >= EARLY:
                    early[name] = largest_child(workers[name])
            if time.monotonic() - last > 10:
                progress(f"items handled: {counts}")
                last = time.monotonic()
            time.sleep(0.2)
    return early


def measure(bench: Bench, workers: dict[str, Worker], early: dict[str, int]) -> list[dict[str, Any]]:
    out = []
    for name, _q, concurrency, kind in WORKERS:
        w = workers[name]
        out.append({"worker": f"{name} -c {concurrency}", "items": stage_done(bench, kind),
                    "main_peak": rss_kib(w.proc.pid, "VmHWM"), "child_peak": largest_child(w, "VmHWM"),
                    "early": early.get(name, 0), "late": largest_child(w)})
    return out


def report(rows: list[dict[str, Any]], ref: dict[str, int], n: int) -> tuple[str, bool]:
    base = ref["VmHWM"]
    lines = [f"memory: {n} notices crawled, parsed and stored; reference = bare python + crawler.text.segment.warm(): "
             f"peak {base / 1024:.0f} MiB (RSS {ref['VmRSS'] / 1024:.0f} MiB)",
             f"{'worker':12} {'items':>6} {'main peak':>10} {'child peak':>10} {'÷ ref':>6} "
             f"{f'RSS@{EARLY}':>9} {f'RSS@{n}':>9} {'growth':>8}"]
    ok = True
    for r in rows:
        peak = max(r["main_peak"], r["child_peak"])
        growth = r["late"] - r["early"]
        lines.append(f"{r['worker']:12} {r['items']:6} {r['main_peak'] / 1024:8.0f}Mi {r['child_peak'] / 1024:8.0f}Mi "
                     f"{peak / base:6.2f} {r['early'] / 1024:7.0f}Mi {r['late'] / 1024:7.0f}Mi {growth / 1024:+6.1f}Mi")
        if r["worker"].startswith("parse"):
            ok = ok and peak / base <= TARGET
    lines.append(f"(RSS@k = current RSS of the largest pool child when the stage had handled k items; "
                 f"target parse peak ≤ {TARGET} × reference: {'met' if ok else 'NOT met'})")
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=1000)
    ap.add_argument("--hosts", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=1200)
    args = ap.parse_args(argv)
    per_host = -(-args.notices // args.hosts)
    ref = reference_rss()
    with bench_world("memory") as bench, MirrorServer() as mirror:
        publish_hosts(mirror, args.hosts, per_host)
        site_ids = write_sites(bench.root / "sites", args.hosts, 200)
        env = bench.env(RECTIFY_BUILTIN_SITES="0", RECTIFY_SITES_DIRS=str(bench.root / "sites"),
                        RECTIFY_MIRROR=mirror.url)
        sync(bench, bench.settings(env))
        workers = {name: bench.worker(env, queues=queues, concurrency=c, name=name) for name, queues, c, _k in WORKERS}
        progress(f"workers up; crawling {args.hosts} × {per_host} notices")
        run_ids = start_runs(bench.settings(env), site_ids)
        early = watch(bench, workers, run_ids, args.timeout)
        rows = measure(bench, workers, early)
        with bench.admin() as conn:
            n = conn.execute("SELECT count(*) AS n FROM notices").fetchone()["n"]
    text, ok = report(rows, ref, n)
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
