"""How many problems the feedback raised (`problems_total`), and the readers the done counts share with it
(sentences, chains of counts, the feedback's context, counts of something else).

A count is the total when a sentence ties it to this inspection's feedback ("巡视反馈的4个方面52个问题"),
the most specific count of problems in a chain ("四个方面、15项、47个突出问题" → 47, "细化为79个具体问题"
after the feedback's own count), and not a count of something else (measures, an earlier round, a
self-check, problems fixed on the spot, a round's count over several units). Failing such a sentence: problems
paired with their measures or told with their progress ("31个问题中已完成28个"), or a table's 合计 row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.text.cndates import NUM, cn_int
from crawler.text.record.chrome import LINK_ITEM
from crawler.text.record.common import (
    AUDIT_OFFICE,
    KIND,
    MODE,
    OTHER_COUNT_CUE,
    ROUND_NO,
    SENTENCE_END,
    Inspection,
    matches_inspection,
    names_inspection,
    round_int,
)
from crawler.text.record.doc import Doc
from crawler.text.record.opening import BODY_KIND

# Units that count problems themselves (方面 / 类 / 大项 count groups of problems; "3大类17小项问题" → 17;
# "共反馈问题21件").
PROBLEM_UNITS = ("个", "项", "条", "小项", "件")
# What a count's unit may be: groups first (个方面 before 个).
_UNITS = "个方面|大类|大项|小项|个|项|条|类|件"
_UNIT = rf"(?:{_UNITS})"
# How many lines after the overall count its progress paragraph may come (past a heading).
FOLLOWING_LINES = 3

# --- totals ----------------------------------------------------------------

# One counted item: "五个方面", "“9+8”个方面", "15项", "47个突出问题", "九个方面主要问题", "79个问题清单"
# (a list or ledger of the problems counts them too: "3个方面12项具体问题台账").
# The noun: problems, also named as the feedback's problems or opinions ("23个巡视反馈问题", "5个方面23条反馈意见").
_NOUN = r"(?:(?:巡视|巡察)?反馈(?:的)?)?问题(?!点|线索|数)|(?:(?:巡视|巡察)?反馈)?意见(?!建议)"
# "47个子问题", "17个细化问题": the sub-problems a unit splits the feedback's problems into are problems too.
_QUAL = r"主要|具体|突出|重点|共性|各类|子项|子(?=问题)|细化(?=问题)|整改(?=问题)"  # "23项整改问题": the problems to rectify
COUNT_TOKEN = (
    rf"“?{NUM}(?:\s*[+＋]\s*{NUM})*”?\s*{_UNIT}(?:的)?"
    rf"(?:{_QUAL})?(?:{_NOUN})?"
)
# A chain of counts as feedback is summarised: "四个方面、15项、47个突出问题", "13个主要问题、39项具体问题".
COUNT_CHAIN = re.compile(rf"(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN}")
# Split a chain into its items; 方面 and 类 count groups of problems, not problems.
COUNT_ITEM = re.compile(
    rf"“?(?P<n>{NUM}(?:\s*[+＋]\s*{NUM})*)”?\s*(?P<unit>{_UNITS})(?:的)?"
    rf"(?P<qual>{_QUAL})?(?P<prob>{_NOUN})?"
)
# Problems counted after the noun: "反馈问题共45个", "指出的具体问题23项", "巡察反馈问题数:26个",
# "反馈问题总数为30个", "反馈问题清单共22项" (not "反馈意见4个方面…": aspects).
COUNT_TRAILING = re.compile(
    rf"(?:反馈|指出|提出|发现|梳理出?)(?:的)?(?:具体|主要|突出)?(?:问题|意见(?!建议))(?:清单|总?数)?(?:为|有)?"
    rf"(?:共计|共|合计|总计)?[:：]?\s*(?P<n>{NUM})(?:个|项|条|件)(?!方面)"
)
# The count after the aspects it falls into: "反馈的问题分为4个方面,共计28个".
# (or the aspects first: "反馈了…3个方面问题,共21个")
COUNT_AFTER_ASPECTS = re.compile(
    rf"(?:反馈|指出|提出|发现)(?:的)?问题(?:分为|涉及|包括|共涉及|为|是)?{NUM}个方面[,、]?(?:共计|共|合计|总计)(?P<n>{NUM})(?:个|项|条)"
    rf"|{NUM}个方面(?:的)?问题[,，、]\s*(?:共计|共|合计|总计)(?P<n2>{NUM})(?:个|项|条)"
)
# The main and the specific problems counted after the noun: "反馈主要问题9个、具体问题29个" (the specific count).
COUNT_SPECIFIC_AFTER_MAIN = re.compile(
    rf"(?:反馈|指出|提出)(?:的)?(?:主要|突出)问题{NUM}(?:个|项|条)[、,和]\s*具体问题(?P<n>{NUM})(?:个|项|条)"
)
# The sum stated after counts per inspection: "常规巡视反馈问题30个,营商环境专项巡视反馈问题12个,共计42个".
COUNT_STATED_SUM = re.compile(rf"问题(?:共)?{NUM}(?:个|项|条)[,、]\s*(?:共计|合计|总计|共)(?P<n>{NUM})(?:个|项|条)")
# The unit's own breakdown of the feedback into specific problems, right after the feedback's count:
# "反馈的12个问题,细化为25个具体问题", "梳理细化为39个具体问题", "分解形成79个问题清单" (the most specific).
# (the noun first too: "梳理出具体问题43个", "反馈意见3个方面10条，涉及具体问题28个"; 细分 as well:
# "归纳为4大类15个具体问题，并进一步细分为47个子问题", "7项具体问题涉及的17个细化问题").
BREAKDOWN = re.compile(
    rf"^[^。;]{{0,30}}?(?:细化|细分|分解|拆分|梳理|涉及)(?:,?(?:为|成|形成|出))?(?:了|的)?"  # "逐项细化,形成67个具体问题…"
    rf"(?:(?P<chain>(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN})|(?:具体|子项|子)问题(?P<n>{NUM})(?:个|项|条|件))"
)
# The breakdown told in a sentence of its own after the count: "市委第一巡察组反馈意见4个方面22条。局党组…
# 将反馈意见细化为31个具体问题" (its object is the feedback).
BREAKDOWN_APART = re.compile(
    rf"(?:反馈|巡察|巡视)(?:意见|问题)[^。;]{{0,12}}?(?:细化|细分|分解|拆分|梳理)(?:为|成|形成)(?:了)?"
    rf"(?P<chain>(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN})"
)
# The verb of a breakdown, perhaps doubled: "细化为", "细化分解为".
_BREAK_VERB, _INTO = r"(?:细化|细分|分解|拆分|梳理)", r"(?:为|成|形成|出)(?:了)?"
_BROKEN_UP = rf"{_BREAK_VERB}{{1,2}}{_INTO}"
# The problems the feedback raised, counted by that name: "反馈的41个问题", "指出问题21个".
PROBLEMS_FED_BACK = re.compile(rf"(?:反馈|指出)(?:的)?[^。;,]{{0,16}}?(?P<n>{NUM})(?:个|项|条)(?:具体)?问题(?!线索|清单)"
                               rf"|(?:反馈|指出)问题(?P<n2>{NUM})(?:个|项|条)")
# Several nouns, then their numbers in the same order after 分别: "反馈问题、意见建议、问题线索分别为18个、5条、2件",
# "反馈问题和整改措施分别已完成19个、71条".
RESPECTIVE = re.compile(rf"(?P<nouns>(?:[^,。;、和及与]{{1,12}}[、和及与]){{1,4}}[^,。;、和及与]{{1,12}}?)[,]?分别"
                        rf"(?P<verb>为|是|有|已完成整改|已完成|已整改到位|已整改)?"
                        rf"(?P<nums>{NUM}(?:个|项|条|件)(?:[、和及]{NUM}(?:个|项|条|件)){{1,4}})")
# Problems named by their number and broken down: "将16项问题细化分解为48个具体问题".
BROKEN_DOWN_LATER = re.compile(rf"(?<![\d.])(?P<n>\d+)(?:个|项|条)(?:具体|反馈)?问题[^。;,]{{0,6}}?{_BROKEN_UP}"
                               rf"(?P<chain>(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN})")
# The verb of a breakdown whose noun comes first: "细化为具体问题94个", "梳理出整改问题28个".
_BROKEN_INTO = _BREAK_VERB + _INTO
# ... or with the noun first, the subject the unit ("市委将其细化为具体问题94个…", "集团党委梳理出具体问题45个").
BREAKDOWN_APART_NOUN_FIRST = re.compile(rf"{_BROKEN_INTO}(?:具体|子项|子)问题(?P<n>{NUM})(?:个|项|条|件)")
# The unit's breakdown of feedback it never counted: "逐条梳理细化为15个具体问题", the noun first too:
# "细化为问题清单21项、任务清单57项", "将反馈意见梳理为整改问题28个,分解为整改任务93项".
BROKEN_DOWN = re.compile(
    rf"(?:细化|细分|分解|拆分)(?:为|成|形成)(?:了)?(?P<chain>(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN})"
    rf"|{_BROKEN_INTO}(?:整改|具体|子项|子)?问题(?:清单)?[(（]?(?P<n>{NUM})(?:个|项|条|件)"
)
# The total as a labelled line of a summary: "问题总数：17个", "反馈问题总数: 26项".
# (or the unit's breakdown so labelled: "细化具体问题：29个")
LABELLED_TOTAL = re.compile(
    rf"(?:(?:巡察|巡视)?(?:反馈)?问题(?:总数|总量|数量)|(?:细化|梳理)?具体问题)\s*[:：]\s*(?P<n>{NUM})\s*(?:个|项|条)"
)
# Problems the team found (发现), not necessarily fed back: "共发现问题32个" (not "反馈发现的问题").
FOUND = re.compile(r"(?<!反馈)发现")
# A round's count over several inspected units ("第三轮巡察…对8个单位党组织开展了常规巡察,共发现问题136个"): when a
# later sentence gives this unit's own count ("其中,县委第二巡察组…向局党组反馈问题18个"), that one is the total.
# (the units may be named first: "对市自然资源和规划局等10个市直单位党组织开展了常规巡察", "对县教育局、…5个单位";
# or be told the round's common problems: "市委巡察办向本轮被巡察的9个单位通报了…13个共性问题")
SEVERAL_UNITS = re.compile(
    rf"[对向](?:[^,。;]{{0,20}}?[等的]|(?:(?!问题)[^,。;]){{0,80}}?、[^,。;、]{{0,20}}?)?{NUM}(?:个|家|所)(?:(?!问题)[^,。;]){{0,8}}?"
    rf"(?:单位|部门|党组织|地方|乡镇|街道|村|社区|学校|企业|医院)"
)
# How many sentences after the count its breakdown may come, in the same paragraph.
BREAKDOWN_SENTENCES = 2
# Problems paired with the measures made for them, the way a rectification section states the feedback's
# problems without naming the feedback: "深入剖析29个问题,提出117条整改举措", "针对12个问题制定整改措施46条",
# "对应34个具体问题清单制定了95条具体整改措施".
PROBLEMS_THEN_MEASURES = re.compile(
    rf"(?P<problems>(?P<n>{NUM})(?:个|项|条)(?:具体)?问题)(?:清单|台账)?[,，]?\s*(?:逐项|逐条)?(?:制定|提出|细化|明确|形成)(?:了)?"
    rf"(?:整改)?(?:措施|举措|任务)?{NUM}(?:条|项|个)(?:整改)?(?:措施|举措|任务)?"
)
# Problems counted only with their progress, the feedback unnamed: "整改完成率90.3%(31个问题中已完成28个)",
# "截至目前,26个问题已完成整改23个" (the notice's rectification is of the feedback's problems).
PROBLEMS_WITH_PROGRESS = re.compile(
    rf"(?P<problems>(?P<n>{NUM})(?:个|项|条)(?:具体)?问题)(?:中)?,?\s*(?:已经|已|现已)(?:全部)?"
    rf"(?:完成整改|整改完成|整改到位|完成|整改)(?:了)?(?P<d>{NUM})(?:个|项|条)"
)
# What such a count needs, found fast (the noun first): "问题中已", "问题已".
PROGRESS_HINT = re.compile(r"问题中?,?\s*(?:已经|已|现已)")
# The sum stated after the parts: "镇本级问题4个方面26个、村(社区)问题132个,合计158个问题" (the sum is the total).
STATED_SUM = re.compile(rf"(?:合计|共计|总计|总共|一共)(?:反馈)?(?:问题)?(?P<n>{NUM})(?:个|项|条)(?:具体)?(?:问题)?")
# The sum stated after the counts it adds up, 共 alone too: "立行立改问题6个,限期整改问题21个,共27个".
SUM_AFTER_PARTS = re.compile(rf"[,、;]\s*(?:共计|合计|总计|总共|一共|共)(?P<n>{NUM})(?:个|项|条)(?:具体)?(?:问题)?(?=[,。;]|$)")
# One of those parts: a clause that ends in its count ("限期整改问题21个", "村级问题58个").
PART_CLAUSE = re.compile(rf"(?P<n>{NUM})(?:个|项|条)$")
# A part that tells progress is no part of the feedback's count: "已完成整改20个", "正在推进3个".
PROGRESS_WORD = re.compile(r"已|完成|正在|推进|到位|销号")
# The feedback's problems classed by when they are to be fixed ("立行立改问题9个、限期整改问题27个"): such a
# class names part of this feedback, not problems fixed on the spot apart from it.
TIMING_CLASS = re.compile(r"立行立改|即知即改|限期整改|长期坚持")
# What a stated sum right after it counts instead of problems: "整改措施共计52条".
MEASURE_NOUN_BEFORE = re.compile(r"(?:措施|任务|举措|制度|事项)\s*$")
# A sentence that sums up the aspects above it: "以上3个方面34个问题,…已整改到位29个", "以上四个方面合计24个问题",
# "综上,四个方面问题总计26个".
SUM_OF_ABOVE = re.compile(
    rf"\s*(?:以上|上述|综上[,:]?)\s*(?:{NUM}个方面(?:的)?(?:问题)?)?(?:共计|合计|总计|共有|共)?\s*$"
)
# An aspect of the feedback named before its count: "落实巡视、审计等监督发现问题整改方面5个".
ASPECT_NAME = re.compile(rf"[^,;:]{{2,40}}?方面(?=\s*(?:的?问题)?\s*{NUM}(?:个|项|条))")
# The total split into such classes right after it: "反馈问题23个(其中立行立改9个、限期整改14个)".
CLASSES_OF_TOTAL = re.compile(r"^\s*[(,]?\s*(?:其中|含|包括)[^。;)]{0,6}?(?:立行立改|即知即改|限期整改|长期坚持)")
# Two classes named together as one subject: "立行立改和限期整改的36个问题已全部完成整改".
JOINT_CLASSES = re.compile(
    r"(?:立行立改|即知即改|限期整改|长期坚持)(?:问题)?(?:[和及与、]|以及)(?:立行立改|即知即改|限期整改|长期坚持)"
)
# Counts fed back by different teams, with no sum: "第一巡察组反馈镇本级问题17个,第二巡察组反馈村级问题45个".
TEAM_COUNT = re.compile(rf"{KIND}组[^,;。]{{0,16}}?反馈[^,;。]{{0,12}}?{NUM}(?:个|项|条)")
# Counts of kinds of problems side by side, with no sum: "共性问题12个、个性问题9个" (the count before
# the list, or after the noun of the first kind; not "问题31个,其中共性问题12个").
# 共性 / 个性 / 一般性 / 班子成员, not a clause
_KIND_OF_PROBLEM = r"(?:(?!整改|完成|已|未|尚|其中|包含|的)[^,。;、\d]){1,5}"
PART_COUNT_NEXT = re.compile(rf"\s*[、,和及]\s*{_KIND_OF_PROBLEM}问题(?:共)?{NUM}(?:个|项|条)")
PART_COUNT_PREV = re.compile(rf"问题(?:共)?{NUM}(?:个|项|条)\s*[、,和及]\s*{_KIND_OF_PROBLEM}问题(?:共)?$")
# One part's count: "指出该方面问题8个", "反馈集团党委层面问题26个", "反馈涉及所属企业的问题15个", an aspect's heading
# "(一)关于…方面(反馈问题11个)".
PART_OF_WHOLE = re.compile(r"(?:[该本此]方面|层面|本级|(?:所属|下属)[^,。;]{0,6}?)的?(?:具体)?问题(?:共)?$"
                           r"|(?<!个)方面\s*[(（][^()（）]{0,6}$")  # (not "4个方面（28个具体问题）": the count of them all)
# The sentence speaks about this inspection's feedback: "巡视反馈的", "巡视组指出的", "反馈意见中提出".
FEEDBACK_CUE = re.compile(r"(?:反馈|指出|提出|发现|交办|梳理出|方案)")
# "对照反馈的", "反馈问题共", "反馈问题共涉及" right before a count: this inspection's feedback when nothing
# else is named.
BARE_FEEDBACK = re.compile(r"反馈(?:的|意见中?指出的)?(?:问题(?:情况)?)?(?:共计|共|共涉及|涉及|共有)?[:：]?\s*$")  # "反馈问题:", "反馈问题情况:"
# The problems the rectification plan takes on are the feedback's: "整改方案明确整改问题4个方面24个".
PLAN_PROBLEMS = re.compile(r"方案(?:中)?(?:明确|确定|列出|梳理)(?:了)?(?:整改)?问题(?:共)?$")
OTHER_FEEDBACK = re.compile(r"热线|信访|群众|自查|审计|督查|主要领导|主要负责|考核|评估|测评")
# The problems noun before a count of them: "反馈问题共4个方面27个", "指出的问题共涉及4个方面25个", the
# feedback's opinions ("反馈意见4个方面22条", as "22条反馈意见"), the list of the problems ("问题清单42项"),
# the noun as a label ("(一)巡察反馈问题:3个方面22个").
# (the count in brackets after the noun too: "反馈问题(4个方面25个)", "巡察反馈问题(17项)整改落实情况")
PROBLEMS_NOUN_BEFORE = re.compile(r"(?:问题|反馈意见)(?:清单|事项|情况)?(?:共计|共|合计|总计|共涉及|涉及|共有|有)?:?\s*[(（]?\s*$")
# What a count right after the problems noun may count instead of problems: "反馈的问题涉及28个部门" (units, sites).
OTHER_THING_AFTER = re.compile(
    r"^(?:部门|单位|党组织|乡镇|镇|街道|村|社区|企业|学校|医院|领域|行业|科室|股室|处室|项目|点位|图斑|人次|人|次|家)"
)
# Problems named with what was done at once, not the feedback's: "巡视期间指出的8个问题即知即改".
ON_THE_SPOT = re.compile(r"^[^,;。和及与]{0,8}?(?:即知即改|立行立改|边巡边改)")  # not "…23个问题和移交的立行立改事项"
# An aside in brackets: "问题33个(含立行立改问题8个)".
ASIDE = re.compile(r"[(（][^()（）]{0,30}[)）]")
LEADING_ASIDE = re.compile(r"\s*" + ASIDE.pattern)  # the aside right after a count
# Problems still open, not the feedback's count: "3个问题正在推进", "其余2个尚未完成".
OPEN_AFTER = re.compile(r"^\s*(?:正在|尚在|仍在|尚未|未|还在|持续推进|需要长期)")
# Problems counted as done, in a clause of their own that does not name the feedback: "针对巡察反馈意见指出的问题,
# 截至目前,共计18个问题已整改完成" counts what is done, not what was fed back ("…均已/已全部完成" would be all).
DONE_RIGHT_AFTER = re.compile(r"^\s*(?:已经|已|现已)(?:整改完成|完成整改|整改到位|整改完毕|整改销号)")
# Problems of one kind or one owner, not the whole feedback: "共性问题", "重点问题" a secretary took on,
# "书记领办的23项".
PART_OF_FEEDBACK = re.compile(r"(?:(?:书记|主要负责同志|主要负责人|班子成员|领导)(?:亲自)?|带头)(?:领办|督办|牵头|包保|认领)[^,。;]{0,6}$")
# A count restricted to one of the two inspections: "常规巡视反馈的…" or "营商专项巡视反馈的…"
# (both named, "常规巡视和营商环境专项巡视反馈的…", is the overall count).
REGULAR_CUE = re.compile(r"常规")
SPECIAL_CUE = re.compile(r"专项")

def sentences(doc: Doc) -> list[tuple[int, int, int]]:
    """(start, end, line index) of each sentence; sentences never cross a line, and a link to another page
    ("▶ 某县委第五轮巡察完成反馈 共发现问题287个") is none."""
    out = []
    for li, (ls, le) in enumerate(doc.lines):
        if LINK_ITEM.match(doc.line(li)):
            continue
        pos = ls
        for m in SENTENCE_END.finditer(doc.read, ls, le):
            out.append((pos, m.end(), li))
            pos = m.end()
        if pos < le:
            out.append((pos, le, li))
    return out


def chain_value(chain: str, after_noun: bool = False) -> int | None:
    """The most specific problem count in a chain ("四个方面、15项、47个突出问题" → 47).

    Counts of aspects (方面) alone and sums left unstated ("9+1"项) give None. A count right after an item
    ending in the noun is counted by it ("4个方面问题20条" → 20; not "3个方面问题、5条意见建议").
    """
    items = list(COUNT_ITEM.finditer(chain))
    problems = [it for k, it in enumerate(items) if it["unit"] in PROBLEM_UNITS
                and (it["prob"] or after_noun or (k and items[k - 1]["prob"] and items[k - 1].end() == it.start()))]
    if not problems:
        return None
    n = problems[-1]["n"]
    if "+" in n or "＋" in n:
        return None
    return cn_int(n)


def feedback_context(prefix: str, insp: Inspection, window: int = 40) -> bool:
    """The words before a count tie it to this inspection's feedback ("省委巡视组反馈意见中指出的"), or before the
    list the count closes ("针对巡察组反馈的对…重视不够、…不够严格、…不够顺畅等21个问题")."""
    if prefix.endswith("等"):
        window = max(window, len(re.split(r"[,;。]", prefix)[-1]))
    if not FEEDBACK_CUE.search(prefix[-window:]):
        return False
    mentions = [m for m in BODY_KIND.finditer(prefix) if names_inspection(m)]
    if mentions:
        last = mentions[-1]
        return matches_inspection(last["body"], last["kind"], insp)
    # A sentence that names no inspection ("省委向…主要领导反馈的3个重点问题") may be about other feedback,
    # unless the count directly follows "反馈的" with no other source in sight ("对照反馈的5大类17个问题").
    kinds = re.findall(KIND, prefix)
    if not kinds:
        return (bool(BARE_FEEDBACK.search(prefix[-12:]) or PLAN_PROBLEMS.search(prefix[-20:]))
                and not OTHER_FEEDBACK.search(prefix))
    return kinds[-1] == insp.kind


def other_count(prefix: str, insp: Inspection) -> bool:
    """Words that make a count belong to something else (an earlier round, an audit, leftovers); not in
    clauses before one that names a team's feedback ("…主动认领、举一反三,对…巡察第18组反馈的20个主要问题")."""
    if named := list(TEAM_FEEDBACK.finditer(prefix)):
        prefix = prefix[prefix.rfind(",", 0, named[-1].start()) + 1 :]
    cues = OTHER_COUNT_CUE.findall(AUDIT_OFFICE.sub("", prefix))  # an audit office's name is no audit ("市审计局党组")
    if insp.look_back:
        cues = [c for c in cues if c != "回头看"]
    return (bool(cues) or bool(PART_OF_FEEDBACK.search(prefix)) or _other_round(prefix, insp)
            or _earlier_year(prefix, insp))


