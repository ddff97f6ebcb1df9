"""How many problems the feedback raised (`problems_total`) and how many are rectified (`problems_done`).

A count is the total when a sentence ties it to this inspection's feedback ("巡视反馈的4个方面52个问题"),
the most specific count of problems in a chain ("四个方面、15项、47个突出问题" → 47, "细化为79个具体问题"
after the feedback's own count), and not a count of something else (measures, an earlier round, a
self-check, problems fixed on the spot, a round's count over several units). Failing such a sentence: problems
paired with their measures or told with their progress ("31个问题中已完成28个"), or a table's 合计 row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from crawler.text.cndates import NUM, cn_int
from crawler.text.record.chrome import LINK_ITEM
from crawler.text.record.common import (
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
_QUAL = r"主要|具体|突出|重点|共性|各类|子项|子(?=问题)|细化(?=问题)"
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
    rf"^[^。;]{{0,30}}?(?:细化|细分|分解|拆分|梳理|涉及)(?:为|成|形成|出)?(?:了|的)?"
    rf"(?:(?P<chain>(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN})|(?:具体|子项|子)问题(?P<n>{NUM})(?:个|项|条|件))"
)
# The breakdown told in a sentence of its own after the count: "市委第一巡察组反馈意见4个方面22条。局党组…
# 将反馈意见细化为31个具体问题" (its object is the feedback).
BREAKDOWN_APART = re.compile(
    rf"(?:反馈|巡察|巡视)(?:意见|问题)[^。;]{{0,12}}?(?:细化|细分|分解|拆分|梳理)(?:为|成|形成)(?:了)?"
    rf"(?P<chain>(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN})"
)
# ... or with the noun first, the subject the unit ("市委将其细化为具体问题94个…", "集团党委梳理出具体问题45个").
BREAKDOWN_APART_NOUN_FIRST = re.compile(
    rf"(?:细化|细分|分解|拆分|梳理)(?:为|成|形成|出)(?:了)?(?:具体|子项|子)问题(?P<n>{NUM})(?:个|项|条|件)"
)
# The unit's breakdown of feedback it never counted: "逐条梳理细化为15个具体问题", the noun first too:
# "细化为问题清单21项、任务清单57项", "将反馈意见梳理为整改问题28个,分解为整改任务93项".
BROKEN_DOWN = re.compile(
    rf"(?:细化|细分|分解|拆分)(?:为|成|形成)(?:了)?(?P<chain>(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN})"
    rf"|(?:细化|细分|分解|拆分|梳理)(?:为|成|形成|出)(?:了)?(?:整改|具体|子项|子)?问题(?:清单)?[(（]?(?P<n>{NUM})(?:个|项|条|件)"
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
# (the units may be named first: "对市自然资源和规划局等10个市直单位党组织开展了常规巡察")
SEVERAL_UNITS = re.compile(
    rf"对(?:[^,。;]{{0,20}}?等)?{NUM}(?:个|家|所)[^,。;]{{0,8}}?(?:单位|部门|党组织|地方|乡镇|街道|村|社区|学校|企业|医院)"
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
# The sentence speaks about this inspection's feedback: "巡视反馈的", "巡视组指出的", "反馈意见中提出".
FEEDBACK_CUE = re.compile(r"(?:反馈|指出|提出|发现|交办|梳理出|方案)")
# "对照反馈的", "反馈问题共", "反馈问题共涉及" right before a count: this inspection's feedback when nothing
# else is named.
BARE_FEEDBACK = re.compile(r"反馈(?:的|意见中?指出的)?(?:问题)?(?:共计|共|共涉及|涉及|共有)?[:：]?\s*$")  # "反馈问题:"
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
LEADING_ASIDE = re.compile(r"\s*[(（][^()（）]{0,30}[)）]")
ASIDE = re.compile(r"[(（][^()（）]{0,30}[)）]")
# Problems still open, not the feedback's count: "3个问题正在推进", "其余2个尚未完成".
OPEN_AFTER = re.compile(r"^\s*(?:正在|尚在|仍在|尚未|未|还在|持续推进|需要长期)")
# Problems counted as done, in a clause of their own that does not name the feedback: "针对巡察反馈意见指出的问题,
# 截至目前,共计18个问题已整改完成" counts what is done, not what was fed back ("…均已/已全部完成" would be all).
DONE_RIGHT_AFTER = re.compile(r"^\s*(?:已经|已|现已)(?:整改完成|完成整改|整改到位|整改完毕|整改销号)")
# Problems of one kind or one owner, not the whole feedback: "共性问题", "重点问题" a secretary took on,
# "书记领办的23项".
PART_OF_FEEDBACK = re.compile(r"(?:书记|主要负责同志|主要负责人|班子成员|领导)(?:亲自)?(?:领办|督办|牵头|包保|认领)[^,。;]{0,6}$")
# A count restricted to one of the two inspections: "常规巡视反馈的…" or "营商专项巡视反馈的…"
# (both named, "常规巡视和营商环境专项巡视反馈的…", is the overall count).
REGULAR_CUE = re.compile(r"常规")
SPECIAL_CUE = re.compile(r"专项")

# --- done counts -----------------------------------------------------------

# Any count with the noun it counts, on either side: "整改措施126条", "79项整改任务", "21个具体问题".
ANY_COUNT = re.compile(
    rf"(?:措施|任务|举措|事项|问题)?(?:共计|共|合计)?{NUM}(?P<unit>个|项|条|件)(?:具体|主要|整改)?(?:措施|任务|举措|事项|问题)?"
)
# The total restated before a done count: "18个问题中", "38条问题中", "反馈的32个问题".
RESTATED_TOTAL = re.compile(rf"(?P<n>{NUM})(?:个|项|条)(?:具体)?问题")
# A count of measures or tasks, not problems: "整改措施126条", "79项整改任务", "任务共68项".
MEASURE_COUNT = re.compile(
    rf"(?:措施|任务|举措|事项)(?:共计|共|合计)?{NUM}(?:个|项|条|件)(?:具体|主要|整改)?"
    rf"|(?:共计|共|合计)?{NUM}(?:个|项|条|件)(?:具体|主要|整改)?(?:措施|任务|举措|事项)"
)
# Rectified problems, the count after the verb: "已完成整改22个", "已整改到位45项", "已整改销号26个",
# "完成整改28个", "已对账销号16项", "已整改落实到位29个", "已完成整改并销号19项", "已完成整改的有15个",
# "已完成整改数:22个", "已落实整改22个", "整改完毕22个" (but not "未完成整改3个" / "需完成整改…" /
# "基本完成整改的问题44个").
DONE_AFTER = re.compile(
    r"(?:(?:已(?:经)?|现已|目前已?|累计)(?:全部)?(?:完成整改|整改完成|整改完毕|整改落实到位|整改到位|完成整改销号|整改销号|对账销号"
    r"|落实整改|整改落实|整改|销号|办结)"
    r"|(?<![未需待应要尚正本])(?:完成整改|整改完成|整改完毕|整改到位|整改销号))"
    rf"(?:并(?:长期坚持|销号))?(?:的)?(?:问题)?(?:总?数)?(?:共|有)?[:：]?\s*(?P<n>{NUM})(?:个|项|条|件)(?!方面|(?:问题)?中的)"
)
# Rectified problems, the count after the noun: "已完成整改并长期坚持的问题37个".
DONE_NOUN = re.compile(
    rf"已(?:经)?(?:全部)?(?:完成整改|整改完成|整改到位|整改销号|整改)[^,;。]{{0,8}}?的问题(?:共)?(?P<n>{NUM})(?:个|项|条)"
)
# Rectified problems, the count before the verb: "其中45个问题已完成整改", "41个已完成、3个基本完成",
# "28个问题已全部整改完毕" (not "52个问题已完成整改45个").
DONE_BEFORE = re.compile(
    rf"(?P<n>{NUM})(?:个|项|条)(?:问题)?(?:已经|已|均已)(?:全部)?(?:完成整改|整改完成|整改完毕|整改到位|整改销号|对账销号|完成(?!率|整改))"
    r"(?!(?:并(?:销号|长期坚持))?[\d〇零一二三四五六七八九十百])"  # not "21个问题已完成整改并销号19个"
    # without 已 where the noun is said: "19个问题整改到位,2个问题基本完成整改" (not "确保…问题整改到位")
    rf"|(?<![保争动促要])(?P<n2>{NUM})(?:个|项|条)问题(?:整改到位|完成整改|整改完成|整改完毕)(?![\d率])"
)
# Done as "已完成41个问题的整改", "已有22个完成整改".
DONE_OF = re.compile(rf"已(?:经)?完成(?:了)?(?P<n>{NUM})(?:个|项|条)(?:具体)?问题的整改"
                     rf"|已有(?P<n2>{NUM})(?:个|项|条)(?:问题)?(?:完成整改|整改完成|整改到位|整改完毕|销号)")
# Done after the problems it counts, with the bare verb: "16项具体问题已完成13项、正在推进3项".
DONE_OF_SUBJECT = re.compile(
    rf"{NUM}(?:个|项|条)(?:具体|主要|突出)?问题(?:中)?,?\s*(?:已经|已|现已)完成(?:了)?(?P<n>{NUM})(?:个|项|条)"
)
# Done with the bare verb, read only right after the total: "反馈的54个问题,已完成47个".
DONE_SHORT = re.compile(rf"[^。;]{{0,12}}?已(?:经)?完成(?P<n>{NUM})(?:个|项|条)")
# All of them done: "反馈的32个问题已全部整改完成", "…均已整改到位".
DONE_ALL = re.compile(
    r"^,?(?:\s*(?:截至|截止)(?:目前|[^。;,]{0,14}?日)[,，]?)?[^。;,]{0,6}?(?:已|均已|已经)?全部(?:完成整改|整改完成|整改完毕|整改到位|整改销号|完成)"
)
# The measures' own done count right after a done count: "已完成整改15项,完成整改措施51项" (so the 15 are
# problems), "…,整改措施已完成51项".
MEASURES_DONE_APART = re.compile(
    rf"^\s*[,、;]\s*(?:(?:已|共)?(?:完成|落实)(?:了)?(?:整改)?(?:措施|任务|举措)(?:共)?{NUM}"
    rf"|(?:整改)?(?:措施|任务|举措)(?:已|均已)?(?:完成|落实)(?:了)?{NUM})"
)
# A done count summed over the classes told before it: "…,合计已完成整改18个".
SUMMED_DONE = re.compile(
    rf"(?:合计|共计|总计)(?:已经|已)?(?:完成整改|整改完成|整改到位|整改完毕|整改销号|完成)(?:问题)?[:：]?\s*(?P<n>{NUM})(?:个|项|条)"
)
# The feedback's problems, all of them, done: "巡察反馈的问题已全部完成整改", "反馈问题均已整改到位".
ALL_FEEDBACK_DONE = re.compile(
    rf"(?:{KIND})?反馈(?:的|意见指出的)?(?:全部)?问题(?:已经|已|均已|现已)(?:全部)?(?:完成整改|整改完成|整改完毕|整改到位|整改销号)"
)
# A rate of measures, not problems: "整改措施完成率89.1%", "任务完成率".
MEASURES_RATE = re.compile(r"(?:措施|任务|举措)(?:整改)?$")
# A completion rate: "整改完成率73.3%", "问题整改率100%".
DONE_RATE = re.compile(r"(?:整改完成|完成整改|整改|完成|销号)率(?:为|达到|达)?\s*(?P<pct>\d+(?:\.\d+)?)\s*%")
# Done out of the total: "整改完成23个中的20个".
DONE_OUT_OF = re.compile(rf"(?:整改完成|完成整改){NUM}(?:个|项|条)(?:问题)?中的(?P<n>{NUM})(?:个|项|条)")
# A form's done count: "已完成:13个", "已整改:15个".
DONE_LABELLED = re.compile(rf"(?:^|(?<=[\s,;]))(?:已完成|已整改)[:：]\s*(?P<n>{NUM})(?:个|项|条)")
_DONE_PATTERNS = (DONE_NOUN, DONE_AFTER, DONE_BEFORE, DONE_OF, DONE_OF_SUBJECT, DONE_LABELLED, DONE_OUT_OF)
# Done counts given respectively for several subjects, no overall one: "常规巡察反馈问题和专项巡察反馈问题分别已完成
# 整改18个和7个" (the first is one inspection's count, not the feedback's).
RESPECTIVE_BEFORE = re.compile(r"分别(?:已经|已|均已)?$")
# (the next count ends its clause: not "41个已完成、3个基本完成", states of the same problems).
RESPECTIVE_AFTER = re.compile(rf"^\s*(?:[和及、]|以及)\s*{NUM}(?:个|项|条|件)(?=[,。;)]|$)")


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
    """The words before a count tie it to this inspection's feedback ("省委巡视组反馈意见中指出的")."""
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
    """Words that make a count belong to something else (an earlier round, an audit, leftovers)."""
    cues = OTHER_COUNT_CUE.findall(prefix)
    if insp.look_back:
        cues = [c for c in cues if c != "回头看"]
    return (bool(cues) or bool(PART_OF_FEEDBACK.search(prefix)) or _other_round(prefix, insp)
            or _earlier_year(prefix, insp))


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


