"""Field accuracy of the parser on the hand-checked gold records, and its speed against bare jieba.

Usage: ``bench/fields [--notices DIR] [--gold FILE] [--no-speed]``.  Parses each notice with the function
behind ``rectify parse PATH --json`` and prints per-field and overall accuracy and every mismatch; exits 1
when overall accuracy < 0.99 or any field < 0.97.  Values are compared as JSON values (lists as lists).
Then prints the full parse's throughput (record, outline, figures, keywords, tags; characters per
second, jieba already loaded) and its cost relative to ``jieba.lcut`` on the same texts in this process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.parse import parse_file
from crawler.record import FIELDS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NOTICES = ROOT / "crawler" / "mirror" / "corpus"
DEFAULT_GOLD = ROOT / "tests" / "fixtures" / "gold" / "dev.jsonl"
MIN_OVERALL = 0.99
MIN_FIELD = 0.97


@dataclass
class Result:
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    seen: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    mismatches: list[tuple[str, str, object, object]] = field(default_factory=list)

    def field_accuracy(self) -> dict[str, float]:
        return {f: self.correct[f] / self.seen[f] if self.seen[f] else 1.0 for f in FIELDS}

    def overall(self) -> float:
        seen = sum(self.seen.values())
        return sum(self.correct.values()) / seen if seen else 1.0

    def passed(self) -> bool:
        return self.overall() >= MIN_OVERALL and all(a >= MIN_FIELD for a in self.field_accuracy().values())


def _same(got: object, expected: object) -> bool:
    """Exact equality of JSON values (round-tripped so tuples and lists compare alike)."""
    return json.loads(json.dumps(got)) == json.loads(json.dumps(expected))


def load_gold(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(notices: Path = DEFAULT_NOTICES, gold: Path = DEFAULT_GOLD) -> Result:
    result = Result()
    for expected in load_gold(gold):
        path = notices / f"{expected['id']}.txt"
        # A missing notice counts against every field rather than stopping the run.
        got = parse_file(path)["record"] if path.exists() else {}
        for f in FIELDS:
            if f not in expected:
                continue
            result.seen[f] += 1
            if _same(got.get(f), expected[f]):
                result.correct[f] += 1
            else:
                result.mismatches.append((expected["id"], f, got.get(f), expected[f]))
    return result


def report(result: Result) -> str:
    lines = ["field                accuracy"]
    for f, acc in result.field_accuracy().items():
        flag = "" if acc >= MIN_FIELD else f"  < {MIN_FIELD:.2f}"
        lines.append(f"{f:<20} {acc:6.3f}  ({result.correct[f]}/{result.seen[f]}){flag}")
    lines.append(f"{'OVERALL':<20} {result.overall():6.3f}")
    lines.append(f"mismatches: {len(result.mismatches)}")
    for nid, f, got, exp in result.mismatches:
        lines.append(
            f"  {nid}\t{f}\tgot={json.dumps(got, ensure_ascii=False)}\texpected={json.dumps(exp, ensure_ascii=False)}"
        )
    lines.append("PASS" if result.passed() else "FAIL")
    return "\n".join(lines)


def speed(notices: Path, rounds: int = 3) -> str:
    """Characters per second of the full parse and of bare jieba.lcut, best of `rounds`, same texts."""
    import jieba

    from crawler import segment

    paths = sorted(notices.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    chars = sum(len(t) for t in texts)
    jieba.setLogLevel(60)
    jieba.lcut("预热")  # load both dictionaries before timing
    segment.warm()
    lcut = min(_timed(lambda: [jieba.lcut(t) for t in texts]) for _ in range(rounds))
    parse = min(_timed(lambda: [parse_file(p) for p in paths]) for _ in range(rounds))
    lines = [f"speed over {len(texts)} notices, {chars} characters (best of {rounds}), engine {segment.engine_name()}:",
             f"  full parse   {chars / parse:12,.0f} chars/s",
             f"  jieba.lcut   {chars / lcut:12,.0f} chars/s",
             f"  parse cost / jieba.lcut cost = {parse / lcut:.2f}x"]
    if segment.engine_name() == "rjieba":
        fast = min(_timed(lambda: [segment.tokens(t) for t in texts]) for _ in range(rounds))
        ours = [segment.tokens(t) for t in texts]
        ref = [segment._tokenizer().lcut(t, HMM=False) for t in texts]
        same = sum(a == b for a, b in zip(ours, ref, strict=True))
        lines += [f"  rjieba.cut   {chars / fast:12,.0f} chars/s",
                  f"  parse cost / rjieba.cut cost = {parse / fast:.2f}x",
                  f"  rjieba tokens identical to jieba's (HMM off, our dictionary): {same}/{len(texts)} notices"]
    return "\n".join(lines)


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=Path, default=DEFAULT_NOTICES, help="directory of <id>.txt notices")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSONL file")
    ap.add_argument("--no-speed", action="store_true", help="skip the throughput measurement")
    args = ap.parse_args(argv)
    result = evaluate(args.notices, args.gold)
    print(report(result))
    if not args.no_speed:
        print(speed(args.notices))
    return 0 if result.passed() else 1


if __name__ == "__main__":
    sys.exit(main())
