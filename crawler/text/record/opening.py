"""The opening paragraph's facts: which inspection (kind, body, team, term, round), when it was on site,
when it fed back, and its special topics.

"根据省委统一部署,2023年9月21日至11月30日,十三届省委第三巡视组对…进行了常规巡视和营商环境专项巡视。
2024年1月7日,省委巡视组向…反馈了巡视意见。" Each fact has its own patterns and is read on its own, so a part
of the sentence that cannot be read (a date that lost characters) loses nothing else.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from crawler.text.cndates import NUM, PartialDate, cn_int, resolve_sequence, year_int
from crawler.text.record.chrome import is_chrome, is_title
from crawler.text.record.common import (
    ACTION_AFTER_DATE,
    ANY_ROUND,
    BODY,
    DATE,
    DAY,
    KIND,
    LEVEL,
    MODE,
    MONTH,
    ROUND_NO,
    YEAR,
    Inspection,
    body_name,
    date_part,
    dated_elsewhere,
    matches_inspection,
    names_inspection,
    round_int,
)
from crawler.text.record.doc import Doc, Span

# --- the inspection --------------------------------------------------------


# "省委第八巡视组", "市委第二巡察组", "中央第十五巡视组", "十三届省委第四轮巡视第三巡视组", "市委巡察三组",
# "市委巡察第一组", "市委第二轮第二巡察组", "市委第三专项巡察组", "县委巡察第23组", "市委第六轮提级交叉巡察第三巡察组",
# "市委巡察组第三组", "市委三巡察组".
TEAM = re.compile(
    rf"(?P<body>{BODY})(?:{ROUND_NO}轮(?:{MODE}*{KIND})?)?"
    rf"(?:第?(?P<team>{NUM}){MODE}*(?P<kind>{KIND})组|{MODE}*(?P<kind_b>{KIND})(?:组)?{MODE}?第?(?P<team_b>{NUM})组)"
)
# A team named without its number: "省委巡视组", "中央巡视组", "市委巡察组", "县委机动巡察组", "区委4个巡察组",
# "市委第六轮巡察组".
BODY_TEAM = re.compile(rf"(?P<body>{BODY})(?:{ANY_ROUND})?(?:{NUM}个)?{MODE}*(?P<kind>{KIND})组")
# The inspection itself when no team is named: "省委巡视", "县委第三轮巡察", "十三届省委巡视".
BODY_KIND = re.compile(rf"(?P<body>{BODY})(?:{ANY_ROUND})?{MODE}*(?P<kind>{KIND})")
# One team's name after the committee: "第三巡察组", "第二交叉巡察组", "巡察二组", "巡察第3组".
_TEAM_NAME = rf"(?:第?{NUM}{MODE}*{KIND}组|{MODE}*{KIND}组?第?{NUM}组)"
# Several teams at once name no team: "区委组建4个巡察组", "市委3个巡察组", "第一、第二巡察组",
# "县委第二巡察组、第六巡察组", "区委第一巡察组和区委第三巡察组".
SEVERAL_TEAMS = re.compile(
    rf"{NUM}个{MODE}*{KIND}组|第{NUM}(?:[、和及至]第?{NUM})+{MODE}*{KIND}组"
    rf"|{_TEAM_NAME}(?:[、和及与]|以及)(?:{BODY})?{_TEAM_NAME}"
)
# A team's earlier inspection: "县委第一巡察组曾对…开展巡察".
EARLIER_TEAM = re.compile(r"[^。;,]{0,6}?曾(?:经)?(?:对|在|于)")
# What a team did to be this unit's team: "…对区卫生健康局党组进行了巡察".
DID_INSPECT = re.compile(rf"[^。;]{{0,40}}?对[^。;]{{1,40}}?(?:进行|开展|实施)了?[^。;]{{0,12}}?{KIND}")
# A team named with no committee before it, the committee named elsewhere ("根据县委巡察工作统一部署，
# 巡察第三组对…", a title's "县委第五轮巡察" and an opening's "第二巡察组对…"): at a clause's start, or after a level
# ("区级交叉巡察第18组", the committees named in the deployment).
BARE_TEAM = re.compile(
    rf"(?:(?<![\u4e00-\u9fff])|(?<=由)|(?<=[省市县区]级))(?:(?:第|(?<=[。;])|^)(?P<team>{NUM}){MODE}*(?P<kind>{KIND})小?组"
    rf"|{MODE}*(?P<kind_b>{KIND})第?(?P<team_b>{NUM})组)"
)
# The committee whose deployment a notice opens with: "根据区委统一部署", "按照市委巡察工作领导小组安排".
DEPLOYED_BY = re.compile(rf"(?:根据|按照)党?(?P<body>{BODY})(?:巡察工作领导小组|巡视工作领导小组)?(?:的)?(?:统一)?(?:部署|安排)")
# A team named by its modes alone, at a clause's start: "市县联动巡察组对…", "机动巡察组".
UNNUMBERED_TEAM = re.compile(rf"(?<![\u4e00-\u9fff]){MODE}*(?P<kind>{KIND})组(?=对|于|在|进驻)")
# The body and kind of several teams named together: "县委第一、第二巡察组".
TEAMS = re.compile(rf"(?P<body>{BODY})第{NUM}(?:[、和及至]第?{NUM})+{MODE}*(?P<kind>{KIND})组")
# Term and round: "十三届省委第四轮巡视", "十三届省委第四轮整改", "十一届省委巡视", "第十四届县委第二轮巡察".
_QUALIFIER = r"(?:[\u4e00-\u9fff]{1,4}?(?=党委|党组)|自治(?=[县州旗]委))?"  # "十四届校党委", "十届州党委", "十五届自治县委"
# Right after the term a round may leave out its 第: "区委三届二轮巡察", "县委十四届五轮巡察".
_ROUND_AFTER_TERM = rf"(?:{ROUND_NO}|(?P<round_b>{NUM}))轮"
# A term's number; "新一届区委" names the new term, not the first.
_TERM = rf"(?<![新本上下])(?P<term>{NUM})"
TERM_ROUND = re.compile(
    rf"{_TERM}届{_QUALIFIER}(?P<body>{BODY})(?:{_ROUND_AFTER_TERM}(?:{MODE}*(?P<kind>{KIND}))?|(?P<kind2>{MODE}{KIND}|{KIND}))"
)
# Term with the team and no round: "十三届省委第五巡视组", "八届市委巡察四组".
TERM_TEAM = re.compile(rf"(?P<term>{NUM})届(?P<body>{BODY})(?:第{NUM}{MODE}*(?P<kind>{KIND})组|(?P<kind2>{KIND}){NUM}组)")
# Term written after the committee: "区委十届第三轮巡察", "市委第十四届第二轮巡察".
TERM_AFTER_BODY = re.compile(
    rf"(?P<body>{BODY})第?{_TERM}届(?:{_ROUND_AFTER_TERM}(?:{MODE}*(?P<kind>{KIND}))?|(?P<kind2>{MODE}{KIND}|{KIND}))"
)
# Term inside the committee's full name: "中共宁川县第十四届委员会第三轮巡察" (body: the level, 县).
TERM_IN_NAME = re.compile(
    rf"(?P<body>[{LEVEL}])第?(?P<term>{NUM})届委员会(?:{ROUND_NO}轮(?:{MODE}*(?P<kind>{KIND}))?|(?P<kind2>{MODE}?{KIND}))"
)
# Term inside an organisation's committee's full name, with its round: "中共某理工大学第三届委员会第四轮巡察".
TERM_IN_ORG_NAME = re.compile(rf"(?P<body>)第?(?P<term>{NUM})届委员会{ROUND_NO}轮(?:{MODE}*(?P<kind>{KIND}))")
# Term and round without the committee's name: "十四届第五轮巡察", "十二届第三轮巡察反馈问题".
TERM_ROUND_BARE = re.compile(rf"(?P<body>){_TERM}届{_ROUND_AFTER_TERM}{MODE}*(?P<kind>{KIND})")
# The committee's term where it orders the inspection: "根据十六届旗委统一部署" (not "二十届中央纪委…全会").
TERM_BODY = re.compile(rf"{_TERM}届(?P<body>{BODY})(?!纪委|委员会|全会|[一二三四五六七八九十]+中全会|第{NUM}次)")
# A round named without the term: "省委第四轮巡视", "市委第三轮巡察", "市委2023年第二轮巡察".
ROUND = re.compile(rf"(?P<body>{BODY})(?:\d{{4}}年度?|本届|新一届)?{ROUND_NO}轮{MODE}*(?P<kind>{KIND})")
# The round written on the inspection itself, in the opening: "开展了第五轮常规巡察".
ROUND_BARE = re.compile(rf"(?P<body>)(?<!届){ROUND_NO}轮{MODE}*(?P<kind>{KIND})")
# The round in brackets after the team or the inspection: "县委第三巡察组（第六轮）", "关于县委巡察（第7轮）反馈意见…".
BRACKET_ROUND = re.compile(
    rf"(?P<body>{BODY})(?:第?{NUM}{MODE}*)?{MODE}*(?P<kind>{KIND})(?:第?{NUM})?组?\s*[(（]\s*{ROUND_NO}轮\s*[)）]"
)
# The round whose report the committee's leaders heard, a meeting the notice studied: "认真学习省委…书记听取第二轮巡视
# 汇报时的讲话精神" (the hearing of the round this inspection was part of).
HEARD_ROUND = re.compile(rf"听取(?P<body>{BODY})?(?:\d{{4}}年度?)?{ROUND_NO}轮{MODE}*(?P<kind>{KIND})(?:工作)?(?:情况)?(?:的)?汇报")
# This round, its number in brackets: "区委本轮（第三轮）巡察派出5个巡察组".
THIS_ROUND = re.compile(rf"(?P<body>{BODY})本轮\s*[(（]\s*{ROUND_NO}轮\s*[)）]\s*{MODE}*(?P<kind>{KIND})")
# A form's round: "巡察轮次:县委第九轮", "巡察轮次:十四届县委第三轮".
LABELLED_ROUND = re.compile(rf"(?P<kind>{KIND})轮次[:：]\s*(?:{NUM}届)?(?P<body>{BODY})?(?:\d{{4}}年度?)?{ROUND_NO}轮")
# A title that names the round with no committee before it: "关于2023年第二轮巡察整改进展情况的通报",
# "关于2023年第二轮县委巡察…".
TITLE_ROUND = re.compile(rf"关于(?:\d{{4}}年度?)?{ROUND_NO}轮(?:{BODY})?{MODE}*(?:{KIND})")
# Words that name an earlier inspection beside this one.
# ("这是继2018年十届市委第四轮巡察后…再次巡察": 继…后 follows an earlier one; 继续 is no such word)
EARLIER = re.compile(r"上轮|上一轮|前一轮|上次|此前|前次|继(?![续而])")
# The opening also tells "回头看" inspections apart.
LOOK_BACK = re.compile(r"回头看")

# --- the dates -------------------------------------------------------------

# The on-site period: "2023年9月21日至11月30日", "2023年9月22日—11月30日", "9月5日至28日".
# ("自2022年8月29日起至10月14日", "自2023年10月16日起,至12月15日结束": 起 before 至 marks the start;
# "2024年3月4日至同年4月30日", "2023年11月13日至次年1月19日": the end's year told by the start's;
# "从2023年9月11日开始至10月27日结束" as 起.)
RANGE = re.compile(
    rf"{DATE}\s*(?:(?:起|开始)\s*,?\s*)?(?:至|到|—+|–|-|~|～|－)\s*"
    rf"(?:(?P<y2>{YEAR})\s*年\s*|(?P<rel2>同年|当年|次年|翌年))?(?:(?P<m2>{MONTH})\s*月\s*)?(?P<d2>{DAY})\s*[日号]"
)
# The on-site work resumed after a break: "2021年1月10日至2月6日、2月21日至3月24日" (the period ends with the
# second part).
RESUMED = re.compile(
    rf"\s*[、,，和及]\s*(?:(?P<m>{MONTH})\s*月\s*)?(?P<d>{DAY})\s*[日号]\s*(?:至|到|—+|–|-|~|～|－)\s*"
    rf"(?:(?P<y2>{YEAR})\s*年\s*)?(?:(?P<m2>{MONTH})\s*月\s*)?(?P<d2>{DAY})\s*[日号]"
)
# Years told by another date's: the same one, or the next.
RELATIVE_YEAR = {"同年": 0, "当年": 0, "次年": 1, "翌年": 1}
# The period as arrival and end: "于2022年3月1日进驻桐溪县开展常规巡视,至4月30日结束巡视工作",
# "2023年9月18日,巡察组进驻…,11月17日完成现场巡察工作后撤离".
ENTRY_RANGE = re.compile(
    rf"{DATE}[^。;]{{0,40}}?进驻[^。;]{{0,40}}?[,]?\s*(?:至|到|于)?\s*(?:(?P<y2>{YEAR})\s*年\s*)?(?:(?P<m2>{MONTH})\s*月\s*)?"
    rf"(?P<d2>{DAY})\s*[日号](?:前)?[^。;,]{{0,16}}?(?:结束|撤离|离开|完成)"
)
# A form's arrival and leaving: "进驻时间:2019年4月8日 撤离时间:2019年5月10日".
LABELLED_ENTRY = re.compile(
    rf"进驻(?:时间|日期)[:：]\s*{DATE}\s*(?:撤离|结束|离开)(?:时间|日期)[:：]\s*(?:(?P<y2>{YEAR})\s*年\s*)?"
    rf"(?:(?P<m2>{MONTH})\s*月\s*)?(?P<d2>{DAY})\s*[日号]"
)
# A period whose first day lost its 月 and cannot be read one way ("2023年111日", 1-11 or 11-1) but whose
# last day can: "2023年111日至12月30日" gives the end only.
# So does a period that begins in a part of a month: "2025年3月中旬至4月30日".
END_ONLY = re.compile(rf"(?P<y>{YEAR})\s*年\s*(?:\d{{3,4}}\s*[日号]|{MONTH}\s*月\s*(?:[上中下]旬|初))\s*(?:至|到|—+|-)\s*"
                      rf"(?:(?P<y2>{YEAR})\s*年\s*)?(?P<m2>{MONTH})\s*月\s*(?P<d2>{DAY})\s*[日号]")
# ... or arrives then and ends on a day: "2025年3月中旬,县委第二巡察组进驻县公安局…,4月30日结束进驻".
ENTRY_END_ONLY = re.compile(
    rf"(?P<y>{YEAR})\s*年\s*{MONTH}\s*月\s*(?:[上中下]旬|初)[^。;]{{0,40}}?进驻[^。;]{{0,40}}?[,]?\s*(?:至|到|于)?\s*"
    rf"(?:(?P<y2>{YEAR})\s*年\s*)?(?P<m2>{MONTH})\s*月\s*(?P<d2>{DAY})\s*[日号][^。;,]{{0,16}}?(?:结束|撤离|离开|完成)"
)
# A period named by its season: "2024年一季度", "2023年上半年" (it dates a feedback written without a year).
SEASON = re.compile(r"(?P<y>\d{4})\s*年\s*(?:第?(?P<q>[一二三四1-4])季度|(?P<half>上|下)半年)")
# A period whose end is not given to the day: "自2023年10月12日起…为期两个月", "2023年11月6日至12月底",
# "于2023年11月6日进驻", an end damaged in copying.
# (the team between the day and its entry: "2021年3月15日,县委第四巡察组开始进驻县卫生健康局")
START_ONLY = re.compile(
    rf"(?:自\s*|从\s*)?{DATE}\s*(?:起|开始|进驻|(?:至|到)\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月\s*(?:底|末|中旬|下旬|上旬)"
    rf"|(?:至|到)\s*\d{{1,2}}\s*月\s*\d{{1,2}}(?![\d日号])"  # the end's 日 lost in copying: "2025年3月11日至6月6区委…"
    rf"|,?\s*[^。;,]{{0,20}}?{KIND}组(?:开始)?进驻)"
)
# The team leaving, told after its arrival: "2023年4月10日,市委第二巡察组进驻…。…6月9日,巡察组结束现场巡察工作".
LEFT = re.compile(
    rf"(?:(?P<y2>{YEAR})\s*年\s*)?(?P<m2>{MONTH})\s*月\s*(?P<d2>{DAY})\s*[日号]\s*[,，]?\s*[^。;,]{{0,12}}?"
    rf"(?:结束|撤离|离开)(?:了)?(?:现场|驻点)?(?:{KIND})?"
)
# A period given by months only: "2019年10月至2020年1月", "2021年4月至6月", "2021年10月中旬至12月中旬";
# it names no day, but its years date a feedback written without one ("7月26日反馈").
MONTH_RANGE = re.compile(
    rf"(?P<y>{YEAR})\s*年\s*(?P<m>{MONTH})\s*月(?:[上中下]旬|初|中|底)?\s*(?:至|到|—+|–|-|~|～|－)\s*"
    rf"(?:(?P<y2>{YEAR})\s*年\s*)?(?P<m2>{MONTH})\s*月(?!\s*{DAY}\s*[日号])"
)
# The feedback: "12月30日,省委巡视组向相城区委反馈了巡视意见", "并于2024年1月7日向和平区委反馈了巡视意见".
FEEDBACK_AFTER = re.compile(rf"{DATE}[^。;!?]{{0,60}}?反馈")
# The feedback told after a long clause in the same sentence: "2021年8月28日,中央第五巡视组组长…传达了
# …重要指示精神,并代表中央巡视组向省委领导班子反馈了巡视情况".
FEEDBACK_AFTER_WIDE = re.compile(rf"{DATE}[^。;!?]{{0,140}}?反馈了?(?:巡视|巡察)(?:意见|情况)")
# The feedback with the date after the verb: "反馈会于2024年1月7日召开", "反馈意见于1月7日…".
FEEDBACK_BEFORE = re.compile(rf"反馈(?:[^。;,!?]{{0,15}}?于|(?:时间|日期)\s*(?:为|是|:))\s*{DATE}")  # "反馈时间为2022年6月17日"
# A paragraph that opens with the team and then dates its feedback: "市委第六巡察组于2022年12月20日向…反馈".
FEEDBACK_TEAM_LEAD = re.compile(rf"[^。,;]{{0,30}}?{KIND}组[^。,;]{{0,6}}?(?:于|在)\s*{DATE}")
# What marks the feedback of this inspection: "反馈了巡视意见", "巡视组…反馈", "召开反馈会".
FEEDBACK_OBJECT = re.compile(r"(?:巡视|巡察)(?:组|意见|情况|反馈)|反馈(?:意见|会)")
# A later meeting about the feedback, not the feedback: "召开巡视反馈意见整改工作部署会".
FEEDBACK_LATER = re.compile(r"(?:意见|问题)?(?:整改|落实)")
# A meeting held on the date, named before the word 反馈 comes: the meeting is not the feedback's.
MEETING_BEFORE = re.compile(r"召开[^。;]*?会")
# Feedback by someone else in the same paragraph: "省纪委办公厅…反馈了审核意见", audit findings.
FEEDBACK_OTHER = re.compile(r"审核|审计|纪委|办公厅|组织部|督查|评估")

# --- special topics --------------------------------------------------------

# "进行了常规巡视和营商环境专项巡视", "常规+营商环境专项巡视", "乡村振兴、营商环境专项巡察".
SPECIAL = re.compile(rf"专项(?P<kind>{KIND})(?!组|\d|[一二三四五六七八九十]+组|检查)")
# A team named 专项 ("市委第三专项巡察组", "专项巡察二组"): it names the team, not a topic ...
SPECIAL_TEAM = re.compile(rf"第?{NUM}?专项{KIND}(?:第?{NUM})?组")
# ... unless the team is named by its topic: "市委乡村振兴领域专项巡察组", "县委经济发展领域作风建设专项巡察二组".
# (several topics too: "市委乡村振兴、耕地保护专项巡察组"; a number makes it a team: "市委耕地保护专项巡察第一组").
TOPIC_TEAM = re.compile(
    rf"(?P<body>{BODY})(?P<topic>[^,。;\d第]{{2,20}}?)专项(?P<kind>{KIND})(?:第?(?P<team>{NUM}))?组"
)
# A special inspection the body names after the committee that ran it: "县委农村饮水安全专项巡察".
# (the topic right after the committee, no clause: not "县委书记带头领办…专项巡察反馈问题")
COMMITTEE_TOPIC = re.compile(rf"(?P<body>{BODY})(?!书记|常委|领导)(?P<topic>[^,。;、:\d第的了对把将在]{{2,16}})$")
# Where a topic list before 专项巡视 starts: after the verb or after "常规巡视"; after a committee of a level
# ("关于县委乡村振兴领域专项巡察"; not 党组/党委: "基层党组织建设专项巡察"); after special checks listed
# first ("选人用人专项检查和…"); after "现将" ("现将专项巡视整改进展情况予以公布" names no topic).
SPECIAL_START = re.compile(
    rf"(?:常规{KIND}|开展了?(?!情况)|进行了?|实施了?(?!情况)|同步|同时|一并|了|,|;|。|:|对|的|本次|此次|这次|关于|现将|检查|中央|[{LEVEL}]委(?!员)"
    rf"|[一二三四五六七八九十]是)"  # "同步开展两项专项巡察:一是…专项巡察,二是…专项巡察"
)
# A special inspection the body reports on: "营商环境专项巡视反馈意见", "营商专项巡视整改".
SPECIAL_REPORTED = re.compile(rf"专项(?P<kind>{KIND})(?=反馈|整改|指出|发现|问题)")
# A topic named before the verb: "并围绕优化营商环境开展了专项巡视".
# (also "以农村人居环境整治为重点开展了专项巡察", "开展了以安全生产为主题的专项巡察", "聚焦乡村振兴的专项巡察")
SPECIAL_AROUND = re.compile(r"(?:围绕|聚焦|就|针对)(?P<topic>[^,。;]{2,16}?)(?:(?:开展|进行|实施)了?|的)$"
                            r"|以(?P<focus>[^,。;]{2,16}?)为(?:重点|主题|主要内容)(?:(?:开展|进行|实施)了?|的)?$"
                            r"|对(?:全[省市区县旗]|本[市区县]|该[市区县]|我[局委院校])?(?P<field>[^,。;]{2,16}?(?:领域|(?<![委局办厅院部会组司处])工作)"
                            r"|[^,。;]{2,10}领域[^,。;]{0,14}?资金(?:管理使用|使用管理|管理|使用)?|营商环境"
                            r"|生态环境保护|乡村振兴|粮食购销|耕地保护|安全生产)(?:(?:开展|进行|实施)了?|的)$"
                            # the 对 lost in copying, the field right after the team: "区委第五巡察组殡葬领域开展了"
                            r"|(?<=组)(?P<lone>[^,。;对]{2,10}领域)(?:开展|进行|实施)了?$"
                            # an object of 对 named as a field of work, not a unit: "同步对“四好农村路”建设开展了"
                            r"|对(?![^,。;]*?(?:局|委员会|党委|党组|中心|医院|学院|大学|学校|政府|公司|集团|街道|社区|村委))"
                            r"(?P<thing>[^,。;]{2,16}?(?:建设|管理|改革|治理|保护|整治|资金|项目|服务|安全|发展|落实))"
                            r"(?:开展|进行|实施)了?$")
# (对乡村振兴领域开展了, 对该市生态环境保护工作开展了, 同步开展了对乡村振兴领域的专项巡视: a unit, or a unit's work
# ("对省直机关工委工作"), is no topic, a field or a kind of work is; so is a field's funds and their use:
# 对全市农业农村领域乡村振兴资金管理使用开展了专项巡察)
# A body heading that names a special inspection: "三、耕地保护专项巡视反馈意见整改落实情况".
# ("（二）关于耕地保护专项巡察反馈问题的整改情况": 关于 is no part of it; "2.乡村振兴领域专项巡察…" too)
SPECIAL_HEADING = re.compile(
    r"(?:^|\n)\s*(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.](?!\d)|[(（][一二三四五六七八九十\d]+[)）])\s*"
    r"(?:关于)?(?P<topic>(?!关于)[^,。;、\n]{2,12})$"
)
# A special inspection the body names beside the regular one: "常规巡察问题19个、惠民惠农资金专项巡察问题6个",
# "把常规巡察反馈问题和农村饮水安全专项巡察反馈问题一体整改".
# (or after the regular one's own count: "常规巡察反馈的18个问题已完成整改15个,林长制落实专项巡察反馈的6个问题")
BESIDE_REGULAR = re.compile(rf"常规{KIND}[^。;]{{0,40}}?(?:和|、|及|与|以及|,)(?P<topic>[^,。;、\d]{{2,16}})$")
# A campaign named by what it does ("深化…改革、优化营商环境"): its parts are one campaign, not topics.
CAMPAIGN_ACTION = re.compile(r"深化|优化|推进|推动|加强|强化|促进|落实|开展|整治")
# Topic spellings that name the same special inspection.
TOPIC_ALIASES = {"营商": "营商环境", "优化营商环境": "营商环境"}
# Work that is checked alongside a 巡视, not inspected on its own (SPEC: special_topics); a special *check*
# of 选人用人 is no special inspection, but a "选人用人专项巡视" is one, its topic 选人用人.
SPECIAL_CHECK_TOPICS = ("巡察工作", "巡察", "党建")
# Topics provinces run special inspections on; used only to name a topic mentioned in the body.
KNOWN_TOPICS = (
    "营商环境", "营商", "乡村振兴", "脱贫攻坚", "扶贫", "粮食购销", "生态环境保护", "生态环保", "环境保护",
    "国有企业", "国企改革", "金融", "医保基金", "开发区", "政法", "安全生产", "教育", "卫生健康", "科技创新",
    "民生", "防范化解重大风险", "债务", "资源", "矿产资源", "土地", "工程建设", "招商引资", "高校",
)


# --------------------------------------------------------------------------
# the opening paragraph


def names_team(line: str) -> bool:
    return bool(TEAM.search(line) or BODY_TEAM.search(line) or TOPIC_TEAM.search(line) or TEAMS.search(line))


def find_opening(doc: Doc) -> int | None:
    """The opening paragraph names the inspection team and when it worked (to the day, or by month);
    where no line does, the first that names a team or the inspection's feedback."""
    head = [i for i in doc.head(40) if not is_chrome(doc.line(i)) and not is_title(doc.line(i))]
    tests = (
        # a team named with no committee before it counts too ("…,第二巡察组对…进行了巡察", the committee in
        # the title): else a later line's "市委巡察组反馈问题…截至…" would pass for the opening
        lambda line: (names_team(line) or BARE_TEAM.search(line)) and re.search(DATE, line),
        lambda line: names_team(line) and re.search(r"\d{4}年|[一二三四五六七八九十]+月", line),
        lambda line: re.search(KIND, line) and "反馈" in line and re.search(DATE, line),
        # the kind not named ("县委对县林业局党组开展了常规监督,…反馈了意见"): the on-site period and the feedback
        lambda line: "反馈" in line and RANGE.search(line) and re.search(r"对[^。;]{1,40}?(?:进行|开展)", line),
        # the dates lost (characters dropped in copying): the team and body are still there
        lambda line: names_team(line) and "。" in line and re.search(r"对|反馈|进驻", line),
        # no team and no date at all: the sentence the notice starts from names whose inspection it was
        # ("根据区委巡察工作统一部署,按照党务公开原则…,现将巡察整改进展情况予以公布。")
        lambda line: line.lstrip().startswith("根据") and BODY_KIND.search(line) and re.search(r"部署|安排", line),
    )
    for test in tests:
        for i in head:
            if test(doc.line(i)):
                return _split_opening_before(doc, head, i)
    return None


