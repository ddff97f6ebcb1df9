"""Peak memory and time of `rectify parse` against the size of its input.

Usage: ``bench/parse_memory [--sizes 0.25,0.5,1,2,4,8]`` (MB). Each size is a text of corpus notices run
together, parsed by `crawler.text.parse.parse_file` in a fresh process (as `rectify parse` runs); the
process reports its peak resident set (ru_maxrss) before and after the parse. Inputs above
RECTIFY_MAX_BYTES (8 MB by default) are refused before they are read, so that cap bounds the figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.harness import corpus_texts, progress
from crawler.settings import PROJECT_ROOT

CHILD = """
import json, resource, sys, time
from pathlib import Path
from crawler.text.parse import parse_file
from crawler.text.segment import warm
warm()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
doc = parse_file(Path(sys.argv[1]), max_bytes=int(sys.argv[2]))
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"before_kb": before, "after_kb": after, "seconds": seconds, "chars": len(doc["body_text"])}))
"""


def build(path: Path, size: int) -> None:
    text = "\n".join(t for _, t in corpus_texts()).encode("utf-8")
    path.write_bytes((text * (size // len(text) + 1))[:size].decode("utf-8", "ignore").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.25,0.5,1,2,4,8", help="input sizes in MB, comma-separated")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="rectify-parse-memory-") as tmp:
        for mb in (float(s) for s in args.sizes.split(",")):
            size = int(mb * 1024 * 1024)
            path = Path(tmp) / f"{mb}.txt"
            build(path, size)
            progress(f"parsing {mb:g} MB …")
            out = subprocess.run([sys.executable, "-c", CHILD, str(path), str(size)], capture_output=True, text=True,
                                 cwd=PROJECT_ROOT, check=True).stdout
            rows.append((size, json.loads(out.splitlines()[-1])))
    print("rectify parse of N bytes of notice text (a fresh process each; peak RSS from ru_maxrss):")
    print(f"  {'input':>9} {'seconds':>8} {'RSS before':>11} {'peak RSS':>9} {'growth':>8} {'growth/input':>13}")
    for size, r in rows:
        growth = (r["after_kb"] - r["before_kb"]) * 1024
        print(f"  {size / 2**20:7.2f}MB {r['seconds']:8.2f} {r['before_kb'] / 1024:9.0f}MB {r['after_kb'] / 1024:7.0f}MB "
              f"{growth / 2**20:6.0f}MB {growth / size:12.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
