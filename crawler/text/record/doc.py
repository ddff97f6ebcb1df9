"""The notice as the record readers see it: the text as parsed, a reading form of it, and citations.

Readers match their patterns on the *reading form* (`Doc.read`): full-width forms folded to ASCII,
traditional characters converted to simplified (OpenCC), dotted dates written out (2023.9.21 →
2023年9月21日) and dates whose 年/月 were lost in copying restored where only one reading exists
(2023612日 → 2023年6月12日). Every character of the reading form knows the character of the text it came
from, so a value is cited by its offsets in the text as parsed (`Doc.raw`), never by a copy of it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
import unicodedata
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from crawler.text.cndates import DOTTED_DATE
from crawler.text.record.common import MONTH

# A date whose 年 and 月 were lost in copying: "2023612日" (2023-06-12), and a later date of the same
# sentence that lost its 月: "至85日" (8-05). Only read where one split of the digits is a valid date.
# The most characters a portal's menu item has ("成都", "攀枝花", "|"): such lines are skipped in a page's head.
MENU_ITEM = 4
DAMAGED_DATE = re.compile(r"(?<![\d.\-/年月])((?:19|20)\d{2})年?(\d{2,4})(?=[日号])")
DAMAGED_LATER = re.compile(r"(?<![\d.年月/-])(\d{2,4})(?=[日号])")


@dataclass
class Cite:
    """Where a value was read: offsets in the text as parsed, or the page around it (HTML metadata)."""

    text: str
    start: int | None
    end: int | None

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text, "start": self.start, "end": self.end}
        if self.start is None:
            out["from"] = "page"  # the page's title element or date metadata, not its text
        return out


@dataclass
class Doc:
    """The text as parsed (`raw`), its reading form (`read`, with `origin[i]` = the raw index of
    `read[i]`), its non-empty lines as (start, end) offsets in `read`, and the citations made so far."""

    raw: str
    read: str
    origin: Sequence[int]  # a range when nothing moved, else a compact array: 8 bytes a character
    lines: list[tuple[int, int]] = field(default_factory=list)
    cites: dict[str, Cite] = field(default_factory=dict)
    title_at: tuple[int, int] | None = None  # the title's offsets in `read`, when the text prints it

    @classmethod
    def of(cls, text: str) -> Doc:
        read, origin = reading_form(text)
        doc = cls(text, read, origin)
        pos = 0
        for line in read.split("\n"):
            if line.strip():
                doc.lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        return doc

    # The readers' older name for the reading form.
    @property
    def norm(self) -> str:
        return self.read

    def line(self, i: int) -> str:
        start, end = self.lines[i]
        return self.read[start:end].strip()

    def head(self, limit: int, stop: int | None = None) -> list[int]:
        """The first `limit` lines (before line `stop`) that say something: a portal's menu of one-word links
        ("成都" / "|" / "绵阳" …) does not use up the window where a page's header and opening are looked for."""
        out = []
        for i in range(len(self.lines) if stop is None else min(stop, len(self.lines))):
            if len(self.line(i)) > MENU_ITEM:
                out.append(i)
                if len(out) == limit:
                    break
        return out

    def line_at(self, pos: int) -> int:
        """The index of the line that offset `pos` of `read` is in."""
        return bisect.bisect_right([start for start, _ in self.lines], pos) - 1

    def line_span(self, i: int) -> tuple[int, int]:
        """Offsets in `read` of line i without its surrounding spaces."""
        start, end = self.lines[i]
        text = self.read[start:end]
        return start + len(text) - len(text.lstrip()), end - (len(text) - len(text.rstrip()))

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in `raw` of the reading form's [start, end)."""
        if end <= start:
            return self.origin[start] if start < len(self.origin) else len(self.raw), self.origin[start] if start < len(self.origin) else len(self.raw)
        return self.origin[start], self.origin[end - 1] + 1

    def raw_text(self, start: int, end: int) -> str:
        a, b = self.raw_span(start, end)
        return self.raw[a:b]

    def raw_line(self, i: int) -> str:
        return self.raw_text(*self.line_span(i))

    def cite(self, name: str, start: int, end: int) -> None:
        """Record that `name` was read from read[start:end] (the first citation of a field stands)."""
        if name not in self.cites and end > start:
            a, b = self.raw_span(start, end)
            self.cites[name] = Cite(self.raw[a:b], a, b)

    def cite_page(self, name: str, value: str) -> None:
        """A value given by the page (title element, date metadata): cited in the text where it stands."""
        at = self.raw.find(value)
        self.cites.setdefault(name, Cite(value, at, at + len(value)) if at >= 0 else Cite(value, None, None))

    def evidence(self, fields: dict[str, object]) -> dict[str, dict[str, object]]:
        """Citations of the fields that have a value."""
        return {k: c.as_dict() for k, c in self.cites.items() if fields.get(k) not in (None, [])}