def _single_inspection_count(local: str, insp: Inspection) -> bool:
    """With a special inspection alongside a regular one, a count for only one of them is not the overall
    count (a special inspection done alone has only its own counts)."""
    if not insp.special_topics or not insp.regular:
        return False
    regular, special = bool(REGULAR_CUE.search(local)), bool(SPECIAL_CUE.search(local))
    return regular != special


def _part_count(prefix: str, rest: str) -> bool:
    """ "共性问题12个、个性问题9个": counts of kinds of problems listed side by side, no sum stated."""
    return bool(PART_COUNT_NEXT.match(rest) or PART_COUNT_PREV.search(prefix))


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
    return (_find_total(doc, insp) or _feedback_broken_down(doc, insp) or _labelled_total(doc)
            or _problems_with_measures(doc, insp) or _problems_with_progress(doc, insp))


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
            and not OTHER_FEEDBACK.search(prefix) and not _names_other_inspection(prefix, insp))


def _names_other_inspection(prefix: str, insp: Inspection) -> bool:
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
                    or _names_other_inspection(prefix, insp)
                    or _single_inspection_count(re.split(r"[,;]", prefix)[-1], insp)):
                continue
            found.append((n, li, s + m.start(), s + m.end("problems")))
    if len({n for n, *_ in found}) != 1:
        return None
    n, li, start, end = found[0]
    doc.cite("problems_total", start, end)
    return TotalHit(n, li, end, start)


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
        hit = _fed_back_after_found(sent, hit, insp)
        value, start, end = hit
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
    if several:
        doc.cite("problems_total", several[1], several[2])
        return several[0]
    return None


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
        if _single_inspection_count(local, insp) or _part_count(prefix, sent[m.end() :]) or _subset(local, m.group(0)):
            continue
        if ON_THE_SPOT.match(sent[m.end() :]) or OPEN_AFTER.match(sent[m.end() :]):
            continue
        if DONE_RIGHT_AFTER.match(sent[m.end() :]) and not FEEDBACK_CUE.search(local + m.group(0)):
            continue
        return value, m.start(), m.end()
    for m in COUNT_TRAILING.finditer(sent):
        prefix = sent[: m.end()]
        if _single_inspection_count(re.split(r"[,;]", prefix)[-1], insp):
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


