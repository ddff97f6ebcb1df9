"""Decoding Chinese pages: header charset, then <meta> charset, then detection.

GB2312 and GBK labels are read as GB18030, their superset: sites label GBK pages gb2312 and use
characters (镕, 喆, €, four-byte ones) that a strict gb2312 codec rejects.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
             "iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "utf-8", "us-ascii": "utf-8"}
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


def normalise(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = SUPERSETS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def header_charset(content_type: str | None) -> str | None:
    match = HEADER_CHARSET.search(content_type or "")
    return normalise(match.group(1)) if match else None


def meta_charset(body: bytes) -> str | None:
    match = META_CHARSET.search(body[:4096])
    return normalise(match.group(1).decode("ascii", "ignore")) if match else None


def _strict(body: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def bom_encoding(body: bytes) -> str | None:
    return next((encoding for bom, encoding in BOMS if body.startswith(bom)), None)


def _lenient(body: bytes, encoding: str | None) -> str | None:
    """Decoded with replacement characters, if they are at most about one per thousand."""
    if not encoding:
        return None
    try:
        text = body.decode(encoding, errors="replace")
    except LookupError:
        return None
    return text if text.count("\ufffd") <= 2 + len(text) // 1000 else None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode a page; returns (text, encoding used). A byte-order mark wins over every label (the
    WHATWG and w3lib order: a BOM cannot be there by accident). A label that fails a strict decode is
    not trusted (a page labelled utf-8 may be GBK); the last resort decodes with replacement and
    reports the encoding with a `~` suffix so the doubt is visible downstream."""
    bom = bom_encoding(body)
    if bom:
        text = _strict(body, bom)
        if text is not None:
            return text.removeprefix("\ufeff"), bom
    for encoding in (header_charset(content_type), meta_charset(body)):
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding or ""
    for encoding in ("utf-8", "gb18030"):
        text = _strict(body, encoding)
        if text is not None:
            return text, encoding
    # A few stray bytes (a NUL, a cut character) in an otherwise valid page: keep its own encoding
    # rather than let the detector pick a code page that turns every character into mojibake.
    for encoding in dict.fromkeys((header_charset(content_type), meta_charset(body), "utf-8", "gb18030")):
        text = _lenient(body, encoding)
        if text is not None:
            return text, f"{encoding}~"
    best = from_bytes(body).best()
    encoding = normalise(best.encoding) if best else "utf-8"
    return body.decode(encoding or "utf-8", errors="replace"), f"{encoding}~"
