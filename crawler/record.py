"""Turn the text of one 巡视/巡察 rectification notice into a record (see SPEC.md).

The notices follow a common shape: an optional title line, an opening paragraph
("根据…统一部署,2023年9月21日至11月30日,省委第三巡视组对…进行了常规巡视和营商环境专项巡视。
2024年1月7日,省委巡视组向…反馈了巡视意见…"), a body reporting the rectification,
a closing invitation with contacts, and an optional signature with its date.
Each fact is read from the part of that shape where notices state it, with the
sentence patterns kept in :mod:`crawler.patterns`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from crawler import patterns as P
from crawler.cndates import (
    PartialDate,
    cn_int,
    fold_dotted_dates,
    iso,
    normalize,
    resolve_sequence,
    safe_date,
    year_int,
)

FIELDS = (
    "title",
    "issuer",
    "signed_on",
    "published_on",
    "inspection_kind",
    "inspecting_body",
    "term",
    "round",
    "team",
    "inspection_start",
    "inspection_end",
    "feedback_on",
    "special_topics",
    "problems_total",
    "problems_done",
    "contact_phone",
    "contact_email",
)

# Units that count problems themselves (方面 / 类 count groups of problems).
PROBLEM_UNITS = ("个", "项", "条")
# How many lines after the overall count its progress paragraph may come (past a heading).
FOLLOWING_LINES = 3
DATE_FIELDS = ("signed_on", "published_on", "inspection_start", "inspection_end", "feedback_on")
# Dates before this are misreadings: notices are published online from the 2000s on.
EARLIEST = dt.date(2000, 1, 1)

# Topic spellings that name the same special inspection.
TOPIC_ALIASES = {"营商": "营商环境", "优化营商环境": "营商环境"}
# Special *checks* that ride along with a 巡视 but are not special inspections (SPEC: special_topics).
SPECIAL_CHECK_TOPICS = ("选人用人", "干部选拔任用", "意识形态", "巡察工作", "巡察", "党建")
# Topics provinces run special inspections on; used only to name a topic mentioned in the body.
KNOWN_TOPICS = (
    "营商环境",
    "营商",
    "乡村振兴",
    "脱贫攻坚",
    "扶贫",
    "粮食购销",
    "生态环境保护",
    "生态环保",
    "环境保护",
    "国有企业",
    "国企改革",
    "金融",
    "医保基金",
    "开发区",
    "政法",
    "安全生产",
    "教育",
    "卫生健康",
    "科技创新",
    "民生",
    "防范化解重大风险",
    "债务",
    "资源",
    "矿产资源",
    "土地",
    "工程建设",
    "招商引资",
    "高校",
)
# Inspecting bodies as the record names them: an autonomous region's 党委 running 巡视 is its
# province-level committee; a district's 区党委 running 巡察 is a 区委.
BODY_NAMES = {("自治区党委", "巡视"): "省委", ("区党委", "巡视"): "省委", ("区党委", "巡察"): "区委"}


@dataclass
class Doc:
    """The notice text, its length-preserving normalized form and its lines."""

    raw: str
    norm: str
    lines: list[tuple[int, int]] = field(default_factory=list)  # (start, end) offsets of non-empty lines

    @classmethod
    def of(cls, text: str) -> Doc:
        raw = text.replace("\r\n", "\n").replace("\r", "\n")
        doc = cls(raw, normalize(raw))
        pos = 0
        for line in doc.norm.split("\n"):
            if line.strip():
                doc.lines.append((pos, pos + len(line)))
            pos += len(line) + 1
        return doc

    def line(self, i: int) -> str:
        start, end = self.lines[i]
        return self.norm[start:end].strip()

    def raw_line(self, i: int) -> str:
        start, end = self.lines[i]
        return self.raw[start:end].strip()


@dataclass
class Inspection:
    """What the opening paragraph says about the inspection; later rules check mentions against it."""

    kind: str | None = None
    body: str | None = None
    team: int | None = None
    start: dt.date | None = None
    look_back: bool = False
    special_topics: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------
# entry point


def parse_notice_text(text: str, *, title: str | None = None, published_on: str | None = None) -> dict:
    """Parse one notice's plain text into the SPEC record plus a ``quality`` list."""
    doc = Doc.of(text)
    opening_i = find_opening(doc)
    opening = read_opening(doc, opening_i)
    title = (title or "").strip() or find_title(doc, opening_i)
    published = published_on or find_published(doc, opening_i)
    signer, signed = find_signature(doc, opening_i)
    insp = read_inspection(opening, normalize(title or ""), doc.norm)
    start, end, feedback = read_opening_dates(opening, _as_date(signed) or _as_date(published))
    insp.start = start
    term, round_ = read_term_round(normalize(title or ""), opening, doc.norm, insp)
    insp.special_topics = read_special_topics(opening, doc.norm, insp)
    total, done = read_problem_counts(doc, insp)
    phone, email = read_contacts(doc, opening_i)
    record = {
        "title": title,
        "issuer": signer or issuer_from_title(title),
        "signed_on": signed,
        "published_on": published,
        "inspection_kind": insp.kind,
        "inspecting_body": insp.body,
        "term": term,
        "round": round_,
        "team": insp.team,
        "inspection_start": iso(start),
        "inspection_end": iso(end),
        "feedback_on": iso(feedback),
        "special_topics": insp.special_topics,
        "problems_total": total,
        "problems_done": done,
        "contact_phone": phone,
        "contact_email": email,
    }
    record["quality"] = quality_checks(record)
    return record