# A team's feedback named in a count's clause: "对…巡察第18组反馈的", "省委第三巡视组反馈的".
TEAM_FEEDBACK = re.compile(rf"{KIND}(?:第?{NUM})?组反馈")


def _earlier_year(prefix: str, insp: Inspection) -> bool:
    """ "对2014年巡视反馈的27个问题逐项复查": a year before this inspection began, in the count's sentence,
    dates an earlier inspection (a later year may be this one's feedback: on site in November, fed back in
    January)."""
    sentence = re.split(r"[;。]", prefix)[-1]  # "2015年,中央第八巡视组对集团公司开展了专项巡视,反馈问题37个"
    return insp.start is not None and any(int(y) < insp.start.year for y in re.findall(r"(\d{4})年(?!以来|至今)", sentence))


def _other_round(prefix: str, insp: Inspection) -> bool:
    """ "对第二轮巡察反馈的26个问题…再核查" in a notice on the ninth round's 回头看: another round's count."""
    clause = re.split(r"[,;。]", prefix)[-1]
    return insp.round is not None and any(
        round_int(m["round"]) != insp.round for m in re.finditer(rf"{ROUND_NO}轮{MODE}*{KIND}", clause))


def single_inspection_count(local: str, insp: Inspection) -> bool:
    """With a special inspection alongside a regular one, a count for only one of them is not the overall
    count (a special inspection done alone has only its own counts)."""
    if not insp.special_topics or not insp.regular:
        return False
    regular, special = bool(REGULAR_CUE.search(local)), bool(SPECIAL_CUE.search(local))
    return regular != special