# --------------------------------------------------------------------------
# done counts


def _done_n(m: re.Match[str]) -> int | None:
    return cn_int(m.groupdict().get("n") or m.groupdict().get("n2"))


def _done_in(sent: str, total: TotalHit | None = None) -> re.Match[str] | None:
    hits = [m for pat in _DONE_PATTERNS for m in pat.finditer(sent)
            if _counts_in_unit(m, total) and not _respective(sent, m) and not _other_level(sent, m, total)]
    if not hits:
        return None
    first = min(hits, key=lambda m: m.start())
    # done counts per kind summed later in the sentence: "共性问题已完成整改8个,个性问题已完成整改15个,合计完成整改23个"
    summed = SUMMED_DONE.search(sent, first.end())
    if summed and (_done_n(summed) or 0) > (_done_n(first) or 0) and _within(summed, total):
        return summed
    return first


def _other_level(sent: str, m: re.Match[str], total: TotalHit | None) -> bool:
    """ "12项问题中已完成整改9项，41个具体问题已整改到位37个" with the total 41: a done count whose subject
    restates a count of problems other than the total counts another level of them (the feedback's
    problems before the unit broke them down), not the total's."""
    if total is None:
        return False
    subject = re.split(r"[,;]", sent[: m.start()])[-1]
    if m.re is DONE_OF_SUBJECT:  # "16项具体问题已完成13项": the subject is inside the match
        subject += m.group(0)[: m.start("n") - m.start()]
    named = list(RESTATED_TOTAL.finditer(subject))
    return bool(named) and cn_int(named[-1]["n"]) != total.value


