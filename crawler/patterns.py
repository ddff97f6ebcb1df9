"""Sentence patterns of 巡视/巡察 rectification notices, one named regex per fact.

The regexes run on text folded by :func:`crawler.cndates.normalize` (ASCII
punctuation and digits).  Numbers may be Arabic or Chinese (``NUM``); the
record builder turns the captured spans into values with ``crawler.cndates``.
"""

from __future__ import annotations

import re

from crawler.cndates import NUM

# --- building blocks -------------------------------------------------------

# 2023 / 二〇二三 (also 二零二三, 二○二三).
YEAR = r"(?:\d{4}|[〇零○Ｏ一二三四五六七八九]{4})"
MONTH = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
DAY = r"(?:\d{1,2}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
# A date with the year possibly left out: 2023年9月21日 / 9月21日 / 二〇二〇年七月三十一日.
DATE = rf"(?:(?P<y>{YEAR})\s*年\s*)?(?P<m>{MONTH})\s*月\s*(?P<d>{DAY})\s*[日号]"
# Who runs inspections: the central committee, a provincial / city / county / district committee,
# an autonomous region's 党委, or a 党组/党委 running internal 巡视 in a ministry or SOE.
BODY = r"(?:中央|自治区党委|区党委|省委|市委|州委|盟委|地委|县委|旗委|区委|党组|党委|工委)"
KIND = r"(?:巡视|巡察)"

# --- title, dates of the page ---------------------------------------------

# The notice's own title line: "…关于…巡视/巡察…整改…情况的通报", "…关于十三届省委第四轮整改进展情况的通报",
# "…巡察整改进展情况公示", "…关于落实省委第九巡视组反馈意见情况的通报".
TITLE_LINE = re.compile(r"^(?=.*(?:整改|(?:巡视|巡察).{0,12}反馈意见))(?=.*(?:通报|公告|公示|关于)).{8,150}$")
# The first half of a title broken in mid-phrase: "中共青湾县委关于十四届省委第二轮巡视" (no sentence, no date).
TITLE_HEAD = re.compile(r"^[^。,;:：\d]{4,60}关于[^。,;:：]{2,60}$")
# A page title's site suffix: "…整改进展情况的通报_秦风网", "…的通报 - 海南廉政网".
TITLE_SITE_SUFFIX = re.compile(r"(?<=通报|公告|公示)\s*(?:[_|｜]|\s[-—]\s)\s*[^_|｜\s]{2,20}$")
# Where the notice ends on a page and links to others begin.
RELATED_LINE = re.compile(r"^\s*[【\[]?(?:相关阅读|相关新闻|相关链接|相关文章|延伸阅读|上一篇|下一篇)")
# Lines that are portal chrome, not a title: breadcrumbs, "当前位置", "来源: … 发布时间".
CHROME_LINE = re.compile(
    r"当前位置|首页\s*[>›»]|[>›»]\s*\S+\s*[>›»]|来源[:：]|发布时间|浏览次数|字号|打印|关闭"
)
# "发布时间:2020-08-03", "发布日期：2024年1月5日", "时间:2020/08/03" on a chrome line ("成文日期" dates the
# document, not the page: used only when no other date is given).
PUBLISHED = re.compile(
    r"(?P<label>发布|发表|更新|成文)?(?:时间|日期)\s*[:：]?\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
)
# The page's date after its source, unlabelled: "来源:枫林县纪委监委  2024-01-05 09:30" (a date before
# 来源 is a TOP_DATE_LINE).
SOURCE_DATE = re.compile(r"来源\s*[:：][^\d]{1,40}?(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:\s+\d{1,2}:\d{2}|\s*$)")
# The page date on a line of its own near the top, or before 来源/作者/点击: "2024-08-21 来源:…",
# "2024年04月02日 09:30 来源:…", "[ 2024-03-15 ]".
TOP_DATE_LINE = re.compile(
    r"^\s*[\[【(]?\s*(?P<y>\d{4})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})\s*日?\s*[\]】)]?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:(?:来源|作者|点击|浏览)|$)"
)
# A line that is only a full date: the date under the signature (2020年7月31日 / 二〇二〇年七月三十一日).
SIGN_DATE_LINE = re.compile(rf"^\s*(?:(?P<org>[^\d\s。,;:]{{2,40}}?)\s+)?{DATE}\s*$")
# What a signature line looks like: an organisation name ending in 委/党组/党委/委员会/工委 and the like.
ORG_LINE = re.compile(
    r"^[^。;,:：;!?？、]{2,40}(?:委员会|委|党组|党委|工委|纪委|政府|局|院|办公室|公司|集团|大学|支部|党总支|领导小组)"
    r"(?:\([^)]{1,20}\))?$"
)

