"""Near-duplicate notices across sites: a 64-bit SimHash of the segmented text.

The same notice is republished on several sites (the provincial commission's and the unit's own) with
different page chrome and small edits; their SimHashes differ in a few bits, while different notices
differ in ~32. PostgreSQL compares them with bit_count(a # b) (see the notice_duplicates view).

The fingerprint of a text: every token trigram (shingle, the tokens joined by U+001F) is hashed with
BLAKE2b to 8 bytes (big-endian), and bit b of the fingerprint is set when more than half of the shingles
have it. Stored fingerprints are compared with new ones, so this definition must not change (a test
checks the fingerprints against a plain implementation of it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import partial

BITS = 64
SHINGLE = 3  # token trigrams: robust to the odd changed word, sensitive to real differences
CHUNK = 4096  # shingles hashed per batch: a large text never holds all its shingles (or their digests as objects)

_BLAKE2B_8 = partial(hashlib.blake2b, digest_size=8)
_DIGEST = hashlib.blake2b.digest
# _BIT[b][v] is bit b of the byte value v, as a byte 0 or 1 (bytes.translate picks one bit of every byte)
_BIT = tuple(bytes((v >> b) & 1 for v in range(256)) for b in range(8))


def shingle_digests(tokens: Iterable[str]) -> bytes:
    """The 8-byte BLAKE2b digest of every token shingle, in order, concatenated (what `simhash` sums).

    All per-shingle work runs in C (map, bytes.join, the BLAKE2b constructor): the Python loop only steps
    through batches of shingles."""
    words = list(filter(str.strip, tokens))
    shingles = max(1, len(words) - SHINGLE + 1)
    digests = bytearray()  # 8 bytes per shingle
    for start in range(0, shingles, CHUNK):
        # UTF-8 of "\x1f".join(words) is b"\x1f".join of the words' UTF-8: each word is encoded once
        part = list(map(str.encode, words[start:start + CHUNK + SHINGLE - 1]))
        # zip stops at the shortest: the shingles that start in this batch
        joined = (map(b"\x1f".join, zip(*(part[k:] for k in range(SHINGLE)), strict=False)) if len(part) >= SHINGLE
                  else (b"\x1f".join(part),))  # a text of fewer than SHINGLE words is one shingle
        digests += b"".join(map(_DIGEST, map(_BLAKE2B_8, joined)))
    return bytes(digests)


def simhash(tokens: Iterable[str]) -> int:
    """Charikar's SimHash over token shingles (each occurrence counts), as a signed 64-bit integer (a
    PostgreSQL bigint). Bits are counted in C too (bytes.translate/count): the Python loop only steps
    through the 64 bits."""
    digests = shingle_digests(tokens)
    total = len(digests) // 8
    value = 0
    for position in range(8):  # digest byte 7 holds the lowest 8 bits (big-endian)
        column = digests[7 - position::8]
        for bit in range(8):
            if 2 * column.translate(_BIT[bit]).count(1) > total:
                value |= 1 << (position * 8 + bit)
    return value - (1 << BITS) if value >= 1 << (BITS - 1) else value


def distance(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << BITS) - 1)).bit_count()
