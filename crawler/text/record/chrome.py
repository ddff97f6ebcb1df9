"""The page around the notice, and the title: chrome lines (breadcrumbs, 来源/发布时间 lines, labelled
metadata, information-disclosure tables) are a layer of their own. They give `title` and `published_on`
and are never read as the notice's text; a date printed after the title on its line is the page's date,
not part of the title.
"""

from __future__ import annotations

import re

from crawler.text.cndates import NUM, cn_int, safe_date, year_int
from crawler.text.record.common import ANY_ROUND, KIND, ORG_LINE
from crawler.text.record.doc import Doc, reading_form

# A page date as pages print it: "2024-01-05", "2024/1/5", "2024年1月5日" (the reading form writes dotted
# dates out with 年月日).
_YMD = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"

# The notice's own title line: "…关于…巡视/巡察…整改…情况的通报", "…关于十三届省委第四轮整改进展情况的通报",
# "…巡察整改进展情况公示", "…关于落实省委第九巡视组反馈意见情况的通报": it names its kind of document at
# its end ("…的通报(社会公开稿)") or says 关于; a news headline about a notice ("处罚5569人!某委通报巡视整改
# 进展") does neither.
TITLE_LINE = re.compile(
    r"^(?=.*(?:整改|(?:巡视|巡察).{0,12}反馈意见))(?=.*关于|.*(?:通报|公告|公示|报告|情况)(?:[(（][^)）]{1,10}[)）])?$)"
    r"(?!.*[!！?？]).{8,150}$"
)
# The first half of a title broken in mid-phrase: "中共青湾县委关于十四届省委第二轮巡视" (no sentence, no date).
TITLE_HEAD = re.compile(r"^[^。,;:：\d]{4,60}关于[^。,;:：]{2,60}$")
# A page title's site suffix: "…整改进展情况的通报_秦风网", "…的通报 - 海南廉政网", "…的通报-某区纪委监委",
# "…的通报_巡视整改_中央纪委国家监委网站".
# (not the inspection's term or round after a dash: "关于巡察整改进展情况的通报——十三届县委第五轮巡察")
TITLE_SITE_SUFFIX = re.compile(
    r"(?:(?<=通报|公告|公示|报告)|(?<=公开稿\))|(?<=公开\)))(?:\s*(?:[_|｜]|\s?[-—]\s?)\s*(?![^_|｜\s-]*(?:届|轮))[^_|｜\s-]{2,20})+$"
)
# A document store's file name as the page's heading: "中共某街道工作委员会关于…的通报.docx".
FILE_EXTENSION = re.compile(r"\.(?:docx?|pdf|wps|txt)\s*$", re.I)
# ... or in the store's header over the text it shows page by page ("1、…的通报根据…"):
# "《某幼儿园关于…的通报.docx》由会员分享,可在线阅读".
STORED_FILE = re.compile(r"《(?P<title>[^《》\n]{8,150}?)\.(?:docx?|pdf|wps|txt)》\s*由", re.I)
# A column's tag or name before the title: "【巡察整改】", "『巡察整改公开』", "巡察整改丨", "整改公开：".
TITLE_TAG = re.compile(r"^\s*(?:【[^】]{1,12}】|『[^』]{1,12}』|「[^」]{1,12}」|\[[^\]]{1,12}\]|[^\s，。,:：丨|｜]{2,8}\s*[丨|｜:：])\s*")
# A label before the title or a date on a metadata line: "标 题:", "标题：", "题 名:", "名称:".
TITLE_LABEL = re.compile(r"^\s*[-*·•]?\s*(?:标\s*题|题\s*名|名\s*称|文\s*件\s*名\s*称)\s*[:：]\s*")
# A date printed after the title on the same line: "…的通报 2026-02-13", "…的通报(2024-03-15)",
# "…的通报【2024年3月15日】" (the page's date; the title ends before it).
TITLE_TRAILING_DATE = re.compile(
    r"\s*[\[【(（]?\s*(?P<y>\d{4})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*[\]】)）]?\s*$"
)
# A breadcrumb whose last crumb is the title: "首页 > 工作动态 > 中共…关于巡察整改进展情况的通报".
BREADCRUMB_TITLE = re.compile(r"(?:首页|当前位置|您的位置|位置)[^\n]*?[>›»/]\s*(?P<title>[^>›»/\n]{8,150})$")
# Where the notice ends on a page and links to others begin.
# (and the lines a WeChat page ends with: "预览时标签不可点", "微信扫一扫 / 关注该公众号", "继续滑动看下一个")
RELATED_LINE = re.compile(r"^\s*[【\[]?(?:相关阅读|相关新闻|相关链接|相关文章|相关信息|相关推荐|推荐阅读|延伸阅读|上一篇|下一篇"
                          r"|预览时标签不可点|微信扫一扫|继续滑动看下一个|向上滑动看下一个|轻触阅读原文)")