def _respective(sent: str, m: re.Match[str]) -> bool:
    """ "分别已完成整改18个和7个": one of several counts given respectively, not an overall one."""
    return bool(RESPECTIVE_BEFORE.search(sent[: m.start()]) or RESPECTIVE_AFTER.match(sent[m.end() :]))


def find_problems_done(doc: Doc, insp: Inspection, total: TotalHit | None) -> int | None:
    """Problems stated as rectified (see _find_done); where the total was split into timing classes and no
    done count is stated for all its problems, the one stated for a class of them ("反馈问题23个(其中立行立改
    9个、限期整改14个)… 立行立改的9个问题已全部完成整改，限期整改的14个问题正在推进": 9 are done)."""
    done = _find_done(doc, insp, total)
    if done is None and total is not None and total.classes:
        done = _find_done(doc, insp, replace(total, class_subjects=True))
    return _cumulative_done(doc, insp, total, done)


# A second report's count of all done so far: "首次公开时,22个问题已完成整改14个。…截至9月30日,累计完成整改20个".
CUMULATIVE_DONE = re.compile(rf"累计(?:已经|已)?(?:完成整改|整改完成|整改到位|整改销号)(?:问题)?(?P<n>{NUM})(?:个|项|条)")


def _cumulative_done(doc: Doc, insp: Inspection, total: TotalHit | None, done: int | None) -> int | None:
    """A later count of all the problems done so far (累计) over an earlier report's, or the sum over the
    classes whose own counts came first ("限期整改问题11个,已完成整改9个;…合计已完成整改:17个")."""
    if done is None or total is None:
        return done
    for m in sorted((*CUMULATIVE_DONE.finditer(doc.read, total.end), *SUMMED_DONE.finditer(doc.read, total.end)),
                    key=lambda m: m.start()):
        n = cn_int(m["n"]) or 0
        if done < n <= total.value and not other_count(doc.read[max(0, m.start() - 30) : m.start()], insp):
            doc.cites.pop("problems_done", None)
            doc.cite("problems_done", m.start(), m.end())
            return n
    return done