@dataclass
class Span:
    """A stretch of the reading form that readers search (a paragraph, a title over two lines), with the
    offset in `read` of each of its characters, so that a match in it can be cited."""

    doc: Doc
    text: str
    at: Sequence[int] | None  # None: not in the text (a title given by the page's title element)

    @classmethod
    def of(cls, doc: Doc, *ranges: tuple[int, int]) -> Span:
        """The reading form's ranges joined, line breaks between them left out."""
        at = [i for a, b in ranges for i in range(a, b) if doc.read[i] != "\n"]
        return cls(doc, "".join(doc.read[i] for i in at), at)

    @classmethod
    def whole(cls, doc: Doc) -> Span:
        return cls(doc, doc.read, range(len(doc.read)))

    def cite(self, name: str, start: int, end: int) -> None:
        if end <= start:
            return
        if self.at is None:
            self.doc.cite_page(name, self.text[start:end])
        else:
            self.doc.cite(name, self.at[start], self.at[end - 1] + 1)

    def cite_match(self, name: str, m: re.Match[str] | None, group: int | str = 0) -> None:
        if m is not None and m.start(group) >= 0:
            self.cite(name, m.start(group), m.end(group))


# --------------------------------------------------------------------------
# the reading form


Step = Callable[[str], tuple[str, Sequence[int]]]


def reading_form(text: str) -> tuple[str, Sequence[int]]:
    """The text as the patterns read it, and for each of its characters the index in `text`. A step that
    moves nothing returns a range, which costs no memory; maps are composed into compact arrays (a list
    of ints would take 36 bytes a character: a large input's reading form used to be most of its parse's
    memory)."""
    read: str = text
    origin: Sequence[int] = range(len(text))
    for step in (_html_entities, _hard_wraps, _fold_width, _spaced_labels, _bracket_labels, _labels_alone,
                 _table_labels, _label_colons, _spaced_ordinals, _simplified, _pinyin_glosses, _weekdays,
                 _page_numbers, _pictures, _folds,
                 _spaced_characters, _broken_lines, _spaced_numbers, _first_month, _same_month, _dotted_dates, _lost_years,
                 _lost_days, _damaged_dates):
        read, inner = step(read)
        if inner != range(len(read)):
            origin = inner if isinstance(origin, range) and origin == range(len(origin)) else array("q", (origin[i] for i in inner))
    return read, origin


# A line break a PDF's or a document's fixed line width put inside a paragraph, with the page number printed
# between two pages ("…省委第七巡⏎视组对…", "…安全生产隐⏎— 1 —⏎患1327处").
WRAP_BREAK = re.compile(r"\n(?:[ \t]*[—－-]{1,2}[ \t]*\d{1,3}[ \t]*[—－-]{1,2}[ \t]*\n)?")
# Where a new paragraph starts after a full line: an indent, an outline's heading.
PARAGRAPH_START = re.compile(r"[ \t\u3000]|[一二三四五六七八九十]{1,3}[、.．]|[(（][一二三四五六七八九十\d]{1,3}[)）]")


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "FW" else 1 for ch in line)


