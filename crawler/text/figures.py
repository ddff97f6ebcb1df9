"""Quantitative facts stated in a notice (问责 N 人, 立案 N 件, 追缴 X 万元, 反馈问题 N 个 …), each with its sentence.

One named pattern per kind of fact, written from how these notices phrase them; amounts are
normalised to 万元 (亿 and 元 converted), counts accept Chinese numerals (cn2an). Negated statements
(未追缴, 尚未完成) are not facts of what was done and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

import cn2an

NUM = r"(?P<num>\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千万]+)"
COUNT = r"(?P<num>\d+|[〇零两三四五六七八九十百千]+|一[〇零一二两三四五六七八九十百千]+)"  # not a lone 一
AMOUNT = r"(?P<num>\d+(?:\.\d+)?)\s*(?P<scale>亿|万)?元"
SEP = r"[^，。；,;：:\n]"  # inside one clause
NEGATION = re.compile(r"(未|尚未|没有|不再|无)$")

# kind -> (default unit, patterns). Each pattern names its number `num`, and `scale` (亿/万) for money or
# `unit` for the measure word as printed (立案2人 vs 立案2件).
PATTERNS: dict[str, tuple[str, tuple[re.Pattern[str], ...]]] = {
    "accountability": ("人", (
        re.compile(rf"问责{SEP}{{0,6}}?{NUM}(?P<unit>人|名)"),                      # 问责12人 / 追责问责3人
        re.compile(rf"{NUM}(?P<unit>人|名){SEP}{{0,4}}?(?:被|受到)(?:追责)?问责"),              # 3人被问责
    )),
    "discipline": ("人", (
        re.compile(rf"(?:党纪政务|党纪|政务|纪律)?处分{NUM}(?P<unit>人|名)"),         # 给予党纪政务处分20人 / 处分20人
        re.compile(rf"{NUM}(?P<unit>人|名)(?:受到|被给予|给予)(?:党纪政务|党纪|政务)?处分"),  # 20人受到党纪政务处分
    )),
    "cases_filed": ("件", (
        re.compile(rf"立案(?:审查调查|调查|审查|留置)?{NUM}(?P<unit>件|起|人)"),       # 立案12件 / 立案审查调查5人
    )),
    "money_recovered": ("万元", (
        re.compile(rf"(?:挽回|追缴|清退|追回|收缴|退缴|追讨){SEP}{{0,16}}?{AMOUNT}"),  # 追缴资金23.76万元
        re.compile(rf"{AMOUNT}{SEP}{{0,12}}?(?:全部|已)(?:收缴|追缴|追回|清退|挽回|退缴)"),  # 51.5万元…补贴全部收缴
    )),
    "rules_made": ("项", (
        # 制定完善规章制度37项 / 形成…内控制度文件63个
        re.compile(rf"(?:建立|健全|完善|制定|修订|出台|新建|印发|形成){SEP}{{0,24}}?(?:制度|机制|规定|办法){SEP}{{0,4}}?{NUM}余?(?P<unit>项|个|件|条|部)"),
        re.compile(rf"建章立制{NUM}余?(?P<unit>项|个|件|条)"),                         # 建章立制8项
    )),
    "problems_raised": ("个", (  # COUNT, not NUM: "每一个问题" / "发现一个问题" are manners of speaking
        # 反馈意见中提出五个方面52项具体问题 / 针对巡视反馈的52项问题 / 指出问题47个
        re.compile(rf"(?:反馈|指出|提出|发现|交办|移交)[^，。；,;：:\n未]{{0,20}}?{COUNT}(?P<unit>项|个|条)(?:具体|突出|主要)?问题"),
        re.compile(rf"(?:反馈|指出|提出|交办)(?:的)?问题{COUNT}(?P<unit>项|个|条)"),
    )),
    "problems_rectified": ("个", (
        # 已完成整改并长期坚持的问题37个 / 已完成整改45个 / 其中41个问题已整改到位
        re.compile(rf"(?:已完成整改|已整改到位|已整改完成|已整改完毕|已销号){SEP}{{0,12}}?(?:的)?(?:问题)?{COUNT}(?P<unit>项|个|条)"),
        re.compile(rf"{COUNT}(?P<unit>项|个|条)(?:问题)?(?:已|已经)(?:完成整改|整改到位|整改完成|整改完毕|销号)"),
    )),
    "completion_rate": ("%", (
        re.compile(rf"(?:整改|完成|办结|销号|化解|清零)率{SEP}{{0,4}}?(?P<num>\d+(?:\.\d+)?)%"),  # 整改完成率100%
        re.compile(rf"(?:已完成整改|已整改到位|已完成)[^。；;\n]{{0,24}}?占比{SEP}{{0,2}}?(?P<num>\d+(?:\.\d+)?)%"),  # 已完成整改…37个，占比71.2%
    )),
}
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


@dataclass(frozen=True)
class Figure:
    kind: str
    value: float
    unit: str
    text: str
    sentence: str


def _number(raw: str) -> float:
    return float(raw) if raw[0].isdigit() else float(cn2an.cn2an(raw, "smart"))


def _value(match: re.Match[str]) -> float | None:
    groups = match.groupdict()
    raw = groups.get("num")
    if not raw:
        return None
    try:
        value = _number(raw)
    except ValueError:
        return None
    scale = groups.get("scale")
    # Money in 万元, the unit these notices mostly use (亿 = 10,000 万; plain 元 / 10,000).
    if "scale" in match.groupdict():
        return value * 1e4 if scale == "亿" else value if scale == "万" else value / 1e4
    return value


def _negated(sentence: str, match: re.Match[str]) -> bool:
    return bool(NEGATION.search(sentence[: match.start()][-3:]))


def figures(text: str) -> list[Figure]:
    """Every figure in reading order; a sentence can hold several."""
    found: list[Figure] = []
    for sentence_match in SENTENCE.finditer(text):
        sentence = sentence_match.group().strip()
        for kind, (unit, patterns) in PATTERNS.items():
            for match in (m for p in patterns for m in p.finditer(sentence)):
                value = _value(match)
                if value is not None and not _negated(sentence, match):
                    printed_unit = match.groupdict().get("unit") or unit
                    found.append(Figure(kind, round(value, 4), printed_unit, match.group(), sentence))
    return found


def figures_as_dicts(text: str) -> list[dict[str, Any]]:
    return [asdict(f) for f in figures(text)]