def _find_done(doc: Doc, insp: Inspection, total: TotalHit | None) -> int | None:
    """Problems stated as rectified: first right after the total (its sentence), then where a sentence (or
    the total's paragraph) is about this feedback; without a total, in a paragraph about the feedback."""
    if total is not None:
        for s, e, _li in sentences(doc):
            if s <= total.end <= e and (m := _done_in(doc.read[total.end : e], total)):
                prefix = ASIDE.sub("", doc.read[s : total.end + m.start()])  # "(含立行立改问题8个)" is an aside
                rest = doc.read[total.end + m.end() : e]
                if (not _other_done(prefix, insp, total) and not _counts_measures(prefix, m.group(0), rest)
                        and _within(m, total)):
                    doc.cite("problems_done", total.end + m.start(), total.end + m.end())
                    return _done_n(m)
    elif (done := _done_in_feedback_paragraph(doc, insp)) is not None:
        return done
    rate_done = None
    for s, e, li in sentences(doc):
        sent = doc.read[s:e]
        near_total = total is not None and li == total.line and e > total.end - 1
        m = _done_count(sent, insp, near_total, total)
        if m is not None:
            doc.cite("problems_done", s + m.start(), s + m.end())
            return _done_n(m)
        if total is not None and total.line < li <= total.line + FOLLOWING_LINES:  # next lines too
            # "二、整改进展情况 / 截至目前,已完成整改22条": the progress paragraph after the total.
            m = _done_count(sent, insp, True, total)
            if m is not None and (_done_n(m) or 0) <= total.value:
                doc.cite("problems_done", s + m.start(), s + m.end())
                return _done_n(m)
        if near_total and s <= total.end <= e:  # type: ignore[union-attr]
            after = doc.read[total.end : e]  # type: ignore[union-attr]
            if (done_end := _all_done_after(after)) is not None:
                doc.cite("problems_done", total.start, total.end + done_end)  # type: ignore[union-attr]
                return total.value  # type: ignore[union-attr]
            if m := DONE_SHORT.match(after):
                doc.cite("problems_done", total.end + m.start(), total.end + m.end())  # type: ignore[union-attr]
                return cn_int(m["n"])
        if total is not None and rate_done is None and (near_total or feedback_context(sent, insp, len(sent))):
            r = DONE_RATE.search(sent)
            if r and not other_count(sent[: r.start()], insp) and not _rate_of_measures(sent[: r.start()]):
                rate_done = (round(total.value * float(r["pct"]) / 100), s + r.start(), s + r.end())
    if total is not None and (late := _done_later(doc, insp, total)) is not None:
        return late
    if total is not None and (every := _all_of_feedback_done(doc, insp, total)) is not None:
        return every
    if rate_done:
        doc.cite("problems_done", rate_done[1], rate_done[2])
        return rate_done[0]
    return None


