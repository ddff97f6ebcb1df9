"""Three zoo sites the tests do NOT crawl (``HELD_OUT`` in ``__init__``): a final check for the
rewritten discovery. All notices are synthetic; the layouts are modelled on common patterns of
county government sites (ASP.NET WebForms pagers, 信息公开目录 tables, 专题 subdomains) and are
otherwise OUR GUESS.
"""

from __future__ import annotations

import json
from datetime import datetime

from ..pages import Article, Page, Response, Site, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


# -- zoo_aspnet ------------------------------------------------------------------------------------

class AspNetSite(ZooSite):
    """www.zoo-aspnet.test — home nav 通知公告 ``/tzgg/Default.aspx`` (sub-links 工作通知, 巡察公告) → 巡察公告
    ``/tzgg/xcgg.aspx``: an ASP.NET WebForms page (``form#form1`` with ``__VIEWSTATE``); its pager is
    AspNetPager: ``<a href="javascript:__doPostBack('AspNetPager1','2')">下一页</a>``, so page 2 is a POST of
    the form with ``__EVENTTARGET=AspNetPager1&__EVENTARGUMENT=2``. Articles
    ``/tzgg/ShowNews.aspx?id=ID`` (the id only in the query)."""

    host = "www.zoo-aspnet.test"
    family = "ASP.NET WebForms"
    site_id = "zoo_aspnet"
    level = "county"
    site_name = "示范县纪委监委"
    columns = (Column("xcgg", "巡察公告", 31), Column("gztz", "工作通知", 30))
    notice_col = "xcgg"
    id_base = 7_001
    id_step = 1
    LIST = "/tzgg/xcgg.aspx"

    def build_articles(self) -> list[Article]:
        units = (Unit("中共示范县水利局党组", "县水利局", "县水利局党组", "局党组", "中共示范县水利局党组"),
                 Unit("中共示范县红星镇委员会", "红星镇", "红星镇党委", "镇党委", "中共示范县红星镇委员会"),
                 Unit("中共示范县林业局党组", "县林业局", "县林业局党组", "局党组", "中共示范县林业局党组"))
        dates = [datetime(2025, 9, 9, 9, 0), datetime(2025, 5, 12, 9, 0), datetime(2025, 2, 3, 9, 0)]
        out = notices(units, dates, prefix="asp", col="xcgg", kind="巡察", body="县委", term=15, round=9,
                      area="0398", domain="zoo-aspnet.test", seed="zoo-aspnet")
        out += news(lookalikes(("mobilise", "feedback", "check"), kind="巡察", body="县委"),
                    datetime(2025, 3, 1), datetime(2025, 11, 1), "xcgg", "zoo-asp-1")
        out += plain_news(6, datetime(2025, 9, 12), datetime(2025, 12, 20), "xcgg", "zoo-asp-2")
        out += plain_news(2, datetime(2025, 4, 1), datetime(2025, 8, 1), "gztz", "zoo-asp-3", offset=9)
        return out

    def article_path(self, article: Article) -> str:
        return f"/tzgg/ShowNews.aspx?id={article.article_id}"

    def _frame(self, title: str, inner: str) -> str:
        return page_html(title, '<div class="top"><a href="/">首页</a> <a href="/tzgg/Default.aspx">通知公告</a> '
                                f'<a href="/gzdt/Default.aspx">工作动态</a></div>\n{inner}')

    def render_home(self) -> str:
        return self._frame(self.site_name, '<div class="main"><img src="/images/top.jpg" alt="示范县纪委监委"></div>')

    def render_article(self, article: Article) -> str:
        return self._frame(article.title, f'<table class="news"><tr><td class="title">{esc(article.title)}</td></tr>'
                                          f'<tr><td class="info">发布日期：{article.published:%Y-%m-%d}</td></tr>'
                                          f'<tr><td id="lblContent">{paragraphs(article.lines)}</td></tr></table>')

    def _list(self, key: str, page: int) -> str:
        pages = self.pages_of(key)
        page = min(max(1, page), len(pages))
        rows = "".join(f'<tr><td><a href="ShowNews.aspx?id={a.article_id}" target="_blank">{esc(a.title)}</a></td>'
                       f"<td>{a.published:%Y-%m-%d}</td></tr>" for a in pages[page - 1])
        links = "".join(f"<span>{i}</span>" if i == page else f"<a href=\"javascript:__doPostBack('AspNetPager1','{i}')\">{i}</a>"
                        for i in range(1, len(pages) + 1))
        nxt = (f"<a href=\"javascript:__doPostBack('AspNetPager1','{page + 1}')\">下一页</a>" if page < len(pages) else "")
        return self._frame("巡察公告", (
            f'<form name="form1" method="post" action="./{self.LIST.rsplit("/", 1)[1]}" id="form1">'
            f'<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />'
            f'<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />'
            f'<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1Mg9kFgJmD2QWAgIDD2QWAgIBDw8WAh4LUmVjb3JkY291bnQC{page}ZGRk" />'
            f'<table class="list">{rows}</table><div id="AspNetPager1">共{len(self.items(key))}条 第{page}/{len(pages)}页 {links} {nxt}</div>'
            "<script>function __doPostBack(eventTarget, eventArgument) { var f = document.forms['form1'];"
            " f.__EVENTTARGET.value = eventTarget; f.__EVENTARGUMENT.value = eventArgument; f.submit(); }</script></form>"
        ))

    def render_column(self, key: str) -> dict[str, str]:
        return {"/tzgg/gztz.aspx": self._list("gztz", 1)} if key == "gztz" else {}

    @property
    def list_path(self) -> str:  # type: ignore[override]
        return self.LIST

    def extra_pages(self) -> dict[str, str]:
        return {"/tzgg/Default.aspx": self._frame("通知公告", '<ul><li><a href="gztz.aspx">工作通知</a></li>'
                                                         '<li><a href="xcgg.aspx">巡察公告</a></li></ul>')}

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if path == self.LIST and method in ("GET", "HEAD", "POST"):
            page = _int(params.get("__EVENTARGUMENT"), 1) if method == "POST" else 1
            return Response(200, self.encode(self._list("xcgg", page)), self.content_type, last_modified=self.newest())
        if path == "/tzgg/ShowNews.aspx" and method in ("GET", "HEAD"):
            article = next((a for a in self.articles if str(a.article_id) == params.get("id")), None)
            if article:
                return Response(200, self.encode(self.render_article(article)), self.content_type,
                                last_modified=article.last_modified)
        return None