def _hard_wraps(text: str) -> tuple[str, Sequence[int]]:
    """Paragraphs a fixed line width broke into lines (a document copied from its PDF: 28 characters a line,
    a half-width digit half a place) read as one line each. A text is taken as wrapped when most of its long
    lines fill one display width; a full line is joined to the next unless that one starts a paragraph.
    (A forum's copy wrapped at no fixed width is not read so.)"""
    if text.count("\n") < 8 or len(text) > 100_000:
        return text, range(len(text))
    lengths = sorted(n for line in text.split("\n") if (n := len(line)) >= 10)
    if len(lengths) < 6 or lengths[len(lengths) // 2] > 60:  # a page's paragraphs are long lines: no wraps
        return text, range(len(text))
    widths = {}
    pos = 0
    for line in text.split("\n"):
        widths[pos + len(line)] = _width(line)  # keyed by the offset of the line's break
        pos += len(line) + 1
    long = [w for w in widths.values() if w >= 30]
    if len(long) < 6:
        return text, range(len(text))
    # the line width: the widest that three lines or more fill (to a character; a first line lost its indent)
    full = max((w for w in set(long) if sum(w - 2 <= v <= w for v in long) >= 3), default=0)
    filled = [w for w in long if full - 6 <= w <= full + 2]
    if full < 40 or len(filled) < 6 or len(filled) < 0.5 * len(long):
        return text, range(len(text))

    def repl(m: re.Match[str]) -> str | None:
        # a paragraph's first line may have lost its indent (two full-width spaces) to the page's cleaning; a
        # line ending a sentence is left as it is (a paragraph may end there, and no reader needs it joined)
        nxt = text[m.end() : m.end() + 4]
        if (not full - 6 <= widths.get(m.start(), 0) <= full + 2 or not nxt.strip() or PARAGRAPH_START.match(nxt)
                or text[m.start() - 1 : m.start()] in "。；;！!？?"):
            return None
        return ""

    return _substitute(WRAP_BREAK, text, repl)


def _fold_width(text: str) -> tuple[str, Sequence[int]]:
    """Full-width forms to ASCII (，：（）０-９＠), ideographic and no-break spaces to spaces. One table over
    the distinct characters, so no per-character objects are made for a large text."""
    table = {ord(ch): folded for ch in set(text)
             if len(folded := unicodedata.normalize("NFKC", ch)) == 1 and folded != ch}
    return text.translate(table).replace("\u3000", " ").replace("\xa0", " "), range(len(text))


@cache
def _converter():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


TRADITIONAL_HINT = re.compile("[們這來為與於發時間關視處總書會號當們經過團區縣鄉鎮黨從對將實際問題構內應]")


def _simplified(text: str) -> tuple[str, Sequence[int]]:
    """Traditional characters read as simplified (OpenCC t2s), character by character where the
    conversion would change the length, so every character keeps its origin."""
    if not TRADITIONAL_HINT.search(text):
        return text, range(len(text))
    converted = _converter().convert(text)
    if len(converted) != len(text):
        converted = "".join(c if len(c := _converter().convert(ch)) == 1 else ch for ch in text)
    return converted, range(len(text))


# A pinyin gloss after a character, as some re-posting sites print them: "衛(wèi)健委", "環(huán)境".
PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,8}\)")


# A form's labels as pages print them, read as "label:value" on one line: spaced ("巡 察 时 间：…"), in brackets
# ("【巡察组】县委第四巡察组"), with the value on the next line ("反馈时间：⏎2024年5月9日").
SPACED_LABEL = re.compile(r"(?m)^[ \t]*(?:[\u4e00-\u9fff][ \t]+){1,6}[\u4e00-\u9fff](?=[ \t]*[:：])")
BRACKET_LABEL = re.compile(r"(?m)^[ \t]*【(?P<label>[\u4e00-\u9fff]{2,8})】")
LABEL_ALONE = re.compile(r"(?m)^[ \t]*[\u4e00-\u9fff]{2,8}[ \t]*[:：][ \t]*\n(?=[ \t]*\S)")
# A form printed as a table of two columns, a label and its value apart with no colon ("巡察时间　　2022年5月9日至7月8日",
# one space once whitespace is collapsed): labels of the inspection's facts with a date, a count or a committee after
# them, as other lines (a signature and its date) are set out the same way.
TABLE_LABEL = re.compile(r"(?m)^(?P<label>[ \t]*(?:被?巡[视察]|反馈|整改|进驻|撤离)[\u4e00-\u9fff]{0,7})[ \t\u3000]+"
                         r"(?=[\d一二三四五六七八九十〇零]|中央|[省市县区旗州盟]委|第)")