# Lines that are portal chrome, not a title or text: breadcrumbs, "当前位置", "来源: … 发布时间", metadata
# labels of information-disclosure pages ("索引号:", "发文单位:", "成文日期:").
CHROME_LINE = re.compile(
    r"当前位置|您的位置|首页\s*[>›»]|[>›»]\s*\S+\s*[>›»]|来源[:：]|发布时间|发布日期|信息发布[:：]|发文时间|更新时间|浏览次数|点击数|"
    r"字号|打印|关闭|索引号|发文单位|发布机构|成文日期|主题分类|文\s*号\s*[:：]|^\s*[-*·•]?\s*标\s*题\s*[:：]"
)
# A page's teaser of the article, a copy of its first lines run together: "核心提示:中共…的通报根据党中央…".
TEASER_LINE = re.compile(r"^\s*[【\[]?(?:核心提示|内容提要|内容摘要|摘\s*要|导\s*读)[】\]]?\s*[:：]")
# "发布时间:2020-08-03", "发布日期：2024年1月5日", "时间:2020/08/03", "发文时间:2023年11月23日",
# "更新时间:2025-04-10" on a chrome line ("成文日期" dates the document, not the page: used only when no
# other date is given).
PUBLISHED = re.compile(
    r"(?:(?:(?P<label>发布|发表|更新|成文|生成|发文|上传|录入)|(?<![察视馈驻离]))(?:时间|日期)|信息发布|发布于|发表于|Release\s+date|Published|Publish\s+date)\s*[】\]]?\s*[:：]?\s*[\[［【(（]?\s*(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
)
# The page's date after its source, unlabelled: "来源:枫林县纪委监委  2024-01-05 09:30" (a date before
# 来源 is a TOP_DATE_LINE).
SOURCE_DATE = re.compile(rf"来源\s*[:：][^\d]{{1,40}}?{_YMD}(?:\s+\d{{1,2}}:\d{{2}}|\s*$)")
# The page date on a line of its own near the top, or before 来源/作者/点击: "2024-08-21 来源:…",
# "2024年04月02日 09:30 来源:…", "[ 2024-03-15 ]", "http://wmf.fjsen.com 2021-09-13 08:00:00 来源:…", and a
# date with its time of day before the site's name ("2022-04-08 10:00 浙江省纪委省监委网站").
TOP_DATE_LINE = re.compile(
    r"^\s*(?:(?:https?://)?[\w.-]+\.[a-z]{2,}[\w./-]*\s+)?[\[【(]?\s*(?P<y>\d{4})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})\s*日?\s*[\]】)]?"
    r"(?P<time>\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:(?:来源|作者|点击|浏览)|$|(?(time)\S.{0,40}$|(?!)))"
)
# A short header line of the page's metadata, the date among its other items: "发布：某局　2024年11月04日　阅读 286",
# "2024-04-02　|　作者：某局　|　【打印】", "2024年5月28日08:41 | 来源：…", "当前位置：首页 > 巡察整改 > 正文　2024年12月9日",
# a WeChat article's "原创： 党委宣传部　某大学　2019-05-28".
HEADER_WORDS = re.compile(r"来源|作者|阅读|浏览|点击|发布|发表|分类|打印|字号|编辑|当前位置|您的位置|首页|原创")
HEADER_DATE = re.compile(rf"(?<!\d){_YMD}(?!\d)")
# A page date written in Chinese numerals after its label: "日期：二〇二四年十月九日".
CN_PAGE_DATE = re.compile(
    r"(?:时间|日期)\s*[】\]]?\s*[:：]\s*(?P<y>[〇○零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日"
)
# A date with its time of day in a short header line: a page's (or a post's) timestamp.
DATE_AND_TIME = re.compile(rf"{_YMD}\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?!\d)")
# The page date on the line after "发布时间:" (portal layouts put it in its own element).
PUBLISHED_NEXT_LINE = re.compile(rf"发布(?:时间|日期)\s*[:：]?\s*\n\s*{_YMD}")
# Where a title without 关于 names the inspection: "(十三届)(省委)(第四轮)巡视整改…".
TITLE_INSPECTION = re.compile(rf"(?:{NUM}届)?(?:中央|省委|自治区党委|市委)?(?:{ANY_ROUND})?(?:常规)?{KIND}")


