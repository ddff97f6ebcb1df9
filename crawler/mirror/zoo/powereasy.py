"""www.zoo-powereasy.test — 示范县纪委监委（清风示范）, 动易 PowerEasy SiteWeaver (http, UTF-8).

Path: NO link text anywhere on the home page names the column: it is reached only through an IMAGE
BANNER ``<a href="/List_12.html"><img src="/Skin/banner_xczg.jpg" alt="巡察整改专栏" title="巡察整改专栏"></a>``;
the text nav has 首页 / 新闻中心 / 党风廉政 / 信访举报 (no 巡视 or 巡察).

Markup: list ``/List_12.html``, ``/List_12_2.html``, ``/List_12_3.html``; pager ``div.showpage``
"共 14 篇文章 首页 上一页 下一页 尾页 页次：1/3页 5篇文章/页"; items ``/Item/ID.aspx``. Articles:
``div.article_title`` (title), ``div.article_info`` "作者：… 来源：… 点击数：… 更新时间：2025-10-11",
body ``div#fontzoom``.
"""

from __future__ import annotations

from datetime import datetime

from ..pages import Article, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news

NAME = "清风示范县"
UNITS = (
    Unit("中共示范县人民检察院党组", "县人民检察院", "县人民检察院党组", "院党组", "中共示范县人民检察院党组"),
    Unit("中共示范县财政局党组", "县财政局", "县财政局党组", "局党组", "中共示范县财政局党组"),
    Unit("中共示范县青山乡委员会", "青山乡", "青山乡党委", "乡党委", "中共示范县青山乡委员会"),
    Unit("中共示范县市场监督管理局党组", "县市场监督管理局", "县市场监督管理局党组", "局党组", "中共示范县市场监督管理局党组"),
)


class PowerEasySite(ZooSite):
    host = "www.zoo-powereasy.test"
    family = "动易 PowerEasy"
    site_id = "zoo_powereasy"
    level = "county"
    site_name = NAME
    columns = (Column("xczg", "巡察整改", 12), Column("xwzx", "新闻中心", 3), Column("dflz", "党风廉政", 5))
    notice_col = "xczg"
    id_base = 2_231
    id_step = 2

    def build_articles(self) -> list[Article]:
        dates = [datetime(2025, 10, 11, 9, 30), datetime(2025, 10, 11, 9, 45), datetime(2025, 7, 1, 16, 0),
                 datetime(2025, 3, 25, 8, 50)]
        out = notices(UNITS, dates, prefix="pe", col="xczg", kind="巡察", body="县委", term=16, round=7,
                      area="0796", domain="zoo-powereasy.test", seed="zoo-powereasy")
        out += news(lookalikes(("check", "lookback", "policy"), kind="巡察", body="县委"),
                    datetime(2025, 4, 3), datetime(2025, 11, 30), "xczg", "zoo-pe-1")
        out += plain_news(7, datetime(2025, 1, 5), datetime(2025, 12, 20), "xczg", "zoo-pe-2", offset=6)
        out += news(lookalikes(("feedback", "mobilise"), kind="巡察", body="县委"),
                    datetime(2025, 2, 5), datetime(2025, 9, 5), "xwzx", "zoo-pe-3")
        out += plain_news(3, datetime(2025, 1, 5), datetime(2025, 12, 5), "dflz", "zoo-pe-4", offset=1)
        return out

    def article_path(self, article: Article) -> str:
        return f"/Item/{article.article_id}.aspx"

    def _frame(self, title: str, inner: str) -> str:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in
                      (("首页", "/"), ("新闻中心", "/List_3.html"), ("党风廉政", "/List_5.html"), ("信访举报", "/xfjb/")))
        return page_html(title, f'<div id="header"><div class="logo"><img src="/Skin/logo.png" alt="{NAME}"></div>'
                                f'<ul id="menu">{nav}</ul></div>\n{inner}\n'
                                f'<div id="footer">Copyright &copy; {NAME} 纪委监委 All Rights Reserved</div>')

    def render_home(self) -> str:
        lis = "".join(f'<li><a href="{a.path}" title="{esc(a.title)}">{esc(a.title)}</a></li>' for a in self.items("xwzx")[:3])
        return self._frame(NAME, (
            '<div class="banners">'
            '<a href="/List_12.html" target="_blank"><img src="/Skin/banner_xczg.jpg" alt="巡察整改专栏" title="巡察整改专栏" '
            'width="980" height="90" border="0"></a>'
            '<a href="/Special/djxx/Index.html"><img src="/Skin/banner_djxx.jpg" alt="党纪学习教育" width="980" height="90"></a>'
            f'</div>\n<div class="news"><h3>新闻中心</h3><ul>{lis}</ul></div>'
        ))

    def render_article(self, article: Article) -> str:
        col = self.col_of(article)
        inner = (
            f'<div class="location">您现在的位置：<a href="/">{NAME}</a> &gt;&gt; <a href="/List_{col.cid}.html">{col.name}</a> &gt;&gt; 正文</div>\n'
            f'<div class="article_title">{esc(article.title)}</div>\n'
            f'<div class="article_info">作者：佚名&nbsp;&nbsp;来源：本站原创&nbsp;&nbsp;点击数：<span id="hits">128</span>&nbsp;&nbsp;'
            f"更新时间：{article.published:%Y-%m-%d}</div>\n"
            f'<div id="fontzoom">\n{paragraphs(article.lines)}</div>'
        )
        return self._frame(f"{article.title}-{col.name}-{NAME}", inner)

    def render_column(self, key: str) -> dict[str, str]:
        col, pages = self.col(key), self.pages_of(key)
        total, count = len(pages), len(self.items(key))

        def name(n: int) -> str:
            return f"/List_{col.cid}.html" if n == 1 else f"/List_{col.cid}_{n}.html"

        out = {}
        for n, chunk in enumerate(pages, start=1):
            lis = "".join(f'<li><span class="date">{a.published:%Y-%m-%d}</span><a href="{a.path}" title="{esc(a.title)}" '
                          f'target="_blank">{esc(a.title[:24] + ("…" if len(a.title) > 24 else ""))}</a></li>\n'
                          for a in chunk)
            first = "首页 上一页" if n == 1 else f'<a href="{name(1)}">首页</a> <a href="{name(n - 1)}">上一页</a>'
            last = "下一页 尾页" if n == total else f'<a href="{name(n + 1)}">下一页</a> <a href="{name(total)}">尾页</a>'
            pager = (f'<div class="showpage">共 <b>{count}</b> 篇文章&nbsp;&nbsp;{first}&nbsp;{last}&nbsp;'
                     f'页次：<strong><font color="red">{n}</font>/{total}</strong>页&nbsp;<b>{self.per_page}</b>篇文章/页</div>')
            inner = (f'<div class="location">您现在的位置：<a href="/">{NAME}</a> &gt;&gt; {col.name}</div>\n'
                     f'<div class="main_list"><ul>\n{lis}</ul></div>\n{pager}')
            out[name(n)] = self._frame(f"{col.name}-{NAME}", inner)
        return out