# --------------------------------------------------------------------------
# layout: opening paragraph, title, page date, signature


def find_opening(doc: Doc) -> int | None:
    """The opening paragraph names the inspection team and when it worked (to the day, or by month)."""
    head = [
        i
        for i in range(min(len(doc.lines), 40))
        if not _is_chrome(doc.line(i)) and not _is_title(doc.line(i))
    ]
    tests = (
        lambda line: _names_team(line) and re.search(P.DATE, line),
        lambda line: _names_team(line) and re.search(r"\d{4}年|[一二三四五六七八九十]+月", line),
        lambda line: re.search(P.KIND, line) and "反馈" in line and re.search(P.DATE, line),
    )
    for test in tests:
        for i in head:
            if test(fold_dotted_dates(doc.line(i))):
                return i
    return None


def _is_title(line: str) -> bool:
    return bool(P.TITLE_LINE.match(line)) and "。" not in line and not line.startswith("根据")


def _is_chrome(line: str) -> bool:
    return bool(P.CHROME_LINE.search(line)) and len(line) < 80


def _names_team(line: str) -> bool:
    return bool(P.TEAM.search(line) or P.BODY_TEAM.search(line))


def read_opening(doc: Doc, opening_i: int | None) -> str:
    """The opening paragraph; when it stops before the feedback sentence, the next short paragraph
    ("2024年1月7日,省委巡视组向…反馈了巡视意见。") belongs to it."""
    if opening_i is None:
        return ""
    opening = fold_dotted_dates(doc.line(opening_i))
    if "反馈" not in opening and opening_i + 1 < len(doc.lines):
        nxt = fold_dotted_dates(doc.line(opening_i + 1))
        if "反馈" in nxt and len(nxt) < 200 and (re.match(P.DATE, nxt) or _team_then_date(nxt)):
            opening += nxt
    return opening


def _team_then_date(line: str) -> bool:
    """ "市委第六巡察组于2022年12月20日向局党组反馈了巡察意见": the team leads the feedback sentence."""
    m = P.FEEDBACK_TEAM_LEAD.match(line)
    return bool(m and _names_team(m.group(0)))


def find_title(doc: Doc, opening_i: int | None) -> str | None:
    """The title is a line before the opening paragraph that names a 巡视/巡察 rectification notice."""
    stop = opening_i if opening_i is not None else min(len(doc.lines), 15)
    for i in range(stop):
        line = doc.line(i)
        if P.CHROME_LINE.search(line) or line.endswith("。") or line.startswith("根据"):
            continue
        if P.TITLE_LINE.match(line):
            # A title broken after the issuer ("中共某县委" / "关于…的通报") is one title.
            if line.startswith("关于") and i > 0 and P.ORG_LINE.match(doc.line(i - 1)):
                return doc.raw_line(i - 1) + doc.raw_line(i)
            # ... or in mid-phrase ("中共某县委关于十四届省委第二轮巡视" / "反馈意见整改进展情况的通报").
            if i > 0 and "关于" not in line and P.TITLE_HEAD.match(doc.line(i - 1)):
                return doc.raw_line(i - 1) + doc.raw_line(i)
            return P.TITLE_SITE_SUFFIX.sub("", doc.raw_line(i))  # "…的通报_秦风网" saved from a page title
    return None


