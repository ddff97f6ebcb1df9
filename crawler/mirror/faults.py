"""faults.mirror.test — a test-only host whose pages each misbehave in one documented way.

``/list/index.html`` is a plain ``<ul class="list"><li><a href=…>TITLE</a></li>`` list whose
titles all look like rectification notices, so a crawler treats every link as a notice and
meets every fault. ``/list/blocked.html`` (same markup) links to the anti-bot / soft-404 pages
(``BLOCKED_TITLES``): WAF interstitials and challenges a crawler must report as "blocked", never
parse as notices or take for an empty list. ``robots.txt`` disallows ``/private/``. Pages are
described in ``FAULTS`` and in the docstring of the function that builds each one.

The block pages imitate what the real products send (markers from public crawler code, see
sites.md §2.3); they are reduced to the markers and the mechanics, not byte copies.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import datetime

from .pages import BEIJING, HTML_UTF8, Article, Page, Response, Site, esc, paragraphs

HOST = "faults.mirror.test"
LIST_PATH = "/list/index.html"
BLOCKED_LIST_PATH = "/list/blocked.html"
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
    # Linked from /list/blocked.html:
    "/block/safedog.html": "200 安全狗 (SafeDog) WAF interstitial: 'safedog', '安全狗', '网站防火墙', "
    "'您的访问可能对网站造成威胁'. Not a notice: the crawler is blocked.",
    "/block/yunsuo.html": "200 云锁 WAF JS challenge: sets cookie 'yunsuo_session_verify' and reloads; text '云锁'.",
    "/block/yundun.html": "200 创宇盾 (365cyd) block page: '创宇盾', '365cyd'.",
    "/block/412.html": "HTTP 412, a 瑞数-style JS cookie challenge: inline script sets document.cookie, then "
    "location.reload(); Set-Cookie header too.",
    "/block/521.html": "HTTP 521, 加速乐 challenge: document.cookie=('__jsl_clearance=…') then location.href reload.",
    "/block/captcha.html": "200 CCDI's image-captcha challenge: markers 'captchaPage', 'seccaptcha.haplat.net', "
    "'comImageValidate'.",
    "/err/soft404.html": "200 soft 404: <title>404 页面不存在</title>, '抱歉，您访问的页面不存在或已被删除'.",
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

# Links of /list/blocked.html: notice-like titles, so a crawler follows them and meets each block.
BLOCKED_TITLES: dict[str, str] = {
    "/block/safedog.html": "中共示范市东湖区委关于十三届省委第五轮巡视整改进展情况的通报",
    "/block/yunsuo.html": "中共示范市西湖区委关于十三届省委第五轮巡视整改进展情况的通报",
    "/block/yundun.html": "中共示范县委关于省委巡视整改进展情况的通报",
    "/block/412.html": "中共示范市北湖区委关于省委巡视整改落实进展情况的通报",
    "/block/521.html": "中共示范市南湖区委关于市委巡察整改进展情况的通报",
    "/block/captcha.html": "中共某某集团有限公司党组关于二十届中央第三轮巡视整改进展情况的通报",
    "/err/soft404.html": "中共示范市中湖区委关于省委巡视整改进展情况的通报",
}

_SAFEDOG = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>网站防火墙</title>
<style>#safedog_box{width:600px;margin:80px auto;}</style></head>
<body><div id="safedog_box">
<img src="http://404.safedog.cn/images/safedogsite/head.png" alt="安全狗">
<h3>您的访问可能对网站造成威胁，已被网站管理员设置拦截！</h3>
<p>可能原因：您提交的内容包含危险的攻击请求</p>
<p>如何解决：1）检查提交内容；2）如网站托管，请联系空间提供商；3）普通网站访客，请联系网站管理员</p>
<p class="foot">网站防火墙 · 服务器安全狗 <a href="http://www.safedog.cn/">safedog.cn</a></p>
</div></body></html>
"""