def _part_count(prefix: str, rest: str) -> bool:
    """ "共性问题12个、个性问题9个": counts of kinds of problems listed side by side, no sum stated; or a count
    of one part of the feedback on its own (one aspect's, one level's)."""
    return bool(PART_COUNT_NEXT.match(rest) or PART_COUNT_PREV.search(prefix) or PART_OF_WHOLE.search(prefix))


@dataclass
class TotalHit:
    """The overall problem count and where it was stated (done counts are read near it)."""

    value: int
    line: int
    end: int
    start: int = 0
    unit: str = ""  # "件" when the problems were counted in 件 (done counts in 件 then count them too)
    classes: bool = False  # split into timing classes right after it ("其中立行立改9个、限期整改14个")
    class_subjects: bool = False  # done counts whose subject is such a class are read too (the fallback)


def _breakdown(sent: str, after: int) -> tuple[int, int, int] | None:
    """The unit's own, more specific count right after the feedback's: (value, start, end) in sent."""
    m = BREAKDOWN.match(sent[after:])
    if not m:
        return None
    if m["n"]:  # "梳理出具体问题43个"
        return cn_int(m["n"]), after + m.start(), after + m.end()  # type: ignore[return-value]
    value = chain_value(m["chain"])  # it counts problems by name: "25个具体问题", "79个问题清单", not "49项整改任务"
    return (value, after + m.start("chain"), after + m.end("chain")) if value else None