# A re-post's note of the notice's own title ("原标题：中共某局党组关于…的通报"), or a shared link's title in
# brackets before its address ("【中共某镇委员会关于…的通报】http://…").
ORIGINAL_TITLE = re.compile(r"(?:原标题\s*[:：]\s*|^\s*【)(?P<title>[^\n【】]{8,150}?)(?:】\s*https?://|\s*$)", re.M)
# An item of a list of links: "▶ 中共某局党组关于…的通报".
# (also a bulleted or ranked list of other notices' titles or dated headlines beside the notice: "· 中共某局党组关于…
# 的通报　[2022-08-04]", "1　中共…的通报")
# A portal's clock in its header: "今天是:2026年12月4日 星期五 设为首页".
SITE_CLOCK = re.compile(r"今天是|今日是|当前日期|当前时间|现在时间|北京时间")
LINK_ITEM = re.compile(r"^\s*(?:[▶►▸→]\s*\S|(?:[·•]|\d{1,2}[ \t\u3000]+)(?=[^\n]*(?:关于|通报|公告|公示|报告"
                       r"|[\[(（]?\d{4}-\d{1,2}-\d{1,2}[\])）]?\s*$)))")
# The notice's text going on: a paragraph, not a footer's notes.
RESUMED_TEXT = re.compile(r"^(?!.*(?:版权|声明|本站|ICP|转载|免责)).{40,}。")


def notice_end(doc: Doc, first: int = 0) -> int:
    """The line where the notice ends on its page: a related-articles list, or another notice's title with its
    own opening after it (a page that prints two units' notices one after the other). A list of links set
    inside the text ("推荐阅读 / ▶ … / ▶ …", then the notice goes on) ends nothing."""
    for i in range(first, len(doc.lines)):
        line = doc.line(i)
        if RELATED_LINE.match(line):
            j = i + 1
            while j < len(doc.lines) and LINK_ITEM.match(doc.line(j)):
                j += 1
            if j > i + 1 and j < len(doc.lines) and RESUMED_TEXT.match(doc.line(j)):
                continue
            return i
        if i > first and is_title(line) and ISSUER_FIRST.match(line) and any(
                re.search(rf"{KIND}组", doc.line(j)) and re.search(r"\d{4}\s*年", doc.line(j))
                for j in range(i + 1, min(i + 4, len(doc.lines)))):
            return i
    return len(doc.lines)


