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
    # Weight per bit = (weight of shingles with the bit set) - (the rest). Summing per byte value first
    # (8 byte positions x 256 values) costs 8 steps per shingle instead of 64.
    by_byte = [[0] * 256 for _ in range(8)]
    total = 0
    for shingle, count in shingles.items():
        for position, byte in enumerate(_hash64(shingle).to_bytes(8, "little")):
            by_byte[position][byte] += count
        total += count
    value = 0
    for position, counts in enumerate(by_byte):
        for bit in range(8):
            with_bit = sum(c for byte, c in enumerate(counts) if c and byte >> bit & 1)
            if 2 * with_bit > total:
                value |= 1 << (position * 8 + bit)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()