# A form's line of the inspection's facts: "巡察组:县委第二巡察组", "巡察时间:2023年4月10日至5月30日", "巡察轮次:…",
# "巡察类型:常规巡察,同步开展…专项巡察", "反馈时间:2023年7月12日", "进驻时间:…".
LABELLED_FACT = re.compile(rf"^\s*(?:{KIND}?(?:组别?|时间|轮次|类型|方式)|(?:进驻|撤离|反馈)(?:时间|日期))\s*[:：]\s*\S")
# The sentence that says the inspection was done: "区委第一巡察组对区城市管理局党组开展了常规巡察".
INSPECTED = re.compile(rf"{KIND}组[^。;]{{0,10}}?对[^。;]{{1,60}}?(?:进行|开展|实施)了?[^。;]{{0,12}}?{KIND}")


def _split_opening_before(doc: Doc, head: list[int], found: int) -> int:
    """An opening split over two paragraphs before the line found ("…区委第一巡察组对…开展了常规巡察。" /
    "巡察组于2024年5月13日至7月12日进驻开展工作,8月20日向局党组反馈了巡察意见。"): its first paragraph."""
    for i in head:
        if i >= found - 1:
            break
        line, nxt = doc.line(i), doc.line(i + 1)
        if INSPECTED.search(line) and not re.search(DATE, line) and re.search(DATE, nxt) and re.search(r"反馈|进驻", nxt):
            return i
    return found