# -- zoo_onclick -----------------------------------------------------------------------------------

class OnclickSite(ZooSite):
    """www.zoo-onclick.test — a district government's 政府信息公开 pages: the home page picks a department's
    catalogue from ``<select onchange="window.location.href=this.value">`` (option 区纪委监委 →
    ``/xxgk/catalog.jsp?dept=jw``); the catalogue is a table 索引号 / 名称 / 主题分类 / 生成日期 where titles have no
    href, only ``onclick="openArticle('ID')"`` (→ ``/xxgk/detail.jsp?id=ID``) and pages turn by
    ``onclick="goPage(2)"`` (→ ``catalog.jsp?dept=jw&page=2``)."""

    host = "www.zoo-onclick.test"
    family = "信息公开目录 (onclick)"
    site_id = "zoo_onclick"
    level = "district"
    site_name = "示范市西江区人民政府"
    columns = (Column("jw", "区纪委监委", 1),)
    notice_col = "jw"
    per_page = 6
    id_base = 88_001
    id_step = 3

    def build_articles(self) -> list[Article]:
        units = (Unit("中共示范市西江区商务局党组", "区商务局", "区商务局党组", "局党组", "中共示范市西江区商务局党组"),
                 Unit("中共示范市西江区白沙街道工作委员会", "白沙街道", "白沙街道党工委", "街道党工委",
                      "中共示范市西江区白沙街道工作委员会"),
                 Unit("中共示范市西江区退役军人事务局党组", "区退役军人事务局", "区退役军人事务局党组", "局党组",
                      "中共示范市西江区退役军人事务局党组"))
        dates = [datetime(2025, 11, 11, 9, 0), datetime(2025, 6, 16, 9, 0), datetime(2025, 1, 20, 9, 0)]
        out = notices(units, dates, prefix="oc", col="jw", kind="巡察", body="区委", term=None, round=4,
                      area="0759", domain="zoo-onclick.test", seed="zoo-onclick")
        out += news(lookalikes(("policy", "lookback", "feedback"), kind="巡察", body="区委"),
                    datetime(2025, 2, 1), datetime(2025, 10, 1), "jw", "zoo-oc-1")
        out += plain_news(5, datetime(2025, 1, 5), datetime(2025, 12, 5), "jw", "zoo-oc-2", offset=4)
        return out

    def article_path(self, article: Article) -> str:
        return f"/xxgk/detail.jsp?id={article.article_id}"

    def render_home(self) -> str:
        return page_html(self.site_name, (
            '<div class="nav"><a href="/">首页</a> <a href="/zwdt/">政务动态</a> <a href="/xxgk/">政府信息公开</a></div>'
            '<div class="bmxxgk">部门信息公开：<select onchange="window.location.href=this.value">'
            '<option value="">--请选择--</option><option value="/xxgk/catalog.jsp?dept=fgj">区发展和改革局</option>'
            '<option value="/xxgk/catalog.jsp?dept=jw">区纪委监委</option><option value="/xxgk/catalog.jsp?dept=jyj">区教育局</option>'
            "</select></div>"))

    def render_article(self, article: Article) -> str:
        return page_html(article.title, f'<table class="xxgk"><tr><th>索引号</th><td>X-{article.article_id}</td>'
                                        f"<th>生成日期</th><td>{article.published:%Y-%m-%d}</td></tr></table>"
                                        f'<h2 class="wztitle">{esc(article.title)}</h2><div class="wzcon">{paragraphs(article.lines)}</div>')

    def _catalog(self, page: int) -> str:
        pages = self.pages_of("jw")
        page = min(max(1, page), len(pages))
        rows = "".join(
            f"<tr><td>X-{a.article_id}</td><td><a href=\"javascript:void(0);\" onclick=\"openArticle('{a.article_id}')\" "
            f'title="{esc(a.title)}">{esc(a.title)}</a></td><td>{"巡察整改" if "巡察" in a.title else "工作动态"}</td>'
            f"<td>{a.published:%Y-%m-%d}</td></tr>" for a in pages[page - 1])
        pager = " ".join(f"<span>{i}</span>" if i == page else f'<a href="javascript:void(0);" onclick="goPage({i})">{i}</a>'
                         for i in range(1, len(pages) + 1))
        return page_html("区纪委监委信息公开目录", (
            '<table class="catalog"><tr><th>索引号</th><th>名称</th><th>主题分类</th><th>生成日期</th></tr>'
            f'{rows}</table><div class="pager">共{len(self.items("jw"))}条 {pager}</div>'
            "<script>function openArticle(id){ window.open('/xxgk/detail.jsp?id=' + id); }"
            "function goPage(p){ window.location.href = 'catalog.jsp?dept=jw&page=' + p; }</script>"))

    def render_column(self, key: str) -> dict[str, str]:
        return {}

    @property
    def list_path(self) -> str:  # type: ignore[override]
        return "/xxgk/catalog.jsp?dept=jw"

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if method not in ("GET", "HEAD"):
            return None
        if path == "/xxgk/catalog.jsp" and params.get("dept") == "jw":
            return Response(200, self.encode(self._catalog(_int(params.get("page"), 1))), self.content_type,
                            last_modified=self.newest())
        if path == "/xxgk/detail.jsp":
            article = next((a for a in self.articles if str(a.article_id) == params.get("id")), None)
            if article:
                return Response(200, self.encode(self.render_article(article)), self.content_type,
                                last_modified=article.last_modified)
        return None


