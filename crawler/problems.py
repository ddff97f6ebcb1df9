"""The rectification structure as rows: each problem the notice reports on, with its measures.

Notices list the feedback's problems as numbered headings "关于……问题" (aspects (一)… "方面问题" above
them); the most specific such headings are the problems, the text under each is what was done.
"""

from __future__ import annotations

import re
from typing import Any

# 关于“学懂弄通深度不够”问题的整改 / 关于中心区位优势发挥不足问题 / 关于“协调推进不力”的问题
PROBLEM_HEADING = re.compile(r"^关于(?P<problem>.{2,160}?)(?:”)?(?:方面)?(?:的)?(?:有关)?问题(?:的?整改(?:落实)?(?:情况)?)?[。:：]?$")
DONE = re.compile(r"已(?:全部)?(?:完成整改|整改到位|整改完毕|整改完成|完成)|已销号|整改完成")
ONGOING = re.compile(r"持续推进|正在推进|持续整改|长期坚持|逐步解决|阶段性|尚未完成|未完成|持续落实")


def _problem_text(heading: str) -> str | None:
    match = PROBLEM_HEADING.match(heading.strip())
    if not match or "线索" in heading:
        return None
    text = match.group("problem").strip()
    return text[1:] if text.startswith("“") and "”" not in text[1:] else text.strip("“”")


def _status(text: str) -> str | None:
    """done, ongoing, or None when the text does not say (done wins: 'X已完成，Y持续推进' counts as done)."""
    if DONE.search(text):
        return "done"
    return "ongoing" if ONGOING.search(text) else None


def problems(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Problem rows from the notice's section rows (crawler.parse section dicts, in reading order)."""
    texts = {s["ordinal"]: _problem_text(s["heading"]) for s in sections}
    has_problem_child = {s["parent"] for s in sections if texts[s["ordinal"]] and s["parent"] is not None}
    by_ordinal = {s["ordinal"]: s for s in sections}
    rows = []
    for section in sections:
        problem = texts[section["ordinal"]]
        if not problem or section["ordinal"] in has_problem_child:
            continue
        measures = _subtree_text(section, sections)
        rows.append({"ordinal": len(rows), "section": section["ordinal"], "path": section["path"],
                     "marker": section["marker"], "problem": problem,
                     "aspect": _aspect(section, by_ordinal, texts), "measures": measures, "status": _status(measures)})
    return rows


def _subtree_text(section: dict[str, Any], sections: list[dict[str, Any]]) -> str:
    prefix = section["path"] + "."
    parts = [section["body"]] + [s["body"] for s in sections if s["path"].startswith(prefix)]
    return "\n".join(p for p in parts if p)


def _aspect(section: dict[str, Any], by_ordinal: dict[int, dict[str, Any]], texts: dict[int, str | None]) -> str | None:
    """The outermost problem heading above this one (the feedback's 方面)."""
    aspect, parent = None, section["parent"]
    while parent is not None:
        if texts.get(parent):
            aspect = texts[parent]
        parent = by_ordinal[parent]["parent"]
    return aspect