# Where a title without 关于 names the inspection: "(十三届)(省委)(第四轮)巡视整改…".
TITLE_INSPECTION = re.compile(rf"(?:{NUM}届)?(?:中央|省委|自治区党委|市委)?(?:第{NUM}轮)?(?:常规)?{KIND}")

# --- the inspection --------------------------------------------------------

# "省委第八巡视组", "市委第二巡察组", "中央第十五巡视组", "十三届省委第四轮巡视第三巡视组", "市委巡察三组",
# "市委巡察第一组".
TEAM = re.compile(
    rf"(?P<body>{BODY})(?:第(?P<round>{NUM})轮(?:{KIND})?)?"
    rf"(?:第(?P<team>{NUM})(?P<kind>{KIND})组|(?P<kind_b>{KIND})第?(?P<team_b>{NUM})组)"
)
# A team named without its number: "省委巡视组", "中央巡视组", "市委巡察组".
BODY_TEAM = re.compile(rf"(?P<body>{BODY})(?P<kind>{KIND})组")
# The inspection itself when no team is named: "省委巡视", "县委第三轮巡察", "十三届省委巡视".
BODY_KIND = re.compile(rf"(?P<body>{BODY})(?:第{NUM}轮)?(?:常规|专项)?(?P<kind>{KIND})")
# Term and round: "十三届省委第四轮巡视", "十三届省委第四轮整改", "十一届省委巡视".
TERM_ROUND = re.compile(
    rf"(?P<term>{NUM})届(?P<body>{BODY})(?:第(?P<round>{NUM})轮(?P<kind>{KIND})?|(?P<kind2>常规{KIND}|专项{KIND}|{KIND}))"
)
# Term with the team and no round: "十三届省委第五巡视组".
TERM_TEAM = re.compile(rf"(?P<term>{NUM})届(?P<body>{BODY})第{NUM}(?P<kind>{KIND})组")
# Term written after the committee: "区委十届第三轮巡察", "市委第十四届第二轮巡察".
TERM_AFTER_BODY = re.compile(
    rf"(?P<body>{BODY})第?(?P<term>{NUM})届(?:第(?P<round>{NUM})轮(?P<kind>{KIND})?|(?P<kind2>常规{KIND}|专项{KIND}|{KIND}))"
)
# A round named without the term: "省委第四轮巡视", "市委第三轮巡察", "市委2023年第二轮巡察".
ROUND = re.compile(rf"(?P<body>{BODY})(?:\d{{4}}年度?)?第(?P<round>{NUM})轮(?P<kind>{KIND})")

# A title that names the round with no committee before it: "关于2023年第二轮巡察整改进展情况的通报".
TITLE_ROUND = re.compile(rf"关于(?:\d{{4}}年度?)?第(?P<round>{NUM})轮(?:{KIND})")