# (and spaces around its colon: "反馈时间 : 2026年3月5日")
LABEL_COLON = re.compile(r"(?m)^(?P<label>[ \t]*[\u4e00-\u9fff]{2,8})(?:[ \t]+[:：][ \t]*|[:：][ \t]+)(?=\S)")


def _spaced_labels(text: str) -> tuple[str, Sequence[int]]:
    """ "巡 察 时 间:" read as "巡察时间:"."""
    return _substitute(SPACED_LABEL, text, lambda m: [(ch, i) for i, ch in enumerate(m.group(0)) if not ch.isspace()])


def _bracket_labels(text: str) -> tuple[str, Sequence[int]]:
    """ "【巡察组】县委第四巡察组" read as "巡察组:县委第四巡察组" (the colon stands for the closing bracket)."""
    if "【" not in text:
        return text, range(len(text))
    return _substitute(BRACKET_LABEL, text, lambda m: [(m["label"], m.start("label") - m.start()),
                                                       (":", m.end() - m.start() - 1)])


def _labels_alone(text: str) -> tuple[str, Sequence[int]]:
    """A label alone on its line read with the value on the next: "反馈时间:⏎2024年5月9日"."""
    return _substitute(LABEL_ALONE, text, lambda m: [(m.group(0).rstrip("\n"), 0)])


def _table_labels(text: str) -> tuple[str, Sequence[int]]:
    """ "巡察时间　　2022年5月9日至7月8日" in a table without colons read as "巡察时间:2022年5月9日至7月8日"."""
    return _substitute(TABLE_LABEL, text, lambda m: [(m["label"], 0), (":", len(m["label"]))])


def _label_colons(text: str) -> tuple[str, Sequence[int]]:
    """ "反馈时间 : 2026年3月5日" read without the spaces around the colon (full-width colons are folded)."""
    return _substitute(LABEL_COLON, text, lambda m: [(m["label"], 0), (":", m.group(0).index(":"))])


# Spaces inside a term's or a round's numerals: "十 四 届县委第 三 轮".
SPACED_ORDINAL = re.compile(r"(?<=[第一二三四五六七八九十])[ \t]+(?=[一二三四五六七八九十届轮])")


def _spaced_ordinals(text: str) -> tuple[str, Sequence[int]]:
    """A term's or a round's numerals read without the spaces set between them."""
    if "届" not in text and "轮" not in text:
        return text, range(len(text))
    return _substitute(SPACED_ORDINAL, text, lambda m: "")


# A weekday after a date, in brackets or not: "2024年4月8日(星期一)至5月31日(星期五)", "7月5日 周五".
WEEKDAY = re.compile(r"(?<=[日号])[ \t]*(?:\([ \t]*(?:星期|周|礼拜)[一二三四五六日天][ \t]*\)|(?:星期|礼拜)[一二三四五六日天])")


def _weekdays(text: str) -> tuple[str, Sequence[int]]:
    """A weekday after a date is read as absent, so the period's two dates stand side by side again."""
    if "星期" not in text and "周" not in text and "礼拜" not in text:
        return text, range(len(text))
    return _substitute(WEEKDAY, text, lambda m: "")


# HTML entities a copied page left in its text: "2024年4月&nbsp;2日", "&ldquo;三重一大&rdquo;", "&#8220;".
HTML_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,6}|#x[0-9A-Fa-f]{2,5});")


def _html_entities(text: str) -> tuple[str, Sequence[int]]:
    """Entities read as the characters they stand for (the standard library's table; a no-break space as a space)."""
    if "&" not in text:
        return text, range(len(text))

    def repl(m: re.Match[str]) -> list[Piece] | None:
        char = html.unescape(m.group(0)).replace("\xa0", " ")
        return None if char == m.group(0) else [(char, 0)]

    return _substitute(HTML_ENTITY, text, repl)


