"""The rectification structure as rows: each problem the notice reports on, with its measures.

A notice reports rectification in one or more parts ("二、常规巡视整改落实情况", "三、营商环境专项巡视整改落实
情况"), grouped by the feedback's aspects ("(一)……方面"). From each aspect down, the rows are the most
specific headings that *name a problem* ("关于……问题", "针对“……”问题", "着力解决……的问题", or a shortcoming:
"……不到位", "……存在差距"): a level is descended into while most of its headings name problems (or group
headings that do), so the measures listed under a problem (一是…, (1)…) are not taken for problems. A heading
that opens with what was done ("补齐……短板", "加强薄弱学科建设") is a measure, and a level numbered on
across its groups ((1)…(3), then (4)…) is the notice's own problem list, not split further.
Some notices instead report item by item under each aspect ("1. 深入推进全面振兴新突破三年行动") without
naming the problem; then the items one level below the aspects are the rows, marked kind = 'item'.
Unnumbered paragraphs that open by naming a problem ("关于……问题。具体做法……") are problems of their own;
back-references ("针对上述问题") are not. Reports on how handed-over case leads or petitions were dealt with
("关于巡视移交问题线索办理情况") are no problems. Without a recognisable rectification part, only headings
that name a problem count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

Section = dict[str, Any]

# Back-references name no problem of their own: 针对上述问题 / 针对巡视反馈的问题 / 关于以上问题.
BACK_REFERENCE = r"(?!上述|以上|前述|这些|此类|此项|该|巡视(?:组)?(?:反馈|指出)的问题|巡察(?:组)?(?:反馈|指出)的问题)"
# The problem's wording: quoted spans read whole (they may hold any punctuation), other text within a
# sentence (a heading) or within a clause (a paragraph's opening, where a comma ends the problem's name).
QUOTED = r"“[^”]{1,200}”|\"[^\"]{1,200}\"|「[^」]{1,200}」"
WORDING = rf"(?:{QUOTED}|[^。；;:：“\"「])"
CLAUSE_WORDING = rf"(?:{QUOTED}|[^。；;:：，,“\"「])"
SUFFIX = r"(?:方面)?(?:存在)?(?:的)?(?:有关)?问题(?:的?整改(?:落实|进展|完成)?(?:情况)?)?"
# 关于“学懂弄通深度不够”问题的整改 / 针对“农村人居环境整治不力”问题 / 着力解决对外开放合作水平低的问题
EXPLICIT = re.compile(rf"^(?:关于|针对|着力解决|着重解决|集中解决|重点解决|切实解决){BACK_REFERENCE}"
                      rf"(?P<problem>{WORDING}{{1,200}}?)(?:等)?{SUFFIX}[。:：;；]?$")
# 关于“政治建设不够有力”方面: the feedback's own (quoted) wording of an aspect, when it states a shortcoming
# (在“实施全面振兴新突破三年行动”方面 only names a field).
QUOTED_ASPECT = re.compile(r"^(?:关于|在)(?P<problem>“[^”]{2,200}”)(?:方面|问题)")
# 针对“巡视发现，某街道…；…” — the quoted problem ran past the heading's first clause, where it was cut.
CUT_QUOTE = re.compile(r"^(?:关于|针对)(?P<problem>“[^”]{4,200})$")
# Wording of a shortcoming, as feedback states it ("推动全面振兴新突破三年行动不力", "……有差距").
SHORTCOMING = re.compile(r"不够|不足|不到位|不力|差距|薄弱|不严|不实|不扎实|不强|不高|不深入|不彻底|不规范|不明显|"
                         r"不健全|不完善|不及时|不充分|不平衡|尚未|缺乏|缺失|滞后|短板|弱化|乏力|偏低|偏弱|混乱|缺位|"
                         r"走过场|失管|失察|违规|违反|打折扣|私用|超标|时有发生|漏洞|隐患|有待|仍需|任重道远|宽松软|"
                         r"禁而未绝|屡禁不止|未(?!来)|弱项")
# A heading that opens with what was done is a measure, even when its object is a shortcoming
# ("补齐师资队伍短板", "消除安全隐患"); only a stated shortfall ("推动……不力") makes it a problem again.
ACTION = re.compile(r"^(?:补齐|补强|补足|弥补|加强|强化|完善|健全|建立|解决|破解|化解|开展|推动|推进|制定|出台|深化|"
                    r"提升|提高|优化|消除|查处|清理|纠正|整治|杜绝|防范|规范|严格|坚持|全面|持续|扎实|狠抓|抓好|做好|"
                    r"大力|积极|进一步|切实|着力(?!解决))")
STATED_SHORTFALL = re.compile(r"不够|不到位|不力|不实|不强|不严|不高|差距|滞后|乏力|不深入|不彻底|不明显|不健全|"
                              r"不完善|不及时|尚未|未(?!来)|缺乏|走过场|屡禁不止|禁而未绝|有弱项|不足$")
# Top-level parts that report rectification (not the leadership's own work, the overall picture or next steps).
PART = re.compile(r"整改.{0,4}(?:情况|进展)|问题.{0,6}改|逐项整改|真改实改|反馈意见.{0,6}整改|整改落实$")
NOT_PART = re.compile(r"责任|压实|政治站位|组织|基本情况|总体情况|开展情况|打算|下一步|今后|巩固|长效|为契机")
# A report on how case leads or petitions handed over were dealt with is not a feedback problem (a quoted
# problem about handling leads is).
LEADS = re.compile(r"^(?:关于)?[^“”\"]{0,20}(?:线索|信访)[^“”\"]{0,16}(?:办理|查处|处置|核查|办结)[^“”\"]{0,6}情况[。:：]?$")
# 关于意识形态工作理论学习不经常问题。…… / 关于“招商引资项目落地率低”问题，…… — an unnumbered paragraph
# that opens by naming its problem.
RUN_IN = re.compile(rf"^(?P<heading>(?:关于|针对){BACK_REFERENCE}{CLAUSE_WORDING}{{1,200}}?(?:等)?{SUFFIX})[。:：；;，,]")
# "(一)在推进乡村振兴发展方面" / "关于打造信用环境还存在差距问题的整改落实情况": the aspect inside.
ASPECT_WRAPPER = re.compile(r"^(?:关于|在)?(?P<aspect>.{2,}?)(?:方面|问题)(?:存在的问题)?(?:的?整改(?:落实|进展)?情况)?$")
# Status from the words of the measures; a negation or a rate/deadline is not a completion.
DONE = re.compile(r"(?<!未)(?<!没有)已(?:经|于[^，。；,;]{1,12})?(?:全部)?(?:完成整改|整改到位|整改完毕|整改完成)(?!率|时限)"
                  r"|(?<!未)已(?:全部)?销号|(?:全部|均已|均)整改到位")
ONGOING = re.compile(r"持续推进|正在推进|正在办理|正在整改|推进中|持续整改|长期坚持|逐步解决|阶段性|尚未(?:整改)?完成|"
                     r"未(?:整改)?完成|基本完成|持续落实")

def problems(sections: list[Section]) -> list[dict[str, Any]]:
    """Problem rows from the notice's section rows (crawler.text.parse section dicts, in reading order)."""
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
        # every section under each path, in order: one pass (a scan of all sections per lookup was
        # quadratic, 8 s for the 1,800 sections of a 2 MB text)
        self.under: dict[str, list[Section]] = defaultdict(list)
        for s in sections:
            parts = s["path"].split(".")
            for depth in range(1, len(parts)):
                self.under[".".join(parts[:depth])].append(s)

    def descendants(self, section: Section) -> list[Section]:
        return list(self.under.get(section["path"], ()))

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
    text = heading.strip()
    aspect = QUOTED_ASPECT.match(text)
    if aspect and not SHORTCOMING.search(aspect.group("problem")):
        aspect = None
    match = EXPLICIT.match(text) or aspect or CUT_QUOTE.match(text)
    if match:
        return _unquote(match.group("problem"))
    opening = RUN_IN.match(text)  # 针对“……”问题，制定…… : a heading that runs on into its measures
    return _explicit_name(opening.group("heading")) if opening else None