def issuer_from_title(title: str | None) -> str | None:
    """Without a signature, the issuer is the title's part before 关于 (or, in a title written
    without 关于, the organisation before the inspection it names: "中共某县委省委巡视整改…")."""
    if not title:
        return None
    if "关于" in title:
        return title.split("关于", 1)[0].strip() or None
    m = P.TITLE_INSPECTION.search(title)
    head = title[: m.start()].strip() if m else ""
    return head if P.ORG_LINE.match(head) else None


def find_published(doc: Doc, opening_i: int | None = None) -> str | None:
    """The page date sits on a short chrome line ("来源:…发布时间:2020-08-03"); a 成文日期 (the document's
    date) counts only when the page gives no other."""
    written = None
    for i in range(len(doc.lines)):
        line = doc.line(i)
        if len(line) > 120:
            continue
        for m in [*P.PUBLISHED.finditer(line), *P.SOURCE_DATE.finditer(line)]:
            date = safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
            if date and m.groupdict().get("label") == "成文":
                written = written or date.isoformat()
            elif date:
                return date.isoformat()
    for i in range(min(len(doc.lines), 12, opening_i if opening_i is not None else 3)):  # chrome above the opening
        if (m := P.TOP_DATE_LINE.match(doc.line(i))) and (date := safe_date(int(m["y"]), int(m["m"]), int(m["d"]))):
            return date.isoformat()
    # The date may be on the line after "发布时间:" (portal layouts put it in its own element).
    m = re.search(r"发布(?:时间|日期)\s*[:：]?\s*\n\s*(\d{4})-(\d{1,2})-(\d{1,2})", doc.norm)
    if m:
        return iso(safe_date(int(m[1]), int(m[2]), int(m[3])))
    return written


def find_signature(doc: Doc, opening_i: int | None) -> tuple[str | None, str | None]:
    """The signature is a date line (with its year) near the end, the issuing organisation above it."""
    first = (opening_i or 0) + 1
    end = next((i for i in range(first, len(doc.lines)) if P.RELATED_LINE.match(doc.line(i))), len(doc.lines))
    tail = range(end - 1, max(first, end - 15) - 1, -1)
    for i in tail:
        m = P.SIGN_DATE_LINE.match(fold_dotted_dates(doc.line(i)))
        if not m or not m["y"]:
            continue
        date = safe_date(year_int(m["y"]), cn_int(m["m"]), cn_int(m["d"]))
        if date is None:
            continue
        if m["org"]:
            return m["org"].strip(), date.isoformat()
        org = doc.line(i - 1) if i - 1 > first else ""
        signer = doc.raw_line(i - 1) if P.ORG_LINE.match(org) else None
        return signer, date.isoformat()
    # A signature without its date: the notice ends with the organisation's name alone.
    last = end - 1
    while last > first and (P.TRAILER_LINE.match(doc.line(last)) or _is_chrome(doc.line(last))):
        last -= 1
    if last > first and P.ORG_LINE.match(doc.line(last)) and not _is_title(doc.line(last)):
        return doc.raw_line(last), None
    return None, None


# --------------------------------------------------------------------------
# the inspection: kind, body, team, term, round, dates, special topics


def _body_name(body: str, kind: str | None = None) -> str:
    return BODY_NAMES.get((body, (kind or "")[-2:]), body)


def read_inspection(opening: str, title: str, text: str) -> Inspection:
    """Kind, body and team from the first team named in the opening (else the title)."""
    insp = Inspection(look_back=bool(P.LOOK_BACK.search(opening)))
    for source in (opening, title):
        m = P.TEAM.search(source)
        if m:
            kind = m["kind"] or m["kind_b"]
            insp.kind, insp.body, insp.team = (
                kind,
                _body_name(m["body"], kind),
                cn_int(m["team"] or m["team_b"]),
            )
            return insp
    for source in (opening, title):
        named = [
            m for pat in (P.BODY_TEAM, P.BODY_KIND) for m in pat.finditer(source) if _names_inspection(m)
        ]
        m = named[0] if named else None
        if m:
            insp.kind, insp.body = m["kind"], _body_name(m["body"], m["kind"])
            return insp
    for source in (opening, title, text):
        counts = {k: source.count(k) for k in ("巡视", "巡察")}
        if any(counts.values()):
            insp.kind = max(counts, key=counts.get)
            return insp
    return insp


