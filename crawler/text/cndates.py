"""Chinese number and date helpers for rectification notices.

Notices write numbers both as Arabic digits and as Chinese numerals (``五十二``,
``二〇二〇年七月三十一日``) and often leave the year out of later dates in a
sentence (``2023年9月22日至11月30日 … 1月12日反馈``).  These helpers turn the
spans the patterns find into ints and ISO dates; they never rewrite whole texts.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

import cn2an

# Characters a Chinese numeral may be written with (incl. the circle/letter stand-ins for 〇).
CN_NUM_CHARS = "〇零○Ｏ一二三四五六七八九十百千两"
# A number as notices write it: Arabic digits or a run of Chinese numeral characters.
NUM = rf"(?:\d{{1,6}}|[{CN_NUM_CHARS}]{{1,8}})"

# Year digits written one by one: 二〇二〇 / 二零二零 / 二○二○.
_YEAR_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")}
_YEAR_DIGITS.update({"零": "0", "○": "0", "Ｏ": "0", "O": "0", "0": "0"})  # "二0二三": a digit among them


def normalize(text: str) -> str:
    """Fold full-width forms (，：（）０-９＠) to ASCII without changing string length.

    Length is kept so that spans found in the normalized text can be cut from the
    raw text when a value must be returned "as written".
    """
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out).replace("\u3000", " ").replace("\xa0", " ")


# A date written with dots, slashes or hyphens: "2023.9.21", "2023/09/21", "2024-3-18".
# A hyphen that joins two dates is a range ("2024.3.25-5.24", "2024.3.25-2024.5.24"), no part of either date.
_RANGE_DASH_AFTER = r"(?!-(?!\s*(?:(?:19|20)\d{2}\s*[./]\s*)?(?:1[0-2]|0?[1-9])\s*[./]\s*(?:3[01]|[12]\d|0?[1-9])(?!\d)))"
DOTTED_DATE = re.compile(
    r"(?:(?<![\d./\-])|(?<=\d-)(?=(?:19|20)\d{2}\s*[./]))((?:19|20)\d{2})\s*([./\-])\s*(1[0-2]|0?[1-9])\s*\2\s*(3[01]|[12]\d|0?[1-9])"
    rf"(?![\d/%]|\.\d){_RANGE_DASH_AFTER}(?P<dot>\.)?"  # a dot after the day: "2023.5.8.—6.30."
)


def fold_dotted_dates(text: str) -> str:
    """Rewrite "2023.9.21" as "2023年9月21日" so the sentence patterns read it (changes the length:
    use only on text whose spans are not cut from the raw notice)."""
    return DOTTED_DATE.sub(lambda m: f"{m[1]}年{int(m[3])}月{int(m[4])}日", text)


def cn_int(span: str | None) -> int | None:
    """``'五十二'`` / ``'52'`` / ``'十三'`` → int; None when the span is not a number."""
    if span is None:
        return None
    span = span.strip().strip('“”"')
    if not span:
        return None
    if span.isdigit():
        return int(span)
    try:
        value = cn2an.cn2an(span, "smart")
    except (ValueError, KeyError):
        return None
    return int(value)


def year_int(span: str | None) -> int | None:
    """Years are read digit by digit (二〇二三 → 2023), not as a quantity."""
    if span is None:
        return None
    if span.isdigit():
        return int(span)
    digits = "".join(_YEAR_DIGITS.get(c, "") for c in span)
    return int(digits) if len(digits) == 4 else None


@dataclass
class PartialDate:
    """A date as written: the year (and for range ends, the month) may be left out."""

    year: int | None
    month: int | None
    day: int

    def with_year(self, year: int) -> dt.date | None:
        if self.month is None:
            return None
        try:
            return dt.date(year, self.month, self.day)
        except ValueError:
            return None


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def safe_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_sequence(
    parts: list[PartialDate | None], not_after: dt.date | None = None
) -> list[dt.date | None]:
    """Fill left-out years so that the dates run forward in time.

    Dates in the opening sentence are in chronological order (start, end, feedback).
    A missing year takes the previous date's year, bumped by one when the month/day
    would otherwise go backwards (11月30日 → 1月12日 is the next January).  Dates before
    the first written year are filled backwards the same way.  Without any written
    year, the last date is put in the latest year not after ``not_after`` (the signature or
    publication date: a notice reports on an inspection already fed back).
    """
    result: list[dt.date | None] = [None] * len(parts)
    known = [i for i, p in enumerate(parts) if p is not None and p.year is not None]
    if not known:
        last = max((i for i, p in enumerate(parts) if p is not None), default=None)
        if last is None or not_after is None:
            return result
        known = [last]
        anchor_year = not_after.year
        cand = parts[last].with_year(anchor_year)  # type: ignore[union-attr]
        if cand is not None and cand > not_after:
            anchor_year -= 1
    else:
        anchor_year = parts[known[0]].year  # type: ignore[union-attr]
    first = known[0]
    result[first] = parts[first].with_year(anchor_year)  # type: ignore[union-attr]
    _fill_forward(parts, result, first)
    _fill_backward(parts, result, first)
    return result


def _month_of(parts: list[PartialDate | None], i: int, prev: dt.date | None) -> PartialDate | None:
    """A range end written as ``28日`` borrows the month of the date before it."""
    part = parts[i]
    if part is None:
        return None
    if part.month is None and prev is not None:
        return PartialDate(part.year, prev.month, part.day)
    return part


def _fill_forward(parts: list[PartialDate | None], result: list[dt.date | None], start: int) -> None:
    prev = result[start]
    for i in range(start + 1, len(parts)):
        part = _month_of(parts, i, prev)
        if part is None:
            continue
        if part.year is not None:
            result[i] = part.with_year(part.year)
        elif prev is not None:
            cand = part.with_year(prev.year)
            if cand is not None and cand < prev:
                cand = part.with_year(prev.year + 1)
            result[i] = cand
        if result[i] is not None:
            prev = result[i]


def _fill_backward(parts: list[PartialDate | None], result: list[dt.date | None], start: int) -> None:
    nxt = result[start]
    for i in range(start - 1, -1, -1):
        part = parts[i]
        if part is None or part.month is None:
            continue
        if part.year is not None:
            result[i] = part.with_year(part.year)
        elif nxt is not None:
            cand = part.with_year(nxt.year)
            if cand is not None and cand > nxt:
                cand = part.with_year(nxt.year - 1)
            result[i] = cand
        if result[i] is not None:
            nxt = result[i]


_PCT = re.compile(r"(\d+(?:\.\d+)?)\s*%")


def percent(span: str) -> float | None:
    """``'73.3%'`` → 73.3."""
    m = _PCT.search(span)
    return float(m.group(1)) if m else None
