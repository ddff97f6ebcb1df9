"""Field accuracy of the parser on the hand-checked gold records, and its speed against bare jieba.

Usage: ``bench/fields [--notices DIR --gold FILE] [--show-unseen] [--no-speed]``.  Parses each notice with the
function behind ``rectify parse PATH --json`` and prints per-field and overall accuracy side by side for three
sets: ``dev`` (the 36 corpus notices the parser was written on), ``fit`` and ``unseen`` (the real notices of
``tests/fixtures/real/``, split at random with a fixed seed: rules are changed looking at ``fit`` only, and
``unseen`` is only scored, so its mismatches are listed only with ``--show-unseen``).  Exits 1 when ``dev`` or
``fit`` is below 0.99 overall or 0.97 on any field.  Values are compared as JSON values (lists as lists); a
gold record's ``also_ok`` lists other accepted values of a field where the text is damaged.
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

from crawler.text.parse import parse_file
from crawler.text.record import FIELDS

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_NOTICES = ROOT / "crawler" / "mirror" / "corpus"
DEFAULT_GOLD = ROOT / "tests" / "fixtures" / "gold" / "dev.jsonl"
REAL = ROOT / "tests" / "fixtures" / "real"
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


def evaluate(notices: Path = DEFAULT_NOTICES, gold: Path | list[dict] = DEFAULT_GOLD) -> Result:
    result = Result()
    for expected in load_gold(gold) if isinstance(gold, Path) else gold:
        path = notices / f"{expected['id']}.txt"
        # A missing notice counts against every field rather than stopping the run.
        got = parse_file(path)["record"] if path.exists() else {}
        for f in FIELDS:
            if f not in expected:
                continue
            result.seen[f] += 1
            accepted = [expected[f], *expected.get("also_ok", {}).get(f, [])]
            if any(_same(got.get(f), value) for value in accepted):
                result.correct[f] += 1
            else:
                result.mismatches.append((expected["id"], f, got.get(f), expected[f]))
    return result


def real_sets(real: Path = REAL) -> dict[str, list[dict]]:
    """The real notices' gold records, as split.json divides them."""
    split = json.loads((real / "split.json").read_text(encoding="utf-8"))
    gold = {g["id"]: g for g in load_gold(real / "gold.jsonl")}
    return {name: [gold[i] for i in split[name]] for name in ("fit", "unseen")}


def evaluate_all() -> dict[str, Result]:
    sets = real_sets()
    return {"dev": evaluate(DEFAULT_NOTICES, DEFAULT_GOLD),
            "fit": evaluate(REAL / "notices", sets["fit"]),
            "unseen": evaluate(REAL / "notices", sets["unseen"])}


def side_by_side(results: dict[str, Result], show: tuple[str, ...]) -> str:
    names = list(results)
    counts = {n: len({m[0] for m in r.mismatches}) for n, r in results.items()}
    notices = {n: max(r.seen.values()) for n, r in results.items()}
    lines = [f"{'field':<20}" + "".join(f"{n + ' (' + str(notices[n]) + ')':>14}" for n in names)]
    for f in FIELDS:
        cells = []
        for n in names:
            acc = results[n].field_accuracy()[f]
            cells.append(f"{acc:>13.3f}{'<' if acc < MIN_FIELD else ' '}")
        lines.append(f"{f:<20}" + "".join(cells))
    lines.append(f"{'OVERALL':<20}" + "".join(f"{results[n].overall():>13.3f} " for n in names))
    lines.append(f"{'notices with errors':<20}" + "".join(f"{counts[n]:>13} " for n in names))
    lines.append(f"bars: ≥ {MIN_OVERALL} overall and ≥ {MIN_FIELD} per field ('<' marks a field below); "
                 "dev and fit must pass, unseen is the measure of notices no rule was written from")
    for n in names:
        if n in show and results[n].mismatches:
            lines.append(f"mismatches in {n}:")
            lines += [f"  {nid}\t{f}\tgot={json.dumps(got, ensure_ascii=False)}\t"
                      f"expected={json.dumps(exp, ensure_ascii=False)}" for nid, f, got, exp in results[n].mismatches]
    verdict = all(results[n].passed() for n in ("dev", "fit") if n in results)
    lines.append("PASS" if verdict else "FAIL")
    return "\n".join(lines)


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

    from crawler.text import segment

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
        fast = min(_timed(lambda: [segment._cut(t) for t in texts]) for _ in range(rounds))
        ours = [segment.tokens(t) for t in texts]
        ref = [segment._conventions(t, segment._tokenizer().lcut(t, HMM=False)) for t in texts]
        same = sum(a == b for a, b in zip(ours, ref, strict=True))
        lines += [f"  rjieba.cut   {chars / fast:12,.0f} chars/s",
                  f"  parse cost / rjieba.cut cost = {parse / fast:.2f}x",
                  f"  rjieba tokens identical to jieba's (HMM off, our dictionary and conventions): "
                  f"{same}/{len(texts)} notices"]
    return "\n".join(lines)


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--notices", type=Path, help="directory of <id>.txt notices (with --gold: score that set alone)")
    ap.add_argument("--gold", type=Path, help="gold JSONL file")
    ap.add_argument("--show-unseen", action="store_true", help="also list the unseen set's mismatches")
    ap.add_argument("--no-speed", action="store_true", help="skip the throughput measurement")
    args = ap.parse_args(argv)
    if args.gold:
        result = evaluate(args.notices or DEFAULT_NOTICES, args.gold)
        print(report(result))
        passed = result.passed()
    else:
        results = evaluate_all()
        print(side_by_side(results, ("dev", "fit", "unseen") if args.show_unseen else ("dev", "fit")))
        passed = all(results[n].passed() for n in ("dev", "fit"))
    if not args.no_speed:
        print(speed(DEFAULT_NOTICES))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
