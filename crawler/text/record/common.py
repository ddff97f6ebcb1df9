"""What every reader of the record shares: the building blocks of dates and inspecting bodies, and the
inspection as the opening paragraph states it (later readers check mentions against it)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from crawler.text.cndates import NUM, PartialDate, cn_int, year_int

__all__ = ["NUM", "cn_int", "year_int"]

# 2023 / 二〇二三 (also 二零二三, 二○二三).
YEAR = r"(?:\d{4}|(?=[0-9〇零○Ｏ]*[一二三四五六七八九])[〇零○Ｏ0一二三四五六七八九]{4})"
MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
DAY = r"(?:\d{1,2}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
# A date with the year possibly left out: 2023年9月21日 / 9月21日 / 二〇二〇年七月三十一日.
DATE = rf"(?:(?P<y>{YEAR})\s*年\s*)?(?P<m>{MONTH})\s*月\s*(?P<d>{DAY})\s*[日号]"
# Who runs inspections: the central committee, a provincial / city / county / district / banner committee,
# an autonomous region's 党委, or a 党组/党委 running internal 巡视 in a ministry or SOE; a committee may be
# spelled out ("中共宁川县委员会第三巡察组" is the 县委's team).
BODY = r"(?:中央|自治区党委|区党委|省委|市委|州委|盟委|地委|县委|旗委|区委|党组|党委|党工委|工委|自治区委员会|[省市县区旗州盟]委员会)"
# The level of a committee written out with its term: "宁川县第十四届委员会第三轮巡察" (the 县委's 14th term).
LEVEL = "省市县区旗州盟"
KIND = r"(?:巡视|巡察)"
# A round's number: "第四轮", and "首轮" (a term's first round: "十四届县委首轮巡察") is the first.
ROUND_NO = rf"(?:第|(?=首))(?P<round>{NUM}|首)"
ANY_ROUND = rf"(?:第{NUM}|首)轮"


def round_int(written: str) -> int | None:
    return 1 if written == "首" else cn_int(written)


# Words that qualify a team or an inspection without changing who ran it: "市委第三专项巡察组",
# "市委第七提级交叉巡察组", "县委机动巡察组", "市委对村巡察第四组" (a team that inspects villages),
# "市委县区交叉巡察五组".
MODE = r"(?:专项|常规|提级|交叉|机动|联动|延伸|村级|下沉|对村(?:[(（]社区[)）])?|县区|区县|市县|上下)"

# What a signature line looks like: an organisation name ending in 委/党组/党委/委员会/工委 and the like.
ORG_LINE = re.compile(
    r"^[^。;,:：;!?？、]{2,40}(?:委员会|委|党组|党委|工委|纪委|政府|局|院|办公室|公司|集团|大学|支部|党总支|领导小组)"
    r"(?:\([^)]{1,20}\))?$"
)
# Where sentences end.
SENTENCE_END = re.compile(r"[。;!?]|\n")
# Inspecting bodies as the record names them: an autonomous region's 党委 running 巡视 is its
# province-level committee; a district's 区党委 running 巡察 is a 区委.
BODY_NAMES = {("自治区党委", "巡视"): "省委", ("区党委", "巡视"): "省委", ("区党委", "巡察"): "区委"}
# The count is of something other than this inspection's problems: earlier rounds, audits, 督察 (of the environment,
# of land use: other inspections), leftovers,
# problems fixed on the spot while the team was there ("边巡边改的8个问题"), problems of a self-check,
# or problems fed back to a leader in person ("省委向…区委主要领导反馈的3个重点问题").
OTHER_COUNT_CUE = re.compile(
    r"上轮|上一轮|以往|此前|历次|前期|当年反馈|当时反馈|审计|督察|未整改|未完成|未按期|尚未|整改不到位|整改不彻底|回头看"
    r"|边巡边改|立行立改|即知即改|自查|自纠|举一反三"
    r"|向[^,。;]{0,20}?(?:主要领导|主要负责同志|主要负责人|书记)反馈"
)

AUDIT_OFFICE = re.compile(r"审计(?:局|厅|署)")
# A date followed by what the unit did then dates that act, not the inspection named after it.
ACTION_AFTER_DATE = re.compile(r"召开|印发|制定|举行|组织召开|出台|参加|传达|学习|研究")


@dataclass
class Inspection:
    """What the opening paragraph says about the inspection; later rules check mentions against it."""

    kind: str | None = None
    body: str | None = None
    team: int | None = None
    start: dt.date | None = None
    round: int | None = None
    look_back: bool = False
    regular: bool = False  # a regular inspection is named too (a special one done alongside it)
    special_topics: list[str] = field(default_factory=list)


def body_name(body: str, kind: str | None = None) -> str:
    """The body as the record names it: "县委员会" is the 县委, a bare level ("县", from "县第十四届委员会")
    its committee, an autonomous region's 党委 running 巡视 the 省委."""
    if body.endswith("委员会"):
        body = "自治区党委" if body == "自治区委员会" else body[:-3] + "委"
    elif len(body) == 1 and body in LEVEL:
        body += "委"
    return BODY_NAMES.get((body, (kind or "")[-2:]), body)


def names_inspection(m: re.Match[str]) -> bool:
    """ "区委巡视整改领导小组" names the inspected committee, not an inspector: counties and
    districts run 巡察, never 巡视."""
    return not (body_name(m["body"]) in ("县委", "区委", "旗委") and m["kind"] == "巡视")


def matches_inspection(body: str | None, kind: str | None, insp: Inspection) -> bool:
    if body and insp.body and body_name(body, kind or insp.kind) != insp.body and not insp.body.endswith(body):
        return False
    return not (kind and insp.kind and not kind.endswith(insp.kind))


def dated_elsewhere(prefix: str, insp: Inspection) -> bool:
    """A year or 上轮-like word just before a mention means another, earlier inspection."""
    clause = re.split(r"[,。;]", prefix)[-1]
    # an audit office's name ("县审计局党组关于县委…巡察") is no audit beside this inspection
    if OTHER_COUNT_CUE.search(AUDIT_OFFICE.sub("", clause)) and not (insp.look_back and "回头看" in clause):
        return True
    years = list(re.finditer(r"(\d{4})年", clause))
    m = years[-1] if years else None
    if m and ACTION_AFTER_DATE.search(clause[m.end():]):
        return False  # "局党组于2024年2月召开旗委第六轮巡察整改专题民主生活会": the date is the meeting's
    return bool(m and insp.start and int(m[1]) != insp.start.year)


def date_part(m: re.Match[str], y: str = "y", mo: str = "m", d: str = "d") -> PartialDate:
    return PartialDate(year_int(m[y]), cn_int(m[mo]), cn_int(m[d]))
