"""www.zoo-hanweb.test — 示范市纪委监委, Hanweb 大汉 JCMS (http, UTF-8).

Path: home nav 党风廉政 ``/col/col100/index.html`` (a CHANNEL page whose left menu lists 工作动态
col121, 警示教育 col122, 整改进展 col123) → 整改进展 ``/col/col123/index.html``: neither name says 巡视
or 巡察.

Markup: the column page holds NO list in its DOM; the first 12 records (3 pages of 4) sit as CDATA in
``<script type="text/xml"><datastore><nextgroup>…</nextgroup><recordset><record><![CDATA[<li>…]]>
</record>…</recordset></datastore></script>`` with ``<totalrecord>18</totalrecord>``; records 13–18
(two of the notices) come only from ``/module/web/jpage/dataproxy.jsp?startrecord=13&endrecord=24
&perpage=4`` (POST, form fields col=1&appid=1&webid=1&path=/&columnid=123&sourceContentType=1
&unitid=5678&webname=…&permissiontype=0; GET with the same query answers too). Articles
``/art/YYYY/M/D/art_123_ID.html``: ``h1``, "发布日期：…", ``div#zoom``.
"""

from __future__ import annotations

from datetime import datetime

from ..pages import Article, Response, esc, paragraphs
from ..synthetic import Unit
from .base import Column, ZooSite, lookalikes, news, notices, page_html, plain_news

NAME = "示范市纪委监委"
UNIT_ID = 5678
DATAPROXY = "/module/web/jpage/dataproxy.jsp"
FIRST_BATCH = 12
UNITS = (
    Unit("中共示范市东城区委", "东城区", "东城区委", "区委", "中共示范市东城区委员会"),
    Unit("中共示范市住房和城乡建设局党组", "市住房和城乡建设局", "市住房和城乡建设局党组", "局党组",
         "中共示范市住房和城乡建设局党组"),
    Unit("中共示范县委", "示范县", "示范县委", "县委", "中共示范县委员会"),
    Unit("中共示范市西湖区委", "西湖区", "西湖区委", "区委", "中共示范市西湖区委员会"),
)
NAV = (("首页", "/"), ("工作动态", "/col/col121/index.html"), ("党风廉政", "/col/col100/index.html"),
       ("审查调查", "/col/col130/index.html"), ("信访举报", "/col/col140/index.html"))


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


