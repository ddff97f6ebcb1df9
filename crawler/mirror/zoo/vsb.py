"""www.zoo-vsb.test — 清风示范网 (示范市纪委监委), 博达 VSB (http, UTF-8).

Path: home nav 信息公开 ``/xxgk.htm`` = a DIRECTORY TREE (机构职能 / 规章制度 / 巡视巡察 > 巡察动态,
巡察整改); its 巡察整改 leaf ``/xxgk/xczg.htm`` is a FRAME page whose list opens in an
``<iframe src="xsxc.htm">`` — the list itself is ``/xxgk/xsxc.htm``.

Markup (VSB list and pager): first page ``xsxc.htm``, further pages numbered BACKWARDS in a folder
named after it: with 3 pages, page 2 = ``xsxc/2.htm``, page 3 = ``xsxc/1.htm``; pager
``<td id="fanye…">共13条&nbsp;&nbsp;1/3&nbsp;</td>`` + ``<span class="PrevDisabled">首页</span>…<a href=
"xsxc/2.htm" class="Next">下页</a><a href="xsxc/1.htm" class="Next">尾页</a>``, and ``<span
class="NextDisabled">下页</span>`` on the last page. Items link ``../info/1032/ID.htm`` (relative, so
``../../info/…`` from the numbered pages). Articles ``/info/1032/ID.htm``: ``div.content-title > h3``,
``<span>发布时间：YYYY-MM-DD</span>``, body ``div#vsb_content > div.v_news_content``.
"""

from __future__ import annotations

from datetime import datetime

from ..pages import Article, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news

NAME = "清风示范网"
UNITS = (
    Unit("中共示范市新城区委", "新城区", "新城区委", "区委", "中共示范市新城区委员会"),
    Unit("中共示范市水务局党组", "市水务局", "市水务局党组", "局党组", "中共示范市水务局党组"),
    Unit("中共示范市长安县委", "长安县", "长安县委", "县委", "中共示范市长安县委员会"),
    Unit("中共示范市文化和旅游局党组", "市文化和旅游局", "市文化和旅游局党组", "局党组", "中共示范市文化和旅游局党组"),
)
TREE_ID = 1032


