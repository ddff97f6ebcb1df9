"""www.zoo-siteserver.test — 示范市纪委监委, SiteServer CMS (http, UTF-8).

Path: home nav → the column itself, whose NAME READS LIKE A NOTICE TITLE: 巡视巡察整改通报
``/channels/12.html``; the same link (same text) is in every page's breadcrumb and in a side box
"栏目导航", so a crawler that takes link text for notice titles sees a "notice" on every page.

Markup (SiteServer defaults): channel pages ``/channels/{ChannelID}.html``, further pages
``/channels/12_2.html`` …; content pages ``/contents/{ChannelID}/{ContentID}.html``; pager from
``stl:pageItems``: 首页 / 上一页 / 下一页 / 末页 links plus "当前第1页 共3页 共15条".
Articles: ``h1.title``, ``div.info`` "发布时间：2025-09-01 10:00 来源：…", ``div.content``.
"""

from __future__ import annotations

from datetime import datetime

from ..pages import Article, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news

NAME = "示范市纪委监委"
UNITS = (
    Unit("中共示范市北湖区委", "北湖区", "北湖区委", "区委", "中共示范市北湖区委员会"),
    Unit("中共示范市生态环境局党组", "市生态环境局", "市生态环境局党组", "局党组", "中共示范市生态环境局党组"),
    Unit("中共示范市人民医院委员会", "市人民医院", "市人民医院党委", "医院党委", "中共示范市人民医院委员会"),
    Unit("中共示范市苏仙区委", "苏仙区", "苏仙区委", "区委", "中共示范市苏仙区委员会"),
    Unit("中共示范市城市投资集团有限公司委员会", "市城市投资集团有限公司", "市城投集团党委", "集团党委",
         "中共示范市城市投资集团有限公司委员会"),
)


class SiteServerSite(ZooSite):
    host = "www.zoo-siteserver.test"
    family = "SiteServer CMS"
    site_id = "zoo_siteserver"
    site_name = NAME
    columns = (Column("xszg", "巡视巡察整改通报", 12), Column("gzdt", "工作动态", 7), Column("xsxc", "巡察动态", 9))
    notice_col = "xszg"
    id_base = 4_401
    id_step = 9

    def build_articles(self) -> list[Article]:
        dates = [datetime(2025, 12, 2, 10, 0), datetime(2025, 9, 1, 10, 0), datetime(2025, 8, 28, 17, 0),
                 datetime(2025, 5, 20, 9, 0), datetime(2025, 1, 9, 15, 0)]
        out = notices(UNITS, dates, prefix="ss", col="xszg", kind="巡察", body="市委", term=8, round=6,
                      area="0735", domain="zoo-siteserver.test", seed="zoo-siteserver")
        out += news(lookalikes(("start", "check"), kind="巡察", body="市委"),
                    datetime(2025, 4, 2), datetime(2025, 10, 2), "xszg", "zoo-ss-1")
        out += plain_news(8, datetime(2024, 12, 1), datetime(2025, 12, 12), "xszg", "zoo-ss-2", offset=8)
        out += news(lookalikes(("feedback", "mobilise", "meeting"), kind="巡察", body="市委"),
                    datetime(2025, 3, 1), datetime(2025, 11, 1), "xsxc", "zoo-ss-3")
        out += plain_news(3, datetime(2025, 2, 1), datetime(2025, 12, 1), "gzdt", "zoo-ss-4", offset=14)
        return out

    def article_path(self, article: Article) -> str:
        return f"/contents/{self.col_of(article).cid}/{article.article_id}.html"

    def _nav(self) -> str:
        cols = [("首页", "/index.html"), ("工作动态", "/channels/7.html"), ("巡察动态", "/channels/9.html"),
                ("巡视巡察整改通报", "/channels/12.html"), ("信访举报", "/channels/20.html")]
        return '<div class="nav"><ul>' + "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in cols) + "</ul></div>"

    def _side(self) -> str:
        return ('<div class="side"><h3>栏目导航</h3><ul><li><a href="/channels/9.html">巡察动态</a></li>'
                '<li><a href="/channels/12.html">巡视巡察整改通报</a></li></ul></div>')

    def _frame(self, title: str, inner: str) -> str:
        return page_html(title, f'<div class="head"><a href="/index.html">{NAME}</a></div>{self._nav()}\n{inner}\n'
                                f'<div class="foot">{NAME} 版权所有</div>')

    def render_home(self) -> str:
        lis = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in self.items("xsxc")[:3])
        return self._frame(NAME, f'<div class="box"><h3>巡察动态</h3><ul>{lis}</ul></div>')

    def extra_pages(self) -> dict[str, str]:
        return {"/index.html": self.render_home()}

    def _crumb(self, col: Column) -> str:
        return (f'<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; '
                f'<a href="/channels/{col.cid}.html">{col.name}</a></div>')

    def render_article(self, article: Article) -> str:
        col = self.col_of(article)
        inner = (f"{self._crumb(col)}{self._side()}\n<div class=\"article\"><h1 class=\"title\">{esc(article.title)}</h1>\n"
                 f'<div class="info">发布时间：{article.published:%Y-%m-%d %H:%M}　来源：{NAME}</div>\n'
                 f'<div class="content">\n{paragraphs(article.lines)}</div></div>')
        return self._frame(f"{article.title}_{col.name}_{NAME}", inner)

    def render_column(self, key: str) -> dict[str, str]:
        col, pages = self.col(key), self.pages_of(key)
        total, count = len(pages), len(self.items(key))

        def name(n: int) -> str:
            return f"/channels/{col.cid}.html" if n == 1 else f"/channels/{col.cid}_{n}.html"

        out = {}
        for n, chunk in enumerate(pages, start=1):
            lis = "".join(f'<li><a href="{a.path}" target="_blank">{esc(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>\n'
                          for a in chunk)
            items = [f'<a href="{name(1)}">首页</a>']
            items.append(f'<a href="{name(n - 1)}">上一页</a>' if n > 1 else "<span>上一页</span>")
            items.append(f'<a href="{name(n + 1)}">下一页</a>' if n < total else "<span>下一页</span>")
            items.append(f'<a href="{name(total)}">末页</a>')
            pager = f'<div class="pages">{" ".join(items)} <span>当前第{n}页 共{total}页 共{count}条</span></div>'
            inner = f'{self._crumb(col)}{self._side()}\n<div class="list"><ul>\n{lis}</ul>{pager}</div>'
            out[name(n)] = self._frame(f"{col.name}_{NAME}", inner)
        return out