def _done_later(doc: Doc, insp: Inspection, total: TotalHit) -> int | None:
    """ "截至8月31日,已完成整改15个" in a later section, its subject the problems counted above: the first
    plain done count after the total that counts no more than it and nothing else."""
    for s, e, _li in sentences(doc):
        if s < total.end:
            continue
        sent = doc.read[s:e]
        m = next((x for x in DONE_AFTER.finditer(sent) if not _respective(sent, x) and not _other_level(sent, x, total)),
                 None)
        measures_apart = bool(m and MEASURES_DONE_APART.match(sent[m.end() :]))
        if (m and _counts_in_unit(m, total) and (_done_n(m) or 0) <= total.value and not _other_done(sent[: m.end()], insp, total)
                and not _counts_measures(sent[: m.start()], m.group(0), sent[m.end() :])
                and (measures_apart or not MEASURE_COUNT.search(sent[: m.start()]))
                and not _single_inspection_count(sent[: m.start()], insp)):
            doc.cite("problems_done", s + m.start(), s + m.end())
            return _done_n(m)
    return None


def _done_in_feedback_paragraph(doc: Doc, insp: Inspection) -> int | None:
    """No single total (counts per inspection): a done count in the paragraph that gives the feedback's
    counts ("对照常规巡察反馈的…21个问题和专项巡察反馈的…9个问题…。截至11月30日,已完成整改24个")."""
    for ls, le in doc.lines:
        line = doc.read[ls:le]
        m = _done_in(line)
        if m is None:
            continue
        if (summed := SUMMED_DONE.search(line)) and feedback_context(line[: summed.start()], insp, len(line)):
            doc.cite("problems_done", ls + summed.start(), ls + summed.end())  # "合计已完成整改18个"
            return cn_int(summed["n"])
        prefix = line[: m.start()]
        counted = [c for c in COUNT_CHAIN.finditer(prefix) if chain_value(c.group(0)) and m.start() - c.end() <= 120
                   and feedback_context(prefix[: c.start()], insp) and not other_count(prefix[: c.start()], insp)]
        if (counted and not other_count(prefix[counted[-1].end():], insp)
                and not _counts_measures(prefix, m.group(0)) and len(TEAM_COUNT.findall(line)) < 2):
            doc.cite("problems_done", ls + counted[0].start(), ls + m.end())
            return _done_n(m)
    return None


def _all_of_feedback_done(doc: Doc, insp: Inspection, total: TotalHit) -> int | None:
    """ "巡察反馈的问题已全部完成整改" after the total, no count restated, or the total restated in a later
    sentence ("区委巡察组反馈的16个问题(其中…),截至目前已全部整改完成"): all of them are done."""
    for m in ALL_FEEDBACK_DONE.finditer(doc.read, total.end):
        clause = re.split(r"[,;。]", doc.read[max(0, m.start() - 30) : m.start()])[-1]
        if not other_count(clause, insp) and not TIMING_CLASS.search(clause):
            doc.cite("problems_done", m.start(), m.end())
            return total.value
    for s, e, _li in sentences(doc):
        if s < total.end:
            continue
        sent = doc.read[s:e]
        for m in RESTATED_TOTAL.finditer(sent):
            if (cn_int(m["n"]) == total.value and (done_end := _all_done_after(sent[m.end() :])) is not None
                    and feedback_context(sent[: m.start()], insp) and not other_count(sent[: m.start()], insp)):
                doc.cite("problems_done", s + m.start(), s + m.end() + done_end)
                return total.value
    return None


def _all_done_after(after: str) -> int | None:
    """Where "…已全部整改完成" right after a count ends, past an aside in brackets ("16个问题(其中…5个),截至目前
    已全部整改完成")."""
    skip = aside.end() if (aside := LEADING_ASIDE.match(after)) else 0
    done = DONE_ALL.search(after[skip:])
    return skip + done.end() if done else None


