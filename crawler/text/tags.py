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
    toks = list(tokens) if tokens is not None else segment.tokens(text)
    if headings is None:
        # structural headings only: an 一是 item's "heading" is just its first sentence
        headings = [s.heading for s in outline(text) if s.level < ENUM_LEVEL]
    head_toks = segment.tokens("\n".join(headings))
    index, head_index = _index(toks), _index(head_toks)
    out = []
    for order, topic in enumerate(tax.topics):
        hits = _count(toks, index, topic)
        total = sum(hits.values())
        in_heads = sum(_count(head_toks, head_index, topic).values())
        if total >= topic.min_hits or in_heads >= tax.heading_hits:
            out.append((-total, order, {
                "id": topic.id, "label": topic.label, "hits": total, "heading_hits": in_heads,
                "terms": dict(hits.most_common(5)),
            }))
    return [row for *_, row in sorted(out, key=lambda r: (r[0], r[1]))]