def _names_problem(heading: str) -> bool:
    """Whether a heading names a problem: explicitly, or by stating a shortcoming. Measures are long
    sentences that may mention one, or open with what was done ("补齐……短板")."""
    if _explicit_name(heading) is not None:
        return True
    unquoted = re.sub(r"[“”\"「」]", "", heading)
    if len(unquoted) > 40 or not SHORTCOMING.search(unquoted):
        return False
    return not ACTION.match(unquoted) or bool(STATED_SHORTFALL.search(unquoted))


def _part_rows(tree: _Tree, part: Section) -> list[dict[str, Any]]:
    rows = []
    aspects = _kids(tree, part)
    if not aspects:  # problems as unnumbered paragraphs right under the part ("关于“……”问题，……")
        rows = _run_in_rows(part, *_run_ins(part), None)
    listed = _running_levels(tree, part)
    for aspect in aspects:
        found = _problem_nodes(tree, aspect, listed)
        if found is None:  # the aspect's items name tasks, not problems
            found = [(s, "item") for s in _kids(tree, aspect)] or [(aspect, "item")]
        name = _explicit_name(aspect["heading"]) or _unquote(_strip_wrapper(aspect["heading"]))
        for s, kind in found:
            rows.extend(_with_run_ins(tree, s, kind, name))
    return [{**r, "part": _part_name(part), "outline": r.get("outline") or tree.outline(part)} for r in rows]