def _breakdown_apart(doc: Doc, after: int, line: int, value: int) -> tuple[int, int, int] | None:
    """The breakdown of the feedback into more specific problems in one of the next sentences of the
    count's paragraph: (value, start, end) in the reading form."""
    following = [(s, e) for s, e, li in sentences(doc) if li == line and s >= after][:BREAKDOWN_SENTENCES]
    for s, e in following:
        if m := BREAKDOWN_APART.search(doc.read, s, e):
            finer, group = chain_value(m["chain"]), "chain"
        elif m := BREAKDOWN_APART_NOUN_FIRST.search(doc.read, s, e):
            finer, group = cn_int(m["n"]), "n"
        if m and finer and finer >= value:
            return finer, m.start(group), m.end(group)
    return None


def _unit_of(counted: str) -> str:
    return "件" if re.search(rf"{NUM}件", counted) else ""


def find_problems_total(doc: Doc, insp: Inspection) -> TotalHit | None:
    """The first count of problems that a sentence ties to this inspection's feedback (made more
    specific by the unit's own breakdown that follows it); failing that, problems paired with the
    measures made for them, or told only with their progress."""
    if total := _find_total(doc, insp):
        return _broken_down_later(doc, total) or _problems_beside_opinions(doc, insp, total) or total
    return (_feedback_broken_down(doc, insp) or _respective_total(doc, insp) or _labelled_total(doc)
            or _problems_with_measures(doc, insp) or _problems_with_progress(doc, insp))