def read_opening(doc: Doc, opening_i: int | None) -> Span:
    """The opening paragraph; when it stops before the feedback sentence, the next short paragraph
    ("2024年1月7日,省委巡视组向…反馈了巡视意见。") belongs to it. A form's labelled facts ("巡察组:…",
    "巡察时间:…", "反馈时间:…") follow it: they say what an opening says."""
    labelled = [doc.line_span(i) for i in range(len(doc.lines)) if LABELLED_FACT.match(doc.line(i))]
    if opening_i is None:
        return Span.of(doc, *labelled)
    start, end = doc.line_span(opening_i)
    if not re.search(DATE, doc.read[start:end]) and opening_i + 1 < len(doc.lines) and INSPECTED.search(doc.line(opening_i)):
        nxt = doc.line(opening_i + 1)
        if re.search(DATE, nxt) and re.search(r"反馈|进驻", nxt):  # the period and feedback in the next paragraph
            end = doc.line_span(opening_i + 1)[1]
    elif "反馈" not in doc.read[start:end] and opening_i + 1 < len(doc.lines):
        nxt = doc.line(opening_i + 1)
        if "反馈" in nxt and len(nxt) < 200 and (re.match(DATE, nxt) or _team_then_date(nxt)):
            end = doc.line_span(opening_i + 1)[1]
    return Span.of(doc, (start, end), *(r for r in labelled if r[0] >= end))


