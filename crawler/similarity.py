"""Near-duplicate notices across sites: a 64-bit SimHash of the segmented text.

The same notice is republished on several sites (the provincial commission's and the unit's own) with
different page chrome and small edits; their SimHashes differ in a few bits, while different notices
differ in ~32. PostgreSQL compares them with bit_count(a # b) (see the notice_duplicates view).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

BITS = 64
SHINGLE = 3  # token trigrams: robust to the odd changed word, sensitive to real differences


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(tokens: Iterable[str]) -> int:
    """Charikar's SimHash over weighted token shingles, as a signed 64-bit integer (a PostgreSQL bigint)."""
    words = [t for t in tokens if t.strip()]
    shingles = Counter("\x1f".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1)))
    weights = [0] * BITS
    for shingle, count in shingles.items():
        h = _hash64(shingle)
        for bit in range(BITS):
            weights[bit] += count if h >> bit & 1 else -count
    value = sum(1 << bit for bit in range(BITS) if weights[bit] > 0)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()
