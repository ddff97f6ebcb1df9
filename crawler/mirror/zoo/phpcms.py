"""www.zoo-phpcms.test — 示范市某区纪委监委, PHPCMS v9 (http, UTF-8).

Path: the column 整改情况 (catid 12) sits THREE levels down the nav's drop-down menu:
党务公开 (catid 2) > 巡视巡察 (catid 9, a category page of sub-category boxes) > 整改情况; only the
top level shows without hovering. Nothing on the way says 巡视整改.

Markup (PHPCMS v9 default templates and URL rules): lists ``/index.php?m=content&c=index&a=lists&catid=12``
and ``…&page=2``; pager ``div#pages`` = ``<a class="a1">14条</a> <a class="a1">上一页</a> <span>1</span>
<a href=…&page=2>2</a> … <a class="a1">下一页</a>``. Articles ``/show-12-ID-1.html`` (urlrule 17
``show-{$catid}-{$id}-{$page}.html``); the DATE LINE IS INSIDE THE <h1>: ``<div id="Article"><h1>TITLE
<br /><span>2025-11-03 09:12:40&nbsp;&nbsp;&nbsp;来源：…&nbsp;&nbsp;&nbsp;评论：…</span></h1>`` then
``div.content``.
"""

from __future__ import annotations

from datetime import datetime

from ..pages import Article, Response, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news

NAME = "示范市南湖区纪委监委"
LISTS = "/index.php"
UNITS = (
    Unit("中共示范市南湖区城市管理局党组", "区城市管理局", "区城市管理局党组", "局党组", "中共示范市南湖区城市管理局党组"),
    Unit("中共示范市南湖区东栅街道工作委员会", "东栅街道", "东栅街道党工委", "街道党工委",
         "中共示范市南湖区东栅街道工作委员会"),
    Unit("中共示范市南湖区农业农村局党组", "区农业农村局", "区农业农村局党组", "局党组", "中共示范市南湖区农业农村局党组"),
    Unit("中共示范市南湖区七星镇委员会", "七星镇", "七星镇党委", "镇党委", "中共示范市南湖区七星镇委员会"),
)


def lists_url(catid: int, page: int = 1) -> str:
    return f"{LISTS}?m=content&c=index&a=lists&catid={catid}" + (f"&page={page}" if page > 1 else "")