def _date_part(m: re.Match, y: str = "y", mo: str = "m", d: str = "d") -> PartialDate:
    return PartialDate(year_int(m[y]), cn_int(m[mo]), cn_int(m[d]))


def read_opening_dates(opening: str, not_after: dt.date | None) -> tuple[dt.date | None, ...]:
    """The on-site period and the feedback day, years filled in so the dates run forward."""
    rng = P.RANGE.search(opening) or P.ENTRY_RANGE.search(opening)
    start = _date_part(rng) if rng else None
    end = _date_part(rng, "y2", "m2", "d2") if rng else None
    months = None if rng else P.MONTH_RANGE.search(opening)
    feedback = find_feedback_date(opening, rng.end() if rng else months.end() if months else 0)
    if months and feedback is not None and feedback.year is None:
        # The month-only period is not a date, but it places the feedback in time.
        first = PartialDate(year_int(months["y"]), cn_int(months["m"]), 1)
        last = PartialDate(year_int(months["y2"]), cn_int(months["m2"]), 1)
        return None, None, resolve_sequence([first, last, feedback], not_after)[2]
    begun = None if rng or months else P.START_ONLY.search(opening)
    if begun:  # "自2023年10月12日起…为期两个月": the first day is stated, the last is not
        start, feedback = resolve_sequence([_date_part(begun), find_feedback_date(opening, begun.end())], not_after)
        return start, None, feedback
    season = None if rng or months else P.SEASON.search(opening)
    if season and feedback is not None and feedback.year is None:
        # "2024年一季度, … 5月8日反馈": the season's year places the feedback in time.
        month = 1 + 3 * ("一二三四1234".index(season["q"]) % 4) if season["q"] else 1 if season["half"] == "上" else 7
        return None, None, resolve_sequence([PartialDate(int(season["y"]), month, 1), feedback], not_after)[1]
    dates = resolve_sequence([start, end, feedback], not_after)
    return dates[0], dates[1], dates[2]


def find_feedback_date(opening: str, pos: int) -> PartialDate | None:
    """The first date after the period whose clause says the team fed back (反馈了巡视意见)."""
    while True:
        m = P.FEEDBACK_AFTER.search(opening, pos)
        if not m:
            break
        span = opening[m.start() : m.end() + 10]
        inner = opening[m.end("d") + 1 : m.end()]
        if re.search(P.DATE, inner):  # another date sits closer to 反馈: try from there
            pos = m.end("d")
            continue
        later = P.FEEDBACK_LATER.match(opening, m.end())
        if not later and (P.FEEDBACK_OBJECT.search(span) or not P.FEEDBACK_OTHER.search(span)):
            return _date_part(m)
        pos = m.end()
    m = P.FEEDBACK_BEFORE.search(opening, pos)
    if m:
        return _date_part(m)
    m = P.FEEDBACK_AFTER_WIDE.search(opening, pos)
    return _date_part(m) if m and not re.search(P.DATE, opening[m.end("d") + 1 : m.end()]) else None


def _dated_elsewhere(prefix: str, insp: Inspection) -> bool:
    """A year or 上轮-like word just before a mention means another, earlier inspection."""
    clause = re.split(r"[,。;]", prefix)[-1]
    if P.OTHER_COUNT_CUE.search(clause) and not (insp.look_back and "回头看" in clause):
        return True
    m = re.search(r"(\d{4})年", clause)
    return bool(m and insp.start and int(m[1]) != insp.start.year)


def _names_inspection(m: re.Match) -> bool:
    """ "区委巡视整改领导小组" names the inspected committee, not an inspector: counties and
    districts run 巡察, never 巡视."""
    return not (m["body"] in ("县委", "区委", "旗委") and m["kind"] == "巡视")


def _matches_inspection(body: str | None, kind: str | None, insp: Inspection) -> bool:
    if body and insp.body and _body_name(body, kind or insp.kind) != insp.body:
        return False
    return not (kind and insp.kind and not kind.endswith(insp.kind))