def _problems_beside_opinions(doc: Doc, insp: Inspection, total: TotalHit) -> TotalHit | None:
    """A total counted as the feedback's opinions (意见), where the notice also counts the problems it raised:
    "反馈意见共5个方面26条,其中指出问题21个、提出意见建议5条", "反馈的4个方面13条意见…。…对中央巡视反馈的41个问题实行清单
    管理", a heading "二、关于县委巡察反馈的32个问题整改落实情况": the problems are the count."""
    counted = doc.read[total.start : total.end]
    named_before = re.search(r"意见(?:共计|共|为)?[:：]?$", doc.read[max(0, total.start - 6) : total.start])
    if not ("意见" in counted or named_before) or "问题" in counted:
        return None
    for s, e, li in sentences(doc):
        for m in PROBLEMS_FED_BACK.finditer(doc.read, s, e):
            n = cn_int(m["n"] or m["n2"]) or 0
            if n >= 2 and not other_count(doc.read[s : m.start()], insp) and not OTHER_FEEDBACK.search(doc.read[s : m.start()]):
                doc.cites.pop("problems_total", None)
                doc.cite("problems_total", m.start(), m.end())
                return TotalHit(n, li, m.end(), m.start())
    return None


def respective_problems(sent: str, verb: str) -> tuple[int, int, int] | None:
    """The number that goes with the problems where several nouns take their numbers after 分别, in order
    ("建立问题清单、任务清单、责任清单,分别为24项、78项、41项" → 24): (value, start, end) in sent."""
    for m in RESPECTIVE.finditer(sent):
        if not re.fullmatch(verb, m["verb"] or ""):
            continue
        nouns = re.split(r"[、和及与]", m["nouns"])
        nums = list(re.finditer(rf"(?P<n>{NUM})(?:个|项|条|件)", sent[: m.end("nums")]))[-len(nouns):]
        which = [k for k, noun in enumerate(nouns) if "问题" in noun and not re.search(r"线索|意见|建议|自查", noun)]
        if len(nums) == len(nouns) and len(which) == 1 and nums[0].start() >= m.start("nums"):
            at = nums[which[0]]
            return cn_int(at["n"]), at.start(), at.end()  # type: ignore[return-value]
    return None


