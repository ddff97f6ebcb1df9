"""Word-level precision, recall and F1 of segmenters against the hand-segmented gold sentences (issue 16, item 4).

Usage: ``bench/segmentation [--gold DIR] [--show-fit]``.  The gold set is ``tests/fixtures/segmentation/``
(240 sentences from real notices, PKU's guideline with the domain's fixed phrases as words; its README gives the
conventions), split by notice into ``fit`` (the dictionary and rules may be tuned looking at these) and ``unseen``
(only ever scored: its sentences' differences are never printed).  Measured side by side in one run:

* ``jieba default``: ``jieba.lcut`` as installed (HMM on, no user dictionary), a private tokenizer;
* ``jieba, HMM off``: the same without the HMM (the project runs with it off);
* ``rjieba default``: ``rjieba.Jieba().cut`` (HMM on, no user dictionary), when rjieba is installed;
* ``project (jieba)`` and ``project (rjieba)``: ``crawler.text.segment.tokens`` as shipped (user dictionary,
  HMM off, its rules) on each engine (``RECTIFY_SEGMENTER``); the one ``engine_name()`` picks is marked.

Scoring is the standard one (SIGHAN's ``score``): a word is its character span in the raw sentence; whitespace
tokens are dropped on both sides; a predicted word is correct when the gold has the same span; precision, recall
and F1 are over all words of the set (micro).  Exits 1 when the shipped segmenter's F1 on ``unseen`` is below
0.95.  ``segmentation_scores()`` returns the same figures for ``bench/tags``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "segmentation"
TARGET = 0.95

Segmenter = Callable[[str], Sequence[str]]


def spans(words: Iterable[str], raw: str | None = None) -> set[tuple[int, int]]:
    """The character spans (start, end) of the words, whitespace tokens dropped and whitespace around a
    word's text not counted. ``raw``, when given, must be the words joined (a segmenter may not change text)."""
    out, pos = set(), 0
    words = list(words)
    if raw is not None and "".join(words) != raw:
        raise ValueError(f"words do not join to the sentence: {raw!r}")
    for word in words:
        text = word.strip()
        if text:
            start = pos + (len(word) - len(word.lstrip()))
            out.add((start, start + len(text)))
        pos += len(word)
    return out


@dataclass(frozen=True)
class Score:
    gold: int  # words in the gold
    predicted: int  # words the segmenter gave
    correct: int  # predicted words with the span of a gold word

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "gold_words": self.gold, "predicted_words": self.predicted, "correct_words": self.correct}


def score(pairs: Iterable[tuple[Sequence[str], Sequence[str]]]) -> Score:
    """Micro-averaged word scores over (gold words, predicted words) pairs of the same sentences."""
    gold = predicted = correct = 0
    for gold_words, predicted_words in pairs:
        raw = "".join(gold_words)
        g, p = spans(gold_words, raw), spans(predicted_words, raw)
        gold, predicted, correct = gold + len(g), predicted + len(p), correct + len(g & p)
    return Score(gold, predicted, correct)


