"""Topic tags for a notice from the taxonomy in data/taxonomy.toml (matching rules are documented there).

Terms are matched on jieba tokens, not substrings, so 国企 never fires inside 全国企业 and 教育 never inside
警示教育.  A topic is kept when its terms occur ``min_hits`` times in the text or ``heading_hits`` times
in section headings 一、/（一）/1./（1） (a heading mention means the notice has a section on it).
Comprehensive notices touch most topics, so expect many tags on long ones: ``hits`` and ``heading_hits``
are returned so callers can rank or raise the bar.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crawler.text import segment
from crawler.text.outline import ENUM_LEVEL, outline

TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy.toml"
_SLUG = re.compile(r"[a-z][a-z0-9_]*")
# A notice's tags: share of its problems (when it lists at least MIN_PROBLEMS) or of its text's topic terms.
MIN_PROBLEMS = 3
MIN_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    label: str
    description: str
    terms: tuple[str, ...]
    min_hits: int
    patterns: tuple[tuple[str, ...], ...]  # each term as tokens, longest first


@dataclass(frozen=True, slots=True)
class Taxonomy:
    topics: tuple[Topic, ...]
    min_hits: int
    heading_hits: int


@lru_cache(maxsize=4)
def taxonomy(path: Path = TAXONOMY) -> Taxonomy:
    """Parse and validate the TOML once per process (term segmentation needs jieba, so this warms it)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    settings = raw.get("settings", {})
    default_min = int(settings.get("min_hits", 2))
    topics, seen = [], set()
    for t in raw["topic"]:
        tid = t["id"]
        if not _SLUG.fullmatch(tid) or tid in seen:
            raise ValueError(f"taxonomy: bad or duplicate topic id {tid!r}")
        seen.add(tid)
        terms = tuple(dict.fromkeys(t["terms"]))
        if not terms or not t.get("label"):
            raise ValueError(f"taxonomy: topic {tid!r} needs a label and terms")
        patterns = sorted({tuple(segment.tokens(term)) for term in terms}, key=len, reverse=True)
        topics.append(Topic(tid, t["label"], t.get("description", ""), terms,
                            int(t.get("min_hits", default_min)), tuple(patterns)))
    return Taxonomy(tuple(topics), default_min, int(settings.get("heading_hits", 1)))


def _count(tokens: Sequence[str], index: dict[str, list[int]], topic: Topic) -> Counter[str]:
    """Occurrences per term; within a topic an occurrence already covered by a longer term is skipped."""
    used: set[int] = set()
    hits: Counter[str] = Counter()
    for pat in topic.patterns:
        n = len(pat)
        for p in index.get(pat[0], ()):
            span = range(p, p + n)
            if tuple(tokens[p:p + n]) == pat and used.isdisjoint(span):
                used.update(span)
                hits["".join(pat)] += 1
    return hits


def _index(tokens: Sequence[str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for i, tok in enumerate(tokens):
        index[tok].append(i)
    return index


def topic_tags(text: str, tokens: Sequence[str] | None = None,
               headings: Sequence[str] | None = None) -> list[dict]:
    """Topics of ``text``, most hits first: {id, label, hits, heading_hits, terms: {term: count}}.

    ``tokens`` (segment.tokens(text)) and ``headings`` (outline headings above the 一是 level) are computed
    when not given; pass them when the caller already has them.
    """
    tax = taxonomy()
    rows = term_hits(text, tokens, headings)
    kept = [r for r, t in zip(rows, tax.topics, strict=True)
            if r["hits"] >= t.min_hits or r["heading_hits"] >= tax.heading_hits]
    return sorted(kept, key=lambda r: -r["hits"])  # stable: taxonomy order among equals


def term_hits(text: str, tokens: Sequence[str] | None = None,
              headings: Sequence[str] | None = None) -> list[dict]:
    """Every topic's term counts in the text and in its headings, in taxonomy order (no threshold)."""
    tax = taxonomy()
    toks = list(tokens) if tokens is not None else segment.tokens(text)
    if headings is None:
        # structural headings only: an 一是 item's "heading" is just its first sentence
        headings = [s.heading for s in outline(text) if s.level < ENUM_LEVEL]
    head_toks = segment.tokens("\n".join(headings))
    index, head_index = _index(toks), _index(head_toks)
    out = []
    for topic in tax.topics:
        hits = _count(toks, index, topic)
        out.append({"id": topic.id, "label": topic.label, "hits": sum(hits.values()),
                    "heading_hits": sum(_count(head_toks, head_index, topic).values()),
                    "terms": dict(hits.most_common(5))})
    return out


def ranked_tags(hits: Sequence[dict], problems: Sequence[dict], special_topics: Sequence[str] = ()) -> list[dict]:
    """The notice's tags, ranked by how much of the notice each topic takes.

    `hits`: term_hits() of the text; `problems`: its problem rows with `topic` (crawler.text.topics).
    share = the topic's part of the notice's problems when it lists at least MIN_PROBLEMS of them, else its
    part of all topic term hits in the text.  The topics of the notice's special inspections (营商环境专项巡视 →
    business_env) rank first, in the order the notice names them; then the rest by share.  A topic is a tag when
    it is a special inspection's or takes at least MIN_SHARE of the notice: a comprehensive notice touches most
    topics, and a tag on every notice selects nothing.
    """
    from crawler.text.topics import OTHER, special_topic

    specials = list(dict.fromkeys(t for t in map(special_topic, special_topics) if t))
    if len(problems) >= MIN_PROBLEMS:
        counts = Counter(p["topic"] for p in problems if p.get("topic") and p["topic"] != OTHER)
        total, basis = len(problems), "problems"
    else:
        counts = Counter({h["id"]: h["hits"] for h in hits})
        total, basis = sum(counts.values()), "text"
    order = {h["id"]: i for i, h in enumerate(hits)}
    rows = []
    for h in hits:
        share = counts[h["id"]] / total if total else 0.0
        special = h["id"] in specials
        if special or share >= MIN_SHARE:
            rows.append({**h, "share": round(share, 4), "special": special, "basis": basis})
    rows.sort(key=lambda r: (specials.index(r["id"]) if r["special"] else len(specials), -r["share"], -r["hits"],
                             order[r["id"]]))
    return [{**r, "rank": i} for i, r in enumerate(rows, 1)]