_YUNSUO = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>网站防火墙</title>
<script type="text/javascript">
function stringToHex(str){var val="";for(var i=0;i<str.length;i++){val+=str.charCodeAt(i).toString(16);}return val;}
function YunSuoAutoJump(){var width=screen.width;var height=screen.height;var screendate=width+","+height;
document.cookie="srcurl="+stringToHex(window.location.href)+";path=/;";
document.cookie="yunsuo_session_verify=2f7a9c1e5b3d8a6f0e4c2b1a9d8e7f60; path=/";
self.location="/block/yunsuo.html?security_verify_data="+stringToHex(screendate);}
</script></head>
<body onload="YunSuoAutoJump()"><p>正在进行安全检测，请稍候……（云锁 网站安全防护）</p></body></html>
"""

_YUNDUN = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>创宇盾 - 访问被拦截</title></head>
<body><div class="block">
<h2>您的访问请求可能对网站造成安全威胁，请求已被创宇盾拦截</h2>
<p>事件ID：365cyd-7e1f0c2a9b</p>
<p>如果您是网站管理员，请登录 <a href="https://www.365cyd.com/">创宇盾（365cyd.com）</a> 查看拦截详情。</p>
</div></body></html>
"""

_RUISHU = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta id="9DhefwqGPrzGxEp9hPaoag" content="Zx7a2Qm4kV0bNcR8tLw1yE3uHs5pFg6j" r="m">
<script type="text/javascript" r="m">
(function(){var _$a="0af3c7e9d1b54826";
document.cookie="FSSBBIl1UgzbN7N80T=4pQ9.k2eXbT"+_$a+"; path=/; expires="+new Date(Date.now()+864e5).toUTCString();
location.reload();})();
</script>
<script type="text/javascript" src="/4QbVtADbnLVIc/d.FxJzG50F.dfe1675.js" r="m"></script>
</head><body></body></html>
"""

_JSL = """<html><body><script>document.cookie=('__jsl_clearance=1731900000.482|0|'+'mW4kL8v2aQ%2FcR0eYp6sT1nB3gU%3D')+';Expires=Sun, 24-Nov-26 11:00:00 GMT;Path=/;';location.href=location.pathname+location.search</script></body></html>
"""

_CAPTCHA = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>安全验证</title>
<script src="https://seccaptcha.haplat.net/static/js/captcha.min.js"></script></head>
<body><div id="captchaPage" class="captchaPage">
<p>为保障网站安全，请输入图片中的验证码后继续访问。</p>
<img id="captchaImg" src="https://seccaptcha.haplat.net/comImageValidate?t=1731900000482" alt="验证码">
<form action="/comImageValidate" method="post"><input type="text" name="code"><button type="submit">验证</button></form>
</div></body></html>
"""

_SOFT404 = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>404 页面不存在</title></head>
<body><div class="error-page"><h1>404</h1>
<p>抱歉，您访问的页面不存在或已被删除！</p>
<p><a href="/">返回首页</a></p></div></body></html>
"""

# path -> (status, body, extra headers): the anti-bot and soft-404 pages, served unconditionally.
BLOCK_PAGES: dict[str, tuple[int, str, tuple[tuple[str, str], ...]]] = {
    "/block/safedog.html": (200, _SAFEDOG, ()),
    "/block/yunsuo.html": (200, _YUNSUO, (("Set-Cookie", "security_session_verify=9a1c7e5b2d4f; path=/"),)),
    "/block/yundun.html": (200, _YUNDUN, ()),
    "/block/412.html": (412, _RUISHU, (("Set-Cookie", "FSSBBIl1UgzbN7N80S=Yw3t9oQ2xZ; Path=/; HttpOnly"),)),
    "/block/521.html": (
        521,
        _JSL,
        (("Set-Cookie", "__jsluid_h=3f9b2a7c1d5e8f0a; max-age=31536000; path=/; HttpOnly"),),
    ),
    "/block/captcha.html": (200, _CAPTCHA, ()),
    "/err/soft404.html": (200, _SOFT404, ()),
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
        return {LIST_PATH: _plain_list(links), BLOCKED_LIST_PATH: _plain_list(list(BLOCKED_TITLES.items()))}

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
        if path in BLOCK_PAGES:
            status, body, headers = BLOCK_PAGES[path]
            return Response(status, body.encode("utf-8"), HTML_UTF8, list(headers), conditional=False)
        if path == "/err/offsite.html":
            body = f'<html><body><a href="{OFFSITE_TARGET}">moved</a></body></html>'.encode()
            return Response(302, body, headers=[("Location", OFFSITE_TARGET)], conditional=False)
        return None


def _plain_list(links: list[tuple[str, str]]) -> str:
    lis = "".join(f'<li><a href="{esc(path)}">{esc(title)}</a></li>\n' for path, title in links)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>故障测试</title></head><body>\n'
        f'<ul class="list">\n{lis}</ul>\n</body></html>\n'
    )


def _published() -> datetime:
    return PUBLISHED.replace(tzinfo=BEIJING)