def revisit_part(opening: Span, title: Span) -> Span:
    """A notice on a 回头看 whose opening first recalls the inspection it looks back at ("2021年4月12日至5月28日,
    县委第二巡察组对…进行了常规巡察,…反馈问题27个。根据县委第十一轮巡察工作安排,2023年3月6日至3月31日,县委第四巡察组
    对…开展了巡察整改“回头看”,4月20日…反馈"): the 回头看's own facts are the notice's, so the opening starts at the
    sentence that names the 回头看 with its dates."""
    if "回头看" not in title.text or opening.at is None:
        return opening
    sentence = next((m for m in re.finditer(r"[^。]+。?", opening.text) if "回头看" in m.group()), None)
    if sentence is None or not sentence.start() or not re.search(DATE, sentence.group()):
        return opening
    earlier = opening.text[: sentence.start()]
    if names_team(earlier) or re.search(r"\d{4}年\d{1,2}月", earlier):  # the inspection looked back at
        return Span(opening.doc, opening.text[sentence.start():], opening.at[sentence.start():])
    return opening


def _team_then_date(line: str) -> bool:
    """ "市委第六巡察组于2022年12月20日向局党组反馈了巡察意见": the team leads the feedback sentence."""
    m = FEEDBACK_TEAM_LEAD.match(line)
    return bool(m and names_team(m.group(0)))