def _respective_total(doc: Doc, insp: Inspection) -> TotalHit | None:
    for s, e, li in sentences(doc):
        sent = doc.read[s:e]
        if "分别" not in sent or not (hit := respective_problems(sent, r"为|是|有|")):
            continue
        prefix = sent[: sent.find("分别")]
        if not re.search("反馈|指出|问题清单", prefix) or other_count(prefix, insp) or hit[0] < 2:
            continue
        doc.cite("problems_total", s + hit[1], s + hit[2])
        return TotalHit(hit[0], li, s + hit[2], s + hit[1])
    return None


def _broken_down_later(doc: Doc, total: TotalHit) -> TotalHit | None:
    """The total's own problems broken down further on, named by their number: "中央巡视反馈的4个方面16项问题…。
    …将16项问题细化分解为48个具体问题" (the most specific count)."""
    m = next((m for m in BROKEN_DOWN_LATER.finditer(doc.read, total.end) if int(m["n"]) == total.value), None)
    value = chain_value(m["chain"]) if m else None
    if not m or not value or value <= total.value:
        return None
    doc.cites.pop("problems_total", None)
    doc.cite("problems_total", m.start("chain"), m.end("chain"))
    return TotalHit(value, doc.line_at(m.start()), m.end("chain"), m.start("chain"))


def _labelled_total(doc: Doc) -> TotalHit | None:
    """A summary given as labelled lines, the total first: "问题总数：17个" / "已完成整改：14个"."""
    for li in range(len(doc.lines)):
        start, end = doc.line_span(li)
        if m := LABELLED_TOTAL.fullmatch(doc.read, start, end):
            doc.cite("problems_total", start, end)
            return TotalHit(cn_int(m["n"]), li, end, start)  # type: ignore[arg-type]
    return None


def _feedback_broken_down(doc: Doc, insp: Inspection) -> TotalHit | None:
    """The feedback never counted, only the unit's breakdown of it: "市委巡察组的反馈意见…,党总支全面认领,
    逐条梳理细化为15个具体问题、40条整改措施" (the breakdown counts problems by name; not measures)."""
    for s, e, li in sentences(doc):
        sent = doc.read[s:e]
        m = BROKEN_DOWN.search(sent)
        group = "chain" if m and m["chain"] else "n"
        if not m or not (value := chain_value(m["chain"]) if m["chain"] else cn_int(m["n"])) or value < 2:
            continue
        prefix = sent[: m.start()]
        if (re.search("反馈|指出", prefix) and (feedback_context(prefix, insp, len(prefix)) or _feedback_as_object(prefix, insp))
                and not other_count(prefix, insp)):
            doc.cite("problems_total", s + m.start(group), s + m.end(group))
            return TotalHit(value, li, s + m.end(group), s + m.start(group))
    return None


def _feedback_as_object(prefix: str, insp: Inspection) -> bool:
    """ "县委将反馈意见梳理为…", "将反馈的3个方面问题细化为…", "“回头看”指出了3个方面问题,…细化为52个具体问题":
    the unit breaks down the feedback it received,
    which is this inspection's unless another source is named."""
    return (bool(re.search(rf"(?:将|把|对)(?:{KIND})?反馈|(?:反馈|指出)了?{NUM}个方面(?:的)?问题", prefix))
            and not OTHER_FEEDBACK.search(prefix) and not names_other_inspection(prefix, insp))