# -- zoo_zt ------------------------------------------------------------------------------------------

PORTAL = "www.zoo-zt.test"


class ZtPortal(Site):
    """The home page of zoo_zt: its only way to the column is an image banner to the 专题 host."""

    host = PORTAL
    scheme = "http"
    site_name = "示范市纪委监委"
    site_hint = "zoo_zt"

    def __init__(self) -> None:
        super().__init__([])

    def pages(self) -> dict[str, Page]:
        home = page_html(self.site_name, (
            '<div class="nav"><a href="/">首页</a> <a href="/ywdt/">要闻动态</a> <a href="/scdc/">审查调查</a></div>'
            '<div class="zt"><a href="http://zt.zoo-zt.test/xczg/" target="_blank"><img src="/images/zt_xczg.png" '
            'alt="专题：巡察整改进行时"></a></div>'))
        return {"/": Page(home.encode("utf-8")), "/robots.txt": Page(b"User-agent: *\nAllow: /\n", "text/plain")}


class ZtSite(ZooSite):
    """zt.zoo-zt.test — the 专题 巡察整改进行时, reached from www.zoo-zt.test's image banner only. ``/xczg/``
    shows the first 4 items and a '加载更多' button; more come from the JSONP endpoint
    ``/xczg/more.js?page=2&callback=…`` (``cb({"list": [{"t", "u", "d"}], "hasMore": …})``). Articles
    ``/xczg/YYYY/MMDD/ID.html``."""

    host = "zt.zoo-zt.test"
    family = "专题子站 (JSONP)"
    site_id = "zoo_zt"
    site_name = "巡察整改进行时"
    columns = (Column("xczg", "巡察整改进行时", 1),)
    notice_col = "xczg"
    per_page = 4
    id_base = 501
    id_step = 1

    def build_articles(self) -> list[Article]:
        units = (Unit("中共示范市审计局党组", "市审计局", "市审计局党组", "局党组", "中共示范市审计局党组"),
                 Unit("中共示范市东岳区委", "东岳区", "东岳区委", "区委", "中共示范市东岳区委员会"),
                 Unit("中共示范市统计局党组", "市统计局", "市统计局党组", "局党组", "中共示范市统计局党组"),
                 Unit("中共示范市南山区委", "南山区", "南山区委", "区委", "中共示范市南山区委员会"))
        dates = [datetime(2025, 11, 20, 9, 0), datetime(2025, 8, 1, 9, 0), datetime(2025, 4, 2, 9, 0),
                 datetime(2025, 1, 6, 9, 0)]
        out = notices(units, dates, prefix="zt", col="xczg", kind="巡察", body="市委", term=12, round=8,
                      area="0538", domain="zoo-zt.test", seed="zoo-zt")
        out += news(lookalikes(("start", "meeting", "mobilise"), kind="巡察", body="市委"),
                    datetime(2025, 2, 1), datetime(2025, 12, 1), "xczg", "zoo-zt-1")
        out += plain_news(4, datetime(2025, 1, 20), datetime(2025, 12, 20), "xczg", "zoo-zt-2", offset=2)
        return out

    def companions(self) -> list[Site]:
        return [ZtPortal()]

    def article_path(self, article: Article) -> str:
        return f"/xczg/{article.published:%Y}/{article.published:%m%d}/{article.article_id}.html"

    def render_home(self) -> str:
        return page_html(self.site_name, '<a href="/xczg/">巡察整改进行时</a>')

    def render_article(self, article: Article) -> str:
        return page_html(article.title, f'<div class="zt-article"><h2>{esc(article.title)}</h2>'
                                        f'<p class="date">{article.published:%Y年%m月%d日}</p>'
                                        f'<div class="text">{paragraphs(article.lines)}</div></div>')

    def render_column(self, key: str) -> dict[str, str]:
        lis = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a><em>{a.published:%Y-%m-%d}</em></li>'
                      for a in self.pages_of(key)[0])
        script = ("<script>var page = 1; $('#loadMore').on('click', function () { page += 1; "
                  "$.getJSON('/xczg/more.js?page=' + page + '&callback=?', function (res) { "
                  "$.each(res.list, function (i, r) { $('#zt-list').append('<li><a href=\"' + r.u + '\">' + r.t + '</a><em>' + r.d + '</em></li>'); });"
                  " if (!res.hasMore) { $('#loadMore').hide(); } }); });</script>")
        return {"/xczg/index.html": page_html(self.site_name, (
            f'<div class="zt-banner"><h1>{self.site_name}</h1></div><ul id="zt-list">{lis}</ul>'
            f'<a id="loadMore" href="javascript:;">加载更多</a>{script}'))}

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if path != "/xczg/more.js" or method not in ("GET", "HEAD"):
            return None
        pages = self.pages_of("xczg")
        page = max(1, _int(params.get("page"), 2))
        chunk = pages[page - 1] if page <= len(pages) else []
        data = {"list": [{"t": a.title, "u": a.path, "d": f"{a.published:%Y-%m-%d}"} for a in chunk],
                "hasMore": page < len(pages)}
        body = f"{params.get('callback') or 'callback'}({json.dumps(data, ensure_ascii=False)});"
        return Response(200, body.encode("utf-8"), "application/javascript; charset=utf-8", last_modified=self.newest())