class VsbSite(ZooSite):
    host = "www.zoo-vsb.test"
    family = "博达 VSB"
    site_id = "zoo_vsb"
    level = "city"
    site_name = NAME
    columns = (Column("xsxc", "巡察整改", 1032), Column("xcdt", "巡察动态", 1031))
    notice_col = "xsxc"
    id_base = 15_101
    id_step = 5

    def build_articles(self) -> list[Article]:
        dates = [datetime(2025, 12, 16, 9, 0), datetime(2025, 9, 26, 9, 0), datetime(2025, 6, 5, 9, 0),
                 datetime(2025, 1, 8, 9, 0)]
        out = notices(UNITS, dates, prefix="vsb", col="xsxc", kind="巡察", body="市委",
                      term=None, round=4, area="0551", domain="zoo-vsb.test", seed="zoo-vsb")
        out += news(lookalikes(("meeting", "lookback"), kind="巡察", body="市委"),
                    datetime(2025, 3, 1), datetime(2025, 10, 15), "xsxc", "zoo-vsb-1")
        out += plain_news(7, datetime(2024, 11, 1), datetime(2025, 12, 26), "xsxc", "zoo-vsb-2", offset=3)
        out += news(lookalikes(("feedback", "mobilise"), kind="巡察", body="市委"),
                    datetime(2025, 4, 1), datetime(2025, 11, 1), "xcdt", "zoo-vsb-3")
        return out

    def article_path(self, article: Article) -> str:
        return f"/info/{self.col_of(article).cid}/{article.article_id}.htm"

    def _frame(self, title: str, inner: str, root: str = "") -> str:
        return page_html(title, (
            f'<div class="header"><a href="{root}index.htm">{NAME}</a><ul class="menu">'
            f'<li><a href="{root}index.htm">首页</a></li><li><a href="{root}jgsz.htm">机构设置</a></li>'
            f'<li><a href="{root}xxgk.htm">信息公开</a></li><li><a href="{root}jdbg.htm">监督曝光</a></li></ul></div>\n'
            f'{inner}\n<div class="footer">版权所有 © {NAME}</div>'
        ))

    def render_home(self) -> str:
        lis = "".join(f'<li><a href="info/{a.path.split("/info/")[1]}">{esc(a.title)}</a></li>' for a in self.items("xcdt")[:2])
        return self._frame(NAME, f'<div class="news"><ul>{lis}</ul></div>')

    def extra_pages(self) -> dict[str, str]:
        tree = (
            '<div class="tree"><ul>'
            '<li><a href="xxgk/jgzn.htm" target="_self">机构职能</a></li>'
            '<li><a href="xxgk/gzzd.htm" target="_self">规章制度</a></li>'
            '<li class="folder"><span>巡视巡察</span><ul>'
            '<li><a href="xxgk/xcdt.htm">巡察动态</a></li><li><a href="xxgk/xczg.htm">巡察整改</a></li></ul></li>'
            "</ul></div>"
        )
        frame = self._frame(
            f"巡察整改-{NAME}",
            '<div class="location">当前位置：<a href="../index.htm">首页</a> &gt;&gt; <a href="../xxgk.htm">信息公开</a>'
            " &gt;&gt; 巡察整改</div>\n"
            '<div class="right"><iframe name="listFrame" src="xsxc.htm" width="100%" height="900" frameborder="0" '
            'scrolling="no"></iframe></div>',
            root="../",
        )
        return {
            "/index.htm": self.render_home(),
            "/xxgk.htm": self._frame(f"信息公开-{NAME}", f'<div class="left">{tree}</div><div class="right">'
                                                       "<p>请在左侧目录中选择公开事项。</p></div>"),
            "/xxgk/xczg.htm": frame,
        }

    def render_article(self, article: Article) -> str:
        col = self.col_of(article)
        inner = (
            f'<div class="location">当前位置：<a href="../../index.htm">首页</a> &gt;&gt; <a href="../../xxgk.htm">信息公开</a>'
            f" &gt;&gt; {col.name} &gt;&gt; 正文</div>\n"
            f'<form name="_newscontent_fromname"><div class="content-title"><h3>{esc(article.title)}</h3>\n'
            f'<div class="info"><span>发布时间：{article.published:%Y-%m-%d}</span><span>作者：市纪委监委</span>'
            f'<span>点击数：<script>_showDynClicks("wbnews", 1592399, {article.article_id})</script></span></div></div>\n'
            f'<div id="vsb_content"><div class="v_news_content">\n{paragraphs(article.lines)}</div></div></form>'
        )
        return self._frame(f"{article.title}-{NAME}", inner, root="../../")

    def render_column(self, key: str) -> dict[str, str]:
        pages, count = self.pages_of(key), len(self.items(key))
        total = len(pages)

        def path(n: int) -> str:  # page n (1-based) of list "key"
            return f"/xxgk/{key}.htm" if n == 1 else f"/xxgk/{key}/{total - n + 1}.htm"

        def href(n: int, here: int) -> str:  # relative, as VSB writes them
            target = path(n)
            return target.removeprefix("/xxgk/") if here == 1 else (f"../{key}.htm" if n == 1 else target.rsplit("/", 1)[1])

        out = {}
        for n, chunk in enumerate(pages, start=1):
            up = "../" if n == 1 else "../../"
            lis = "".join(f'<li id="line_u7_{i}"><a href="{up}info/{a.path.split("/info/")[1]}" target="_blank" '
                          f'title="{esc(a.title)}">{esc(a.title)}</a><span>{a.published:%Y/%m/%d}</span></li>\n'
                          for i, a in enumerate(chunk))
            if n == 1:
                prev = '<span class="PrevDisabled">首页</span><span class="PrevDisabled">上页</span>'
            else:
                prev = f'<a href="{href(1, n)}" class="Prev">首页</a><a href="{href(n - 1, n)}" class="Prev">上页</a>'
            if n < total:
                nxt = f'<a href="{href(n + 1, n)}" class="Next">下页</a><a href="{href(total, n)}" class="Next">尾页</a>'
            else:
                nxt = '<span class="NextDisabled">下页</span><span class="NextDisabled">尾页</span>'
            pager = (f'<table><tr><td id="fanye132384" width="1%" align="left" nowrap>共{count}条&nbsp;&nbsp;{n}/{total}&nbsp;</td>'
                     f'<td nowrap align="left"><div>{prev}{nxt}</div></td></tr></table>')
            out[path(n)] = page_html(f"巡察整改-{NAME}", f'<div class="list"><ul>\n{lis}</ul>\n{pager}</div>')
        return out