def load(gold_dir: Path = GOLD) -> dict[str, list[dict]]:
    """The gold records by side of the split: {"fit": [...], "unseen": [...]}."""
    records = {}
    for line in (gold_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            records[r["id"]] = r
    split = json.loads((gold_dir / "split.json").read_text(encoding="utf-8"))
    return {side: [records[i] for i in split[side]] for side in ("fit", "unseen")}


@contextmanager
def _engine(name: str) -> Iterator[None]:
    old = os.environ.get("RECTIFY_SEGMENTER")
    os.environ["RECTIFY_SEGMENTER"] = name
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("RECTIFY_SEGMENTER", None)
        else:
            os.environ["RECTIFY_SEGMENTER"] = old


def segmenters() -> tuple[dict[str, Segmenter], str]:
    """The segmenters compared, by row name, and the name of the row the project ships."""
    import importlib.util
    import logging

    import jieba

    from crawler.text import segment

    jieba.setLogLevel(logging.WARNING)
    plain = jieba.Tokenizer()  # private: nobody's add_word in it
    out: dict[str, Segmenter] = {
        "jieba default": lambda s: plain.lcut(s),
        "jieba, HMM off": lambda s: plain.lcut(s, HMM=False),
    }
    has_rjieba = importlib.util.find_spec("rjieba") is not None
    if has_rjieba:
        import rjieba

        bare = rjieba.Jieba()
        out["rjieba default"] = lambda s: bare.cut(s, True)

    def project(engine: str) -> Segmenter:
        def cut(s: str) -> Sequence[str]:
            with _engine(engine):
                return segment.tokens(s)
        return cut

    out["project (jieba)"] = project("jieba")
    if has_rjieba:
        out["project (rjieba)"] = project("rjieba")
    return out, f"project ({segment.engine_name()})"


def segmentation_scores(gold_dir: Path = GOLD) -> dict:
    """Scores of every segmenter on fit and unseen, and the shipped one's unseen F1 against the target:

    {"segmenters": {name: {"fit": {precision, recall, f1, gold_words, predicted_words, correct_words},
                           "unseen": {...}}},
     "shipped": name, "fit_f1": float, "unseen_f1": float, "target": 0.95, "met": bool,
     "sentences": {"fit": n, "unseen": n}}"""
    sides = load(gold_dir)
    cuts, shipped = segmenters()
    table = {name: {side: score((r["words"], list(cut(r["raw"]))) for r in records).as_dict()
                    for side, records in sides.items()}
             for name, cut in cuts.items()}
    unseen_f1 = table[shipped]["unseen"]["f1"]
    return {"segmenters": table, "shipped": shipped, "fit_f1": table[shipped]["fit"]["f1"], "unseen_f1": unseen_f1,
            "target": TARGET, "met": unseen_f1 >= TARGET,
            "sentences": {side: len(records) for side, records in sides.items()}}


def differences(gold_words: Sequence[str], predicted: Sequence[str]) -> list[tuple[str, str]]:
    """The stretches where the two segmentations disagree, each as (gold, predicted) with / between words."""
    raw = "".join(gold_words)
    g, p = sorted(spans(gold_words, raw)), sorted(spans(predicted, raw))
    common = sorted(({0, len(raw)} | {x for span in g for x in span}) & ({0, len(raw)} | {x for span in p for x in span}))
    out = []
    for start, end in zip(common, common[1:], strict=False):
        gs = [raw[a:b] for a, b in g if start <= a and b <= end]
        ps = [raw[a:b] for a, b in p if start <= a and b <= end]
        if gs != ps:
            out.append((" / ".join(gs), " / ".join(ps)))
    return out


def report(result: dict) -> list[str]:
    n = result["sentences"]
    lines = [f"segmentation: word-level P / R / F1 against {n['fit']} fit and {n['unseen']} unseen hand-segmented "
             "sentences (tests/fixtures/segmentation, PKU + domain phrases)",
             f"{'segmenter':<22} {'fit P':>7} {'fit R':>7} {'fit F1':>7}   {'unseen P':>8} {'unseen R':>8} {'unseen F1':>9}"]
    for name, row in result["segmenters"].items():
        f, u = row["fit"], row["unseen"]
        mark = "  <- shipped" if name == result["shipped"] else ""
        lines.append(f"{name:<22} {f['precision']:7.4f} {f['recall']:7.4f} {f['f1']:7.4f}   "
                     f"{u['precision']:8.4f} {u['recall']:8.4f} {u['f1']:9.4f}{mark}")
    lines.append(f"target: unseen F1 >= {result['target']:.2f} for the shipped segmenter ({result['shipped']}): "
                 f"{result['unseen_f1']:.4f}, {'met' if result['met'] else 'NOT met'}")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", type=Path, default=GOLD, help="directory with gold.jsonl and split.json")
    ap.add_argument("--show-fit", action="store_true",
                    help="also list the shipped segmenter's differences from the gold on the fit sentences")
    args = ap.parse_args(argv)
    result = segmentation_scores(args.gold)
    print("\n".join(report(result)))
    if args.show_fit:
        cuts, shipped = segmenters()
        print(f"\n{shipped} vs gold on fit (gold => ours):")
        for r in load(args.gold)["fit"]:
            for gold, ours in differences(r["words"], cuts[shipped](r["raw"])):
                print(f"  {r['id']}  {gold}  =>  {ours}")
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