# A line broken inside a date or a count, as fixed-width copies wrap them: "2024年3月⏎11日", "2024年6⏎月5日",
# "3个方面⏎19个", "已完成整改⏎16个" (not a new paragraph: "二、整改情况⏎21个问题…" starts after a heading).
BROKEN_LINE = re.compile(
    r"\n[ \t]*(?:(?P<date>(?=\d{1,4}\s*[月日号]|[月日号](?![\u4e00-\u9fff]{0,1}[、.])))"
    r"|(?P<count>(?=\d{1,4}\s*[个项条件](?![、.]))))"
)
# What the line before such a break ends in: 年 or 月, or a month's or day's digits after a word ("年6", "月11",
# "至5"), before a date's rest (not "阅读 8635" before "日前,…"); any character before a count.
BEFORE_DATE_REST = re.compile(r"(?:[年月]|[\u4e00-\u9fff]\d{1,2})[ \t]*$")
BEFORE_COUNT = re.compile(r"[\u4e00-\u9fff\d年月][ \t]*$")
OUTLINE_START = re.compile(r"(?:^|\n)\s*(?:[一二三四五六七八九十]{1,3}[、.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.])[^\n]*$")
SENTENCE_MARK = re.compile(r"[。；;！!？?：:]\s*$")


# A PDF's page number printed between two lines of text, or last: "— 1 —", "- 2 -".
PAGE_NUMBER_LINE = re.compile(r"\n[ \t]*[—－-]{1,2}[ \t]*\d{1,3}[ \t]*[—－-]{1,2}[ \t]*(?=\n|$)")


# A picture's place and caption inside a WeChat or news-app article: "[图片]", "▲巡察反馈会现场" (not "▲一、…").
PICTURE_LINE = re.compile(
    r"(?m)^[ \t]*(?:\[(?:图片|图|视频)\]|【图片】|[▲△](?![ \t]*(?:[一二三四五六七八九十]+[、.]|[(（]))[^\n。]{1,60})[ \t]*\n"
)


def _pictures(text: str) -> tuple[str, Sequence[int]]:
    """A picture's line and its caption are read as absent, so the paragraphs around them meet."""
    if "图" not in text and "▲" not in text and "△" not in text:
        return text, range(len(text))
    return _substitute(PICTURE_LINE, text, lambda m: "")


def _page_numbers(text: str) -> tuple[str, Sequence[int]]:
    """A PDF's page number between two lines is read as absent."""
    return _substitute(PAGE_NUMBER_LINE, text, lambda m: "")


# A page's fold in mid-text ("展开全文∨"): dropped, and the sentence it cut is joined again.
FOLD_WORDS = ("展开全文", "阅读全文", "查看全文")
FOLD_MARK = re.compile(r"\n[ \t]*(?:点击)?(?:展开全文|阅读全文|查看全文)[∨⌄>›]*[ \t]*\n")


def _folds(text: str) -> tuple[str, Sequence[int]]:
    if not any(word in text for word in FOLD_WORDS):
        return text, range(len(text))
    return _substitute(FOLD_MARK, text, lambda m: "\n" if SENTENCE_MARK.search(m.string[max(0, m.start() - 2) : m.start()])
                       else "")


# A PDF's text with a space after every character: "根 据 县 委 统 一 部 署 ， 2 0 2 4 年".
SPACED_LINE = re.compile(r"(?m)^[ \t]*(?:\S[ \t]){12,}[^\n]*$")


def _spaced_characters(text: str) -> tuple[str, Sequence[int]]:
    """A line whose characters are set apart by single spaces is read without them."""
    def repl(m: re.Match[str]) -> list[Piece] | None:
        line = m.group(0)
        keep = [(ch, k) for k, ch in enumerate(line)
                if not (ch == " " and 0 < k < len(line) - 1 and line[k - 1] != " " and line[k + 1] != " ")]
        return keep if len(keep) < len(line) * 0.7 else None

    return _substitute(SPACED_LINE, text, repl)