# The on-site period: "2023年9月21日至11月30日", "2023年9月22日—11月30日", "9月5日至28日".
# ("自2022年8月29日起至10月14日": 起 before 至 marks the start.)
RANGE = re.compile(
    rf"{DATE}\s*(?:起\s*)?(?:至|到|—+|–|-|~|～|－)\s*"
    rf"(?:(?P<y2>{YEAR})\s*年\s*)?(?:(?P<m2>{MONTH})\s*月\s*)?(?P<d2>{DAY})\s*[日号]"
)
# The period as arrival and end: "于2022年3月1日进驻桐溪县开展常规巡视,至4月30日结束巡视工作".
ENTRY_RANGE = re.compile(
    rf"{DATE}\s*进驻[^。;]{{0,30}}?[,]?\s*(?:至|到)\s*(?:(?P<y2>{YEAR})\s*年\s*)?(?:(?P<m2>{MONTH})\s*月\s*)?"
    rf"(?P<d2>{DAY})\s*[日号](?:前)?\s*(?:结束|撤离|离开|完成)"
)
# A period named by its season: "2024年一季度", "2023年上半年" (it dates a feedback written without a year).
SEASON = re.compile(r"(?P<y>\d{4})\s*年\s*(?:第?(?P<q>[一二三四1-4])季度|(?P<half>上|下)半年)")
# A period whose end is not given to the day: "自2023年10月12日起…为期两个月", "2023年11月6日至12月底",
# "于2023年11月6日进驻".
START_ONLY = re.compile(
    rf"(?:自\s*|从\s*)?{DATE}\s*(?:起|开始|进驻|(?:至|到)\s*(?:\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月\s*(?:底|末|中旬|下旬|上旬))"
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
FEEDBACK_BEFORE = re.compile(rf"反馈[^。;,!?]{{0,15}}?于\s*{DATE}")
# A paragraph that opens with the team and then dates its feedback: "市委第六巡察组于2022年12月20日向…反馈".
FEEDBACK_TEAM_LEAD = re.compile(rf"[^。,;]{{0,30}}?{KIND}组[^。,;]{{0,6}}?(?:于|在)\s*{DATE}")
# What marks the feedback of this inspection: "反馈了巡视意见", "巡视组…反馈", "召开反馈会".
FEEDBACK_OBJECT = re.compile(r"(?:巡视|巡察)(?:组|意见|情况|反馈)|反馈(?:意见|会)")
# A later meeting about the feedback, not the feedback: "召开巡视反馈意见整改工作部署会".
FEEDBACK_LATER = re.compile(r"(?:意见|问题)?(?:整改|落实)")
# Feedback by someone else in the same paragraph: "省纪委办公厅…反馈了审核意见", audit findings.
FEEDBACK_OTHER = re.compile(r"审核|审计|纪委|办公厅|组织部|督查|评估")
# "进行了常规巡视和营商环境专项巡视", "常规+营商环境专项巡视", "乡村振兴、营商环境专项巡察".
SPECIAL = re.compile(rf"专项(?P<kind>{KIND})")
# Where a topic list before 专项巡视 starts: after the verb or after "常规巡视".
SPECIAL_START = re.compile(rf"(?:常规{KIND}|开展了?|进行了?|实施了?|同步|同时|一并|了|,|;|。|对)")
# A special inspection the body reports on: "营商环境专项巡视反馈意见", "营商专项巡视整改".
SPECIAL_REPORTED = re.compile(rf"专项(?P<kind>{KIND})(?=反馈|整改|指出|发现|组)")
# A topic named before the verb: "并围绕优化营商环境开展了专项巡视".
SPECIAL_AROUND = re.compile(r"(?:围绕|聚焦|就|针对)(?P<topic>[^,。;]{2,16}?)(?:开展|进行|实施)了?$"
                            r"|对(?:全[省市区县旗]|本[市区县]|该[市区县])?(?P<field>[^,。;]{2,16}?领域|营商环境|生态环境保护"
                            r"|乡村振兴|粮食购销|耕地保护|安全生产)(?:开展|进行|实施)了?$")  # 对乡村振兴领域开展了
# A body heading that names a special inspection: "三、耕地保护专项巡视反馈意见整改落实情况".
SPECIAL_HEADING = re.compile(
    r"(?:^|\n)\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十]+[)）])\s*(?P<topic>[^,。;、\n]{2,12})$"
)
# The opening also tells "回头看" inspections apart.
LOOK_BACK = re.compile(r"回头看")

# --- problem counts --------------------------------------------------------

# One counted item: "五个方面", "“9+8”个方面", "15项", "47个突出问题", "九个方面主要问题".
COUNT_TOKEN = (
    rf"“?{NUM}(?:\s*[+＋]\s*{NUM})*”?\s*(?:个方面|大类|个|项|条|类)(?:的)?"
    r"(?:主要|具体|突出|重点|共性|各类)?(?:问题(?!点|线索|清单|台账|数))?"
)
# A chain of counts as feedback is summarised: "四个方面、15项、47个突出问题", "13个主要问题、39项具体问题".
COUNT_CHAIN = re.compile(rf"(?:{COUNT_TOKEN}\s*[、,和及]?\s*)*{COUNT_TOKEN}")
# Split a chain into its items; 方面 and 类 count groups of problems, not problems.
COUNT_ITEM = re.compile(
    rf"“?(?P<n>{NUM}(?:\s*[+＋]\s*{NUM})*)”?\s*(?P<unit>个方面|大类|个|项|条|类)(?:的)?"
    r"(?P<qual>主要|具体|突出|重点|共性|各类)?(?P<prob>问题(?!点|线索|清单|台账|数))?"
)
# Problems counted after the noun: "反馈问题共45个", "指出的具体问题23项".
COUNT_TRAILING = re.compile(
    rf"(?:反馈|指出|提出|发现|梳理出?)(?:的)?(?:具体|主要|突出)?问题(?:共计|共|合计|总计)?(?P<n>{NUM})(?:个|项|条)"
)
# The count after the aspects it falls into: "反馈的问题分为4个方面,共计28个".
COUNT_AFTER_ASPECTS = re.compile(
    rf"(?:反馈|指出|提出|发现)(?:的)?问题(?:分为|涉及|包括|共涉及)?{NUM}个方面[,、]?(?:共计|共|合计|总计)(?P<n>{NUM})(?:个|项|条)"
)
# The main and the specific problems counted after the noun: "反馈主要问题9个、具体问题29个" (the specific count).
COUNT_SPECIFIC_AFTER_MAIN = re.compile(
    rf"(?:反馈|指出|提出)(?:的)?(?:主要|突出)问题{NUM}(?:个|项|条)[、,和]\s*具体问题(?P<n>{NUM})(?:个|项|条)"
)
# The sum stated after counts per inspection: "常规巡视反馈问题30个,营商环境专项巡视反馈问题12个,共计42个".
COUNT_STATED_SUM = re.compile(rf"问题(?:共)?{NUM}(?:个|项|条)[,、]\s*(?:共计|合计|总计|共)(?P<n>{NUM})(?:个|项|条)")
# Counts of kinds of problems side by side, with no sum: "共性问题12个、个性问题9个" (the count before
# the list, or after the noun of the first kind; not "问题31个,其中共性问题12个").
_KIND_OF_PROBLEM = r"[^,。;、\d整改完成已未尚其包含的]{1,5}"  # 共性 / 个性 / 一般性, not a clause
PART_COUNT_NEXT = re.compile(rf"\s*[、,和及]\s*{_KIND_OF_PROBLEM}问题(?:共)?{NUM}(?:个|项|条)")
PART_COUNT_PREV = re.compile(rf"问题(?:共)?{NUM}(?:个|项|条)\s*[、,和及]\s*{_KIND_OF_PROBLEM}问题(?:共)?$")
# The sentence speaks about this inspection's feedback: "巡视反馈的", "巡视组指出的", "反馈意见中提出".
FEEDBACK_CUE = re.compile(r"(?:反馈|指出|提出|发现|交办|梳理出)")
# "对照反馈的", "反馈问题共" right before a count: this inspection's feedback when nothing else is named.
BARE_FEEDBACK = re.compile(r"反馈(?:的|意见中?指出的)?(?:问题)?(?:共计|共)?$")
OTHER_FEEDBACK = re.compile(r"热线|信访|群众|自查|审计|督查|主要领导|主要负责|考核|评估|测评")
# The problems noun before a count of them: "反馈问题共4个方面27个", "指出的问题共涉及4个方面25个".
PROBLEMS_NOUN_BEFORE = re.compile(r"问题(?:共计|共|合计|总计|共涉及|涉及|共有|有)?$")
# The count is of something other than this inspection's problems: earlier rounds, audits, leftovers,
# problems fixed on the spot while the team was there ("边巡边改的8个问题"; see also ON_THE_SPOT),
# or problems fed back to a leader in person ("省委向…区委主要领导反馈的3个重点问题").
OTHER_COUNT_CUE = re.compile(
    r"上轮|上一轮|以往|此前|历次|前期|审计|未整改|未完成|未按期|尚未|整改不到位|整改不彻底|回头看"
    r"|边巡边改|立行立改|即知即改|自查|自纠|举一反三"
    r"|向[^,。;]{0,20}?(?:主要领导|主要负责同志|主要负责人|书记)反馈"
)
# Problems named with what was done at once, not the feedback's: "巡视期间指出的8个问题即知即改".
ON_THE_SPOT = re.compile(r"^[^,;。和及与]{0,8}?(?:即知即改|立行立改|边巡边改)")  # not "…23个问题和移交的立行立改事项"
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
# "完成整改28个", "已对账销号16项" (but not "未完成整改3个" / "需完成整改…" / "基本完成整改的问题44个").
DONE_AFTER = re.compile(
    r"(?:(?:已(?:经)?|现已|目前已?|累计)(?:全部)?(?:完成整改|整改完成|整改完毕|整改到位|完成整改销号|整改销号|对账销号|整改|销号|办结)"
    r"|(?<![未需待应要尚正本])(?:完成整改|整改完成|整改到位|整改销号))"
    rf"(?:并长期坚持)?(?:的)?(?:问题)?(?:共)?(?P<n>{NUM})(?:个|项|条)(?!方面)"
)
# Rectified problems, the count after the noun: "已完成整改并长期坚持的问题37个".
DONE_NOUN = re.compile(
    rf"已(?:经)?(?:全部)?(?:完成整改|整改完成|整改到位|整改销号|整改)[^,;。]{{0,8}}?的问题(?:共)?(?P<n>{NUM})(?:个|项|条)"
)
# Rectified problems, the count before the verb: "其中45个问题已完成整改", "41个已完成、3个基本完成",
# "28个问题已全部整改完毕" (not "52个问题已完成整改45个").
DONE_BEFORE = re.compile(
    rf"(?P<n>{NUM})(?:个|项|条)(?:问题)?(?:已经|已|均已)(?:全部)?(?:完成整改|整改完成|整改完毕|整改到位|整改销号|对账销号|完成(?!率|整改))"
    r"(?![\d〇零一二三四五六七八九十百])"
)
# Done as "已完成41个问题的整改", "已有22个完成整改".
DONE_OF = re.compile(rf"已(?:经)?完成(?:了)?(?P<n>{NUM})(?:个|项|条)(?:具体)?问题的整改"
                     rf"|已有(?P<n2>{NUM})(?:个|项|条)(?:问题)?(?:完成整改|整改完成|整改到位|销号)")
# Done with the bare verb, read only right after the total: "反馈的54个问题,已完成47个".
DONE_SHORT = re.compile(rf"[^。;]{{0,12}}?已(?:经)?完成(?P<n>{NUM})(?:个|项|条)")
# All of them done: "反馈的32个问题已全部整改完成", "…均已整改到位".
DONE_ALL = re.compile(
    r"^,?[^。;,]{0,6}?(?:已|均已|已经)?全部(?:完成整改|整改完成|整改完毕|整改到位|整改销号|完成)"
)
# A completion rate: "整改完成率73.3%", "问题整改率100%".
DONE_RATE = re.compile(r"(?:整改完成|完成整改|整改|完成|销号)率(?:为|达到|达)?\s*(?P<pct>\d+(?:\.\d+)?)\s*%")

# --- contacts --------------------------------------------------------------

# The closing invitation to the public: "欢迎广大干部群众…监督", "如有意见建议,请…反映".
CONTACT_PARAGRAPH = re.compile(r"欢迎|监督|意见建议|意见和建议|反映|联系方式")
# A line of a contact block: "联系电话:…", "电子邮箱:…", "邮政信箱:…", "通信地址:…", "举报网站:…".
CONTACT_LINE = re.compile(
    r"^\s*(?:联系|举报|监督|来信)?(?:电话|热线|手机|传真|电子邮箱|电子信箱|邮箱|E-?mail|邮政信箱|信箱|通信地址|通讯地址|地址|邮编|邮政编码|网站|网址)",
    re.I,
)
# Lines after the signature that are not the notice: "(此件公开发布)", "责任编辑:某某", "来源:…".
TRAILER_LINE = re.compile(r"^[(（][^)）]{1,20}[)）]$|^(?:责任编辑|编辑|审核|校对|来源|供稿|作者)")
# "联系电话:0535-6891160", "电话:0427-3410198", "举报电话 12388", "电话举报:010-…", "联系方式:0571-…",
# "联系电话(传真):0855-…", "手机:13907451286" / "139-0745-1286", "400-8812345".
PHONE = re.compile(
    r"(?:电话|热线|手机|座机|联系方式)(?:号码|举报)?\s*(?:[(/][^)/:：]{0,4}\)?|及传真|传真)?\s*(?:[:：]|为|是)?\s*"
    r"(?P<phone>1[3-9]\d[-—－ ]?\d{4}[-—－ ]?\d{4}(?!\d)|400[-—－]?\d{3}[-—－]?\d{4}(?!\d)"
    r"|(?:\(?0\d{2,3}\)?\s*[-—－]?\s*)?\d{7,8}(?!\d)(?:[-—－]\d{1,4})?|12388)"
)
# "电子邮箱:lsqwbdck@163.com", "电子信箱:…", "E-mail:…" (a 邮政信箱 is a postal address and has no @).
EMAIL = re.compile(r"(?P<email>[A-Za-z0-9._%+\-]+\s*@\s*[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")

# --- sentences -------------------------------------------------------------

# Where sentences end.
SENTENCE_END = re.compile(r"[。;!?]|\n")
