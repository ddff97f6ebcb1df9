"""Section outline of a rectification notice: 一、 / （一） / 1. / （1） / 一是 as a flat list with parent links.

Design choices (the notices are official documents following GB/T 9704 numbering, loosely):

* ``level`` names the marker *family*, not the depth: 1 = 一、, 2 = （一）, 3 = 1. 1、 １．, 4 = （1）,
  5 = enumeration (一是/二是, 第一，/第二，, 首先/其次/再次/最后).  Filtering "all 一是 items" is then
  ``level == 5`` wherever they sit.  Depth is ``path.count(".") + 1``.
* Nesting follows the document, not a fixed rank: a marker whose family is already open and whose number
  continues it (n == open.number + 1) closes back to that sibling; a "1"/"一" of a family that is not open
  starts a list under the innermost open section.  So 一是 sits under whatever is open (the "enumeration
  level below the current one"), and the （1）…（7） run inline inside an 一是 paragraph (ln26) nests under
  it instead of being hoisted next to it as a fixed-rank parser would do.  Exception: 一、 always starts
  at the root.
* False positives are cut by context and sequence: 一、 only at a line start; （一） 1. （1） at a line
  start or right after 。；：!? ; enumerations also after a comma (that is a clause start, "统一是" is
  not); "1.5亿元", "2020.1.5" never match; a number other than 1 must continue an open sibling or the
  family's previous item (js01 numbers 1.–47. straight through its （一）…（十五）).  One leniency: a line
  starting 二是 is taken even when 一是 is missing (ln26 has such a slip).
* ``heading``: the first line of the section's text, cut at the first 。；!? (so a heading on its own line
  is the whole line, a run-in heading is its first sentence).
* Lists started mid-line (after 。 or ，) close at the end of their line: the next unnumbered paragraph
  belongs to the section that was open before them.  A list started at a line start stays open until
  the next marker, even when later items ("。二是") sit mid-line.
* ``text`` is the section's own text after the marker, heading included, children excluded, so the
  preamble plus every marker and text covers the document.  Text before the first section is no section.
* ``path`` is the chain of 1-based sibling positions ("2.1.3"), unique even when numbering restarts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an


@dataclass(frozen=True, slots=True)
class Section:
    level: int
    number: int
    marker: str
    heading: str
    text: str
    parent: int | None
    path: str


ENUM_LEVEL = 5

_CN = "〇零一二三四五六七八九十百两"
_DG = "0-9０-９"
_MARKER = re.compile(
    rf"(?P<paren_cn>[（(](?P<n_paren_cn>[{_CN}]{{1,4}})[）)])"
    rf"|(?P<paren_num>[（(](?P<n_paren_num>[{_DG}]{{1,3}})[）)])"
    rf"|(?P<ord>第(?P<n_ord>[{_CN}]{{1,3}})[，,：:])"
    # 一、 but not "一、二级": a second numeral+、 right after means a list of numerals, not a heading
    rf"|(?P<cn>(?P<n_cn>[{_CN}]{{1,3}})[、．.](?![{_CN}]{{1,3}}[、．.]))"
    rf"|(?P<shi>(?P<n_shi>[{_CN}]{{1,3}})是(?!否))"
    rf"|(?P<seq>首先|其次|再次|最后)[，,]"
    # 1. 1、 １． but not 1.5 / 2020.1.5 / the tail of a longer number
    rf"|(?P<num>(?<![{_DG}.．])(?P<n_num>[{_DG}]{{1,3}})[.．、](?![{_DG}]))"
)
_LEVEL = {"cn": 1, "paren_cn": 2, "num": 3, "paren_num": 4, "shi": ENUM_LEVEL, "ord": ENUM_LEVEL, "seq": ENUM_LEVEL}
_SEQ = {"首先": 1, "其次": 2, "再次": 3}  # 最后 = previous + 1

_LINE, _CLAUSE, _COMMA, _MID = range(4)
_ALLOWED = {
    "cn": {_LINE},
    "paren_cn": {_LINE, _CLAUSE},
    "num": {_LINE, _CLAUSE},
    "paren_num": {_LINE, _CLAUSE},
    "shi": {_LINE, _CLAUSE, _COMMA},
    "ord": {_LINE, _CLAUSE, _COMMA},
    "seq": {_LINE, _CLAUSE, _COMMA},
}
_SPACE = " \t\u3000\xa0"
_HEAD_END = re.compile(r"[。；;！？!?]")


@lru_cache(maxsize=256)
def _to_int(numeral: str) -> int | None:
    if numeral.isdigit():  # also full-width digits
        return int(numeral)
    try:
        return int(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError):
        return None


def _context(text: str, pos: int) -> int:
    i = pos - 1
    while i >= 0 and text[i] in _SPACE:
        i -= 1
    if i < 0 or text[i] == "\n":
        return _LINE
    if text[i] in "。；;：:！？!?":
        return _CLAUSE
    return _COMMA if text[i] in "，," else _MID


@dataclass(slots=True)
class _Open:
    idx: int
    family: str
    number: int
    line_end: int | None  # set for sections that started mid-line: they close at this newline


def _place(stack: list[_Open], family: str, number: int | None, line_start: bool, last: int | None) -> int | None:
    """How many open sections to keep as ancestors of the new one, or None to reject the candidate.

    ``last`` is the number of the family's previous section anywhere: many notices number their 1. items
    straight through all the （一） parts (js01: 1.–47.), so a closed run may continue under a new parent.
    """
    same = [i for i in range(len(stack) - 1, -1, -1) if stack[i].family == family]
    for i in same:
        if number is None or stack[i].number + 1 == number:  # number None: 最后 continues any run
            return i
    if family == "shi" and line_start:  # a line opening with 二是 is a section even if 一是 was dropped (ln26)
        return same[0] if same else len(stack)
    if number != 1:
        return len(stack) if number is not None and last is not None and number == last + 1 else None
    if family == "cn":
        return 0
    if line_start and same:  # a new run of a family already open at this depth: restart beside it
        return same[0]
    return len(stack)


def outline(text: str) -> list[Section]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows: list[dict] = []
    spans: list[list[str]] = []
    stack: list[_Open] = []
    children: dict[int | None, int] = {}
    last_number: dict[str, int] = {}
    owner: int | None = None
    pos = 0

    def move(to: int, new_owner: int | None, resume: int) -> None:
        """Give text[pos:to] to the current owner; text from ``resume`` on belongs to ``new_owner``."""
        nonlocal owner, pos
        if owner is not None:
            spans[owner].append(text[pos:to])
        owner, pos = new_owner, resume

    def close_inline(before: int) -> None:
        while stack and stack[-1].line_end is not None and stack[-1].line_end < before:
            closed = stack.pop()
            move(closed.line_end, stack[-1].idx if stack else None, closed.line_end)

    for m in _MARKER.finditer(text):
        start = m.start()
        close_inline(start)
        family = _family(m)
        ctx = _context(text, start)
        if ctx not in _ALLOWED[family]:
            continue
        if family == "seq":
            number = _SEQ.get(m.group("seq"))
        else:
            number = _to_int(m.group(f"n_{family}"))
            if number is None:
                continue
        keep = _place(stack, family, number, ctx == _LINE, last_number.get(family))
        if keep is None:
            continue
        if number is None:  # 最后: one after the run it closes
            number = stack[keep].number + 1
        sibling = stack[keep] if keep < len(stack) and stack[keep].family == family else None
        # an item is "inline" (closes at its line end) like the run it continues: 一是 at a line start
        # followed by "。二是" keeps 二是 open across paragraphs, as 一是 was
        inline = sibling.line_end is not None if sibling else ctx != _LINE
        del stack[keep:]
        last_number[family] = number
        parent = stack[-1].idx if stack else None
        children[parent] = children.get(parent, 0) + 1
        prefix = rows[parent]["path"] + "." if parent is not None else ""
        idx = len(rows)
        rows.append({
            "level": _LEVEL[family], "number": number, "marker": m.group(0),
            "parent": parent, "path": f"{prefix}{children[parent]}",
        })
        spans.append([])
        line_end = None
        if inline:
            nl = text.find("\n", start)
            line_end = nl if nl != -1 else len(text)
        stack.append(_Open(idx, family, number, line_end))
        move(start, idx, m.end())
    close_inline(len(text) + 1)
    move(len(text), None, len(text))

    out = []
    for row, parts in zip(rows, spans, strict=True):
        own = "\n".join(ln.strip(_SPACE) for ln in "\n".join(parts).split("\n") if ln.strip(_SPACE))
        out.append(Section(heading=_heading(own), text=own, **row))
    return out


def _family(m: re.Match[str]) -> str:
    return next(k for k in _LEVEL if m.group(k) is not None)


def _heading(own: str) -> str:
    first = own.split("\n", 1)[0]
    return _HEAD_END.split(first, 1)[0].strip(_SPACE + "，,：:")


def outline_to_tree(sections: list[Section]) -> list[dict]:
    """Nested dicts for JSON: heading, marker, number, level, path, text, children."""
    nodes = [
        {"heading": s.heading, "marker": s.marker, "number": s.number, "level": s.level,
         "path": s.path, "text": s.text, "children": []}
        for s in sections
    ]
    roots: list[dict] = []
    for s, node in zip(sections, nodes, strict=True):
        (roots if s.parent is None else nodes[s.parent]["children"]).append(node)
    return roots