def _broken_lines(text: str) -> tuple[str, Sequence[int]]:
    """A line break inside a date or a count is read as absent (a heading's or a sentence's end stays)."""
    def repl(m: re.Match[str]) -> str | None:
        before = m.string[max(0, m.start() - 200) : m.start()]
        last = before[before.rfind("\n") + 1 :]
        ends_right = (BEFORE_DATE_REST if m["date"] is not None else BEFORE_COUNT).search(last)
        if not ends_right or SENTENCE_MARK.search(last) or OUTLINE_START.search("\n" + last) or len(last.strip()) < 2:
            return None
        return ""

    return _substitute(BROKEN_LINE, text, repl)


# A number set off by spaces inside Chinese text, as some editors print them: "共 28 个问题", "截至 2024 年".
SPACED_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff]) (\d+(?:\.\d+)?) (?=[\u4e00-\u9fff%])")


def _spaced_numbers(text: str) -> tuple[str, Sequence[int]]:
    """Numbers read without the spaces around them."""
    return _substitute(SPACED_NUMBER, text, lambda m: [(m[1], 1)])


# January written 元月, as official texts often do: "2024年元月12日" (only where a day follows).
FIRST_MONTH = re.compile(r"元月(?=\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])")


def _first_month(text: str) -> tuple[str, Sequence[int]]:
    """元月 read as 一月 (two characters for two: every character keeps its origin)."""
    if "元月" not in text:
        return text, range(len(text))
    return _substitute(FIRST_MONTH, text, lambda m: "一月")


# A day in the month of the date before it: "2020年5月11日至6月5日,…,同月24日向局党委反馈" (the 24th of June).
SAME_MONTH = re.compile(r"(?:同|当|本)月(?=\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])")
MONTH_BEFORE = re.compile(rf"({MONTH})月(?=\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*[日号])")


def _same_month(text: str) -> tuple[str, Sequence[int]]:
    """同月 read as the month of the last date before it in its paragraph (both characters stand for it)."""
    if "同月" not in text and "当月" not in text and "本月" not in text:
        return text, range(len(text))

    def month(m: re.Match[str]) -> list[Piece] | None:
        before = [b[1] for b in MONTH_BEFORE.finditer(text, text.rfind("\n", 0, m.start()) + 1, m.start())]
        return [(before[-1], 0), ("月", 1)] if before else None

    return _substitute(SAME_MONTH, text, month)


def _pinyin_glosses(text: str) -> tuple[str, Sequence[int]]:
    """Pinyin glosses are read as if absent (the characters they gloss are the text)."""
    return _substitute(PINYIN_GLOSS, text, lambda m: "")


Piece = tuple[str, int]  # replacement text, and the index (in the matched text) it stands for