def names_other_inspection(prefix: str, insp: Inspection) -> bool:
    """ "中央巡视反馈的54个问题中…" in a notice on a provincial inspection: the count is another inspection's."""
    mentions = [m for m in BODY_KIND.finditer(prefix) if names_inspection(m)]
    if mentions:
        return not matches_inspection(mentions[-1]["body"], mentions[-1]["kind"], insp)
    kinds = re.findall(KIND, prefix)
    return bool(kinds) and kinds[-1] != insp.kind


def _problems_with_progress(doc: Doc, insp: Inspection) -> TotalHit | None:
    """Problems counted only where their progress is told ("31个问题中已完成28个"), when the notice tells it
    for one count of problems only (two, "常规巡察的21个问题中…，专项巡察的9个问题中…", are parts, no total)."""
    found: list[tuple[int, int, int, int]] = []
    if not PROGRESS_HINT.search(doc.read):  # one search over the text spares the sentence walk
        return None
    for s, e, li in sentences(doc):
        sent = doc.read[s:e]
        for m in PROBLEMS_WITH_PROGRESS.finditer(sent):
            prefix = sent[: m.start()]
            n, d = cn_int(m["n"]) or 0, cn_int(m["d"]) or 0
            if (n < 2 or d > n or other_count(prefix, insp) or OTHER_FEEDBACK.search(prefix)
                    or names_other_inspection(prefix, insp) or _other_count_before(doc, n, s, insp)
                    or single_inspection_count(re.split(r"[,;]", prefix)[-1], insp)):
                continue
            found.append((n, li, s + m.start(), s + m.end("problems")))
    if len({n for n, *_ in found}) != 1:
        return None
    n, li, start, end = found[0]
    doc.cite("problems_total", start, end)
    return TotalHit(n, li, end, start)


def _other_count_before(doc: Doc, n: int, before: int, insp: Inspection) -> bool:
    """The same number counted earlier as something else's ("将巡察反馈问题与经济责任审计发现问题统筹整改,共梳理
    问题37个。…37个问题已完成整改32个"): the progress is of that count."""
    for s, e, _li in sentences(doc):
        if s >= before:
            return False
        for m in re.finditer(rf"(?<![\d.]){n}\s*(?:个|项|条)", doc.read[s:e]):
            prefix = doc.read[s : s + m.start()]
            # (not where its own clause says it was fed back: "此次“回头看”…,“回头看”共反馈问题11个")
            if other_count(prefix, insp) and "反馈" not in re.split(r"[,;]", prefix)[-1]:
                return True
    return False


def _problems_with_measures(doc: Doc, insp: Inspection) -> TotalHit | None:
    for s, e, li in sentences(doc):
        sent = doc.read[s:e]
        m = PROBLEMS_THEN_MEASURES.search(sent)
        if m and not other_count(sent[: m.start()], insp) and (cn_int(m["n"]) or 0) >= 2:
            doc.cite("problems_total", s + m.start(), s + m.end())
            return TotalHit(cn_int(m["n"]), li, s + m.end("problems"), s + m.start())  # type: ignore[arg-type]
    return None


def _find_total(doc: Doc, insp: Inspection) -> TotalHit | None:
    several: tuple[TotalHit, int, int] | None = None  # a count over several inspected units
    for s, e, li in sentences(doc):
        sent = doc.read[s:e]
        if "问题" not in sent and "意见" not in sent:
            continue
        hit = _total_in(sent, insp)
        if hit is None:
            continue
        # (the count fed back may follow the found one after a semicolon: "共发现问题25个,…;向镇党委反馈问题…22个。")
        whole = doc.read[s : _period_end(doc, e, li)]
        value, start, end = _fed_back_after_found(whole, hit, insp)
        if end > len(sent):
            sent = whole
        unit = _unit_of(sent[start:end])
        apart = None
        if (finer := _breakdown(sent, end)) and finer[0] >= value:
            value, _, end = finer
        else:
            apart = _breakdown_apart(doc, s + end, li, value)
        if apart:
            found = TotalHit(apart[0], li, apart[2], apart[1]), apart[1], apart[2]
        else:
            classes = bool(CLASSES_OF_TOTAL.match(sent[end:]))
            found = TotalHit(value, li, s + end, s + start, unit, classes), s + start, s + end
        if SEVERAL_UNITS.search(sent[:start]):
            several = several or found
            continue
        doc.cite("problems_total", found[1], found[2])
        return found[0]
    if several and insp.team is None:  # with this unit's own team named, the count is the round's
        doc.cite("problems_total", several[1], several[2])
        return several[0]
    return None


def _period_end(doc: Doc, pos: int, line: int) -> int:
    """Where the sentence that `pos` is in ends at a full stop (not a semicolon), within its line."""
    end = doc.lines[line][1]
    stop = doc.read.find("。", pos, end)
    return end if stop < 0 else stop + 1


def _fed_back_after_found(sent: str, hit: tuple[int, int, int], insp: Inspection) -> tuple[int, int, int]:
    """ "共发现问题32个,其中立行立改问题6个,向…反馈问题26个": what the team found includes what was fixed on
    the spot; the count fed back, later in the sentence, is the feedback's."""
    _, start, end = hit
    if not FOUND.search(sent[max(0, start - 8) : end]):
        return hit
    for clause in re.finditer(r"[^,;]+", sent[end:]):  # each clause on its own: the found count's parts precede
        later = _total_in(clause.group(0), insp) if "反馈" in clause.group(0) else None
        if later:
            return later[0], end + clause.start() + later[1], end + clause.start() + later[2]
    return hit


