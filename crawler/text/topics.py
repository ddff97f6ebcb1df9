"""A topic for every listed problem, and the taxonomy topic of a special inspection.

The rules are the taxonomy's decision guide (data/taxonomy.toml, `guide` and `[problems]`), in its order: the
special inspection's part the problem sits in; the problem's own words; its aspect (方面) heading; what its
measures mainly do; weak hints; else `other`.  Each step has a score, so a caller can tell a topic read from
the problem's words (0.9) from one guessed from its measures (0.3–0.7).  Measured against a blind gold set by
bench/tags (tests/fixtures/topics/gold.jsonl).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from crawler.text.tags import TAXONOMY

OTHER = "other"
SCORES = {"special": 1.0, "problem": 0.9, "aspect": 0.8, "hint": 0.3}
# A part or aspect that is a special inspection's: 营商环境专项巡视整改落实情况, 关于乡村振兴专项巡察反馈问题.
SPECIAL_PART = re.compile(r"专项(?:巡视|巡察)?")
MEASURE_HEADING_CHARS = 40


@dataclass(frozen=True, slots=True)
class Rules:
    order: tuple[str, ...]
    cues: Mapping[str, tuple[re.Pattern[str], ...]]
    hints: Mapping[str, tuple[re.Pattern[str], ...]]
    specials: tuple[tuple[str, re.Pattern[str]], ...]
    study: tuple[re.Pattern[str], ...]
    other: tuple[re.Pattern[str], ...]
    before: frozenset[tuple[str, str]]
    cross_cutting: str
    cross_cutting_aspects: tuple[re.Pattern[str], ...]
    fields: frozenset[str]


@lru_cache(maxsize=4)
def rules(path: Path = TAXONOMY) -> Rules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    topics = raw["topic"]
    order = tuple(t["id"] for t in topics)
    problems = raw["problems"]
    ids = set(order)
    before = frozenset((a, b) for a, b in problems.get("precedence", []))
    cross = problems.get("cross_cutting", "")
    fields = frozenset(problems.get("fields", []))
    unknown = {x for pair in before for x in pair} | fields | ({cross} if cross else set())
    if unknown - ids:
        raise ValueError(f"taxonomy [problems]: unknown topics {sorted(unknown - ids)}")
    return Rules(
        order=order,
        cues={t["id"]: _alternation(t.get("cues", [])) for t in topics if t.get("cues")},
        hints={t["id"]: _alternation(t.get("hints", [])) for t in topics if t.get("hints")},
        specials=tuple((t["id"], re.compile("|".join(map(re.escape, t["specials"]))))
                       for t in topics if t.get("specials")),
        study=tuple(re.compile(p) for p in problems.get("study", [])),
        other=tuple(re.compile(p) for p in problems.get("other", [])),
        before=before, cross_cutting=cross, fields=fields,
        cross_cutting_aspects=tuple(re.compile(p) for p in problems.get("cross_cutting_aspects", [])),
    )


def _alternation(patterns: Sequence[str]) -> tuple[re.Pattern[str], ...]:
    """A topic's patterns as one expression (one scan of a text per topic, not one per pattern); each is
    checked alone first, so a bad one is named."""
    for p in patterns:
        re.compile(p)
    return (re.compile("|".join(f"(?:{p})" for p in patterns)),)


def special_topic(name: str | None) -> str | None:
    """The taxonomy topic of a special inspection's topic (营商环境 → business_env, 乡村振兴领域 → rural); where
    several topics' names occur, the one named last (the head of the phrase: 经济发展领域作风建设 → formalism)."""
    if not name:
        return None
    best: tuple[int, int, str] | None = None
    for order, (tid, pattern) in enumerate(rules().specials):
        for m in pattern.finditer(name):
            key = (m.end(), -order, tid)
            if best is None or key > best:
                best = key
    return best[2] if best else None


def _hits(text: str, table: Mapping[str, Sequence[re.Pattern[str]]]) -> dict[str, tuple[int, int]]:
    """topic → (occurrences, first position) of its patterns in text."""
    out = {}
    for tid, patterns in table.items():
        starts = [m.start() for p in patterns for m in p.finditer(text)]
        if starts:
            out[tid] = (len(starts), min(starts))
    return out


def _first_named(hits: Mapping[str, tuple[int, int]]) -> str | None:
    """The topic named first; a topic the precedence puts before it wins (农村 … 看病难 → livelihood)."""
    if not hits:
        return None
    r = rules()
    ranked = sorted(hits, key=lambda t: (hits[t][1], -hits[t][0], r.order.index(t)))
    chosen = ranked[0]
    for tid in ranked[1:]:
        if (tid, chosen) in r.before:
            chosen = tid
    return chosen


def _measure_scores(measures: str) -> Counter[str]:
    """Cue occurrences per topic in the measures; a measure's heading (a short line, or a line's first sentence)
    counts three (two) times. Rectification itself (巡视, 整改) is in every notice's measures: no evidence."""
    lines = measures.split("\n")
    lines = lines[1:] or lines  # the first line repeats the problem's heading
    score: Counter[str] = Counter()
    r = rules()
    for line in lines:
        head, _, rest = line.partition("。")
        weight = 3 if len(line) <= MEASURE_HEADING_CHARS else 2
        for tid, (n, _) in _hits(head, r.cues).items():
            score[tid] += weight * n
        for tid, (n, _) in _hits(rest, r.cues).items():
            score[tid] += n
    score.pop("inspection_work", None)
    if len(score) > 1:
        score.pop("party_responsibility", None)  # 压实主体责任 closes every list of measures
    return score


def problem_topic(problem: str | None, aspect: str | None = None, measures: str | None = None,
                  part: str | None = None, special_topics: Iterable[str] = ()) -> tuple[str, float]:
    """(topic, score) of one listed problem: a taxonomy id or `other` (score 0)."""
    r = rules()
    p, a, m, part = problem or "", aspect or "", measures or "", part or ""
    for name in special_topics:
        tid = special_topic(name)
        where = part + "\n" + a
        if tid and name[:2] in where and SPECIAL_PART.search(where):
            return tid, SCORES["special"]
    if a == p:
        a = ""
    if any(x.search(p) for x in r.study):
        return "ideology", SCORES["problem"]
    if any(x.search(p) for x in r.other):
        return OTHER, 0.0
    in_problem, in_aspect = _hits(p, r.cues), _hits(a, r.cues)
    chosen = _first_named(in_problem)
    if chosen:
        if chosen in r.fields and (r.cross_cutting in in_problem or any(x.search(a) for x in r.cross_cutting_aspects)):
            return r.cross_cutting, SCORES["problem"]
        return chosen, SCORES["problem"]
    chosen = _first_named(in_aspect)
    if chosen:
        return chosen, SCORES["aspect"]
    scores = _measure_scores(m)
    if scores:
        best = max(scores, key=lambda t: (scores[t], -r.order.index(t)))
        return best, round(0.3 + 0.4 * scores[best] / sum(scores.values()), 3)
    chosen = _first_named(_hits(p, r.hints)) or _first_named(_hits(a, r.hints))
    if chosen:
        return chosen, SCORES["hint"]
    return OTHER, 0.0


def with_topics(rows: list[dict[str, Any]], special_topics: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The problem rows (crawler.text.problems) with `topic` and `topic_score`."""
    specials = list(special_topics)
    out = []
    for row in rows:
        tid, score = problem_topic(row.get("problem"), row.get("aspect"), row.get("measures"), row.get("part"),
                                   specials)
        out.append({**row, "topic": tid, "topic_score": score})
    return out