# Where an organisation's name written before its 党委/党组 begins: after punctuation or these words.
NAME_START = re.compile(r"(?:[^\u4e00-\u9fff]|根据|按照|由|经|对|和|与|及|中共|的|了|在|是)$")


def body_as_written(text: str, m: re.Match[str]) -> str:
    """An internal inspection's body with the organisation it belongs to ("集团党委", "海关总署党委",
    "校党委", "市直机关工委", "经开区党工委"): a bare 党委/党组 names nobody. Other bodies are named as the record names them."""
    body = m["body"]
    if body not in ("党委", "党组", "工委", "党工委"):
        return body
    start = m.start("body")
    head = text[max(0, start - 6) : start]
    cut = max((i for i in range(len(head) + 1) if NAME_START.search(text[: start - len(head) + i])), default=len(head))
    if cut and head[cut - 1] == "经" and head[cut:].startswith("开"):
        cut -= 1  # "经开区党工委": 经 begins the zone's name (经济技术开发区), not "经…同意"
    return head[cut:] + body


def read_inspection(opening: Span, title: Span, text: Span) -> Inspection:
    """Kind, body and team from the first team named in the opening (else the title); several teams
    at once name no team."""
    insp = Inspection(look_back=bool(LOOK_BACK.search(opening.text)), regular="常规" in opening.text)
    for source in (opening, title):
        # not a team of an earlier inspection named first ("县委第一巡察组曾对县教育局党组开展巡察。…县委第二巡察组再次…")
        m = next((t for t in TEAM.finditer(source.text) if not EARLIER_TEAM.match(source.text, t.end())), None)
        if m and not _several_teams(source.text, m):
            kind = m["kind"] or m["kind_b"]
            insp.team = cn_int(m["team"] or m["team_b"])
            insp.body = body_name(body_as_written(source.text, m), kind)
            # counties and districts run 巡察 ("县委第三巡视组" written loosely once is their 巡察 team)
            insp.kind = "巡察" if kind == "巡视" and insp.body in ("县委", "区委", "旗委") else kind
            for name in ("inspection_kind", "inspecting_body", "team"):
                source.cite_match(name, m)
            return insp
    for source in (opening, title):
        named = [m for pat in (TEAMS, BODY_TEAM, BODY_KIND, TOPIC_TEAM) for m in pat.finditer(source.text)
                 if names_inspection(m)]
        m = min(named, key=lambda x: x.start()) if named else None
        if m:
            insp.kind, insp.body = m["kind"], body_name(body_as_written(source.text, m), m["kind"])
            source.cite_match("inspection_kind", m)
            source.cite_match("inspecting_body", m)
            insp.team = _team_named_apart(opening, text, insp, m if source is opening else None)
            return insp
    if _team_of_deploying_committee(opening, insp):
        return insp
    for source in (opening, title, text):
        counts = {k: source.text.count(k) for k in ("巡视", "巡察")}
        if any(counts.values()):
            insp.kind = max(counts, key=counts.get)  # type: ignore[arg-type]
            at = source.text.find(insp.kind)
            source.cite("inspection_kind", at, at + 2)
            return insp
    return insp


def _team_of_deploying_committee(opening: Span, insp: Inspection) -> bool:
    """A team named without its committee ("第四巡察组", "市县联动巡察组") after the deployment that names it:
    "根据区委统一部署,…,第四巡察组对…开展了常规巡察" is the 区委's fourth team."""
    deployed = DEPLOYED_BY.search(opening.text)
    team = deployed and (BARE_TEAM.search(opening.text, deployed.end()) or UNNUMBERED_TEAM.search(opening.text, deployed.end()))
    if not team:
        return False
    insp.kind = team["kind"] or team.groupdict().get("kind_b")
    insp.body = body_name(deployed["body"], insp.kind)
    insp.team = cn_int(team.groupdict().get("team") or team.groupdict().get("team_b"))
    opening.cite("inspecting_body", deployed.start("body"), team.end())
    opening.cite("inspection_kind", team.start(), team.end())
    if insp.team:
        opening.cite("team", team.start(), team.end())
    return True


def _team_named_apart(opening: Span, text: Span, insp: Inspection, named: re.Match[str] | None) -> int | None:
    """The team's number where it is not written after the committee: a team named by its topic
    ("市委耕地保护专项巡察第一组"), a team whose committee is named elsewhere ("巡察第三组对…"), or, when the
    opening names just "市委巡察组" (or "市委第六轮巡察组"), the one numbered team of that committee the body names (its feedback
    being rectified: "对照市委第四巡察组反馈意见")."""
    if named is not None and named.re is TOPIC_TEAM and named["team"]:
        opening.cite_match("team", named)
        return cn_int(named["team"])
    if several := SEVERAL_TEAMS.search(opening.text):
        # "区委本轮巡察派出5个巡察组,…。其中,…区委第二巡察组对望江街道党工委开展了常规巡察": this unit's team
        # ("本轮巡察共派出7个巡察组,…。第6巡察组于…对区卫生健康局党组进行了巡察")
        if team := _team_that_inspected(opening.text, several.end(), insp):
            opening.cite_match("team", team)
            return cn_int(team["team"] or team["team_b"])
        return None
    for m in BARE_TEAM.finditer(opening.text):
        if (m["kind"] or m["kind_b"]) == insp.kind:
            opening.cite_match("team", m)
            return cn_int(m["team"] or m["team_b"])
    return _team_in_body(text, insp) if named is not None and _no_number_named(opening, named) else None


# A team named without its number: "市委巡察组", "市委第六轮巡察组".
UNNUMBERED = re.compile(rf"{BODY}(?:{ANY_ROUND})?{KIND}组")


def _team_that_inspected(text: str, pos: int, insp: Inspection) -> re.Match[str] | None:
    """After several teams are named, the one numbered team that inspected the unit ("其中,…区委第二巡察组对…开展了
    常规巡察", "第6巡察组于…对…进行了巡察")."""
    teams = sorted((*TEAM.finditer(text, pos), *BARE_TEAM.finditer(text, pos)), key=lambda t: t.start())
    return next((t for t in teams if (t["kind"] or t["kind_b"]) == insp.kind and DID_INSPECT.match(text, t.end())), None)


def _no_number_named(opening: Span, named: re.Match[str]) -> bool:
    """The opening's team has no number: "市委巡察组…", or the committee's inspection named first and then such
    a team ("根据县委巡察工作领导小组统一安排,县委巡察组…")."""
    if named.re is BODY_KIND:
        return any(UNNUMBERED.fullmatch(m.group(0)) for m in BODY_TEAM.finditer(opening.text))
    return bool(UNNUMBERED.fullmatch(named.group(0)))