def _rate_of_measures(prefix: str) -> bool:
    """ "制定整改措施94条,已完成整改94条,整改完成率100%": the rate follows a done count of measures."""
    if MEASURES_RATE.search(prefix):  # "整改措施完成率89.1%": the rate's own noun
        return True
    done = _done_in(prefix)
    return done is not None and _counts_measures(prefix[: done.start()], done.group(0))


def _restates_total(prefix: str, total: TotalHit | None) -> bool:
    """ "截至目前,18个问题中已整改到位15个": the sentence counts the same problems as the total."""
    if total is None:
        return False
    return any(cn_int(m["n"]) == total.value for m in RESTATED_TOTAL.finditer(prefix))


def _done_count(sent: str, insp: Inspection, near_total: bool, total: TotalHit | None = None) -> re.Match[str] | None:
    """A done count in a sentence next to the total or itself about this feedback."""
    m = _done_in(sent, total)
    if m is None or not _within(m, total):
        return None
    prefix = sent[: m.start()]
    tied = (near_total or feedback_context(prefix, insp, 60) or _restates_total(prefix + m.group(0), total)
            or _all_of_total(m, total) or _rest_makes_total(sent[m.end() :], m, total))
    if _names_other_inspection(prefix, insp):  # "其中,省委巡视反馈涉及我局的问题7个,已整改到位6个"
        return None
    if (tied and not _other_done(prefix + m.group(0), insp, total) and not _counts_measures(prefix, m.group(0), sent[m.end() :])
            and (near_total or not _single_inspection_count(prefix, insp))):
        return m
    return None


def _other_done(prefix: str, insp: Inspection, total: TotalHit | None = None) -> bool:
    """other_count for a done count, whose subject may be classes of the feedback's problems named together
    ("立行立改和限期整改的36个问题已全部完成整改": not problems fixed on the spot), or one class of a total
    split into them (TotalHit.class_subjects)."""
    if total is not None and total.class_subjects:
        prefix = TIMING_CLASS.sub("", prefix)
    return other_count(JOINT_CLASSES.sub("", prefix), insp) or bool(EARLIER_REPORT.search(re.split(r"[;。]", prefix)[-1]))


# An earlier report's progress, which a later count of the same report supersedes: "在第一次通报时,…已完成整改29个",
# "第一阶段,…已完成整改18个问题".
EARLIER_REPORT = re.compile(r"第[一二三]次(?:通报|公开|公布)|首次(?:通报|公开|公布)|上次(?:通报|公开|公布)|第一阶段")


# The problems left after a done count: "已完成整改16个问题,剩余3个问题正在推进", "19个问题整改到位,2个问题基本完成整改".
REST_AFTER = re.compile(rf"\s*(?:问题)?[,，;；]\s*(?:剩余|其余|余下|还有|尚有|另有)?(?:的)?(?P<n>{NUM})(?:个|项|条)")


def _rest_makes_total(after: str, m: re.Match[str], total: TotalHit | None) -> bool:
    """The done count and the rest after it add up to the total: its subject is the total's problems."""
    rest = REST_AFTER.match(after)
    return bool(total is not None and rest and (_done_n(m) or 0) + (cn_int(rest["n"]) or 0) == total.value)


def _all_of_total(m: re.Match[str], total: TotalHit | None) -> bool:
    """ "28个问题已全部整改完毕": the done count names the total itself as its subject."""
    return total is not None and m.re is DONE_BEFORE and _done_n(m) == total.value


def _within(m: re.Match[str], total: TotalHit | None) -> bool:
    """More problems done than were raised is a count of something else (measures, tasks)."""
    return total is None or (_done_n(m) or 0) <= total.value


def _counts_in_unit(m: re.Match[str], total: TotalHit | None) -> bool:
    """A done count in 件 counts problems only where the problems were counted in 件 ("共反馈问题21件 …
    已完成整改18件"); elsewhere 件 counts petitions and clues ("信访件15件,已办结12件")."""
    return not re.search(rf"{NUM}件", m.group(0)) or (total is not None and total.unit == "件")


def _counts_measures(prefix: str, done: str, rest: str = "") -> bool:
    """ "制定整改措施126条,已完成整改118条": the done count follows a count of measures or tasks in the
    same unit (条/条), so it counts those; one that names problems or changes unit ("措施139条,已完成整改
    38个") does not, nor one whose measures' own done count follows ("…已完成整改15项,完成整改措施51项")."""
    if "问题" in done or MEASURES_DONE_APART.match(rest):
        return False
    counts = list(ANY_COUNT.finditer(prefix))
    if not counts or not MEASURE_COUNT.fullmatch(counts[-1].group(0)):
        return False
    unit = re.search(r"[个项条件]", done[::-1])
    return bool(unit) and unit.group(0) == counts[-1]["unit"]  # type: ignore[union-attr]


