"""How many of the feedback's problems are rectified (`problems_done`): a done count read right after the total,
in a sentence about this feedback, or where the rest adds up to the total; never measures', tasks' or another
inspection's, and a later overall count (累计, 合计) over an earlier report's or a class's."""

from __future__ import annotations

import re
from dataclasses import replace

from crawler.text.cndates import NUM, cn_int
from crawler.text.record.common import (
    KIND,
    Inspection,
)
from crawler.text.record.doc import Doc
from crawler.text.record.totals import (
    ASIDE,
    COUNT_CHAIN,
    FOLLOWING_LINES,
    JOINT_CLASSES,
    LEADING_ASIDE,
    TEAM_COUNT,
    TIMING_CLASS,
    TotalHit,
    chain_value,
    feedback_context,
    names_other_inspection,
    other_count,
    respective_problems,
    sentences,
    single_inspection_count,
)

# --- done counts -----------------------------------------------------------

# Any count with the noun it counts, on either side: "整改措施126条", "79项整改任务", "21个具体问题".
ANY_COUNT = re.compile(
    rf"(?:措施|任务|举措|事项|问题)?(?:共计|共|合计)?{NUM}(?P<unit>个|项|条|件)(?:具体|主要|整改)?(?:措施|任务|举措|事项|问题)?"
)
# The total restated before a done count: "18个问题中", "38条问题中", "反馈的32个问题".
RESTATED_TOTAL = re.compile(rf"(?P<n>{NUM})(?:个|项|条)(?:具体)?问题")
# ... the noun first: "限期整改问题14个已完成整改12个" (one class's, when 14 is not the total).
RESTATED_NOUN_FIRST = re.compile(rf"问题(?P<n>{NUM})(?:个|项|条)$")
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
# Rectified problems, the count before the verb: "其中45个问题已完成整改", "41个已完成、3个基本完成", a status
# quoted as a review signed it off ("22个问题“已完成,同意销号”"),
# "28个问题已全部整改完毕" (not "52个问题已完成整改45个").
DONE_BEFORE = re.compile(
    rf"(?P<n>{NUM})(?:个|项|条)(?:具体)?(?:问题)?[“\"]?(?:已经|已|均已)(?:全部)?(?:完成整改|整改完成|整改完毕|整改到位|整改销号|对账销号|完成(?!率|整改))"
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
    rf"(?:(?:{KIND})?反馈(?:的|意见指出的)?|清单所列(?:的)?)(?:全部)?问题(?:已经|已|均已|现已)(?:全部)?"
    r"(?:完成整改|整改完成|整改完毕|整改到位|整改销号)"
)  # (or "清单所列问题已全部完成整改": the list of the feedback's problems)
# A rate of measures, not problems: "整改措施完成率89.1%", "任务完成率".
MEASURES_RATE = re.compile(r"(?:措施|任务|举措)(?:整改)?$")
# A completion rate: "整改完成率73.3%", "问题整改率100%".
DONE_RATE = re.compile(r"(?:整改完成|完成整改|整改|完成|销号)率(?:为|达到|达)?\s*(?P<pct>\d+(?:\.\d+)?)\s*%")
# A completion rate with its fraction: "问题整改完成率86.7%(26/30)".
RATE_FRACTION = re.compile(r"率(?:为|达到|达)?\s*\d+(?:\.\d+)?\s*%\s*[(（]\s*(?P<n>\d+)\s*/\s*(?P<of>\d+)\s*[)）]")
# Done out of the total: "整改完成23个中的20个".
DONE_OUT_OF = re.compile(rf"(?:整改完成|完成整改){NUM}(?:个|项|条)(?:问题)?中的(?P<n>{NUM})(?:个|项|条)")
# A form's done count: "已完成:13个", "已整改:15个".
DONE_LABELLED = re.compile(rf"(?:^|(?<=[\s,;]))(?:已完成|已整改)[:：]\s*(?P<n>{NUM})(?:个|项|条)")
# ... or labelled by the progress it reports: "整改完成情况:已完成19个,基本完成2个".
DONE_UNDER_LABEL = re.compile(rf"(?:整改)?(?:完成|进展|落实)情况[:：]\s*已(?:经)?(?:完成|整改)(?P<n>{NUM})(?:个|项|条)")
_DONE_PATTERNS = (DONE_NOUN, DONE_AFTER, DONE_BEFORE, DONE_OF, DONE_OF_SUBJECT, DONE_LABELLED, DONE_UNDER_LABEL,
                  DONE_OUT_OF)
