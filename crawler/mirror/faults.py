"""faults.mirror.test — a test-only host whose pages each misbehave in one documented way.

``/list/index.html`` is a plain ``<ul class="list"><li><a href=…>TITLE</a></li>`` list whose
titles all look like rectification notices, so a crawler treats every link as a notice and
meets every fault. ``robots.txt`` disallows ``/private/``. Pages are described in ``FAULTS``
and in the docstring of the function that builds each one.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime

from .pages import BEIJING, HTML_UTF8, Article, Page, Response, Site, esc, paragraphs

HOST = "faults.mirror.test"
LIST_PATH = "/list/index.html"
OFFSITE_TARGET = "http://evil.example.net/stolen.html"
PUBLISHED = datetime(2024, 6, 18, 10, 0)

# Characters outside GB2312: 镕 and 喆 are GBK-only; 𠮷 (U+20BB7) needs a GB18030 four-byte
# sequence and € (U+20AC) is A2E3 in GB18030 but undefined in GB2312 (and in Python's gbk).
GBK_ONLY = "镕喆"
GB18030_ONLY = "𠮷€"

GBK_TITLE = "中共镕城县委关于省委巡视整改进展情况的通报"
GB18030_TITLE = "中共𠮷安县委关于省委巡视整改进展情况的通报"

FAULTS: dict[str, str] = {
    "/ok/1.html": "200, a good notice page built from one real corpus notice (see layouts.FAULT_OK_CORPUS_ID).",
    "/err/500.html": "Always HTTP 500 with a short HTML error body.",
    "/err/slow.html": "Waits slow_seconds (default 10, settable on the server) before answering 200 with a notice.",
    "/err/broken.html": "200 text/html; charset=utf-8 but malformed: unclosed tags, NUL/ESC/invalid UTF-8 bytes, "
    "and the body is cut mid-tag inside a multi-byte character. Title and first paragraphs are recoverable.",
    "/err/gbk.html": "200 notice encoded in GBK, Content-Type 'text/html' with NO charset and no <meta> charset; "
    "contains GBK-only characters 镕 喆 (so gb2312 and utf-8 decoding both fail).",
    "/err/huge.html": "200 body of huge_bytes (default 12 MiB) streamed chunked, with NO Content-Length.",
    "/err/offsite.html": f"302 redirect to {OFFSITE_TARGET} (another host; a crawler must not follow it).",
    "/err/gb18030.html": "200 labelled charset=gb2312 (header and meta) but really GB18030: contains 𠮷 (U+20BB7, "
    "4-byte) and €; decoding as gb2312 or gbk fails, gb18030 succeeds.",
    "/private/secret.html": "200 notice-like page, but robots.txt disallows /private/ — it must never be fetched.",
}

# List titles: each fault gets a distinct notice-like title so the crawler follows it.
_FAULT_TITLES: dict[str, str] = {
    "/err/500.html": "中共示范市东城区委关于省委巡视整改进展情况的通报",
    "/err/slow.html": "中共示范市西城区委关于省委巡视整改进展情况的通报",
    "/err/broken.html": "中共示范市南湖区委关于省委巡视整改落实进展情况的通报",
    "/err/gbk.html": GBK_TITLE,
    "/err/huge.html": "中共示范市北山区委关于省委巡视整改进展情况的通报",
    "/err/offsite.html": "中共示范市江口区委关于省委巡视整改进展情况的通报",
    "/err/gb18030.html": GB18030_TITLE,
    "/private/secret.html": "中共示范市内港区委关于省委巡视整改进展情况的通报",
}


def synthetic_lines(org: str, extra: str = "") -> list[str]:
    """A short made-up notice body for ``org`` (fault pages must not duplicate real notices)."""
    lines = [
        f"根据省委统一部署，2023年9月20日至11月30日，省委第六巡视组对{org}进行了常规巡视。"
        f"2024年1月9日，省委巡视组向{org}反馈了巡视意见。按照《巡视工作条例》有关要求，现将巡视整改情况予以公布。",
        "一、领导班子履行主体责任情况",
        f"{org}坚决贯彻落实党中央决策部署，认真对照巡视反馈意见，逐项制定整改措施。",
        "二、巡视反馈问题整改落实情况",
        "截至目前，巡视反馈的23个问题已完成整改21个，其余2个正在按时序推进。",
    ]
    if extra:
        lines.append(extra)
    lines.append("欢迎广大干部群众对巡视整改落实情况进行监督。联系电话：0000-1234567。")
    return lines


def notice_html(
    title: str, lines: list[str], charset_meta: str | None = "utf-8", published: datetime = PUBLISHED
) -> str:
    """The plain template all fault-host pages use: h1, div.date, div.content p."""
    meta = (
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">'
        if charset_meta
        else ""
    )
    return (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{esc(title)}</title></head><body>\n"
        f'<h1>{esc(title)}</h1>\n<div class="date">发布时间：{published:%Y-%m-%d %H:%M}</div>\n'
        f'<div class="content">\n{paragraphs(lines)}</div>\n</body></html>\n'
    )


def broken_page() -> bytes:
    """Malformed UTF-8 HTML: unclosed <div>/<p>/<b>, stray garbage (NUL, ESC, 0xFF 0xFE 0x80) and a
    body truncated mid-tag, inside a 3-byte character."""
    title = _FAULT_TITLES["/err/broken.html"]
    lines = synthetic_lines("南湖区委")
    head = (
        f'<html><head><meta charset="utf-8"><title>{esc(title)}</title>\n<body><div class="wrap">\n'
        f'<h1>{esc(title)}</h1>\n<div class="content">\n'
    ).encode()
    body = b"".join(f"<p>{esc(line)}\n".encode() for line in lines[:3])
    garbage = b"<p>\x00\x1b[31m\xff\xfe\x80 <b>\xe4\xb8 <font color=red>"
    tail = f'<p>{esc(lines[3])}<p>{esc(lines[4])}</p><div class="foot"><a href="/li'.encode()
    # Cut after the first byte of a 3-byte character: the document ends mid-tag and mid-character.
    cut = tail + "整".encode()[:1]
    return head + body + garbage + cut


def gbk_page() -> bytes:
    """A notice encoded in GBK; served as plain 'text/html' and without a <meta> charset."""
    org = "镕城县委"
    lines = synthetic_lines(org, "县委书记王喆同志主持召开专题会议，研究部署巡视整改工作。")
    return notice_html(GBK_TITLE, lines, charset_meta=None).encode("gbk")


def gb18030_page() -> bytes:
    """A notice labelled gb2312 but needing GB18030: 𠮷 (4-byte) and €."""
    lines = synthetic_lines("𠮷安县委", "追回违规发放补贴资金折合约1.5万€，已全部上缴国库。")
    return notice_html(GB18030_TITLE, lines, charset_meta="gb2312").encode("gb18030")


def huge_stream(total: int) -> Iterator[bytes]:
    """``total`` bytes of valid-looking notice HTML, produced lazily in 64 KiB blocks."""
    title = _FAULT_TITLES["/err/huge.html"]
    head = f'<html><head><meta charset="utf-8"><title>{esc(title)}</title></head><body><h1>{esc(title)}</h1><div class="content">'
    line = "<p>" + html.escape("整改工作持续推进，各项措施落实到位。") * 20 + "</p>\n"
    block = line.encode("utf-8") * max(1, 65536 // len(line.encode("utf-8")))
    pending = head.encode("utf-8")
    sent = 0
    while sent < total:
        part = pending[: total - sent]
        sent += len(part)
        if part:
            yield part
        pending = block


class FaultsSite(Site):
    host = HOST
    scheme = "http"
    site_name = "故障测试站点"
    column_name = "巡视整改"
    list_path = LIST_PATH
    robots = "User-agent: *\nDisallow: /private/\n"

    def __init__(
        self, ok_article: Article, slow_seconds: float = 10.0, huge_bytes: int = 12 * 1024 * 1024
    ) -> None:
        # Site.__init__ derives paths from ids; these two paths are fixed by hand instead.
        self.slow_seconds = slow_seconds
        self.huge_bytes = huge_bytes
        ok_article.path = "/ok/1.html"
        secret = Article(_FAULT_TITLES["/private/secret.html"], synthetic_lines("内港区委"), PUBLISHED)
        secret.path = "/private/secret.html"
        self.articles = [ok_article, secret]

    def article_path(self, article: Article) -> str:
        # Paths here are fixed by hand; new articles go under /news/.
        return f"/news/{article.article_id}.html"

    def render_article(self, article: Article) -> str:
        return notice_html(article.title, article.lines, published=article.published)

    def render_lists(self) -> dict[str, str]:
        links = [(a.path, a.title) for a in self.articles[:1]] + list(_FAULT_TITLES.items())
        links += [(a.path, a.title) for a in self.articles[2:]]
        lis = "".join(f'<li><a href="{esc(path)}">{esc(title)}</a></li>\n' for path, title in links)
        return {
            LIST_PATH: '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>故障测试</title></head><body>\n'
            f'<ul class="list">\n{lis}</ul>\n</body></html>\n'
        }

    def pages(self) -> dict[str, Page]:
        pages = super().pages()
        pages["/err/broken.html"] = Page(broken_page(), HTML_UTF8, _published())
        pages["/err/gbk.html"] = Page(gbk_page(), "text/html", _published())
        pages["/err/gb18030.html"] = Page(gb18030_page(), "text/html; charset=gb2312", _published())
        return pages

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if path == "/err/500.html":
            body = b"<html><body><h1>500 Internal Server Error</h1></body></html>"
            return Response(500, body, conditional=False)
        if path == "/err/slow.html":
            page = notice_html(_FAULT_TITLES[path], synthetic_lines("西城区委")).encode("utf-8")
            return Response(200, page, last_modified=_published(), delay=self.slow_seconds)
        if path == "/err/huge.html":
            return Response(200, huge_stream(self.huge_bytes), conditional=False)
        if path == "/err/offsite.html":
            body = f'<html><body><a href="{OFFSITE_TARGET}">moved</a></body></html>'.encode()
            return Response(302, body, headers=[("Location", OFFSITE_TARGET)], conditional=False)
        return None


def _published() -> datetime:
    return PUBLISHED.replace(tzinfo=BEIJING)