# --------------------------------------------------------------------------
# counts in a table

# A table of the feedback's problems, as text: cells split by spaces, tabs or bars on a line, or one cell a line
# (as pages' tables are extracted). A header names the problems' count and the done count; a 合计 row sums them:
# "序号 问题类别 问题数 已整改 整改中 / 1 …方面 6 5 1 / … / 合计 20 18 2".
TABLE_CELL = re.compile(r"[^ \t|]+")
TABLE_TOTAL_COL = re.compile(r"^(?:(?:巡视|巡察)?反馈)?问题(?:总)?(?:数|个数|数量)(?:\([个项条]\))?$")
TABLE_DONE_COL = re.compile(
    r"^(?:已整改|已完成|已完成整改|完成整改|整改完成|已整改完成|已整改到位|已销号)(?:问题)?(?:数|个数|数量)?(?:\([个项条]\))?$"
)
TABLE_SUM_ROW = re.compile(r"^(?:合计|总计|共计)$")
NUMBER_CELL = re.compile(r"^\d+$")
TABLE_HEADER_WORD = re.compile(r"问题(?:总)?(?:数|个数|数量)(?:\([个项条]\))?(?=[ \t|\n])")
TABLE_SUM_WORD = re.compile(r"(?:合计|总计|共计)(?=[ \t|\n])")
# How far before its header the text may say the table is the feedback's ("巡察反馈问题整改情况如下表").
TABLE_CONTEXT = 80
# How many cells after the header the 合计 row may come.
TABLE_ROWS = 120


def _table_counts(doc: Doc, insp: Inspection) -> tuple[TotalHit, int | None] | None:
    """The total (and done count) in the 合计 row of a table of the feedback's problems; its numbers are
    read from the right, under the header's last columns (a 合计 cell may span the first ones)."""
    if not (TABLE_HEADER_WORD.search(doc.read) and TABLE_SUM_WORD.search(doc.read)):  # most notices have no table
        return None
    cells = [(m.group(0), ls + m.start(), ls + m.end(), li)
             for li, (ls, le) in enumerate(doc.lines) for m in TABLE_CELL.finditer(doc.read[ls:le])]
    for i, (text, start, _end, _li) in enumerate(cells):
        if not TABLE_TOTAL_COL.match(text):
            continue
        header = [text]
        one_a_line = i + 1 < len(cells) and cells[i + 1][3] != cells[i][3]
        for cell in cells[i + 1 : i + 8]:
            if NUMBER_CELL.match(cell[0]) or len(cell[0]) > 12 or (not one_a_line and cell[3] != cells[i][3]):
                break  # a header on one line ends with it: the next row may start with a name, not a number
            header.append(cell[0])
        done_col = next((c for c, h in enumerate(header) if TABLE_DONE_COL.match(h)), None)
        before = doc.read[max(0, start - TABLE_CONTEXT) : start]
        if done_col is None or "反馈" not in before + text or other_count(before, insp):
            continue
        after = cells[i + len(header) : i + len(header) + TABLE_ROWS]
        row = next((k for k, cell in enumerate(after) if TABLE_SUM_ROW.match(cell[0])), None)
        if row is None:
            continue
        nums = []
        for cell in after[row + 1 :]:
            if not NUMBER_CELL.match(cell[0]):
                break
            nums.append(cell)
        if len(nums) < len(header):
            continue
        first = len(nums) - len(header)
        total_cell, done_cell = nums[first], nums[first + done_col]
        total, done = int(total_cell[0]), int(done_cell[0])
        if total < 2 or done > total:
            continue
        doc.cite("problems_total", total_cell[1], total_cell[2])
        doc.cite("problems_done", done_cell[1], done_cell[2])
        return TotalHit(total, total_cell[3], total_cell[2], total_cell[1]), done
    return None


def read_problem_counts(doc: Doc, insp: Inspection) -> tuple[int | None, int | None]:
    total = find_problems_total(doc, insp)
    if total is None and (table := _table_counts(doc, insp)):
        return table[0].value, table[1]
    done = find_problems_done(doc, insp, total)
    return (total.value if total else None), done