def _team_in_body(text: Span, insp: Inspection) -> int | None:
    """The number of the one team of the inspecting committee the notice names (none when it names two)."""
    several = [(s.start(), s.end()) for s in SEVERAL_TEAMS.finditer(text.text)]
    found = []
    for m in TEAM.finditer(text.text):
        kind = m["kind"] or m["kind_b"]
        prefix = text.text[max(0, m.start() - 40) : m.start()]
        if (body_name(body_as_written(text.text, m), kind) == insp.body and kind == insp.kind
                and not any(a <= m.start() < b for a, b in several) and not dated_elsewhere(prefix, insp)
                and not EARLIER.search(re.split(r"[,。;]", prefix)[-1])):
            found.append(m)
    if len({cn_int(m["team"] or m["team_b"]) for m in found}) != 1:
        return None
    text.cite_match("team", found[0])
    return cn_int(found[0]["team"] or found[0]["team_b"])


def _several_teams(text: str, m: re.Match[str]) -> bool:
    """ "区委4个巡察组" or "第一、第二巡察组" before the first numbered team: teams, not a team."""
    several = SEVERAL_TEAMS.search(text)
    return bool(several and several.start() <= m.end())


# --------------------------------------------------------------------------
# dates


def read_opening_dates(opening: Span, not_after: dt.date | None) -> tuple[dt.date | None, ...]:
    """The on-site period and the feedback day, years filled in so the dates run forward."""
    text = opening.text
    rng = _on_site_range(text)
    start = date_part(rng) if rng else None
    end = date_part(rng, "y2", "m2", "d2") if rng else None
    if rng and rng.groupdict().get("rel2") and start and start.year and end:  # "至次年1月19日"
        end.year = start.year + RELATIVE_YEAR[rng["rel2"]]
    period_end = rng.end() if rng else 0
    if rng and (resumed := RESUMED.match(text, period_end)):
        end = date_part(resumed, "y2", "m2", "d2")
        period_end = resumed.end()
    months = None if rng else MONTH_RANGE.search(text)
    fb = find_feedback_date(text, period_end if rng else months.end() if months else 0)
    feedback = date_part(fb) if fb else None
    if rng:
        opening.cite("inspection_start", rng.start(), rng.end("d"))
        opening.cite("inspection_end", rng.start(), period_end)
    if fb:
        opening.cite("feedback_on", fb.start(), fb.end())
    if months and feedback is not None and feedback.year is None:
        # The month-only period is not a date, but it places the feedback in time.
        first = PartialDate(year_int(months["y"]), cn_int(months["m"]), 1)
        last = PartialDate(year_int(months["y2"]), cn_int(months["m2"]), 1)
        opening.cite("feedback_on", months.start(), fb.end())  # type: ignore[union-attr]
        return None, None, resolve_sequence([first, last, feedback], not_after)[2]
    begun = None if rng or months else START_ONLY.search(text)
    if begun:  # "自2023年10月12日起…为期两个月": the first day is stated, the last perhaps in a later sentence
        fb = find_feedback_date(text, begun.end())
        left = LEFT.search(text, begun.end(), fb.start() if fb else len(text))  # "6月9日,巡察组结束现场巡察工作"
        opening.cite("inspection_start", begun.start(), begun.end())
        if left:
            opening.cite("inspection_end", left.start(), left.end())
        if fb:
            opening.doc.cites.pop("feedback_on", None)
            opening.cite("feedback_on", fb.start(), fb.end())
        start, end_on, feedback_on = resolve_sequence(
            [date_part(begun), date_part(left, "y2", "m2", "d2") if left else None, date_part(fb) if fb else None],
            not_after)
        return start, end_on, feedback_on
    if not rng and not months and (cut := END_ONLY.search(text) or ENTRY_END_ONLY.search(text)):
        fb = find_feedback_date(text, cut.end())
        last = PartialDate(year_int(cut["y2"] or cut["y"]), cn_int(cut["m2"]), cn_int(cut["d2"]))
        opening.cite("inspection_end", cut.start(), cut.end())
        if fb:
            opening.doc.cites.pop("feedback_on", None)
            opening.cite("feedback_on", fb.start(), fb.end())
        _, end_on, feedback_on = resolve_sequence([None, last, date_part(fb) if fb else None], not_after)
        return None, end_on, feedback_on
    season = None if rng or months else SEASON.search(text)
    if season and feedback is not None and feedback.year is None:
        # "2024年一季度, … 5月8日反馈": the season's year places the feedback in time.
        month = 1 + 3 * ("一二三四1234".index(season["q"]) % 4) if season["q"] else 1 if season["half"] == "上" else 7
        opening.doc.cites.pop("feedback_on", None)
        opening.cite("feedback_on", season.start(), fb.end())  # type: ignore[union-attr]
        return None, None, resolve_sequence([PartialDate(int(season["y"]), month, 1), feedback], not_after)[1]
    dates = resolve_sequence([start, end, feedback], not_after)
    if feedback is not None and feedback.year is None and rng and fb:  # the year came from the period
        opening.doc.cites.pop("feedback_on", None)
        opening.cite("feedback_on", rng.start(), fb.end())
    return dates[0], dates[1], dates[2]


# A month of the rectification dated with its year: "2022年7月召开局领导班子巡察整改专题民主生活会".
RECTIFIED_IN = re.compile(rf"(?P<y>\d{{4}})年(?P<m>{MONTH})月(?:\d{{1,2}}日)?(?:[^。;,]{{0,4}}?)(?={ACTION_AFTER_DATE.pattern})[^。;]*?整改")


def rectified_by(doc: Doc, opening: Span) -> dt.date | None:
    """Where neither the signature nor the page gives a date and the opening names no year ("从3月17日到5月25日
    …。6月21日…反馈"), the end of the first month the body dates a rectification act in (a meeting, a plan): the
    opening's dates come before it."""
    if opening.at is None or not opening.at or re.search(r"\d{4}\s*年|[〇零一二三四五六七八九]{4}年", opening.text):
        return None
    m = RECTIFIED_IN.search(doc.read, opening.at[-1] + 1)
    if not m or not 1 <= (month := cn_int(m["m"]) or 0) <= 12:
        return None
    year = int(m["y"])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# What a range of days in the opening may date besides the on-site period: "明确2019年12月11日至2020年3月10日为集中
# 整改期", "巡察组于三月十一日至三月二十一日集中开展个别谈话", a 公示期.
OTHER_SPAN_AFTER = re.compile(r"\s*(?:为|是|作为)?(?:集中)?(?:整改期|整改时限|整改阶段|公示期)|[^,。;]{0,6}?(?:个别谈话|公示)"
                              r"|[^。;]{0,30}?曾(?:对|经|在)")  # "2019年3月11日至4月30日,县委第一巡察组曾对…开展巡察"


def _on_site_range(text: str) -> re.Match[str] | None:
    """The first range of days, written as a range or as arrival and end, that dates the inspection rather than
    something done in or after it."""
    ranges = [m for m in (*RANGE.finditer(text), ENTRY_RANGE.search(text), LABELLED_ENTRY.search(text))
              if m is not None and not OTHER_SPAN_AFTER.match(text, m.end())]
    return min(ranges, key=lambda m: m.start()) if ranges else None