def _total_in(sent: str, insp: Inspection) -> tuple[int, int, int] | None:
    counts = list(COUNT_CHAIN.finditer(sent))
    if len(TEAM_COUNT.findall(sent)) >= 2 and not STATED_SUM.search(sent):
        return None  # per-team counts and no sum stated
    summed = STATED_SUM.search(sent)
    if summed and MEASURE_NOUN_BEFORE.search(sent[: summed.start()]):
        summed = None  # "整改措施共计52条": a sum of measures
    if (summed and len(counts) >= 2 and counts[0].start() < summed.start() and FEEDBACK_CUE.search(sent[: summed.start()])
            and not other_count(sent[: counts[0].start()], insp)
            and not _sum_adds_others(sent[counts[0].end() : summed.start()], insp)):
        return cn_int(summed["n"]), summed.start(), summed.end()  # type: ignore[return-value]
    if parts_sum := _sum_of_parts(sent, insp):
        return parts_sum
    prev_end = 0
    for m in COUNT_CHAIN.finditer(sent):
        prefix = sent[: m.start()]
        local = re.split(r"[,;]", sent[prev_end : m.start()])[-1]
        prev_end = m.end()
        after_noun = bool(PROBLEMS_NOUN_BEFORE.search(prefix)) and not OTHER_THING_AFTER.match(sent[m.end() :])
        value = chain_value(m.group(0), after_noun=after_noun)
        if value is None or value < 2 or prefix.endswith("每"):
            continue
        named = ("反馈" in m.group(0) and not OTHER_FEEDBACK.search(prefix[-20:])  # "23个巡视反馈问题"
                 or bool(SUM_OF_ABOVE.match(prefix)))  # "以上3个方面34个问题": the aspects the body went through
        if not (feedback_context(prefix, insp) or named) or other_count(prefix, insp):
            continue
        if single_inspection_count(local, insp) or _part_count(prefix, sent[m.end() :]) or _subset(local, m.group(0)):
            continue
        if ON_THE_SPOT.match(sent[m.end() :]) or OPEN_AFTER.match(sent[m.end() :]):
            continue
        if DONE_RIGHT_AFTER.match(sent[m.end() :]) and not FEEDBACK_CUE.search(local + m.group(0)):
            continue
        return value, m.start(), m.end()
    for m in COUNT_TRAILING.finditer(sent):
        prefix = sent[: m.end()]
        if single_inspection_count(re.split(r"[,;]", prefix)[-1], insp):
            continue
        if _part_count(sent[: m.start("n")], sent[m.end() :]):
            continue
        names_feedback = m.group(0).startswith("反馈") and not OTHER_FEEDBACK.search(sent)  # "反馈问题:16个"
        if (feedback_context(prefix, insp, 60) or names_feedback) and not other_count(prefix, insp):
            return cn_int(m["n"]), m.start(), m.end()  # type: ignore[return-value]
    for pattern in (COUNT_SPECIFIC_AFTER_MAIN, COUNT_AFTER_ASPECTS, COUNT_STATED_SUM):
        m = pattern.search(sent)
        if m and feedback_context(sent[: m.end()], insp, len(sent)) and not other_count(sent[: m.start()], insp):
            return cn_int(m["n"] or m.groupdict().get("n2")), m.start(), m.end()  # type: ignore[return-value]
    return None


def _subset(local: str, counted: str) -> bool:
    """ "指出了3个方面的问题,其中反映不动产登记领域的问题5个": a part, the whole not counted (but "共3个方面,其中具体
    问题19个" counts all of them, at a finer level)."""
    return local.lstrip().startswith("其中") and not re.search(r"具体|子项|细化", local + counted)


def _sum_adds_others(between: str, insp: Inspection) -> bool:
    """ "反馈的19个问题，同时举一反三…查摆出自查问题7个，…共计26个问题": a sum that adds the unit's own
    (self-check, 举一反三) problems to the feedback's is not the feedback's count (the feedback's own count is);
    classes of the feedback by timing ("立行立改问题6个、限期整改问题21个，共计27个") are its parts, and so are
    its aspects, whatever their names say ("落实巡视、审计等监督发现问题整改方面5个")."""
    return other_count(ASPECT_NAME.sub("", TIMING_CLASS.sub("", between)), insp)


def _sum_of_parts(sent: str, insp: Inspection) -> tuple[int, int, int] | None:
    """A sum stated after the parts it adds up ("巡察反馈的问题中,立行立改问题6个,限期整改问题21个,共27个"):
    the parts adding up to it show what it counts; the feedback is named before them, nothing else is."""
    for m in SUM_AFTER_PARTS.finditer(sent):
        clauses, pos = [], m.start()
        for clause in reversed(re.split(r"(?<=[,、;])", sent[: m.start()])):
            part = PART_CLAUSE.search(clause.rstrip(",、;"))
            if not part and clause.endswith("、") and clauses:  # "落实巡视、审计等…方面5个": one part's name
                first, value, at = clauses[0]
                clauses[0] = (clause + first, value, at + len(clause))
                pos -= len(clause)
                continue
            if not part or PROGRESS_WORD.search(clause):
                break
            clauses.insert(0, (clause, cn_int(part["n"]) or 0, part.start()))
            pos -= len(clause)
        if len(clauses) < 2 or sum(v for _, v, _ in clauses) != cn_int(m["n"]):
            continue
        head = sent[: pos + clauses[0][2]]  # up to the first part's count
        if (feedback_context(head, insp) and not other_count(sent[:pos], insp)
                and not any(other_count(ASPECT_NAME.sub("", TIMING_CLASS.sub("", c)), insp) for c, _, _ in clauses)):
            return cn_int(m["n"]), pos, m.end()  # type: ignore[return-value]
    return None
