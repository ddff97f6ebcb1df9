"""The rectification structure as rows: each problem the notice reports on, with its measures.

A notice reports rectification in one or more parts ("二、常规巡视整改落实情况", "三、营商环境专项巡视整改落实
情况"), grouped by the feedback's aspects ("(一)……方面"). From each aspect down, the rows are the most
specific headings that *name a problem* ("关于……问题", "针对“……”问题", "着力解决……的问题", or a shortcoming:
"……不到位", "……存在差距"): a level is descended into while most of its headings name problems (or group
headings that do), so the measures listed under a problem (一是…, (1)…) are not taken for problems.
Some notices instead report item by item under each aspect ("1. 深入推进全面振兴新突破三年行动") without
naming the problem; then the items one level below the aspects are the rows, marked kind = 'item'. Unnumbered run-in paragraphs ("关于……问题。具体做法……") count as
problems of their own. Without a recognisable rectification part, only headings that name a problem count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

Section = dict[str, Any]

# 关于“学懂弄通深度不够”问题的整改 / 针对“农村人居环境整治不力”问题 / 着力解决对外开放合作水平低的问题
EXPLICIT = re.compile(r"^(?:关于|针对|着力解决|着重解决|集中解决|重点解决|切实解决)(?P<problem>.{2,200}?)(?:方面)?(?:的)?(?:有关)?"
                      r"问题(?:的?整改(?:落实)?(?:情况)?)?[。:：;；]?$")
# 针对“巡视发现，某街道…；…” — the quoted problem ran past the heading's first clause, where it was cut.
CUT_QUOTE = re.compile(r"^(?:关于|针对)(?P<problem>“[^”]{4,200})$")
# Wording of a shortcoming, as feedback states it ("推动全面振兴新突破三年行动不力", "……有差距").
DEFICIENCY = re.compile(r"不够|不足|不到位|不力|差距|薄弱|不严|不实|不扎实|不强|不高|不深入|不彻底|不规范|不明显|"
                        r"不健全|不完善|尚未|缺乏|滞后|短板|弱化|乏力|偏低|偏弱|混乱|缺位|走过场|失管|失察")
# Top-level parts that report rectification (not the leadership's own work or next steps).
PART = re.compile(r"整改(?:落实|进展|完成)|反馈意见.{0,6}整改|问题.{0,4}整改")
NOT_PART = re.compile(r"主体责任|政治责任|组织|基本情况|打算|下一步|今后|巩固|长效")
# A report on case leads and petitions handed over by the inspection team is not a feedback problem.
LEADS = re.compile(r"移交.{0,8}线索|线索.{0,4}(?:和|及|与)信访|信访件")
RUN_IN = re.compile(r"^(?P<heading>(?:关于|针对)[^。；;:：]{2,200}?问题(?:的?整改(?:落实)?(?:情况)?)?)[。:：；;]")
# "(一)在推进乡村振兴发展方面" / "关于打造信用环境还存在差距问题的整改落实情况": the aspect inside.
ASPECT_WRAPPER = re.compile(r"^(?:关于|在)?(?P<aspect>.{2,}?)(?:方面|问题)(?:的?整改(?:落实)?情况)?$")
DONE = re.compile(r"已(?:全部)?(?:完成整改|整改到位|整改完毕|整改完成|完成)|已销号|整改完成")
ONGOING = re.compile(r"持续推进|正在推进|持续整改|长期坚持|逐步解决|阶段性|尚未完成|未完成|持续落实")


def problems(sections: list[Section]) -> list[dict[str, Any]]:
    """Problem rows from the notice's section rows (crawler.parse section dicts, in reading order)."""
    tree = _Tree(sections)
    parts = [s for s in tree.roots if PART.search(s["heading"]) and not NOT_PART.search(s["heading"])]
    rows: list[dict[str, Any]] = []
    if parts:
        for part in parts:
            rows.extend(_part_rows(tree, part))
    else:
        rows.extend(_explicit_rows(tree))
    return [{**row, "ordinal": i} for i, row in enumerate(rows)]


class _Tree:
    """Parent/child lookups over the flat section rows."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        self.by_ordinal = {s["ordinal"]: s for s in sections}
        self.children: dict[int | None, list[Section]] = defaultdict(list)
        for s in sections:
            self.children[s["parent"]].append(s)
        self.roots = self.children[None]

    def descendants(self, section: Section) -> list[Section]:
        prefix = section["path"] + "."
        return [s for s in self.sections if s["path"].startswith(prefix)]

    def outline(self, section: Section) -> str:
        """The numbering from the top as printed, e.g. 二/(一)/1/(1)."""
        markers, node = [], section
        while node is not None:
            markers.append(node["marker"].strip().rstrip("、.．,，"))
            node = self.by_ordinal.get(node["parent"])
        return "/".join(reversed(markers))

    def subtree_text(self, section: Section) -> str:
        return "\n".join(p for p in [section["body"]] + [s["body"] for s in self.descendants(section)] if p)


def _explicit_name(heading: str) -> str | None:
    match = EXPLICIT.match(heading.strip()) or CUT_QUOTE.match(heading.strip())
    return _unquote(match.group("problem")) if match else None


def _names_problem(heading: str) -> bool:
    """Measures are sentences that may mention a shortcoming; a heading that states one is short."""
    return _explicit_name(heading) is not None or (len(heading) <= 40 and bool(DEFICIENCY.search(heading)))


def _part_rows(tree: _Tree, part: Section) -> list[dict[str, Any]]:
    rows = []
    for aspect in _kids(tree, part):
        found = _problem_nodes(tree, aspect)
        if found is None:  # the aspect's items name tasks, not problems
            found = [(s, "item") for s in _kids(tree, aspect)] or [(aspect, "item")]
        name = _explicit_name(aspect["heading"]) or _unquote(_strip_wrapper(aspect["heading"]))
        for s, kind in found:
            rows.extend(_with_run_ins(tree, s, kind, name))
    return [{**r, "part": _part_name(part)} for r in rows]


def _kids(tree: _Tree, section: Section) -> list[Section]:
    return [s for s in tree.children[section["ordinal"]] if not LEADS.search(s["heading"])]


def _problem_nodes(tree: _Tree, section: Section) -> list[tuple[Section, str]] | None:
    """The most specific headings at or below `section` that name problems: descend while most of a
    heading's children name problems (or group headings that do); None when none of it names one."""
    kids = _kids(tree, section)
    if kids and 2 * sum(_names_or_groups(tree, k) for k in kids) >= len(kids):
        return [pair for k in kids for pair in (_problem_nodes(tree, k) or [(k, "item")])]
    return [(section, "problem")] if _names_problem(section["heading"]) else None


