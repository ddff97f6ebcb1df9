"""www.zoo-dede.test — 示范县纪委监委, DedeCMS (http, GBK labelled ONLY in <meta>: the HTTP header says
``text/html`` without a charset).

Path: the column 巡察整改 ``/a/xczg/`` is linked ONLY from the footer's link row; the top nav has
巡察工作 ``/a/xcgz/`` instead (a real column of 巡察 news: 反馈, 动员会 — a decoy with the right word).

Markup (DedeCMS default templates): list ``/a/xczg/`` (= ``index.html``), then ``list_12_2.html``,
``list_12_3.html`` (namerule2 ``{typedir}/list_{tid}_{page}.html``); ``ul.pagelist`` with 首页 / 上一页 /
numbers / 下一页 / 末页 and ``<span class="pageinfo">共 <strong>3</strong>页<strong>14</strong>条</span>``.
Articles ``/a/xczg/YYYY/MMDD/ID.html`` (namerule ``{typedir}/{Y}/{M}{D}/{aid}.html``): ``div.viewbox >
div.title h2``, ``div.info`` "<small>时间:</small>2026-02-26 10:20<small>来源:</small>…", ``div.content``.
"""

from __future__ import annotations

from datetime import datetime

from ..pages import Article, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, plain_news

NAME = "示范县纪委监委"
UNITS = (
    Unit("中共示范县城关镇委员会", "城关镇", "城关镇党委", "镇党委", "中共示范县城关镇委员会"),
    Unit("中共示范县教育局党组", "县教育局", "县教育局党组", "局党组", "中共示范县教育局党组"),
    Unit("中共示范县卫生健康局党组", "县卫生健康局", "县卫生健康局党组", "局党组", "中共示范县卫生健康局党组"),
)
NAV = (("首页", "/"), ("工作动态", "/a/gzdt/"), ("纪律审查", "/a/jlsc/"), ("巡察工作", "/a/xcgz/"), ("党风廉政", "/a/dflz/"))
FOOTER = (("巡察整改", "/a/xczg/"), ("联系我们", "/a/lxwm/"), ("网站地图", "/sitemap.html"))


class DedeSite(ZooSite):
    host = "www.zoo-dede.test"
    family = "DedeCMS"
    site_id = "zoo_dede"
    level = "county"
    site_name = NAME
    encoding = "gbk"
    header_charset = False
    columns = (Column("xczg", "巡察整改", 12), Column("xcgz", "巡察工作", 11))
    notice_col = "xczg"
    id_base = 1_201
    id_step = 3

    def build_articles(self) -> list[Article]:
        dates = [datetime(2026, 2, 26, 10, 20), datetime(2025, 12, 30, 9, 0), datetime(2025, 9, 12, 16, 40)]
        out = notices(UNITS, dates, prefix="dede", col="xczg", kind="巡察", body="县委", term=None, round=5,
                      area="0734", domain="zoo-dede.test", seed="zoo-dede")
        out += news(lookalikes(("lookback", "policy"), kind="巡察", body="县委"),
                    datetime(2025, 10, 9), datetime(2026, 1, 20), "xczg", "zoo-dede-1")
        out += plain_news(9, datetime(2025, 6, 3), datetime(2026, 3, 2), "xczg", "zoo-dede-2", offset=2)
        out += news(lookalikes(("feedback", "mobilise", "start"), kind="巡察", body="县委"),
                    datetime(2025, 5, 6), datetime(2025, 12, 1), "xcgz", "zoo-dede-3")
        return out

    def article_path(self, article: Article) -> str:
        p = article.published
        return f"/a/{self.col_of(article).key}/{p:%Y}/{p:%m%d}/{article.article_id}.html"

    def _frame(self, title: str, inner: str) -> str:
        nav = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in NAV)
        foot = " | ".join(f'<a href="{h}">{t}</a>' for t, h in FOOTER)
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />\n'
            f"<title>{esc(title)}</title></head><body>\n"
            f'<div class="header"><div class="top w960 center"><h1><a href="/">{NAME}</a></h1></div>'
            f'<div class="module blue mT10 wrapper w963"><div id="navMenu"><ul>{nav}</ul></div></div></div>\n'
            f"{inner}\n"
            f'<div class="footer w960 center mt1 clear"><div class="footer_left"></div><div class="footer_body">'
            f'<p class="powered">{foot}</p><div class="copyright">Copyright &copy; 示范县纪委监委 版权所有</div>'
            "</div></div>\n</body></html>\n"
        )

    def render_home(self) -> str:
        lis = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in self.items("xcgz")[:3])
        return self._frame(NAME, f'<div class="w960 center"><div class="listbox"><ul class="d1">{lis}</ul></div></div>')

    def render_article(self, article: Article) -> str:
        col = self.col_of(article)
        inner = (
            f'<div class="w960 center clear mt1"><div class="pleft"><div class="place"><strong>当前位置:</strong> '
            f'<a href="/">主页</a> &gt; <a href="/a/{col.key}/">{col.name}</a> &gt; </div>\n'
            f'<div class="viewbox"><div class="title"><h2>{esc(article.title)}</h2></div>\n'
            f'<div class="info"><small>时间:</small>{article.published:%Y-%m-%d %H:%M}<small>来源:</small>{NAME}'
            "<small>作者:</small>县纪委办公室<small>点击:</small>"
            f'<script src="/plus/count.php?view=yes&aid={article.article_id}&mid=1" type="text/javascript"></script>次</div>\n'
            f'<div class="content">\n{paragraphs(article.lines)}</div></div></div></div>'
        )
        return self._frame(f"{article.title}_{NAME}", inner)

    def render_column(self, key: str) -> dict[str, str]:
        col, pages = self.col(key), self.pages_of(key)
        total, count = len(pages), sum(len(p) for p in pages)

        def name(n: int) -> str:
            return "index.html" if n == 1 else f"list_{col.cid}_{n}.html"

        out = {}
        for n, chunk in enumerate(pages, start=1):
            lis = "".join(
                f'<li><a href="{a.path}" class="title">{esc(a.title)}</a><span class="info"><small>日期：</small>'
                f"{a.published:%Y-%m-%d}</span></li>\n" for a in chunk
            )
            pager = "<li><a href='index.html'>首页</a></li>"
            pager += f"<li><a href='{name(n - 1)}'>上一页</a></li>" if n > 1 else ""
            pager += "".join(f"<li class=\"thisclass\"><a>{i}</a></li>" if i == n else f"<li><a href='{name(i)}'>{i}</a></li>"
                             for i in range(1, total + 1))
            pager += f"<li><a href='{name(n + 1)}'>下一页</a></li>" if n < total else ""
            pager += f"<li><a href='{name(total)}'>末页</a></li>"
            pager += f'<li><span class="pageinfo">共 <strong>{total}</strong>页<strong>{count}</strong>条</span></li>'
            inner = (
                f'<div class="w960 center clear mt1"><div class="pleft"><div class="place"><strong>当前位置:</strong> '
                f'<a href="/">主页</a> &gt; <a href="/a/{key}/">{col.name}</a> &gt; </div>\n'
                f'<div class="listbox"><ul class="e2">\n{lis}</ul></div>\n'
                f'<div class="dede_pages"><ul class="pagelist">{pager}</ul></div></div></div>'
            )
            out[f"/a/{key}/{name(n)}"] = self._frame(f"{col.name}_{NAME}", inner)
        return out
