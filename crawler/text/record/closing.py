"""The end of a notice: the signature (issuing organisation and date) and the contacts for public
feedback ("欢迎广大干部群众监督。联系电话:0535-6891160;电子邮箱:…")."""

from __future__ import annotations

import re

from crawler.text.cndates import cn_int, safe_date, year_int
from crawler.text.record.chrome import is_chrome, is_title, notice_end
from crawler.text.record.common import DATE, ORG_LINE
from crawler.text.record.doc import Doc

# A line that is only a full date: the date under the signature (2020年7月31日 / 二〇二〇年七月三十一日).
# A page's buttons printed after the date line of a notice copied onto one or two lines: "【打印】【关闭】".
PAGE_BUTTONS = r"(?:[【\[](?:打印|关闭|打印本页|关闭窗口|返回顶部|收藏)[】\]]\s*)+"
# (the name and the date may run together: "中共某乡委员会2025年4月18日")
SIGN_DATE_LINE = re.compile(rf"^\s*(?:(?P<org>[^\d\s。,;:]{{2,40}}?)(?:\s+|(?<=[会委组部支])))?{DATE}\s*(?:{PAGE_BUTTONS})?$")
# An attachment's heading: "附件：市委第四巡察组反馈意见整改落实情况表", "附件1.…".
ATTACHMENT_LINE = re.compile(r"^\s*附件\s*(?:\d|[:：.、]|$)")
# The seal printed with a signature: "(盖章)", "（印章）".
SEAL = re.compile(r"\s*[(（](?:盖章|印章|公章|签章|章)[)）]\s*")
# Lines after the signature that are not the notice: "(此件公开发布)", "责任编辑:某某", "来源:…".
# (a document's 抄送 and 印发 lines: "抄送：省委巡视办…", "中共某县委办公室　2023年11月10日印发")
TRAILER_LINE = re.compile(r"^[(（][^)）]{1,20}[)）]$|^(?:责任编辑|编辑|审核|校对|来源|供稿|作者|抄送|抄报)|印发$")
# The site's footer, not the notice: "主办:…  地址:…  电话:…", "版权所有", "ICP备", "网站标识码".
# An advertisement set inside the text ("【广告】… 售楼热线：0769-…") is no contact either.
FOOTER_LINE = re.compile(
    r"^\s*(?:主办|承办|协办|技术支持|联系我们|网站地图|[【\[]?(?:广告|推广|赞助)(?:[】\]]|\s*[:：]))|版权所有|Copyright|©|ICP备|网站标识码|公网安备|主办单位",
    re.I,
)
# The closing invitation to the public: "欢迎广大干部群众…监督", "如有意见建议,请…反映".
CONTACT_PARAGRAPH = re.compile(r"欢迎|监督|意见建议|意见和建议|反映|联系方式")
# A line of a contact block: "联系电话:…", "电子邮箱:…", "邮政信箱:…", "通信地址:…", "举报网站:…", "联系人:…",
# also as a numbered list of the ways to reach the unit: "(一)电话:…", "2.电子邮箱:…".
CONTACT_LINE = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十\d]{1,2}[)）]|[一二三四五六七八九十\d]{1,2}[、.．]|[①-⑩])?\s*"
    r"(?:联系人|(?:联系|举报|监督|来信)?(?:电话|热线|手机|传真|电子邮箱|电子信箱|邮箱|E-?mail|邮政信箱|信箱|通信地址|通讯地址|地址"
    r"|邮编|邮政编码|网站|网址|信件))",
    re.I,
)
# "联系电话:0535-6891160", "电话:0427-3410198", "举报电话 12388", "电话举报:010-…", "联系方式:0571-…",
# "联系电话(传真):0855-…", "手机:13907451286" / "139-0745-1286", "400-8812345".
PHONE = re.compile(
    r"(?:电话|热线|手机|座机|联系方式|请联系|联系)(?:号码|举报)?\s*(?:[(/][^)/:：]{0,4}\)?|及传真|传真)?\s*(?:[:：]|为|是)?\s*"
    r"(?P<phone>1[3-9]\d[-—－ ]?\d{4}[-—－ ]?\d{4}(?!\d)|400[-—－]?\d{3}[-—－]?\d{4}(?!\d)"
    r"|(?:\(?0\d{2,3}\)?\s*[-—－]?\s*)?\d{7,8}(?!\d)(?:[-—－]\d{1,4})?|12388)"
)
# "电子邮箱:lsqwbdck@163.com", "电子信箱:…", "E-mail:…" (a 邮政信箱 is a postal address and has no @).
EMAIL = re.compile(r"(?P<email>[A-Za-z0-9._%+\-]+\s*@\s*[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")