class HanwebSite(ZooSite):
    host = "www.zoo-hanweb.test"
    family = "Hanweb 大汉 JCMS"
    site_id = "zoo_hanweb"
    site_name = NAME
    columns = (Column("zgjz", "整改进展", 123), Column("gzdt", "工作动态", 121), Column("jsjy", "警示教育", 122))
    notice_col = "zgjz"
    per_page = 4
    id_base = 60_011
    id_step = 13

    def build_articles(self) -> list[Article]:
        # Newest first the column reads: notice 2nd and 7th, then 13th and 17th (dataproxy only).
        dates = [datetime(2025, 10, 28, 10, 0), datetime(2025, 7, 2, 9, 30), datetime(2025, 2, 10, 15, 0),
                 datetime(2025, 1, 14, 11, 0)]
        out = notices(UNITS, dates, prefix="hw", col="zgjz", kind="巡察", body="市委", term=None, round=3,
                      area="0571", domain="zoo-hanweb.test", seed="zoo-hanweb")
        out += news(lookalikes(("meeting", "lookback", "check"), kind="巡察", body="市委"),
                    datetime(2025, 2, 20), datetime(2025, 9, 18), "zgjz", "zoo-hw-1")
        out += plain_news(3, datetime(2025, 10, 30), datetime(2025, 12, 10), "zgjz", "zoo-hw-2")
        out += plain_news(4, datetime(2025, 7, 10), datetime(2025, 10, 20), "zgjz", "zoo-hw-3", offset=4)
        out += plain_news(4, datetime(2024, 10, 8), datetime(2025, 1, 10), "zgjz", "zoo-hw-4", offset=9)
        out += news(lookalikes(("feedback", "mobilise"), kind="巡察", body="市委"),
                    datetime(2025, 5, 6), datetime(2025, 9, 1), "gzdt", "zoo-hw-5")
        out += plain_news(3, datetime(2025, 3, 1), datetime(2025, 11, 1), "jsjy", "zoo-hw-6", offset=12)
        return out

    def article_path(self, article: Article) -> str:
        p = article.published
        return f"/art/{p.year}/{p.month}/{p.day}/art_{self.col_of(article).cid}_{article.article_id}.html"

    def _frame(self, title: str, inner: str) -> str:
        nav = "".join(f'<a href="{h}">{esc(t)}</a>' for t, h in NAV)
        return page_html(title, f'<div class="top"><div class="nav">{nav}</div></div>\n{inner}\n'
                                '<div class="bottom">主办单位：中共示范市纪律检查委员会 示范市监察委员会</div>')

    def render_home(self) -> str:
        lis = "".join(f'<li><a href="{a.path}" target="_blank">{esc(a.title)}</a></li>' for a in self.items("gzdt")[:3])
        return self._frame(NAME, f'<div class="ywdt"><h2>工作动态</h2><ul>{lis}</ul></div>')

    def render_article(self, article: Article) -> str:
        col = self.col_of(article)
        inner = (
            f'<div class="dqwz">当前位置：<a href="/">首页</a> &gt; <a href="/col/col{col.cid}/index.html">{col.name}</a></div>\n'
            f'<div class="article"><h1>{esc(article.title)}</h1>\n'
            f'<div class="xxgk_info"><span>发布日期：{article.published:%Y-%m-%d}</span><span>信息来源：{NAME}</span></div>\n'
            f'<div id="zoom">\n{paragraphs(article.lines)}</div></div>'
        )
        return self._frame(f"{article.title} {NAME}", inner)

    def record(self, a: Article) -> str:
        li = (f'<li><a href="{a.path}" class="bt_link" title="{esc(a.title)}" target="_blank">{esc(a.title)}</a>'
              f'<span class="bt_time">{a.published:%Y-%m-%d}</span></li>')
        return f"<record>{cdata(li)}</record>"

    def render_column(self, key: str) -> dict[str, str]:
        col, items = self.col(key), self.items(key)
        nextgroup = cdata(f'<a href="{DATAPROXY}?page=1&webid=1&path=/&columnid={col.cid}&unitid={UNIT_ID}'
                          f'&webname={NAME}&permissiontype=0"></a>')
        records = "\n".join(self.record(a) for a in items[:FIRST_BATCH])
        inner = (
            f'<div class="dqwz">当前位置：<a href="/">首页</a> &gt; <a href="/col/col100/index.html">党风廉政</a> &gt; {col.name}</div>\n'
            f'<div class="lmtit">{col.name}</div>\n'
            f'<div id="{UNIT_ID}"><script type="text/xml"><datastore><nextgroup>{nextgroup}</nextgroup>'
            f"<recordset>\n{records}\n</recordset><totalrecord>{len(items)}</totalrecord></datastore></script>\n"
            f'<script language="javascript" src="/module/web/jpage/jpage.js"></script>\n'
            f'<script>var pageSize={self.per_page}; var totalRecord={len(items)}; var columnid={col.cid};</script></div>'
        )
        return {f"/col/col{col.cid}/index.html": self._frame(f"{col.name} {NAME}", inner)}

    def extra_pages(self) -> dict[str, str]:
        menu = "".join(f'<li><a href="/col/col{c.cid}/index.html">{c.name}</a></li>'
                       for c in (self.col("gzdt"), self.col("jsjy"), self.col("zgjz")))
        heads = "".join(f'<li><a href="{a.path}">{esc(a.title)}</a></li>' for a in self.items("jsjy")[:3])
        inner = (f'<div class="dqwz">当前位置：<a href="/">首页</a> &gt; 党风廉政</div>\n'
                 f'<div class="left"><h3>党风廉政</h3><ul class="menu">{menu}</ul></div>\n'
                 f'<div class="right"><h3>警示教育</h3><ul>{heads}</ul></div>')
        return {"/col/col100/index.html": self._frame(f"党风廉政 {NAME}", inner)}

    def dynamic(self, method: str, path: str, params: dict[str, str]) -> Response | None:
        if path != DATAPROXY or method not in ("GET", "HEAD", "POST"):
            return None
        column = next((c for c in self.columns if str(c.cid) == params.get("columnid")), None)
        items = self.items(column.key) if column else []
        start = max(1, _int(params.get("startrecord"), 1))
        end = _int(params.get("endrecord"), start + FIRST_BATCH - 1)
        records = "\n".join(self.record(a) for a in items[start - 1 : max(end, start - 1)])
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore><totalrecord>{len(items)}</totalrecord>'
               f"<perpage>{_int(params.get('perpage'), self.per_page)}</perpage><recordset>\n{records}\n</recordset></datastore>\n")
        return Response(200, xml.encode("utf-8"), "text/xml;charset=UTF-8", last_modified=self.newest())


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