def _names_or_groups(tree: _Tree, section: Section) -> bool:
    if _names_problem(section["heading"]):
        return True
    kids = _kids(tree, section)
    return bool(kids) and 2 * sum(_names_problem(k["heading"]) for k in kids) >= len(kids)


def _explicit_rows(tree: _Tree) -> list[dict[str, Any]]:
    """The most specific headings that name a problem ("关于……问题"), anywhere in the notice."""
    named = {s["ordinal"] for s in tree.sections if _explicit_name(s["heading"]) and not LEADS.search(s["heading"])}
    has_named_child = {tree.by_ordinal[o]["parent"] for o in named}
    rows = []
    for s in tree.sections:
        if s["ordinal"] not in named or s["ordinal"] in has_named_child:
            continue
        aspect, parent = None, s["parent"]
        while parent is not None:  # the outermost named heading above: the feedback's 方面
            if parent in named:
                aspect = _explicit_name(tree.by_ordinal[parent]["heading"])
            parent = tree.by_ordinal[parent]["parent"]
        rows.extend(_with_run_ins(tree, s, "problem", aspect))
    return [{**r, "part": None} for r in rows]


def _row(tree: _Tree, s: Section, kind: str, aspect: str | None) -> dict[str, Any]:
    measures = tree.subtree_text(s)
    return {"section": s["ordinal"], "path": s["path"], "marker": s["marker"], "kind": kind,
            "problem": _explicit_name(s["heading"]) or _unquote(_strip_wrapper(s["heading"])),
            "aspect": aspect, "measures": measures, "status": _status(measures)}


def _with_run_ins(tree: _Tree, s: Section, kind: str, aspect: str | None) -> list[dict[str, Any]]:
    """The section's row, and a row for each unnumbered paragraph in it that opens with a problem heading of
    its own. A heading followed directly by such paragraphs only groups them: it is no row itself."""
    lines = (s["body"] or "").split("\n")[1:]  # the first line repeats the section's own heading
    starts = [i for i, line in enumerate(lines) if RUN_IN.match(line.strip())]
    if not starts:
        rows = [_row(tree, s, kind, aspect)]
    else:
        preface = [line for line in lines[:starts[0]] if line.strip()]
        own = [{**_row(tree, s, kind, aspect), "measures": "\n".join(preface)}] if preface else []
        rows = [{**r, "status": _status(r["measures"])} for r in own] + _run_in_rows(s, lines, starts, aspect)
    return [{**r, "outline": tree.outline(s)} for r in rows]


def _run_in_rows(s: Section, lines: list[str], starts: list[int], aspect: str | None) -> list[dict[str, Any]]:
    """Each run-in problem with its text up to the next one."""
    rows = []
    for n, start in enumerate(starts):
        text = "\n".join(lines[start:starts[n + 1] if n + 1 < len(starts) else len(lines)]).strip()
        heading = RUN_IN.match(text).group("heading")
        rows.append({"section": s["ordinal"], "path": s["path"], "marker": "", "kind": "problem",
                     "problem": _explicit_name(heading) or heading, "aspect": aspect,
                     "measures": text, "status": _status(text)})
    return rows


def _part_name(part: Section) -> str:
    return part["heading"].strip().rstrip("。:：")


def _strip_wrapper(heading: str) -> str:
    """"(一)在推进乡村振兴发展方面" → "推进乡村振兴发展"; other headings lose only end punctuation."""
    text = heading.strip().rstrip("。:：;；")
    match = ASPECT_WRAPPER.match(text)
    return match.group("aspect") if match and (text.endswith("方面") or "整改" in text[-8:]) else text


def _unquote(text: str) -> str:
    """Drop quotes that enclose the whole text (“……”), keep quotes around a part of it."""
    text = text.strip()
    if len(text) > 2 and text[0] == "“" and text[-1] == "”":
        depth = 0
        for i, ch in enumerate(text):
            depth += (ch == "“") - (ch == "”")
            if depth == 0 and i < len(text) - 1:
                return text  # the opening quote closes before the end: “a”b“c”
        return text[1:-1]
    if text.startswith("“") and text.count("“") > text.count("”"):
        return text[1:]  # an opening quote whose close was cut off with the heading
    return text


def _status(text: str) -> str | None:
    """done, ongoing, or None when the text does not say (done wins: 'X已完成，Y持续推进' counts as done)."""
    if DONE.search(text):
        return "done"
    return "ongoing" if ONGOING.search(text) else None
