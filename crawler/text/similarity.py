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


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


def simhash(tokens: Iterable[str]) -> int:
    """Charikar's SimHash over token shingles (each occurrence counts), as a signed 64-bit integer (a
    PostgreSQL bigint)."""
    words = [t for t in tokens if t.strip()]
    # 8 bytes per shingle, made one at a time: a large text never holds all its shingles as strings
    digests = bytearray()
    for i in range(max(1, len(words) - SHINGLE + 1)):
        digests += _digest("\x1f".join(words[i:i + SHINGLE]))
    total = len(digests) // 8
    # Bit b of the hash is set when more than half the shingles have it. Count byte values per byte
    # position (C-speed slicing and counting), then read the bits off the 256 counts.
    value = 0
    for position in range(8):  # digest byte 7 holds the lowest 8 bits (big-endian)
        counts = Counter(digests[7 - position::8])
        for bit in range(8):
            with_bit = sum(c for byte, c in counts.items() if byte >> bit & 1)
            if 2 * with_bit > total:
                value |= 1 << (position * 8 + bit)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()