def read_term_round(title: str, opening: str, text: str, insp: Inspection) -> tuple[int | None, int | None]:
    """Term (届) and round (轮) where the notice names this inspection: title, opening, then the body."""
    term = round_ = None
    for source, strict in ((title, False), (opening, False), (text, True)):
        for m in _term_mentions(source):
            g = m.groupdict()
            kind = g["kind"] or g.get("kind2")
            if not _matches_inspection(m["body"], kind, insp):
                continue
            if strict and (
                _dated_elsewhere(source[max(0, m.start() - 40) : m.start()], insp)
                or _another_inspection(source, m)
                or not (g.get("round") and g["kind"])
                and not g.get("kind2")
                and m.re is not P.TERM_TEAM
            ):
                continue
            term = term or cn_int(m["term"])
            round_ = round_ or (cn_int(g["round"]) if g.get("round") else None)
            if term and round_:
                return term, round_
        if term:
            break
    if round_ is None:
        round_ = _round_without_term(title, opening, text, insp)
    return term, round_


def _another_inspection(source: str, m: re.Match) -> bool:
    """ "把此次巡视整改与十三届省委第九轮巡视反馈的遗留问题整改统筹推进": an inspection set beside this one."""
    before, after = source[max(0, m.start() - 2) : m.start()], source[m.end() : m.end() + 12]
    return before.endswith(("与", "和", "同")) or "遗留" in after


def _term_mentions(source: str) -> list[re.Match]:
    """ "十三届省委第四轮巡视", "区委十届第三轮巡察", "十三届省委第五巡视组", in the order they are written."""
    found = [m for pat in (P.TERM_ROUND, P.TERM_AFTER_BODY, P.TERM_TEAM) for m in pat.finditer(source)]
    return sorted(found, key=lambda m: m.start())


def _round_without_term(title: str, opening: str, text: str, insp: Inspection) -> int | None:
    """ "省委第四轮巡视" names the round even where the term is not written."""
    if m := P.TITLE_ROUND.search(title or ""):  # "关于2023年第二轮巡察整改进展情况的通报"
        return cn_int(m["round"])
    for source in (title, opening, text):
        for m in P.ROUND.finditer(source):
            if (_matches_inspection(m["body"], m["kind"], insp)
                    and not _dated_elsewhere(source[max(0, m.start() - 40) : m.start()], insp)
                    and not _another_inspection(source, m)):
                return cn_int(m["round"])
    return None


def _clean_topic(topic: str) -> str | None:
    topic = topic.strip(" \"'《》()").removesuffix("的")
    if topic.startswith("“") and topic.endswith("”") and topic.count("“") == 1:
        topic = topic[1:-1]  # quotes around the whole topic go; a quoted part ("一卡通") keeps both
    elif topic.count("“") != topic.count("”"):
        topic = topic.strip("“”")
    # "粮食购销领域(腐败问题)专项巡视" is the 粮食购销 topic: 领域 and what follows it are not the topic.
    topic = re.sub(r"(?<=..)领域(?:腐败问题|突出问题|问题)?$", "", topic)
    topic = TOPIC_ALIASES.get(topic, topic)
    if (
        len(topic) < 2
        or len(topic) > 20
        or re.search(r"等|检查|回头看|巡视|巡察", topic)
        or topic in ("常规", "机动")
    ):
        return None
    # "按照省委专项巡视工作部署" names no topic: a topic is neither a committee nor a clause.
    if re.search(rf"{P.BODY}$|按照|根据|部署|\d", topic):
        return None
    if topic in SPECIAL_CHECK_TOPICS:
        return None
    return topic


def read_special_topics(opening: str, text: str, insp: Inspection) -> list[str]:
    """Special inspections named in the opening ("常规巡视和营商环境专项巡视"), else reported in the body."""
    topics: list[str] = []
    for m in P.SPECIAL.finditer(opening):
        seg = opening[max(0, m.start() - 40) : m.start()]
        around = P.SPECIAL_AROUND.search(seg)  # "并围绕优化营商环境开展了专项巡视"
        starts = list(P.SPECIAL_START.finditer(seg))
        seg = seg[starts[-1].end() :] if starts else seg
        if around and not seg.strip():
            seg = around["topic"] or around["field"]
        # "乡村振兴领域不正之风和腐败问题专项巡察": what follows 领域 describes the one topic
        seg = re.sub(r"(?<=..)领域[^、及与暨+]*$", "", seg)
        for part in re.split(r"[、和及与暨+]|以及", seg):
            topic = _clean_topic(part)
            if topic and topic not in topics:
                topics.append(topic)
    if topics or P.SPECIAL.search(opening):
        return topics
    return _special_topics_in_body(text, insp)


