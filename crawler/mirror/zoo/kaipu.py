"""www.zoo-kaipu.test — 清廉示范 (示范市纪委监委), 开普云 云门户 (http, UTF-8).

Path: home nav 政务公开 ``/zwgk/index.html`` (a channel of sub-column tiles) → 巡察整改
``/zwgk/xczg/index.html``, which is a SHELL: an empty ``<ul id="listBox">`` filled by a script that
calls ``$.ajax({url: '/search4/s', data: {column: '巡察整改', columnId: '3311', pageNum: 1, pageSize: 4,
siteCode: '3310000011', …}})``; no notice link is in any HTML page of the column.

JSON (the shape of 开普云's search4 service, ``data.middle.listAndBox[].data {title, url, time}``) plus
``data.total`` (record count; that key is OUR GUESS) and ``data.pageNum``. Page p: rows
(p-1)*pageSize+1 …; 3 pages of 4. Articles ``/zwgk/xczg/YYYYMM/a3311_ID.shtml`` (GUESSED shape):
``h1.article-title``, ``div.article-info`` "发布时间：… 来源：…", ``div.article-content``.
"""

from __future__ import annotations

from datetime import datetime

from ..pages import Article, Response, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news

NAME = "清廉示范"
SEARCH = "/search4/s"
SITE_CODE = "3310000011"
UNITS = (
    Unit("中共示范市委政法委员会", "市委政法委", "市委政法委", "市委政法委", "中共示范市委政法委员会"),
    Unit("中共示范市教育局委员会", "市教育局", "市教育局党委", "局党委", "中共示范市教育局委员会"),
    Unit("中共示范市龙湾区委", "龙湾区", "龙湾区委", "区委", "中共示范市龙湾区委员会"),
    Unit("中共示范市自然资源和规划局党组", "市自然资源和规划局", "市自然资源和规划局党组", "局党组",
         "中共示范市自然资源和规划局党组"),
)