def find_signature(doc: Doc, opening_i: int | None) -> tuple[str | None, str | None]:
    """The signature is a date line (with its year) near the end, the issuing organisation above it."""
    first = (opening_i or 0) + 1
    end = min(notice_end(doc, first), attachment_start(doc))
    for i in range(end - 1, max(first, end - 15) - 1, -1):
        m = SIGN_DATE_LINE.match(doc.line(i))
        if not m or not m["y"]:
            continue
        date = safe_date(year_int(m["y"]), cn_int(m["m"]), cn_int(m["d"]))
        if date is None:
            continue
        base = doc.line_span(i)[0]
        doc.cite("signed_on", base + m.start("y"), base + m.end())
        if m["org"]:
            doc.cite("issuer", base + m.start("org"), base + m.end("org"))
            return doc.raw_text(base + m.start("org"), base + m.end("org")).strip(), date.isoformat()
        above = i - 1
        while above > first and SEAL.fullmatch(doc.line(above)):  # a seal's line between name and date
            above -= 1
        org = SEAL.sub("", doc.line(above)) if above > first else ""
        if ORG_LINE.match(org):
            start, end = doc.line_span(above)
            if above - 1 > first and _wrapped_name(doc.line(above - 1), org):  # a name over two lines
                start = doc.line_span(above - 1)[0]
            doc.cite("issuer", start, end)
            return SEAL.sub("", re.sub(r"\s*\n\s*", "", doc.raw_text(start, end))), date.isoformat()
        return None, date.isoformat()
    # A signature without its date: the notice ends with the organisation's name alone.
    last = end - 1
    while last > first and (TRAILER_LINE.match(doc.line(last)) or is_chrome(doc.line(last))):
        last -= 1
    if last > first and ORG_LINE.match(doc.line(last)) and not is_title(doc.line(last)):
        doc.cite("issuer", *doc.line_span(last))
        return doc.raw_line(last), None
    return None, None


def _wrapped_name(before: str, org: str) -> bool:
    """ "中共长河县委巡察工作" / "领导小组办公室": the line above continues the organisation's name."""
    return (bool(re.fullmatch(r"(?:中共)?[^。,;:：!?、\d\s]{2,20}", before)) and not ORG_LINE.match(before)
            and len(before) + len(org) <= 40 and not TRAILER_LINE.match(before))


def read_contacts(doc: Doc, opening_i: int | None = None) -> tuple[str | None, str | None]:
    """Phone and e-mail from the closing invitation to the public, as written (in the second half of
    the notice, or from the closing paragraph of a short one)."""
    phone = email = None
    end = notice_end(doc, (opening_i or 0) + 1)
    closing = _closing_paragraph(doc, end)
    first = min(end // 2, closing)
    if opening_i is not None:
        first = max(first, opening_i + 1)
    if opening_i is not None and first > opening_i and closing == opening_i:
        first = opening_i  # the notice's paragraphs copied onto one line: its invitation ends that line
    for i in range(notice_end(doc, first) - 1, first - 1, -1):
        line = doc.line(i)
        if i == opening_i:
            line = line[-300:]  # the invitation and contacts at the end, not a number in the body
        if FOOTER_LINE.search(line) or not _in_contact_block(doc, i):
            continue
        base = doc.line_span(i)[1] - len(line)
        if phone is None and (m := PHONE.search(line)):
            doc.cite("contact_phone", base + m.start("phone"), base + m.end("phone"))
            phone = doc.raw_text(base + m.start("phone"), base + m.end("phone"))
        if email is None and (m := EMAIL.search(line)):
            doc.cite("contact_email", base + m.start("email"), base + m.end("email"))
            email = re.sub(r"\s+", "", doc.raw_text(base + m.start("email"), base + m.end("email")))
        # A contact line under the invitation may be one of several ("电话:…" then "邮箱:…"): read on
        # up to the invitation itself.
        if (phone or email) and (phone and email or not CONTACT_LINE.match(line)):
            break
    return phone, email


def attachment_start(doc: Doc) -> int:
    """The line where an attachment printed after the signature starts ("附件：…情况表" and its rows), else the
    end."""
    attached = [k for k in range(1, len(doc.lines)) if ATTACHMENT_LINE.match(doc.line(k))
                and SIGN_DATE_LINE.match(doc.line(k - 1))]
    return attached[-1] if attached else len(doc.lines)


def _closing_paragraph(doc: Doc, end: int) -> int:
    """The last paragraph above the signature, its date, contact lines and trailers ("(此件公开发布)"); an
    attachment printed after the signature ("附件：…情况表" and its rows) is no part of the notice's end, nor is a
    page's trailer after it (a WeChat page's buttons)."""
    i = min(attachment_start(doc), end) - 1
    while i > 0:
        line = doc.line(i)
        closing = (
            FOOTER_LINE.search(line)
            or SIGN_DATE_LINE.match(line)
            or ORG_LINE.match(line)
            or CONTACT_LINE.match(line)
            or TRAILER_LINE.match(line)
            or is_chrome(line)
        )
        if not closing:
            return i
        i -= 1
    return 0


def _in_contact_block(doc: Doc, i: int) -> bool:
    """The invitation line, or a contact line under it ("联系电话:…" / "电子邮箱:…" one per line), or contact
    lines with no invitation right above the signature (a site's footer comes after the signature)."""
    if CONTACT_PARAGRAPH.search(doc.line(i)) or _above_signature(doc, i):
        return True
    j = i - 1
    while j >= 0 and i - j <= 4:
        if CONTACT_PARAGRAPH.search(doc.line(j)):
            return True
        if not CONTACT_LINE.match(doc.line(j)) or FOOTER_LINE.search(doc.line(j)):
            return False
        j -= 1
    return False


def _above_signature(doc: Doc, i: int) -> bool:
    """Line i is a contact line and only contact lines stand between it and the signing organisation."""
    j = i
    while j < len(doc.lines) and CONTACT_LINE.match(doc.line(j)) and not FOOTER_LINE.search(doc.line(j)):
        j += 1
    return j > i and j < len(doc.lines) and bool(ORG_LINE.match(SEAL.sub("", doc.line(j))))