def _substitute(pattern: re.Pattern[str], text: str,
                repl: Callable[[re.Match[str]], str | list[Piece] | None]) -> tuple[str, Sequence[int]]:
    """re.sub that keeps the origin of every character. `repl` returns the replacement (its characters
    spread over the ones they replace), pieces that each name the character they stand for, or None to
    leave the match as it is."""
    out: list[str] = []
    origin = array("q")
    pos = 0
    for m in pattern.finditer(text):
        new = repl(m)
        if new is None:
            continue
        out.append(text[pos : m.start()])
        origin.extend(range(pos, m.start()))
        width = m.end() - m.start()
        if isinstance(new, str):
            new = [(ch, min(k * width // max(1, len(new)), width - 1)) for k, ch in enumerate(new)]
        for piece, at in new:  # a piece's characters stand for the characters from `at` on
            out.append(piece)
            origin.extend(m.start() + min(at + k, width - 1) for k in range(len(piece)))
        pos = m.end()
    if not out:  # nothing replaced: the identity, free
        return text, range(len(text))
    out.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return "".join(out), origin


def _digits(m: re.Match[str], group: int, value: int) -> list[Piece]:
    """A number written without its leading zeros, each digit standing for the digit it was."""
    digits, end = str(value), m.end(group) - m.start()
    return [(d, end - len(digits) + k) for k, d in enumerate(digits)]


# The end of a dotted range written without its year: "2023.9.21至11.30" (read only after a dotted date).
DOTTED_LATER = re.compile(
    r"(?<=日)(?P<sep>\s*(?:至|到|—+|-|~|～)\s*)(1[0-2]|0?[1-9])\.(3[01]|[12]\d|0?[1-9])(?!\d|\.\d)(?P<dot>\.)?"
)


def _dotted_dates(text: str) -> tuple[str, Sequence[int]]:
    """ "2023.9.21" / "2023-09-21" → "2023年9月21日" (日 stands for the last digit of the day), and the
    range's end "至11.30" → "至11月30日"."""
    def repl(m: re.Match[str]) -> list[Piece]:
        day_mark = ([] if m.string[m.end() : m.end() + 1] in ("日", "号")
                    else [("日", (m.start("dot") if m["dot"] else m.end(4) - 1) - m.start())])
        return [(m[1], 0), ("年", m.end(1) - m.start()), *_digits(m, 3, int(m[3])),
                ("月", m.end(3) - m.start()), *_digits(m, 4, int(m[4])), *day_mark]

    def later(m: re.Match[str]) -> list[Piece]:
        return [(m["sep"], 0), *_digits(m, 2, int(m[2])), ("月", m.end(2) - m.start()), *_digits(m, 3, int(m[3])),
                ("日", (m.start("dot") if m["dot"] else m.end(3) - 1) - m.start())]

    text1, origin1 = _substitute(DOTTED_DATE, text, repl)
    if text1 == text:
        return text, origin1
    text2, origin2 = _substitute(DOTTED_LATER, text1, later)
    return text2, [origin1[i] for i in origin2]


def month_day(digits: str) -> tuple[int, int] | None:
    """The one split of "612" / "1026" into a valid month and day, else None ("111" is 1-11 or 11-1)."""
    valid = set()
    for k in (1, 2):
        month, day = digits[:k], digits[k:]
        if 1 <= len(day) <= 2:
            try:
                dt.date(2000, int(month), int(day))  # a leap year: 2-29 is a date
            except ValueError:
                continue
            valid.add((int(month), int(day)))
    return valid.pop() if len(valid) == 1 else None


def _damaged_dates(text: str) -> tuple[str, Sequence[int]]:
    """Dates that lost 年 and 月: only in a text where a full one shows the loss ("2023612日"), later
    dates of it are restored too ("至85日", "于914日"): a day is never over 31."""
    def full(m: re.Match[str]) -> list[Piece] | None:
        md = month_day(m[2])
        if not md:
            return None
        split = m.end() - m.start() - len(str(md[1]))  # where the day's digits begin
        month = str(md[0])
        return [(m[1], 0), ("年", 3), (month, split - len(month)), ("月", split - 1), (str(md[1]), split)]

    def later(m: re.Match[str]) -> list[Piece] | None:
        md = month_day(m[1]) if int(m[1]) > 31 else None
        if not md:
            return None
        split = len(m[1]) - len(str(md[1]))
        return [(str(md[0]), 0), ("月", split - 1), (str(md[1]), split)]

    if not DAMAGED_DATE.search(text):
        return text, range(len(text))
    text1, origin1 = _substitute(DAMAGED_DATE, text, full)  # an ambiguous one still shows the text's loss
    text2, origin2 = _substitute(DAMAGED_LATER, text1, later)
    return text2, [origin1[i] for i in origin2]


# A date that lost only 年 before its month ("20247月25日": four digits are the year) or only 日 after its day
# ("2024年3月18至5月17日", "2024年6月20，"): one reading each.
LOST_YEAR_MARK = re.compile(r"(?<![\d.\-/])((?:19|20)\d{2})(1[0-2]|0?[1-9])(?=月)")
LOST_DAY_MARK = re.compile(r"(?<=\d)月(3[01]|[12]\d|0?[1-9])(?=\s*(?:至|到|—|–|～|~|,|，|。|;|；))")


def _lost_years(text: str) -> tuple[str, Sequence[int]]:
    """年 restored between a year and its month (it stands for the year's last digit)."""
    return _substitute(LOST_YEAR_MARK, text, lambda m: [(m[1], 0), ("年", 3), (m[2], 4)])


def _lost_days(text: str) -> tuple[str, Sequence[int]]:
    """日 restored after a day that lost it (it stands for the day's last digit)."""
    return _substitute(LOST_DAY_MARK, text, lambda m: [("月", 0), (m[1], 1), ("日", len(m[1]))])
