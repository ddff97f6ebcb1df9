"""Full-text search and duplicate detection over N notices recombined from the corpus.

Usage: ``bench/search [--notices 10000]``. Builds N realistic notices (the opening of one corpus notice
with the body of another, so texts differ but share real vocabulary), stores them with their search
vectors and SimHashes, then prints search_notices() latency (median, p95, per query kind) and duplicate
detection throughput: SimHash per notice in Python, and the notice_duplicates view over the whole table.
Last, segment_query() on one "word" of 1,000 to 100,000 Chinese characters (the corpus's text run together,
as a pasted paragraph would be): its time must grow linearly, 100,000 characters well under a second.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time

from bench.harness import bench_world, corpus_texts, progress
from crawler.db.connect import connect
from crawler.db.dbsetup import refresh_keywords
from crawler.text.parse import search_text
from crawler.text.segment import dictionary_tokens, keywords_from_tokens, tokens, warm
from crawler.text.similarity import simhash

QUERIES = ("营商环境", "主体责任", "八项规定 & 形式主义", "营商环境 & 问责", "选人用人 | 意识形态",
           "巡视整改 & 民主生活会", "乡村振兴 & 财政资金", "对账销号", "问题线索 & !信访", "立行立改 & 长效机制",
           "营商环境 问责", "问题线索 -信访", "选人用人 or 意识形态",  # web-search syntax
           "巡视整改工作", "营商环境问责")  # phrases typed as one word: split into indexed words
# Phrases need word positions, which only the full vectors hold: every candidate's vector is read.
PHRASES = ('"巡视 整改"', '"主体 责任"')


def recombined(n: int, seed: int = 7) -> list[tuple[str, str]]:
    """(title, body) pairs: head of notice a + tail of notice b, cut at a random line."""
    rng = random.Random(seed)
    texts = [t for _, t in corpus_texts()]
    out = []
    for i in range(n):
        a, b = rng.sample(texts, 2)
        la, lb = a.splitlines(), b.splitlines()
        cut = rng.randint(1, max(1, min(len(la), len(lb)) - 1))
        out.append((f"合成通报第{i}号", "\n".join(la[:cut] + lb[cut:])))
    return out


def load(url: str, notices: list[tuple[str, str]]) -> tuple[float, float]:
    """Store the notices; returns (seconds spent in SimHash, seconds storing)."""
    rows, hashing = [], 0.0
    for i, (title, body) in enumerate(notices):
        cut = dictionary_tokens(body)
        words = tokens(body, cut)
        started = time.perf_counter()
        fingerprint = simhash(words)
        hashing += time.perf_counter() - started
        rows.append(("bench", f"bench.test/{i}", f"http://bench.test/{i}", title, body, f"{i:064d}",
                     search_text(title, body), search_text(title, "") + " " + " ".join(
                         w for w, _ in keywords_from_tokens(cut, 20)), fingerprint))
    started = time.perf_counter()
    with connect(url) as conn, conn.transaction(), conn.cursor() as cur:
        conn.execute("INSERT INTO sites (site_id, name, definition) VALUES ('bench', 'bench', '{}') ON CONFLICT DO NOTHING")
        cur.executemany("""INSERT INTO notices (site_id, url_key, url, title, body_text, content_sha256, parser_version,
                           search_vector, search_head, content_simhash)
                           VALUES (%s, %s, %s, %s, %s, %s, 'bench', to_tsvector('simple', %s),
                                   to_tsvector('simple', %s), %s)""", rows)
    return hashing, time.perf_counter() - started


def latencies(url: str, rounds: int, queries: tuple[str, ...]) -> dict[str, list[float]]:
    with connect(url) as conn:
        conn.execute("ANALYZE notices")
        times: dict[str, list[float]] = {q: [] for q in queries}
        for _ in range(rounds):
            for query in queries:
                started = time.perf_counter()
                conn.execute("SELECT * FROM search_notices(%s, 20)", (query,)).fetchall()
                times[query].append((time.perf_counter() - started) * 1000)
    return times


SEGMENT_SIZES = (1_000, 10_000, 20_000, 50_000, 100_000)


def chinese_run(chars: int) -> str:
    """`chars` Chinese characters of real notice text with everything else (punctuation, digits) removed."""
    text = "".join(re.findall(r"[\u4e00-\u9fff]+", "".join(t for _, t in corpus_texts())))
    return (text * (chars // len(text) + 1))[:chars]


def segmentation(url: str, sizes: tuple[int, ...] = SEGMENT_SIZES) -> list[tuple[int, float, int]]:
    """(characters, seconds, pieces) of segment_query() on one run of that many characters, best of 3."""
    out = []
    with connect(url) as conn:
        for size in sizes:
            words = chinese_run(size)
            best, pieces = float("inf"), 0
            for _ in range(3):
                started = time.perf_counter()
                split = conn.execute("SELECT segment_query(%s) AS s", (words,)).fetchone()["s"]
                best = min(best, time.perf_counter() - started)
                pieces = len(split.split())
            out.append((size, best, pieces))
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=10)
    args = ap.parse_args(argv)
    warm()
    with bench_world("search") as world:
        progress(f"building {args.notices} notices …")
        notices = recombined(args.notices)
        chars = sum(len(b) for _, b in notices)
        hashing, storing = load(world.admin_url, notices)
        with connect(world.admin_url) as conn:  # the vocabulary search_notices splits typed phrases against
            started = time.perf_counter()
            refresh_keywords(conn)
            refreshing = time.perf_counter() - started
        url = world.analyst_url if hasattr(world, "analyst_url") else world.admin_url
        times = latencies(url, args.rounds, QUERIES)
        phrase_times = latencies(url, max(1, args.rounds // 5), PHRASES)
        with connect(world.admin_url) as conn:
            started = time.perf_counter()
            dups = conn.execute("SELECT count(*) AS n FROM notice_duplicates").fetchone()["n"]
            view_seconds = time.perf_counter() - started
        vocabulary = conn_count(world.admin_url, "corpus_idf")
        segments = segmentation(url)
    everything = [t for ts in times.values() for t in ts]
    print(f"{args.notices} notices, {chars:,} characters (stored in {storing:.1f}s; corpus keywords refreshed in"
          f" {refreshing:.1f}s)")
    print(f"search_notices over {args.notices} notices, {len(everything)} queries:")
    print(f"  median {statistics.median(everything):7.2f} ms   p95 {p95(everything):7.2f} ms")
    for query, ts in times.items():
        print(f"    {query:24} median {statistics.median(ts):7.2f} ms   p95 {p95(ts):7.2f} ms")
    print("  phrases (word positions read from every candidate's full vector):")
    for query, ts in phrase_times.items():
        print(f"    {query:24} median {statistics.median(ts):7.2f} ms   p95 {p95(ts):7.2f} ms")
    print("duplicate detection:")
    print(f"  SimHash            {args.notices / hashing:10,.0f} notices/s ({hashing / args.notices * 1000:.2f} ms each)")
    print(f"  notice_duplicates  {args.notices / view_seconds:10,.0f} notices/s (whole table in {view_seconds:.2f}s;"
          f" {dups} copies found among recombined texts)")
    print(f"segment_query (forward maximum matching against the {vocabulary:,} words of corpus_idf), one run of:")
    for size, seconds, pieces in segments:
        print(f"  {size:8,} characters {seconds * 1000:9.1f} ms  ({seconds / size * 1e6:5.2f} µs per character,"
              f" {pieces:,} words)")
    return 0


def conn_count(url: str, relation: str) -> int:
    with connect(url) as conn:
        return conn.execute(f"SELECT count(*) AS n FROM {relation}").fetchone()["n"]


if __name__ == "__main__":
    raise SystemExit(main())