def _special_topics_in_body(text: str, insp: Inspection) -> list[str]:
    """A special inspection the body reports rectifying ("营商环境专项巡视反馈意见整改…")."""
    topics: list[str] = []
    for m in P.SPECIAL_REPORTED.finditer(text):
        if m["kind"] != insp.kind:
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        known = [t for t in KNOWN_TOPICS if before.endswith(t)]
        heading = P.SPECIAL_HEADING.search(before)  # "三、耕地保护专项巡视反馈意见整改落实情况"
        if not (known or heading) or _dated_elsewhere(before, insp):
            continue
        topic = _clean_topic(max(known, key=len) if known else heading["topic"])
        if topic and topic not in topics:
            topics.append(topic)
    return topics


# --------------------------------------------------------------------------
# problem counts


def _sentences(doc: Doc) -> list[tuple[int, int, int]]:
    """(start, end, line index) of each sentence; sentences never cross a line."""
    out = []
    for li, (ls, le) in enumerate(doc.lines):
        pos = ls
        for m in P.SENTENCE_END.finditer(doc.norm, ls, le):
            out.append((pos, m.end(), li))
            pos = m.end()
        if pos < le:
            out.append((pos, le, li))
    return out


def chain_value(chain: str, after_noun: bool = False) -> int | None:
    """The most specific problem count in a chain ("四个方面、15项、47个突出问题" → 47).

    Counts of aspects (方面) alone and sums left unstated ("9+1"项) give None.
    """
    items = list(P.COUNT_ITEM.finditer(chain))
    problems = [it for it in items if it["unit"] in PROBLEM_UNITS and (it["prob"] or after_noun)]
    if not problems:
        return None
    n = problems[-1]["n"]
    if "+" in n or "＋" in n:
        return None
    return cn_int(n)


def _feedback_context(prefix: str, insp: Inspection, window: int = 40) -> bool:
    """The words before a count tie it to this inspection's feedback ("省委巡视组反馈意见中指出的")."""
    if not P.FEEDBACK_CUE.search(prefix[-window:]):
        return False
    mentions = [m for m in P.BODY_KIND.finditer(prefix) if _names_inspection(m)]
    if mentions:
        last = mentions[-1]
        return _matches_inspection(last["body"], last["kind"], insp)
    # A sentence that names no inspection ("省委向…主要领导反馈的3个重点问题") may be about other feedback,
    # unless the count directly follows "反馈的" with no other source in sight ("对照反馈的5大类17个问题").
    kinds = re.findall(P.KIND, prefix)
    if not kinds:
        return bool(P.BARE_FEEDBACK.search(prefix[-12:])) and not P.OTHER_FEEDBACK.search(prefix)
    return kinds[-1] == insp.kind


def _other_count(prefix: str, insp: Inspection) -> bool:
    """Words that make a count belong to something else (an earlier round, an audit, leftovers)."""
    cues = P.OTHER_COUNT_CUE.findall(prefix)
    if insp.look_back:
        cues = [c for c in cues if c != "回头看"]
    return bool(cues)


def _single_inspection_count(local: str, insp: Inspection) -> bool:
    """With a special inspection alongside, a count for only one of them is not the overall count."""
    if not insp.special_topics:
        return False
    regular, special = bool(P.REGULAR_CUE.search(local)), bool(P.SPECIAL_CUE.search(local))
    return regular != special


def _part_count(prefix: str, rest: str) -> bool:
    """ "共性问题12个、个性问题9个": counts of kinds of problems listed side by side, no sum stated."""
    return bool(P.PART_COUNT_NEXT.match(rest) or P.PART_COUNT_PREV.search(prefix))


@dataclass
class TotalHit:
    """The overall problem count and where it was stated (done counts are read near it)."""

    value: int
    line: int
    end: int