# A numbered heading of the notice's own outline ("二、巡察反馈问题的整改情况", "(一)…", "1.…"): never the title.
OUTLINE_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、．.]|[(（][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[、．.](?!\d))")


def is_title(line: str) -> bool:
    return (bool(TITLE_LINE.match(line)) and "。" not in line and not line.startswith("根据")
            and not OUTLINE_HEADING.match(line))


def is_chrome(line: str) -> bool:
    return bool(CHROME_LINE.search(line)) and len(line) < 80 or bool(TEASER_LINE.match(line))


def _title_span(doc: Doc, i: int) -> tuple[int, int]:
    """Line i's title without a label or a column's tag before it, a site suffix or a date after it."""
    start, end = doc.line_span(i)
    text = doc.read[start:end]
    for pattern in (TITLE_LABEL, TITLE_TAG):
        if (m := pattern.match(text)) and TITLE_LINE.match(text[m.end():]):
            start += m.end()
            text = text[m.end():]
    if m := TITLE_TRAILING_DATE.search(text):
        end -= len(text) - m.start()
        text = text[: m.start()]
    if m := TITLE_SITE_SUFFIX.search(text) or FILE_EXTENSION.search(text):  # "…的通报_秦风网", "…的通报.docx"
        end -= len(text) - m.start()
    return start, end


def _title_text(line: str) -> str:
    """A line as a title candidate: without its label, its trailing date or a document's file extension."""
    line = TITLE_LABEL.sub("", line)
    return FILE_EXTENSION.sub("", TITLE_TRAILING_DATE.sub("", line).strip())


def _decorated(doc: Doc, i: int) -> bool:
    """The line carries a column's tag or a site's name around the title (a page header's copy of it)."""
    line = doc.line(i)
    return bool(TITLE_TAG.match(TITLE_LABEL.sub("", line)) and TITLE_LINE.match(TITLE_TAG.sub("", line, 1))
                or TITLE_SITE_SUFFIX.search(_title_text(line)))


# A title cut short by a page's sticky header: "中共某局党组关于旗委巡察整改进…  ≡".
CUT_SHORT = re.compile(r"(?:…|\.{3})\s*\S{0,2}\s*$")
# A piece of a title broken over lines: no sentence punctuation, no digits of a date, not chrome.
TITLE_PIECE = re.compile(r"^[^。,;:：!?！？\d]{2,60}$")
# A site's or a paper's name over the title ("樾溪新闻网" / "关于县委巡察反馈意见整改情况的通报"): no issuer.
SITE_NAME = re.compile(r"(?:网|网站|门户|客户端|频道|在线|公众号|日报|晚报|新闻|资讯|头条)\s*$")
# A title that starts with its issuer: "中共某县委关于…", "某局党组关于…".
ISSUER_FIRST = re.compile(r"^[^关。,;]{2,40}?关于")


def find_title(doc: Doc, opening_i: int | None) -> str | None:
    """The title is a line before the opening paragraph that names a 巡视/巡察 rectification notice
    (a label or a column's tag before it, a site's name or a date after it are chrome; a copy of it
    without them is preferred); over two or three lines it is one title; else the last crumb of a
    breadcrumb."""
    if (m := ORIGINAL_TITLE.search(doc.read)) and is_title(m["title"].strip()):
        title = m["title"].rstrip()
        if title.endswith((")", "）")) and title.count("(") + title.count("（") < title.count(")") + title.count("）"):
            title = title[:-1]  # "（原标题：…的通报）": the bracket around the note
        return _cite_title(doc, m.start("title"), m.start("title") + len(title))
    if (m := STORED_FILE.search(doc.read[:600])) and is_title(m["title"].strip()):
        return _cite_title(doc, m.start("title"), m.end("title"))
    stop = opening_i if opening_i is not None else min(len(doc.lines), 15)
    candidates: list[tuple[int, str]] = []
    for i in range(stop):
        line = doc.line(i)
        labelled = bool(TITLE_LABEL.match(line))
        candidate = TITLE_TAG.sub("", _title_text(line), 1) if _decorated(doc, i) else _title_text(line)
        if CHROME_LINE.search(line) and not labelled and (inline := HEADER_TITLE.search(line)) and is_title(inline["title"]):
            start = doc.line_span(i)[0] + inline.start("title")  # "巡察整改 中共…的通报 发布日期：… 字号：大 中 小"
            return _cite_title(doc, start, start + len(inline["title"]))
        if (CHROME_LINE.search(line) and not labelled) or candidate.endswith("。") or candidate.startswith("根据"):
            continue
        if LINK_ITEM.match(line) or CUT_SHORT.search(candidate):  # a sidebar's list, a header's shortened copy
            continue
        if TITLE_LINE.match(candidate) and not OUTLINE_HEADING.match(candidate):
            candidates.append((i, candidate))
    # the document's own form ("中共某党组关于…的通报") before a news headline over it ("某党组通报…整改进展情况");
    # and the full title printed right over the text before a page's headline that shortened it (same issuer)
    # (the full title stands right above the text; a list is empty while it is sorted)
    fuller = {c: _fuller_copies(c[1], candidates) if c[0] == stop - 1 else 0 for c in candidates}
    candidates.sort(key=lambda c: (ISSUER_FIRST.match(c[1]) is None, -fuller[c]))
    found: list[tuple[int, int]] = []
    for i, candidate in candidates:
        span = _joined_title(doc, i)
        # a page header's copy: a site's name and crumbs, set apart, before the title printed alone on another
        # line ("某市人民政府门户网站 某局 政务公告 中共某局党组关于…的通报")
        prefixed = any(len(other) < len(candidate) and candidate.endswith(other) and ISSUER_FIRST.match(other)
                       and re.search(r"[\s>›»|｜_-]$", candidate[: -len(other)]) for _, other in candidates)
        if not _decorated(doc, i) and not prefixed:
            return _cite_title(doc, *span)
        found.append(span)
    if found:
        return _cite_title(doc, *found[0])
    for i in range(stop):
        if (m := BREADCRUMB_TITLE.search(doc.line(i))) and is_title(m["title"].strip()):
            start = doc.line_span(i)[0] + m.start("title")
            return _cite_title(doc, start, start + len(m["title"].rstrip()))
    return _glued_title(doc)


def _fuller_copies(title: str, candidates: list[tuple[int, str]]) -> int:
    """How many other candidates this title is a fuller copy of: "中共某市委关于省委第七巡视组巡视反馈意见整改情况的
    通报" of the headline "中共某市委关于巡视整改情况的通报" (the same issuer before 关于, a longer title)."""
    issuer = ISSUER_FIRST.match(title)
    return sum(1 for _, other in candidates if issuer and len(other) < len(title)
               and other.startswith(issuer.group(0)))


# A page copied without its line breaks: the title runs into the column's name before it and the page's
# metadata after it ("党务公开中共某市妇联党组关于巡察整改进展情况的通报发布时间2023年7月28日 来源:…根据…").
GLUED_TITLE = re.compile(
    r"(?P<title>[^。,;:：\s]{2,60}?关于[^。,;:：\s]{2,80}?(?:的通报|的公告|的公示|的报告|情况通报))"
    r"(?=\s*(?:发布时间|发布日期|发文时间|信息来源|来源\s*[:：]|时间\s*[:：]|日期\s*[:：]|\d{4}\s*[-年/.]|根据|按照))"
)
# A one-line page header: the column's name, the title and the page's metadata set apart by spaces.
HEADER_TITLE = re.compile(
    r"(?:^|\s)(?P<title>[^\s。,;:：]{2,60}?关于[^\s。,;:：]{2,80}?(?:的通报|的公告|的公示|的报告|情况通报))"
    r"\s+(?:发布|来源|时间|日期|作者|信息来源|浏览|点击)"
)
# Column names a CMS prints before an article's title ("党务公开", "通知公告", "巡察整改"): not the issuer.
COLUMN_NAME = re.compile(
    r"^(?:党务公开|政务公开|信息公开|通知公告|公示公告|公告公示|工作动态|图片新闻|要闻动态|巡察整改|巡视整改|巡察工作|"
    r"巡视巡察|纪检监察|党建工作|党风廉政|最新动态|新闻中心)+"
)


def _glued_title(doc: Doc) -> str | None:
    """The title inside a header run together with the column's name and the page's metadata; the
    issuer starts at 中共 when the organisation's name has it, else after a column's name."""
    head = doc.read[:400]
    m = GLUED_TITLE.search(head)
    if not m or not is_title(m["title"]):
        return None
    title, start = m["title"], m.start("title")
    cut = title.find("中共")
    if 0 < cut < title.find("关于"):
        start += cut
    elif column := COLUMN_NAME.match(title):
        start += column.end()
    return _cite_title(doc, start, m.end("title"))


def _joined_title(doc: Doc, i: int) -> tuple[int, int]:
    """Line i's title, with the lines it continues ("中共某街道" / "工作委员会关于…" / "…的通报") and a last
    character or two left on the next line ("…的通" / "报")."""
    start, end = _title_span(doc, i)
    line = doc.line(i)
    if ISSUER_FIRST.match(TITLE_TAG.sub("", line, 1)) is None:
        for back in (2, 1):
            pieces = [doc.line(j) for j in range(i - back, i)] if i - back >= 0 else []
            if pieces and all(TITLE_PIECE.match(p) and not CHROME_LINE.search(p) and not is_title(p)
                              and not SITE_NAME.search(p) for p in pieces):
                joined = "".join(pieces) + line
                if ISSUER_FIRST.match(joined) or (back == 1 and pieces[0].startswith("关于")):
                    start = doc.line_span(i - back)[0]
                    break
    ends = r"(?:通报|报告|公示|公告|情况)$"
    if (i + 1 < len(doc.lines) and not re.search(ends, doc.read[start:end])
            and re.fullmatch(r"[^。,;:：!?！？\d]{1,30}", doc.line(i + 1))
            and len(doc.line(i + 1)) <= 30 and re.search(ends, doc.read[start:end] + doc.line(i + 1))):
        end = doc.line_span(i + 1)[1]  # "…反馈意见" / "整改情况的通报", "…的通" / "报"
    return start, end


def _cite_title(doc: Doc, start: int, end: int) -> str:
    """The title as printed; a title broken over lines is one line (the evidence keeps the breaks)."""
    doc.cite("title", start, end)
    doc.title_at = (start, end)
    return re.sub(r"[ \t]*\n\s*", "", doc.raw_text(start, end))


def issuer_from_title(title: str | None, doc: Doc | None = None) -> str | None:
    """Without a signature, the issuer is the title's part before 关于 (or, in a title written
    without 关于, the organisation before the inspection it names: "中共某县委省委巡视整改…")."""
    if not title:
        return None
    read = reading_form(title)[0]
    if "关于" in read and len(read) == len(title):  # 關於 in a traditional title too
        issuer = title[: read.index("关于")].strip() or None
    else:
        m = TITLE_INSPECTION.search(title)
        head = title[: m.start()].strip() if m else ""
        issuer = head if ORG_LINE.match(head) else None
    if issuer and doc is not None:
        cited = doc.cites.get("title")
        if cited and cited.start is not None:
            at = cited.text.find(issuer)
            a = cited.start + at
            doc.cites.setdefault("issuer", type(cited)(issuer, a, a + len(issuer)))
        else:
            doc.cite_page("issuer", issuer)
    return issuer


def _date_at(doc: Doc, m: re.Match[str], base: int) -> str | None:
    date = safe_date(year_int(m["y"]), cn_int(m["m"]), cn_int(m["d"]))  # digits, or Chinese numerals
    if date:
        doc.cite("published_on", base + m.start("y"), base + m.end("d"))
    return date.isoformat() if date else None


def _document_date(m: re.Match[str]) -> bool:
    """ "成文日期", "生成日期", a disclosure table's "发文日期": the document's date, not the page's (a CMS's
    "发文时间" is when the article was posted)."""
    label = m.groupdict().get("label")
    return label in ("成文", "生成") or label == "发文" and "日期" in m.group(0)


def _dates_another_page(line: str) -> bool:
    """A line whose date is not the page's: a link to another page, the portal's clock."""
    return bool(LINK_ITEM.match(line) or SITE_CLOCK.search(line))


def find_published(doc: Doc, opening_i: int | None = None) -> str | None:
    """The page date sits on a short chrome line ("来源:…发布时间:2020-08-03") or after the title on its
    line; a 成文日期 (the document's date) counts only when the page gives no other."""
    written = updated = None
    for i in range(len(doc.lines)):
        line = doc.line(i)
        base = doc.line_span(i)[0]
        if _dates_another_page(line):
            continue
        if len(line) > 120:  # a sentence, unless a header run into it ("…的通报发布时间2023年7月28日 来源:…")
            m = PUBLISHED.search(doc.read, base, min(base + len(line), 300))
            if m and m["label"] in ("发布", "发文", "更新") and safe_date(int(m["y"]), int(m["m"]), int(m["d"])):
                return _date_at(doc, m, 0)
            continue
        for m in [*PUBLISHED.finditer(line), *SOURCE_DATE.finditer(line)]:
            date = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
            if date and _document_date(m):
                written = written or (m, base)
            elif date and m.groupdict().get("label") == "更新":
                updated = updated or (m, base)  # a later edit: the page's own date, where given, comes first
            elif date:
                return _date_at(doc, m, base)
    for i in doc.head(12 if opening_i is not None else 3, opening_i):  # chrome above the opening
        line = doc.line(i)
        if _dates_another_page(line):
            continue
        if (m := TOP_DATE_LINE.match(line)) and safe_date(int(m["y"]), int(m["m"]), int(m["d"])):
            return _date_at(doc, m, doc.line_span(i)[0])
        # a timestamp in a short header line: "原创 某街道 某发布 2023-08-11 09:30 重庆"
        if (len(line) <= 60 and (m := DATE_AND_TIME.search(line)) and not is_title(_title_text(line))
                and safe_date(int(m["y"]), int(m["m"]), int(m["d"]))):
            return _date_at(doc, m, doc.line_span(i)[0])
        trailing = TITLE_TRAILING_DATE.search(line)
        if trailing and is_title(_title_text(line)) and safe_date(int(trailing["y"]), int(trailing["m"]), int(trailing["d"])):
            return _date_at(doc, trailing, doc.line_span(i)[0])
        if (len(line) <= 80 and "。" not in line and HEADER_WORDS.search(line) and not is_title(_title_text(line))
                and (m := HEADER_DATE.search(line)) and safe_date(int(m["y"]), int(m["m"]), int(m["d"]))):
            return _date_at(doc, m, doc.line_span(i)[0])
        if len(line) <= 80 and (m := CN_PAGE_DATE.search(line)) and (date := _date_at(doc, m, doc.line_span(i)[0])):
            return date
    if m := PUBLISHED_NEXT_LINE.search(doc.read):
        return _date_at(doc, m, 0)
    if updated:
        return _date_at(doc, *updated)
    return _date_at(doc, *written) if written else None