class PhpcmsSite(ZooSite):
    host = "www.zoo-phpcms.test"
    family = "PHPCMS v9"
    site_id = "zoo_phpcms"
    level = "district"
    site_name = NAME
    columns = (Column("zgqk", "整改情况", 12), Column("xcdt", "巡察动态", 13), Column("djdt", "党建动态", 8))
    notice_col = "zgqk"
    id_base = 301
    id_step = 4

    def build_articles(self) -> list[Article]:
        dates = [datetime(2025, 11, 3, 9, 12, 40), datetime(2025, 8, 18, 15, 3), datetime(2025, 8, 20, 11, 26),
                 datetime(2025, 4, 9, 10, 1)]
        out = notices(UNITS, dates, prefix="php", col="zgqk", kind="巡察", body="区委", term=None, round=2,
                      area="0573", domain="zoo-phpcms.test", seed="zoo-phpcms")
        out += news(lookalikes(("check", "policy"), kind="巡察", body="区委"),
                    datetime(2025, 6, 1), datetime(2025, 10, 1), "zgqk", "zoo-php-1")
        out += plain_news(8, datetime(2025, 3, 1), datetime(2025, 12, 9), "zgqk", "zoo-php-2", offset=5)
        out += news(lookalikes(("feedback", "mobilise", "start"), kind="巡察", body="区委"),
                    datetime(2025, 3, 6), datetime(2025, 9, 9), "xcdt", "zoo-php-3")
        out += plain_news(3, datetime(2025, 2, 1), datetime(2025, 11, 1), "djdt", "zoo-php-4", offset=11)
        return out

    def article_path(self, article: Article) -> str:
        return f"/show-{self.col_of(article).cid}-{article.article_id}-1.html"

    def _menu(self) -> str:
        sub2 = "".join(f'<li><a href="{lists_url(c.cid)}">{c.name}</a></li>' for c in (self.col("zgqk"), self.col("xcdt")))
        return (
            '<div class="nav"><ul class="menu">'
            '<li><a href="/">网站首页</a></li>'
            f'<li class="drop"><a href="{lists_url(2)}">党务公开</a><ul class="sub" style="display:none">'
            f'<li><a href="{lists_url(8)}">党建动态</a></li>'
            f'<li class="drop"><a href="{lists_url(9)}">巡视巡察</a><ul class="sub2" style="display:none">{sub2}</ul></li>'
            "</ul></li>"
            f'<li><a href="{lists_url(20)}">审查调查</a></li><li><a href="{lists_url(30)}">信访举报</a></li>'
            "</ul></div>"
        )

    def _frame(self, title: str, inner: str) -> str:
        return page_html(title, f'<div class="header"><div class="logo">{NAME}</div>{self._menu()}</div>\n{inner}\n'
                                '<div class="footer">Powered by PHPCMS v9 &copy; 示范市南湖区纪委监委</div>')

    def render_home(self) -> str:
        lis = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in self.items("djdt")[:3])
        return self._frame(NAME, f'<div class="box"><h5>党建动态</h5><ul>{lis}</ul></div>')

    def _crumb(self, col: Column) -> str:
        return (f'<div class="crumbs"><a href="/">首页</a><span> &gt; </span><a href="{lists_url(2)}">党务公开</a>'
                f'<span> &gt; </span><a href="{lists_url(9)}">巡视巡察</a><span> &gt; </span>'
                f'<a href="{lists_url(col.cid)}">{col.name}</a></div>')

    def render_article(self, article: Article) -> str:
        col = self.col_of(article)
        inner = (
            f'<div class="main">{self._crumb(col)}\n<div id="Article"><h1>{esc(article.title)}<br />\n'
            f'<span>{article.published:%Y-%m-%d %H:%M:%S}&nbsp;&nbsp;&nbsp;来源：{NAME}&nbsp;&nbsp;&nbsp;'
            f'评论：<a href="#comment_iframe" id="comment">0</a> 点击:<span id="hits"></span></span></h1>\n'
            f'<div class="content">\n{paragraphs(article.lines)}</div></div></div>'
        )
        return self._frame(f"{article.title} - {col.name} - {NAME}", inner)

    def _list_html(self, col: Column, page: int) -> str | None:
        pages = self.pages_of(col.key)
        if page > len(pages):
            return None
        count, total = sum(len(p) for p in pages), len(pages)
        lis = "".join(f'<li><span class="rt">{a.published:%Y-%m-%d}</span><a href="{a.path}" target="_blank">'
                      f"{esc(a.title)}</a></li>\n" for a in pages[page - 1])
        pager = f'<a class="a1">{count}条</a> '
        pager += f'<a href="{lists_url(col.cid, max(1, page - 1))}" class="a1">上一页</a> '
        pager += " ".join(f"<span>{i}</span>" if i == page else f'<a href="{lists_url(col.cid, i)}">{i}</a>'
                          for i in range(1, total + 1))
        pager += f' <a href="{lists_url(col.cid, min(total, page + 1))}" class="a1">下一页</a>'
        inner = (f'<div class="main">{self._crumb(col)}\n<div class="list lh24 f14"><ul>\n{lis}</ul></div>\n'
                 f'<div id="pages" class="text-c">{pager}</div></div>')
        return self._frame(f"{col.name} - {NAME}", inner)

    def _category_html(self, catid: int) -> str | None:
        if catid == 9:  # 巡视巡察: a category page of sub-category boxes
            boxes = "".join(
                f'<div class="box cat-area"><h5 class="title-2"><a href="{lists_url(c.cid)}" class="more">更多&gt;&gt;</a>'
                f"{c.name}</h5><ul>" + "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in self.items(c.key)[:3])
                + "</ul></div>" for c in (self.col("xcdt"), self.col("zgqk"))
            )
            return self._frame(f"巡视巡察 - {NAME}", f'<div class="main"><div class="crumbs"><a href="/">首页</a> &gt; '
                                                     f'<a href="{lists_url(2)}">党务公开</a> &gt; 巡视巡察</div>{boxes}</div>')
        if catid == 2:
            return self._frame(f"党务公开 - {NAME}", '<div class="main"><div class="crumbs"><a href="/">首页</a> &gt; 党务公开'
                                                    f'</div><a href="{lists_url(8)}">党建动态</a> <a href="{lists_url(9)}">巡视巡察</a></div>')
        return None

    def render_column(self, key: str) -> dict[str, str]:
        return {}  # served dynamically: the list URL differs from the next only in its query

    @property
    def list_path(self) -> str:  # type: ignore[override]
        return lists_url(12)

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if path != LISTS or method not in ("GET", "HEAD") or params.get("a") != "lists":
            return None
        try:
            catid, page = int(params.get("catid", "")), int(params.get("page", "1") or 1)
        except ValueError:
            return None
        column = next((c for c in self.columns if c.cid == catid), None)
        html = self._list_html(column, page) if column else self._category_html(catid)
        if html is None:
            return None
        return Response(200, self.encode(html), self.content_type, last_modified=self.newest())