def find_feedback_date(opening: str, pos: int) -> re.Match[str] | None:
    """The first date after the period whose clause says the team fed back (反馈了巡视意见)."""
    period_end = pos
    while True:
        m = FEEDBACK_AFTER.search(opening, pos)
        if not m:
            break
        span = opening[m.start() : m.end() + 10]
        inner = opening[m.end("d") + 1 : m.end()]
        if re.search(DATE, inner):  # another date sits closer to 反馈: try from there
            pos = m.end("d")
            continue
        if MEETING_BEFORE.search(inner):  # "1月18日召开巡察整改专题民主生活会,…对照反馈问题": another meeting's date
            pos = m.end()
            continue
        later = FEEDBACK_LATER.match(opening, m.end())
        if "个别反馈" in opening[m.start() : m.end() + 4] and FEEDBACK_AFTER.search(opening, m.end()):
            pos = m.end()  # the secretary briefed alone first; the leadership's feedback follows
            continue
        if not later and (FEEDBACK_OBJECT.search(span) or not FEEDBACK_OTHER.search(span)):
            return m
        pos = m.end()
    m = FEEDBACK_BEFORE.search(opening, pos)
    if m:
        return m
    m = FEEDBACK_AFTER_WIDE.search(opening, pos)
    if m and not re.search(DATE, opening[m.end("d") + 1 : m.end()]):
        return m
    # "2023年12月29日,…反馈了巡察意见。此前,…于2023年10月10日至11月30日…": the feedback told first
    first = FEEDBACK_AFTER.search(opening[:period_end]) if period_end else None
    if first and FEEDBACK_OBJECT.search(opening[first.start() : first.end() + 10]) and not re.search(
            DATE, opening[first.end("d") + 1 : first.end()]):
        return first
    return None


# --------------------------------------------------------------------------
# term and round


def read_term_round(title: Span, opening: Span, text: Span, insp: Inspection) -> tuple[int | None, int | None]:
    """Term (届) and round (轮) where the notice names this inspection: title, opening, then the body."""
    term = round_ = None
    named = _opening_round(opening, insp)
    for source, strict in ((title, False), (opening, False), (text, True)):
        for m in _term_mentions(source.text, committee=not strict):
            g = m.groupdict()
            g["round"] = g.get("round") or g.get("round_b")  # "区委三届二轮"
            kind = g.get("kind") or g.get("kind2")
            # the title names the notice's own inspection, whichever committee's round it was part of
            # ("关于十四届市委第二轮巡察整改…" over a 县委 team's 巡察 in that round)
            body = None if source is title and m.re is TERM_ROUND and kind else m["body"] or None
            if not matches_inspection(body, kind, insp):
                continue
            if m.re is TERM_BODY and (insp.body is None or body_name(m["body"], insp.kind) != insp.body):
                continue  # the committee alone names the term only where it is the inspecting body
            if not strict and _another_inspection(source.text, m, insp) and "回头看" in source.text[m.end():m.end() + 30]:
                continue
            if not strict and EARLIER.search(re.split(r"[,。;]", source.text[max(0, m.start() - 20) : m.start()])[-1]):
                continue  # "上轮巡察(十三届县委第八轮巡察)": the earlier inspection
            if strict and (
                dated_elsewhere(source.text[max(0, m.start() - 40) : m.start()], insp)
                or named is not None and g.get("round") and round_int(g["round"]) != named  # another round's
                or _another_inspection(source.text, m, insp)
                or not (g.get("round") and g.get("kind"))
                and not g.get("kind2")
                and m.re is not TERM_TEAM
            ):
                continue
            if term is None and cn_int(m["term"]):
                term = cn_int(m["term"])
                source.cite_match("term", m)
            if round_ is None and g.get("round"):
                round_ = round_int(g["round"])
                source.cite_match("round", m)
            if term and round_:
                return term, round_
        if term:
            break
    if round_ is None:
        round_ = _round_without_term(title, opening, text, insp)
    return term, round_


def _opening_round(opening: Span, insp: Inspection) -> int | None:
    """The round the opening names for this inspection without its term ("按照县委第八轮巡察工作安排"): a term and
    round the body names for another round ("2020年,十三届县委第二轮巡察曾对我局开展巡察") are that round's."""
    m = next((m for m in ROUND.finditer(opening.text) if matches_inspection(m["body"], m["kind"], insp)), None)
    return round_int(m["round"]) if m else None


def _another_inspection(source: str, m: re.Match[str], insp: Inspection) -> bool:
    """ "把此次巡视整改与十三届省委第九轮巡视反馈的遗留问题整改统筹推进": an inspection set beside this one;
    "对十一届市委第二轮巡察反馈问题整改情况进行了“回头看”": the earlier one a 回头看 looks back at;
    "列入十五届区委第九轮巡察“回头看”范围": a later round's 回头看, where this inspection is none;
    "《区委2021年第一轮巡察发现共性问题清单》": a round of another year."""
    before, after = source[max(0, m.start() - 2) : m.start()], source[m.end() : m.end() + 30]
    return (before.endswith(("与", "和", "同")) or "遗留" in after[:12]
            or bool(re.match(r"[^。;,]{0,12}整改[^。;,]{0,14}回头看", after))
            or not insp.look_back and bool(re.match(r"[“\"]?回头看", after))
            or _of_another_year(m.group(0), insp))


def _of_another_year(mention: str, insp: Inspection) -> bool:
    """A round named with its year ("县委2021年第一轮巡察") in a year this inspection was not on site; a round of
    one year may run into the next ("2023年第四轮" on site from January 2024)."""
    year = re.search(r"(\d{4})年", mention)
    if not (year and insp.start):
        return False
    gap = insp.start.year - int(year[1])
    return not (gap == 0 or gap == 1 and (insp.start.month or 12) <= 3)


def _term_mentions(source: str, committee: bool = False) -> list[re.Match[str]]:
    """ "十三届省委第四轮巡视", "区委十届第三轮巡察", "十三届省委第五巡视组", in the order they are written
    (with `committee`, also "十六届旗委" alone, as the title and the opening name it)."""
    patterns = (TERM_ROUND, TERM_AFTER_BODY, TERM_TEAM, TERM_ROUND_BARE, TERM_IN_NAME, TERM_IN_ORG_NAME,
                *((TERM_BODY,) if committee else ()))
    found = [m for pat in patterns if pat is not TERM_IN_ORG_NAME or "届委员会" in source for m in pat.finditer(source)]
    return sorted(found, key=lambda m: m.start())


def _round_without_term(title: Span, opening: Span, text: Span, insp: Inspection) -> int | None:
    """ "省委第四轮巡视" (or "市委第二轮第二巡察组") names the round even where the term is not written."""
    if m := TITLE_ROUND.search(title.text):  # "关于2023年第二轮巡察整改进展情况的通报"
        title.cite_match("round", m, "round")
        return round_int(m["round"])
    for source in (title, opening, text):
        mentions = [*ROUND.finditer(source.text), *(t for t in TEAM.finditer(source.text) if t["round"]),
                    *BRACKET_ROUND.finditer(source.text), *THIS_ROUND.finditer(source.text),
                    *LABELLED_ROUND.finditer(source.text), *HEARD_ROUND.finditer(source.text),
                    *(ROUND_BARE.finditer(source.text) if source is opening else ())]
        for m in sorted(mentions, key=lambda x: x.start()):
            kind = m["kind"] or m.groupdict().get("kind_b")
            if (matches_inspection(m["body"] or None, kind, insp)
                    and not dated_elsewhere(source.text[max(0, m.start() - 40) : m.start()], insp)
                    and not _another_inspection(source.text, m, insp)):
                source.cite_match("round", m)
                return round_int(m["round"])
    return None


# --------------------------------------------------------------------------
# special topics


def _clean_topic(topic: str) -> str | None:
    topic = topic.strip(" '《》()").removesuffix("的")
    if topic.count('"') % 2:  # straight quotes as curly ones: '营造"三个环境"' keeps both
        topic = topic.strip('"')
    elif topic.startswith('"') and topic.endswith('"') and topic.count('"') == 2:
        topic = topic[1:-1]
    if topic.startswith("“") and topic.endswith("”") and topic.count("“") == 1:
        topic = topic[1:-1]  # quotes around the whole topic go; a quoted part ("一卡通") keeps both
    elif topic.count("“") != topic.count("”"):
        topic = topic.strip("“”")
    topic = TOPIC_ALIASES.get(topic, topic)  # otherwise as written: "乡村振兴领域", "粮食购销领域腐败问题"
    if (
        len(topic) < 2
        or len(topic) > 20
        or re.search(r"等|检查|回头看|巡视|巡察", topic)
        or topic in ("常规", "机动")
    ):
        return None
    # "按照省委专项巡视工作部署" names no topic: a topic is neither a committee nor a clause.
    if re.search(rf"{BODY}$|按照|根据|部署|\d|第[{NUM[3:-1]}]*$|第\S{{1,3}}[轮批]$", topic):  # "十四届县委第二轮专项巡察"
        return None
    if topic in SPECIAL_CHECK_TOPICS:
        return None
    return topic