class KaipuSite(ZooSite):
    host = "www.zoo-kaipu.test"
    family = "开普云 云门户"
    site_id = "zoo_kaipu"
    site_name = NAME
    columns = (Column("xczg", "巡察整改", 3311), Column("zcwj", "政策文件", 3301))
    notice_col = "xczg"
    per_page = 4
    id_base = 90_001
    id_step = 11

    def build_articles(self) -> list[Article]:
        dates = [datetime(2025, 11, 20, 10, 0), datetime(2025, 8, 8, 10, 0), datetime(2025, 6, 30, 10, 0),
                 datetime(2025, 2, 14, 10, 0)]
        out = notices(UNITS, dates, prefix="kp", col="xczg", kind="巡察", body="市委", term=13, round=None,
                      area="0577", domain="zoo-kaipu.test", seed="zoo-kaipu")
        out += news(lookalikes(("lookback", "meeting", "feedback"), kind="巡察", body="市委"),
                    datetime(2025, 3, 3), datetime(2025, 12, 1), "xczg", "zoo-kp-1")
        out += plain_news(4, datetime(2025, 1, 4), datetime(2025, 10, 1), "xczg", "zoo-kp-2", offset=10)
        out += news(lookalikes(("policy",), kind="巡察", body="市委"), datetime(2025, 5, 5), datetime(2025, 5, 5),
                    "zcwj", "zoo-kp-3")
        out += plain_news(2, datetime(2025, 6, 1), datetime(2025, 9, 1), "zcwj", "zoo-kp-4", offset=15)
        return out

    def article_path(self, article: Article) -> str:
        col = self.col_of(article)
        return f"/zwgk/{col.key}/{article.published:%Y%m}/a{col.cid}_{article.article_id}.shtml"

    def _frame(self, title: str, inner: str, head: str = "") -> str:
        nav = "".join(f'<li><a href="{h}">{t}</a></li>' for t, h in
                      (("首页", "/"), ("要闻动态", "/ywdt/index.html"), ("政务公开", "/zwgk/index.html"),
                       ("监督曝光", "/jdbg/index.html"), ("互动交流", "/hdjl/index.html")))
        return page_html(title, f'<div class="header"><div class="logo">{NAME}</div><ul class="nav">{nav}</ul></div>\n'
                                f'{inner}\n<div class="footer">主办：中共示范市纪委 示范市监委 技术支持：开普云</div>', head=head)

    def render_home(self) -> str:
        return self._frame(NAME, '<div class="banner"><img src="/images/banner.jpg" alt="清廉示范"></div>'
                                 '<div class="ywdt" id="ywdt"></div>')

    def extra_pages(self) -> dict[str, str]:
        tiles = "".join(f'<li><a href="/zwgk/{c.key}/index.html">{c.name}</a></li>' for c in reversed(self.columns))
        channel = self._frame(f"政务公开-{NAME}", '<div class="crumb">当前位置：<a href="/">首页</a> &gt; 政务公开</div>'
                                              f'<ul class="tiles"><li><a href="/zwgk/jgzn/index.html">机构职能</a></li>{tiles}</ul>')
        return {"/zwgk/index.html": channel}

    def render_column(self, key: str) -> dict[str, str]:
        col = self.col(key)
        script = (
            "<script src=\"/js/jquery.min.js\"></script>\n<script>\n"
            f"var columnId = '{col.cid}';\nvar pageSize = {self.per_page};\n"
            "function loadList(pageNum) {\n"
            "  $.ajax({\n"
            f"    url: '{SEARCH}', type: 'GET', dataType: 'json',\n"
            f"    data: {{searchWord: '', column: '{col.name}', columnId: columnId, pageNum: pageNum, pageSize: pageSize,\n"
            f"            siteCode: '{SITE_CODE}', orderBy: 'time', checkHandle: 1}},\n"
            "    success: function (res) {\n"
            "      var rows = res.data.middle.listAndBox, html = '';\n"
            "      for (var i = 0; i < rows.length; i++) {\n"
            "        html += '<li><a href=\"' + rows[i].data.url + '\" target=\"_blank\">' + rows[i].data.title + '</a><span>' + rows[i].data.time + '</span></li>';\n"
            "      }\n"
            "      $('#listBox').html(html);\n"
            "      renderPager(pageNum, Math.ceil(res.data.total / pageSize));\n"
            "    }\n  });\n}\n"
            "function renderPager(cur, total) { /* 上一页 / 下一页 buttons call loadList */ }\n"
            "loadList(1);\n</script>"
        )
        inner = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/index.html">政务公开</a> &gt; {col.name}</div>\n'
                 f'<div class="list"><h2>{col.name}</h2><ul id="listBox"></ul><div id="pageBox"></div></div>\n{script}')
        return {f"/zwgk/{key}/index.html": self._frame(f"{col.name}-{NAME}", inner)}

    def render_article(self, article: Article) -> str:
        col = self.col_of(article)
        inner = (f'<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/index.html">政务公开</a> &gt; '
                 f'<a href="/zwgk/{col.key}/index.html">{col.name}</a></div>\n'
                 f'<div class="article"><h1 class="article-title">{esc(article.title)}</h1>\n'
                 f'<div class="article-info">发布时间：{article.published:%Y-%m-%d %H:%M}　来源：示范市纪委监委</div>\n'
                 f'<div class="article-content">\n{paragraphs(article.lines)}</div></div>')
        return self._frame(f"{article.title}-{NAME}", inner)

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if path != SEARCH or method not in ("GET", "HEAD", "POST"):
            return None
        col = next((c for c in self.columns if str(c.cid) == params.get("columnId") or c.name == params.get("column")), None)
        items = self.items(col.key) if col else []
        size = max(1, _int(params.get("pageSize"), 10))
        page = max(1, _int(params.get("pageNum"), 1))
        rows = [{"data": {"title": a.title, "url": a.path, "time": f"{a.published:%Y-%m-%d}", "column": col.name if col else ""}}
                for a in items[(page - 1) * size : page * size]]
        return self.json_response({"code": 200, "msg": "success", "data": {
            "total": len(items), "pageNum": page, "pageSize": size, "middle": {"listAndBox": rows}}})


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default