def find_problems_total(doc: Doc, insp: Inspection) -> TotalHit | None:
    """The first count of problems that a sentence ties to this inspection's feedback."""
    for s, e, li in _sentences(doc):
        sent = doc.norm[s:e]
        if "问题" not in sent:
            continue
        prev_end = 0
        for m in P.COUNT_CHAIN.finditer(sent):
            prefix = sent[: m.start()]
            local = re.split(r"[,;]", sent[prev_end : m.start()])[-1]
            prev_end = m.end()
            value = chain_value(m.group(0), after_noun=bool(P.PROBLEMS_NOUN_BEFORE.search(prefix)))
            if value is None or value < 2 or prefix.endswith("每"):
                continue
            if not _feedback_context(prefix, insp) or _other_count(prefix, insp):
                continue
            if _single_inspection_count(local, insp) or _part_count(prefix, sent[m.end() :]):
                continue
            if P.ON_THE_SPOT.match(sent[m.end() :]):
                continue
            return TotalHit(value, li, s + m.end())
        for m in P.COUNT_TRAILING.finditer(sent):
            prefix = sent[: m.end()]
            if _single_inspection_count(re.split(r"[,;]", prefix)[-1], insp):
                continue
            if _part_count(sent[: m.start("n")], sent[m.end() :]):
                continue
            if _feedback_context(prefix, insp, 60) and not _other_count(prefix, insp):
                return TotalHit(cn_int(m["n"]), li, s + m.end())
        for pattern in (P.COUNT_SPECIFIC_AFTER_MAIN, P.COUNT_AFTER_ASPECTS, P.COUNT_STATED_SUM):
            m = pattern.search(sent)
            if m and _feedback_context(sent[: m.end()], insp, len(sent)) and not _other_count(sent[: m.start()], insp):
                return TotalHit(cn_int(m["n"]), li, s + m.end())
    return None


_DONE_PATTERNS = (P.DONE_NOUN, P.DONE_AFTER, P.DONE_BEFORE, P.DONE_OF)


def _done_n(m: re.Match) -> int | None:
    return cn_int(m.groupdict().get("n") or m.groupdict().get("n2"))


def _done_in(sent: str) -> re.Match | None:
    hits = [m for pat in _DONE_PATTERNS for m in pat.finditer(sent)]
    return min(hits, key=lambda m: m.start()) if hits else None


def find_problems_done(doc: Doc, insp: Inspection, total: TotalHit | None) -> int | None:
    """Problems stated as rectified, where the sentence (or the total's paragraph) is about this feedback."""
    rate_done = None
    for s, e, li in _sentences(doc):
        sent = doc.norm[s:e]
        near_total = total is not None and li == total.line and e > total.end - 1
        done = _done_count(sent, insp, near_total, total)
        if done is not None:
            return done
        if total is not None and total.line < li <= total.line + FOLLOWING_LINES:
            # "二、整改进展情况 / 截至目前,已完成整改22条": the progress paragraph after the total.
            done = _done_count(sent, insp, True)
            if done is not None and done <= total.value:
                return done
        if near_total and s <= total.end <= e:
            after = doc.norm[total.end : e]
            if P.DONE_ALL.search(after):
                return total.value
            if m := P.DONE_SHORT.match(after):
                return cn_int(m["n"])
        if (
            total is not None
            and rate_done is None
            and (near_total or _feedback_context(sent, insp, len(sent)))
        ):
            r = P.DONE_RATE.search(sent)
            if r and not _other_count(sent[: r.start()], insp):
                rate_done = round(total.value * float(r["pct"]) / 100)
    return rate_done


def _restates_total(prefix: str, total: TotalHit | None) -> bool:
    """ "截至目前,18个问题中已整改到位15个": the sentence counts the same problems as the total."""
    if total is None:
        return False
    return any(cn_int(m["n"]) == total.value for m in P.RESTATED_TOTAL.finditer(prefix))


def _done_count(sent: str, insp: Inspection, near_total: bool, total: TotalHit | None = None) -> int | None:
    """A done count in a sentence next to the total or itself about this feedback."""
    m = _done_in(sent)
    if m is None:
        return None
    prefix = sent[: m.start()]
    tied = (near_total or _feedback_context(prefix, insp, 60) or _restates_total(prefix, total)
            or _all_of_total(m, total))
    if tied and not _other_count(prefix + m.group(0), insp) and not _counts_measures(prefix, m.group(0)):
        return _done_n(m)
    return None


def _all_of_total(m: re.Match, total: TotalHit | None) -> bool:
    """ "28个问题已全部整改完毕": the done count names the total itself as its subject."""
    return total is not None and m.re is P.DONE_BEFORE and _done_n(m) == total.value


