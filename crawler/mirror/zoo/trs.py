"""www.zoo-trs.test — 示范省纪委监委, TRS WCM (http, UTF-8).

Path: home nav 巡视巡察 ``/xsxc/`` (a CHANNEL page: tabs 巡视动态 / 巡视整改 / 巡察工作 and two boxes of
headlines, the 巡视动态 box full of look-alikes) → tab 巡视整改 ``/xsxc/xszg/`` = the column.

Markup (sources in crawler/mirror/README.md): list ``index.html``, ``index_1.html``, ``index_2.html``
with the pager only as ``createPageHTML(3, cur, "index", "html")`` (cur 0-based) plus a
"共13条 分3页" line; items ``<li><a href="./YYYYMM/tYYYYMMDD_ID.html" title=…>`` + date span. Articles
``/xsxc/xszg/YYYYMM/tYYYYMMDD_ID.html``: meta ArticleTitle/PubDate/ContentSource, ``div.detail > h1``,
``div.info`` "发布时间：YYYY-MM-DD HH:MM 来源：…", body ``div.TRS_Editor``.
"""

from __future__ import annotations

from datetime import datetime

from ..pages import Article, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news

NAME = "示范省纪委监委"
UNITS = (
    Unit("中共示范市委", "示范市", "示范市委", "市委", "中共示范市委员会"),
    Unit("中共东川市委", "东川市", "东川市委", "市委", "中共东川市委员会"),
    Unit("中共示范省交通运输厅党组", "省交通运输厅", "省交通运输厅党组", "厅党组", "中共示范省交通运输厅党组"),
    Unit("中共示范省某某集团有限公司委员会", "示范省某某集团有限公司", "集团公司党委", "集团公司党委",
         "中共示范省某某集团有限公司委员会"),
    Unit("中共示范大学委员会", "示范大学", "学校党委", "学校党委", "中共示范大学委员会"),
)
NAV = (("首页", "/"), ("要闻动态", "/ywdt/"), ("审查调查", "/scdc/"), ("巡视巡察", "/xsxc/"),
       ("党纪法规", "/djfg/"), ("信访举报", "/xfjb/"))


def page_file(page: int) -> str:
    return "index.html" if page == 0 else f"index_{page}.html"