def _running_levels(tree: _Tree, part: Section) -> set[int]:
    """Outline levels numbered on across their groups ((1)…(3) under one heading, (4)… under the next):
    such a level is the notice's own problem list, however its items are subdivided below."""
    levels = set()
    for parent in [part, *tree.descendants(part)]:
        for position, kid in enumerate(tree.children[parent["ordinal"]], 1):
            if kid["number"] and kid["number"] > position:
                levels.add(kid["level"])
    return levels


def _kids(tree: _Tree, section: Section) -> list[Section]:
    return [s for s in tree.children[section["ordinal"]] if not LEADS.search(s["heading"])]


def _problem_nodes(tree: _Tree, section: Section, listed: set[int]) -> list[tuple[Section, str]] | None:
    """The most specific headings at or below `section` that name problems: descend while most of a
    heading's children name problems (or group headings that do), but not below a running problem list;
    None when none of it names one."""
    kids = _kids(tree, section)
    if section["level"] not in listed and kids and 2 * sum(_names_or_groups(tree, k) for k in kids) > len(kids):
        return [pair for k in kids for pair in (_problem_nodes(tree, k, listed) or [(k, "item")])]
    return [(section, "problem")] if _names_problem(section["heading"]) else None


def _names_or_groups(tree: _Tree, section: Section) -> bool:
    if _names_problem(section["heading"]):
        return True
    kids = _kids(tree, section)
    return bool(kids) and 2 * sum(_names_problem(k["heading"]) for k in kids) > len(kids)


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
            "problem": _explicit_name(s["heading"]) or _unquote(_strip_wrapper(_shortcoming_name(s["heading"]))),
            "aspect": aspect, "measures": measures, "status": _status(measures)}


def _with_run_ins(tree: _Tree, s: Section, kind: str, aspect: str | None) -> list[dict[str, Any]]:
    """The section's row, and a row for each unnumbered paragraph in it that opens with a problem heading of
    its own. A heading followed directly by such paragraphs only groups them: it is no row itself."""
    lines, starts = _run_ins(s)
    if not starts:
        rows = [_row(tree, s, kind, aspect)]
    else:
        preface = [line for line in lines[:starts[0]] if line.strip()]
        own = [{**_row(tree, s, kind, aspect), "measures": "\n".join(preface)}] if preface else []
        rows = [{**r, "status": _status(r["measures"])} for r in own] + _run_in_rows(s, lines, starts, aspect)
    return [{**r, "outline": tree.outline(s)} for r in rows]


def _run_ins(s: Section) -> tuple[list[str], list[int]]:
    """The section's paragraphs after its heading, and which of them open with a problem heading."""
    lines = (s["body"] or "").split("\n")[1:]  # the first line repeats the section's own heading
    return lines, [i for i, line in enumerate(lines) if RUN_IN.match(line.strip())]


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


def _shortcoming_name(heading: str) -> str:
    """"学习贯彻……不够深入的问题" names its problem without "的问题"."""
    text = heading.strip().rstrip("。:：;；")
    name = re.sub(r"(?:的)?问题$", "", text)
    return name if name != text and SHORTCOMING.search(name) else text


def _part_name(part: Section) -> str:
    return part["heading"].strip().rstrip("。:：")


def _strip_wrapper(heading: str) -> str:
    """"(一)在推进乡村振兴发展方面" → "推进乡村振兴发展"; other headings lose only end punctuation."""
    text = heading.strip().rstrip("。:：;；")
    match = ASPECT_WRAPPER.match(text)
    return match.group("aspect") if match and (text.endswith("方面") or "整改" in text[-8:]) else text


QUOTES = {"“": "”", '"': '"', "「": "」", "‘": "’"}


def _unquote(text: str) -> str:
    """Drop quotes that enclose the whole text (“……”), keep quotes around a part of it."""
    text = text.strip()
    close = QUOTES.get(text[:1])
    if close and len(text) > 2 and text.endswith(close):
        inner = text[1:-1]
        if close == text[0]:  # straight quotes: enclosing when there are no others inside
            return inner if close not in inner else text
        depth = 0
        for ch in inner:
            depth += (ch == text[0]) - (ch == close)
            if depth < 0:
                return text  # the opening quote closes before the end: “a”b“c”
        return inner
    if close and close != text[0] and text.count(text[0]) > text.count(close):
        return text[1:]  # an opening quote whose close was cut off with the heading
    return text


def _status(text: str) -> str | None:
    """done, ongoing, or None when the text does not say (done wins: 'X已完成，Y持续推进' counts as done)."""
    if DONE.search(text):
        return "done"
    return "ongoing" if ONGOING.search(text) else None