def read_special_topics(opening: Span, text: Span, insp: Inspection, title: Span | None = None) -> list[str]:
    """Special inspections named in the opening ("常规巡视和营商环境专项巡视"), else in the title, else
    reported in the body."""
    topics, named = _special_topics_in(_own_part(opening))
    if not topics and title is not None:
        topics = _special_topics_in(title)[0]
    if topics or (named and title is None):
        return topics
    return _special_topics_in_body(text, insp)


def _own_part(opening: Span) -> Span:
    """An opening that first tells the whole round ("县委第五轮巡察对12个县直部门开展常规巡察,对6个乡镇开展…专项巡察。
    其中,…县委第二巡察组对县审计局党组开展了常规巡察"): the part from 其中 on is this unit's inspection."""
    m = re.search(r"其中", opening.text)
    if m is None or opening.at is None or not INSPECTED.search(opening.text, m.end()):
        return opening
    return Span(opening.doc, opening.text[m.start():], opening.at[m.start():])


# A topic introduced before the verb, the clause set off by commas: "巡察组就医疗卫生领域腐败问题,于…开展了专项巡察".
SPECIAL_INTRODUCED = re.compile(r"(?:就|围绕|聚焦|针对)(?P<topic>[^,。;]{2,20}?)[,，]"
                                r"|以(?P<focus>[^,。;]{2,20}?)为(?:重点|主题|主要内容)[,，]")  # "以农村人居环境整治为重点,"
# Names of one inspection with 和 inside: "群众身边不正之风和腐败问题"; a strategy named with its goal,
# "黄河流域生态保护和高质量发展" (高质量发展 alone is no field of inspection).
JOINED_NAMES = ("不正之风和腐败问题", "不正之风和腐败", "形式主义官僚主义", "和高质量发展")
# 和 joining two kinds of problem that one 问题 closes is one topic ("医疗卫生领域腐败和作风问题"), unlike
# two fields ("乡村振兴和粮食购销领域"): the part after 和 is a short word right before the closing 问题.
ONE_KIND_OF_PROBLEMS = re.compile(r"(?<!领域)和(?=[\u4e00-\u9fff]{1,4}问题$)")
# What stands between a list of topics and 专项巡视 without being a topic: the list's count and its 等.
SPECIAL_COUNTED = re.compile(r"(?:等|(?:[两二三四五六七八九十]|\d)个?(?:方面|项|个)的?)$")


def _special_topics_in(source: Span) -> tuple[list[str], bool]:
    """The topics of the special inspections a passage names, and whether it names one at all."""
    opening = source
    topics: list[str] = []
    teams = [t.span() for t in SPECIAL_TEAM.finditer(opening.text)]
    specials = [m for m in SPECIAL.finditer(opening.text) if not any(a <= m.start() < b for a, b in teams)]
    for m in specials:
        seg_start = max(0, m.start() - 40)
        seg = opening.text[seg_start : m.start()]
        # "扶贫领域和农村集体经济两方面的专项巡察", "耕地保护、自建房安全等专项巡察": the count of the special
        # inspections and a list's closing 等 are no part of a topic
        seg = SPECIAL_COUNTED.sub("", seg)
        around = SPECIAL_AROUND.search(seg)  # "并围绕优化营商环境开展了专项巡视"
        # ("国土空间规划实施三项专项巡察": 实施 ends the topic's name unless an object of 对 stands before it)
        starts = [s for k, s in enumerate(SPECIAL_START.finditer(seg)) if s.group() != "实施"
                  or "对" in seg[: s.start()]]
        seg = seg[starts[-1].end() :] if starts else seg
        if around and not seg.strip():
            seg = around["topic"] or around["focus"] or around["field"] or around["lone"] or around["thing"]
        if not seg.strip() and (intro := list(SPECIAL_INTRODUCED.finditer(opening.text[: m.start()]))):
            seg = intro[-1]["topic"] or intro[-1]["focus"]  # "就医疗卫生领域腐败问题,于…开展了专项巡察"
        seg = re.sub(r"(?:上下)?联动$|提级$|交叉$", "", seg)  # modes of inspection are no topic
        for name in JOINED_NAMES:
            seg = seg.replace(name, name.replace("和", "\x00"))
        seg = ONE_KIND_OF_PROBLEMS.sub("\x00", seg)
        for part in (p.replace("\x00", "和") for p in re.split(r"[、和及与暨+]|以及", seg)):
            topic = _clean_topic(part)
            if topic and topic not in topics:
                topics.append(topic)
                opening.cite("special_topics", max(0, m.start() - 40) if around else seg_start + opening.text[seg_start:m.start()].find(part) if part in opening.text[seg_start:m.start()] else m.start(), m.end())
    for m in TOPIC_TEAM.finditer(opening.text):
        parts = re.split(r"[、和及与]", re.sub(r"(?:上下)?联动$|提级$|交叉$|机动$", "", m["topic"]))
        if len(parts) > 1 and any(CAMPAIGN_ACTION.match(p) for p in parts):
            continue  # "深化“最多跑一次”改革、优化营商环境专项巡察组": one campaign's wording, read elsewhere
        for part in parts:
            topic = _clean_topic(part)  # "市委乡村振兴、耕地保护专项巡察组": both topics
            if topic and topic not in topics:
                topics.append(topic)
                opening.cite("special_topics", m.start("topic"), m.end())
    return topics, bool(specials)


def _special_topics_in_body(text: Span, insp: Inspection) -> list[str]:
    """A special inspection the body reports rectifying ("营商环境专项巡视反馈意见整改…")."""
    topics: list[str] = []
    for m in SPECIAL_REPORTED.finditer(text.text):
        if m["kind"] != insp.kind:
            continue
        before = text.text[max(0, m.start() - 40) : m.start()]
        # a known topic as written, with the 领域 after it ("针对乡村振兴领域专项巡察反馈的5个问题")
        known = [t + "领域" if before.endswith(t + "领域") else t for t in KNOWN_TOPICS
                 if before.endswith((t, t + "领域"))]
        heading = SPECIAL_HEADING.search(before)  # "三、耕地保护专项巡视反馈意见整改落实情况"
        # "对照县委农村饮水安全专项巡察反馈的6个问题": the inspecting committee names the topic after it
        committee = COMMITTEE_TOPIC.search(before)
        if committee and body_name(committee["body"], insp.kind) != insp.body:
            committee = None
        beside = BESIDE_REGULAR.search(before)
        if not (known or heading or committee or beside) or dated_elsewhere(before, insp):
            continue
        named = (max(known, key=len) if known else heading["topic"] if heading  # type: ignore[index]
                 else (committee or beside)["topic"])  # type: ignore[index]
        # "对包括我校在内的29所中管高校专项巡视发现的问题": the units a round inspected, counted, not a topic
        if re.search(r"\d+\s*(?:所|家|个)[^,。;、\d]{0,4}$", before[: len(before) - len(named)]):
            continue
        # "中央脱贫攻坚专项巡视问题整改" in a notice on a 省委 巡视: another committee's special inspection
        other = re.search(rf"({BODY})$", before[: len(before) - len(named)])
        if other and insp.body and body_name(other[1], insp.kind) != insp.body:
            continue
        topic = _clean_topic(named)
        if topic and topic not in topics:
            topics.append(topic)
            text.cite("special_topics", m.start() - len(named), m.end())
    return topics