class TrsSite(ZooSite):
    host = "www.zoo-trs.test"
    family = "TRS WCM"
    site_id = "zoo_trs"
    level = "province"
    site_name = NAME
    columns = (Column("xszg", "巡视整改", 2961), Column("xsdt", "巡视动态", 2960), Column("xcgz", "巡察工作", 2962))
    notice_col = "xszg"
    id_base = 398_101
    id_step = 37

    def build_articles(self) -> list[Article]:
        dates = [datetime(2025, 3, 18, 9, 30), datetime(2025, 3, 20, 16, 0), datetime(2025, 6, 11, 10, 0),
                 datetime(2025, 8, 29, 15, 30), datetime(2025, 11, 4, 9, 0)]
        out = notices(UNITS, dates, prefix="trs", col="xszg", kind="巡视", body="省委", term=13, round=None,
                      area="0871", domain="zoo-trs.test", seed="zoo-trs")
        out += news(lookalikes(("policy", "check", "start"), kind="巡视", body="省委"),
                    datetime(2025, 2, 10), datetime(2025, 10, 9), "xszg", "zoo-trs-1")
        out += plain_news(5, datetime(2025, 1, 6), datetime(2025, 12, 1), "xszg", "zoo-trs-2")
        out += news(lookalikes(("feedback", "mobilise", "meeting"), kind="巡视", body="省委"),
                    datetime(2025, 4, 1), datetime(2025, 12, 3), "xsdt", "zoo-trs-3")
        out += plain_news(3, datetime(2025, 5, 1), datetime(2025, 11, 3), "xcgz", "zoo-trs-4", offset=7)
        return out

    def article_path(self, article: Article) -> str:
        p = article.published
        return f"/xsxc/{self.col_of(article).key}/{p:%Y%m}/t{p:%Y%m%d}_{article.article_id}.html"

    def _frame(self, title: str, inner: str, meta: str = "") -> str:
        nav = "".join(f'<li><a href="{h}">{esc(t)}</a></li>' for t, h in NAV)
        return page_html(title, (
            f'<div class="header"><div class="logo"><a href="/">{NAME}</a></div><ul class="nav">{nav}</ul></div>\n'
            f"{inner}\n"
            '<div class="footer"><p>主办：中共示范省纪律检查委员会 示范省监察委员会</p>'
            '<a href="/gywm/">关于我们</a> <a href="/wzdt/">网站地图</a></div>'
        ), head=meta)

    def render_home(self) -> str:
        heads = self.items("xsdt")[:3]
        lis = "".join(f'<li><a href="{a.path}" target="_blank">{esc(a.title)}</a></li>' for a in heads)
        return self._frame(NAME, f'<div class="toutiao"><h2>要闻</h2><ul>{lis}</ul></div>')

    def render_article(self, article: Article) -> str:
        col = self.col_of(article)
        meta = (f'<meta name="ArticleTitle" content="{esc(article.title)}">'
                f'<meta name="PubDate" content="{article.published:%Y-%m-%d %H:%M}">'
                f'<meta name="ContentSource" content="{NAME}">')
        inner = (
            f'<div class="position">当前位置：<a href="../../../">首页</a> &gt; <a href="../../">巡视巡察</a> &gt; '
            f'<a href="../">{col.name}</a></div>\n'
            f'<div class="detail"><h1>{esc(article.title)}</h1>\n'
            f'<div class="info">发布时间：{article.published:%Y-%m-%d %H:%M}　来源：{NAME}</div>\n'
            f'<div class="TRS_Editor">\n{paragraphs(article.lines)}</div></div>'
        )
        return self._frame(f"{article.title}_{col.name}_{NAME}", inner, meta)

    def render_column(self, key: str) -> dict[str, str]:
        col, pages = self.col(key), self.pages_of(key)
        total = sum(len(p) for p in pages)
        out = {}
        for n, chunk in enumerate(pages):
            lis = "".join(
                f'<li><a href="./{a.path.split("/")[-2]}/{a.path.split("/")[-1]}" title="{esc(a.title)}" '
                f'target="_blank">{esc(a.title)}</a><span>{a.published:%Y-%m-%d}</span></li>\n'
                for a in chunk
            )
            inner = (
                f'<div class="position">当前位置：<a href="../../">首页</a> &gt; <a href="../">巡视巡察</a> &gt; {col.name}</div>\n'
                f'<div class="list"><ul class="list_ul">\n{lis}</ul>\n'
                f'<div class="page"><span>共{total}条 分{len(pages)}页</span><script type="text/javascript">'
                f'createPageHTML({len(pages)}, {n}, "index", "html");</script></div></div>'
            )
            out[f"/xsxc/{key}/{page_file(n)}"] = self._frame(f"{col.name}_巡视巡察_{NAME}", inner)
        return out

    def extra_pages(self) -> dict[str, str]:
        tabs = "".join(f'<a href="./{c.key}/">{c.name}</a>' for c in (self.col("xsdt"), self.col("xszg"), self.col("xcgz")))

        def box(key: str, title: str) -> str:
            lis = "".join(f'<li><a href=".{a.path.removeprefix("/xsxc")}">{esc(a.title)}</a><span>{a.published:%m-%d}</span></li>'
                          for a in self.items(key)[:4])
            return f'<div class="box"><h3>{title}<a class="more" href="./{key}/">更多&gt;&gt;</a></h3><ul>{lis}</ul></div>'

        inner = (f'<div class="position">当前位置：<a href="../">首页</a> &gt; 巡视巡察</div>\n'
                 f'<div class="tabs">{tabs}</div>\n{box("xsdt", "巡视动态")}\n{box("xszg", "巡视整改")}')
        return {"/xsxc/index.html": self._frame(f"巡视巡察_{NAME}", inner)}