# Done counts given respectively for several subjects, no overall one: "常规巡察反馈问题和专项巡察反馈问题分别已完成
# 整改18个和7个" (the first is one inspection's count, not the feedback's).
RESPECTIVE_BEFORE = re.compile(r"分别(?:已经|已|均已)?$")
# (the next count ends its clause: not "41个已完成、3个基本完成", states of the same problems).
RESPECTIVE_AFTER = re.compile(rf"^\s*(?:[和及、]|以及)\s*{NUM}(?:个|项|条|件)(?=[,。;)]|$)")



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
    # the subject may stand in the clause before ("限期整改问题14个,已完成整改12个")
    subject = "".join(re.split(r"[,;]", sent[: m.start()])[-2:])
    if m.re is DONE_OF_SUBJECT:  # "16项具体问题已完成13项": the subject is inside the match
        subject += m.group(0)[: m.start("n") - m.start()]
    named = list(RESTATED_TOTAL.finditer(subject)) or list(RESTATED_NOUN_FIRST.finditer(subject))
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
        if total is not None and rate_done is None and (f := RATE_FRACTION.search(sent)) and int(f["of"]) == total.value:
            rate_done = (int(f["n"]), s + f.start(), s + f.end())  # "问题整改完成率86.7%(26/30)": 26 of the 30
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
    return _summed_later(doc, insp, total) or _respective_done(doc, insp, total)


def _summed_later(doc: Doc, insp: Inspection, total: TotalHit | None) -> int | None:
    """Done counts given per part (per lead department) and then summed: "…牵头的6个问题已完成5个,…,各牵头单位合计
    完成整改31个"."""
    if total is None:
        return None
    for m in SUMMED_DONE.finditer(doc.read, total.end):
        n = cn_int(m["n"]) or 0
        if 0 < n <= total.value and not other_count(doc.read[max(0, m.start() - 30) : m.start()], insp):
            doc.cite("problems_done", m.start(), m.end())
            return n
    return None


def _respective_done(doc: Doc, insp: Inspection, total: TotalHit | None) -> int | None:
    """ "反馈问题和整改措施分别已完成19个、71条": the number that goes with the problems."""
    for s, e, _li in sentences(doc):
        sent = doc.read[s:e]
        hit = respective_problems(sent, r"已完成整改|已完成|已整改到位|已整改") if "分别" in sent else None
        if hit and (total is None or hit[0] <= total.value) and not other_count(sent[: sent.find("分别")], insp):
            doc.cite("problems_done", s + hit[1], s + hit[2])
            return hit[0]
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
                and not single_inspection_count(sent[: m.start()], insp)):
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
            or _all_of_total(m, total) or _rest_makes_total(sent[m.end() :], m, total)
            or _excepted_make_total(prefix, m, total))
    if names_other_inspection(prefix, insp):  # "其中,省委巡视反馈涉及我局的问题7个,已整改到位6个"
        return None
    if (tied and not _other_done(prefix + m.group(0), insp, total) and not _counts_measures(prefix, m.group(0), sent[m.end() :])
            and (near_total or not single_inspection_count(prefix, insp))):
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


# The problems excepted before the rest's done count: "除2个需长期坚持、2个正在整改的问题外,其余".
EXCEPTED = re.compile(r"除(?P<parts>[^。;]{2,40}?)外[,，]?\s*(?:其余|其他|剩余)(?:的)?$")
# The problems left after a done count: "已完成整改16个问题,剩余3个问题正在推进", "19个问题整改到位,2个问题基本完成整改".
REST_AFTER = re.compile(rf"\s*(?:问题)?[,，;；]\s*(?:剩余|其余|余下|还有|尚有|另有)?(?:的)?(?P<n>{NUM})(?:个|项|条)")


def _excepted_make_total(prefix: str, m: re.Match[str], total: TotalHit | None) -> bool:
    """ "除2个需长期坚持、2个正在整改的问题外,其余29个具体问题均已完成整改": the ones excepted and the rest make
    the total."""
    excepted = EXCEPTED.search(prefix)
    if total is None or not excepted:
        return False
    return sum(cn_int(n) or 0 for n in re.findall(rf"({NUM})(?:个|项|条)", excepted["parts"])) + (_done_n(m) or 0) == total.value


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