def _counts_measures(prefix: str, done: str) -> bool:
    """ "制定整改措施126条,已完成整改118条": the done count follows a count of measures or tasks in the
    same unit (条/条), so it counts those; one that names problems or changes unit ("措施139条,已完成整改
    38个") does not."""
    if "问题" in done:
        return False
    counts = list(P.ANY_COUNT.finditer(prefix))
    if not counts or not P.MEASURE_COUNT.fullmatch(counts[-1].group(0)):
        return False
    unit = re.search(r"[个项条件]", done[::-1])
    return bool(unit) and unit.group(0) == counts[-1]["unit"]


def read_problem_counts(doc: Doc, insp: Inspection) -> tuple[int | None, int | None]:
    total = find_problems_total(doc, insp)
    done = find_problems_done(doc, insp, total)
    return (total.value if total else None), done


# --------------------------------------------------------------------------
# contacts and checks


def read_contacts(doc: Doc, opening_i: int | None = None) -> tuple[str | None, str | None]:
    """Phone and e-mail from the closing invitation to the public, as written (in the second half of
    the notice, or from the closing paragraph of a short one)."""
    phone = email = None
    first = min(len(doc.lines) // 2, _closing_paragraph(doc))
    if opening_i is not None:
        first = max(first, opening_i + 1)
    for i in range(len(doc.lines) - 1, first - 1, -1):
        line = doc.line(i)
        if not _in_contact_block(doc, i):
            continue
        start, _ = doc.lines[i]
        offset = start + (len(doc.norm[start:]) - len(doc.norm[start:].lstrip()))
        if phone is None and (m := P.PHONE.search(line)):
            phone = doc.raw[offset + m.start("phone") : offset + m.end("phone")]
        if email is None and (m := P.EMAIL.search(line)):
            email = re.sub(r"\s+", "", doc.raw[offset + m.start("email") : offset + m.end("email")])
        # A contact line under the invitation may be one of several ("电话:…" then "邮箱:…"): read on
        # up to the invitation itself.
        if (phone or email) and (phone and email or not P.CONTACT_LINE.match(line)):
            break
    return phone, email


def _closing_paragraph(doc: Doc) -> int:
    """The last paragraph above the signature, its date, contact lines and trailers ("(此件公开发布)")."""
    i = len(doc.lines) - 1
    while i > 0:
        line = doc.line(i)
        closing = (
            P.SIGN_DATE_LINE.match(fold_dotted_dates(line))
            or P.ORG_LINE.match(line)
            or P.CONTACT_LINE.match(line)
            or P.TRAILER_LINE.match(line)
            or _is_chrome(line)
        )
        if not closing:
            return i
        i -= 1
    return 0


def _in_contact_block(doc: Doc, i: int) -> bool:
    """The invitation line, or a contact line under it ("联系电话:…" / "电子邮箱:…" one per line)."""
    if P.CONTACT_PARAGRAPH.search(doc.line(i)):
        return True
    j = i - 1
    while j >= 0 and i - j <= 4:
        if P.CONTACT_PARAGRAPH.search(doc.line(j)):
            return True
        if not P.CONTACT_LINE.match(doc.line(j)):
            return False
        j -= 1
    return False


def _as_date(value: str | None) -> dt.date | None:
    """ISO date of a value; page metadata may carry a time after the date ("2024-12-31 07:00")."""
    try:
        return dt.date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def quality_checks(rec: dict, today: dt.date | None = None) -> list[str]:
    """Names of failed cross-field checks; an empty list when the record is consistent."""
    latest = (today or dt.date.today()) + dt.timedelta(days=365)
    failed = []
    total, done = rec.get("problems_total"), rec.get("problems_done")
    if total is not None and done is not None and done > total:
        failed.append("problems_done>problems_total")
    for key in ("team", "round", "term", "problems_total"):
        if rec.get(key) is not None and rec[key] <= 0:
            failed.append(f"{key}<=0")
    dates = {k: _as_date(rec.get(k)) for k in DATE_FIELDS}
    for key, d in dates.items():
        if d and not (EARLIEST <= d <= latest):
            failed.append(f"{key}_out_of_range")
    # The inspection is on site, then feeds back, then the notice is signed and published.
    order = [k for k in ("inspection_start", "inspection_end", "feedback_on") if dates[k]]
    for a, b in zip(order, order[1:], strict=False):
        if dates[a] > dates[b]:
            failed.append(f"{a}>{b}")
    for key in ("signed_on", "published_on"):
        if order and dates[key] and dates[order[-1]] > dates[key]:
            failed.append(f"{order[-1]}>{key}")
    return failed
